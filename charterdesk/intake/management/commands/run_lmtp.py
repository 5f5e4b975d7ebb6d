"""Listen for LMTP deliveries from a mail server (Postfix ``lmtp:inet:127.0.0.1:8024``);
see :mod:`charterdesk.intake.adapters.lmtp`. SIGTERM or SIGINT stops it."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from charterdesk.intake.adapters.lmtp import LmtpListener
from charterdesk.stopping import stopped_by_signals


class Command(BaseCommand):
    help = "Receive mail over LMTP (RFC 2033), or SMTP with --smtp, into the desk."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8024, help="TCP port (default 8024)")
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=None,
            help="largest message accepted (default CHARTERDESK_MAX_MESSAGE_BYTES)",
        )
        parser.add_argument(
            "--smtp", action="store_true", help="speak SMTP instead (to try it by hand)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        max_bytes = options["max_bytes"] or int(settings.CHARTERDESK_MAX_MESSAGE_BYTES)
        listener = LmtpListener(
            host=options["host"], port=options["port"], max_bytes=max_bytes, smtp=options["smtp"]
        )
        protocol = "SMTP" if options["smtp"] else "LMTP"
        stop = threading.Event()
        with stopped_by_signals(stop):
            listener.start()
            self.stdout.write(
                f"{protocol} on {options['host']}:{options['port']} "
                f"(messages up to {max_bytes} bytes)"
            )
            self.stdout.flush()
            try:
                while not stop.wait(1.0):
                    pass
            finally:
                listener.stop()
        self.stdout.write(f"{protocol} listener stopped")
