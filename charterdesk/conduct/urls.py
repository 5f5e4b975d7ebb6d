from django.urls import path

from charterdesk.conduct import views

app_name = "conduct"

urlpatterns = [
    path("desk/<slug:org_slug>/conduct/", views.restrictions, name="restrictions"),
    path("desk/<slug:org_slug>/conduct/<int:pk>/lift/", views.lift, name="lift"),
    path("desk/<slug:org_slug>/conduct/<int:pk>/review/", views.review, name="review"),
    path("desk/<slug:org_slug>/conduct/cases/<str:reference>/", views.case_conduct, name="case"),
    path("desk/<slug:org_slug>/conduct/cases/<str:reference>/record/", views.record, name="record"),
    path(
        "desk/<slug:org_slug>/conduct/cases/<str:reference>/restrict/",
        views.restrict,
        name="restrict",
    ),
]
