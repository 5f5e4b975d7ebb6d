from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "charterdesk.outbox"
    verbose_name = "Outbox"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from charterdesk.cases.models import OutboxMessage
        from charterdesk.outbox.tasks import send_soon

        post_save.connect(send_soon, sender=OutboxMessage, dispatch_uid="outbox-send-soon")
