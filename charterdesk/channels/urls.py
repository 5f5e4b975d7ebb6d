from django.urls import path

from charterdesk.channels import webhooks

app_name = "channels"

urlpatterns = [
    path(
        "api/channels/<slug:org_slug>/<slug:channel>/events",
        webhooks.channel_events,
        name="events",
    ),
]
