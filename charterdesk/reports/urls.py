from django.urls import path

from charterdesk.reports import public_views, views

app_name = "reports"

urlpatterns = [
    path("desk/<slug:org_slug>/dashboard/", views.dashboard_page, name="dashboard"),
    path("desk/<slug:org_slug>/reports/", views.reports_page, name="reports"),
    path("desk/<slug:org_slug>/reports/causes/", views.cause_cases, name="causes"),
    path("desk/<slug:org_slug>/reports/decisions/", views.record_decision, name="decide"),
    path("desk/<slug:org_slug>/reports/review.<str:fmt>", views.review_download, name="review"),
    path("o/<slug:org_slug>/results/", public_views.results, name="results"),
    path("o/<slug:org_slug>/charter/", public_views.charter, name="charter"),
]
