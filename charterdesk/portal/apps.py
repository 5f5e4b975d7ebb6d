import logging

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "charterdesk.portal"
    label = "portal"
    verbose_name = "Customer portal"

    def ready(self) -> None:
        from charterdesk.portal.redaction import RedactTrackingTokens

        # The token is in the path of every portal page: the loggers that print request
        # paths (4xx/5xx responses, the development server's access log) get it blanked.
        for name in ("django.request", "django.server"):
            logging.getLogger(name).addFilter(RedactTrackingTokens())
