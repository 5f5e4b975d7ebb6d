"""Poll every configured IMAP mailbox (``CHARTERDESK_IMAP_<SLUG>``) and hand each waiting
message to intake; see :mod:`charterdesk.intake.adapters.imap` for the configuration and
why a poller killed at any moment neither loses nor doubles a message."""

from __future__ import annotations

import os
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone

from charterdesk.cases.models import Organization
from charterdesk.intake.adapters.imap import MailboxConfig, mailboxes_from_environment, poll
from charterdesk.intake.routing import our_addresses
from charterdesk.stopping import stopped_by_signals


class Command(BaseCommand):
    help = "Fetch mail from each organization's IMAP mailbox into the desk."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one poll, then stop")
        parser.add_argument(
            "--interval", type=float, default=60.0, help="seconds between polls (default 60)"
        )
        parser.add_argument(
            "--limit", type=int, default=None, help="most messages per mailbox per poll"
        )
        parser.add_argument(
            "--org", action="append", default=[], help="only this organization (repeatable)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        mailboxes = self.configured(options["org"])
        stop = threading.Event()
        with stopped_by_signals(stop):
            while True:
                failed = self.poll_all(mailboxes, options["limit"])
                if options["once"]:
                    if failed:
                        raise CommandError(f"{failed} mailbox(es) could not be polled")
                    break
                if stop.wait(options["interval"]):
                    break

    def configured(self, only: list[str]) -> list[MailboxConfig]:
        """The mailboxes in the environment, read once at start-up."""
        slugs = list(Organization.objects.values_list("slug", flat=True))
        mailboxes, problems = mailboxes_from_environment(os.environ, slugs)
        for problem in problems:
            self.stderr.write(f"ignored: {problem}")
        if only:
            mailboxes = [box for box in mailboxes if box.organization in only]
        if not mailboxes:
            raise CommandError(
                "no IMAP mailbox configured: set CHARTERDESK_IMAP_<SLUG>="
                "imaps://user:password@host/INBOX for an organization"
            )
        return mailboxes

    def poll_all(self, mailboxes: list[MailboxConfig], limit: int | None) -> int:
        failed = 0
        for config in mailboxes:
            if not connection.in_atomic_block:  # a long-lived poller drops dead connections
                close_old_connections()
            try:
                result = poll(
                    config,
                    clock=timezone.now,
                    own_addresses=our_addresses(
                        Organization.objects.select_related("charter").get(slug=config.organization)
                    ),
                    limit=limit,
                )
            except Exception as error:  # the server down, a bad password: the next one
                failed += 1
                self.stderr.write(f"{config.organization}: {config.host}: {error}")
                continue
            counts = ", ".join(f"{n} {kind}" for kind, n in sorted(result.counts.items()))
            stopped = f"; stopped: {result.stopped}" if result.stopped else ""
            self.stdout.write(f"{config.organization}: {counts or 'nothing new'}{stopped}")
            failed += bool(result.stopped)
        return failed
