from django.contrib import admin
from django.urls import include, path

from charterdesk.intake.adapters import webhooks

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("intake/mailgun/inbound_mime/", webhooks.mailgun_inbound, name="mailgun-inbound"),
    path("", include("charterdesk.console.urls")),
    path("", include("charterdesk.reports.urls")),
    path("", include("charterdesk.portal.urls")),
    path("", include("charterdesk.channels.urls")),
    path("", include("charterdesk.knowledge.urls")),
    path("", include("charterdesk.conduct.urls")),
    path("", include("charterdesk.privacy.urls")),
]
