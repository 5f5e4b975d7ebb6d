from django.contrib.auth import views as auth
from django.urls import path

from charterdesk.console import case_views, intake_views, views
from charterdesk.security import views as security

app_name = "console"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", security.StaffLoginView.as_view(), name="login"),
    path("accounts/login/code/", security.login_code, name="login-code"),
    path("accounts/two-factor/", security.two_factor_page, name="two-factor"),
    path("accounts/logout/", auth.LogoutView.as_view(), name="logout"),
    path("desk/", views.desk_home, name="desk"),
    path("desk/<slug:org_slug>/", views.queue, name="queue"),
    path("desk/<slug:org_slug>/new/", intake_views.choose_channel, name="log-contact-choose"),
    path("desk/<slug:org_slug>/new/<slug:channel>/", intake_views.log_contact, name="log-contact"),
    path("desk/<slug:org_slug>/cases/<str:reference>/", case_views.case_page, name="case"),
    path(
        "desk/<slug:org_slug>/cases/<str:reference>/<slug:name>/",
        case_views.case_action,
        name="case-action",
    ),
]
