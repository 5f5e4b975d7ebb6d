from django.urls import path

from charterdesk.portal import contact_views, link_views, track_views

app_name = "portal"

urlpatterns = [
    path("o/<slug:org_slug>/contact/", contact_views.contact, name="contact"),
    path(
        "o/<slug:org_slug>/contact/<slug:case_type>/",
        contact_views.contact_form,
        name="contact-form",
    ),
    path("o/<slug:org_slug>/survey/<str:reference>/", link_views.survey, name="survey"),
    path("track/", link_views.resend, name="resend"),
    path("track/<str:token>/", track_views.track, name="track"),
    path("track/<str:token>/thanks/", track_views.thanks, name="thanks"),
    path("track/<str:token>/files/<int:pk>/", track_views.download, name="file"),
    path("track/<str:token>/<slug:name>/", track_views.track_action, name="track-action"),
]
