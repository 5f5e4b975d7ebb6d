from django.urls import path

from charterdesk.privacy import breach_views, views

app_name = "privacy"

urlpatterns = [
    path("desk/<slug:org_slug>/privacy/", views.privacy_home, name="home"),
    path("desk/<slug:org_slug>/privacy/contacts/<int:pk>/", views.contact_page, name="contact"),
    path(
        "desk/<slug:org_slug>/privacy/contacts/<int:pk>/export/",
        views.contact_export,
        name="export",
    ),
    path(
        "desk/<slug:org_slug>/privacy/contacts/<int:pk>/erase/", views.contact_erase, name="erase"
    ),
    path(
        "desk/<slug:org_slug>/privacy/contacts/<int:pk>/hold/",
        views.contact_hold,
        name="contact-hold",
    ),
    path("desk/<slug:org_slug>/privacy/cases/<str:reference>/", views.case_privacy, name="case"),
    path(
        "desk/<slug:org_slug>/privacy/cases/<str:reference>/hold/",
        views.case_hold,
        name="case-hold",
    ),
    path(
        "desk/<slug:org_slug>/privacy/cases/<str:reference>/regulator-notified/",
        breach_views.regulator_notified,
        name="regulator-notified",
    ),
    path(
        "desk/<slug:org_slug>/privacy/holds/<int:pk>/release/",
        views.hold_release,
        name="release",
    ),
    path("desk/<slug:org_slug>/privacy/breaches/new/", breach_views.breach_new, name="breach-new"),
]
