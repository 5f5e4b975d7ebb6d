"""The worker: one claim-process-commit loop for everything that happens by itself.

Each pass reads the time once, then sweeps due clocks (warnings and breach actions go to
the outbox), hands work due during absences to cover, invites surveys after resolution,
tells supervisors of contact restrictions due for review, sends what the outbox holds,
runs queued tasks, and brings the report tables up to date.
SIGTERM or SIGINT lets the pass under way finish, then stops.
"""

from __future__ import annotations

import threading
import time
import traceback
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone

from charterdesk.cases.actions import cover_absences
from charterdesk.cases.planner import refresh_statistics
from charterdesk.cases.sweep import sweep
from charterdesk.conduct.services import review_due_restrictions
from charterdesk.outbox.sending import send_due
from charterdesk.outbox.task_queue import run_ready_tasks
from charterdesk.privacy.retention import apply_retention
from charterdesk.reports.refresh import refresh_reports
from charterdesk.reports.surveys import invite_surveys
from charterdesk.stopping import stopped_by_signals


class Command(BaseCommand):
    help = "Warn before promises are broken, act when they are, and send the outbox."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then stop")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between passes (default 5)"
        )
        parser.add_argument(
            "--limit", type=int, default=500, help="most clocks and outbox rows per pass"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        with stopped_by_signals(stop):
            while True:
                self.run_pass(options["limit"], fail_loudly=options["once"])
                if options["once"] or stop.wait(options["interval"]):
                    break
        if stop.is_set():
            self.stdout.write("worker stopped")

    def run_pass(self, limit: int, *, fail_loudly: bool) -> None:
        if not connection.in_atomic_block:  # a long-lived worker drops dead connections
            close_old_connections()
        started = time.monotonic()
        now = timezone.now()
        try:
            swept = sweep(now, limit)
            covered = cover_absences(now)
            invited = invite_surveys(now)
            reviews = review_due_restrictions(now, limit)
            sent = send_due(now, limit)
            tasks = run_ready_tasks(limit)
            refreshed = refresh_reports(now)
            retained = apply_retention(now)
            refresh_statistics(now)
        except Exception:
            if fail_loudly:
                raise
            self.stderr.write(f"{now:%Y-%m-%d %H:%M:%S}Z pass failed; trying again next pass")
            self.stderr.write(traceback.format_exc())
            return
        self.stdout.write(
            f"{now:%Y-%m-%d %H:%M:%S}Z {swept.warnings} warnings, {swept.breaches} breach "
            f"actions, {covered} covered, {invited} surveys; outbox {sent.sent} sent, "
            f"{sent.retried} retried, {sent.failed} failed; {tasks} tasks; "
            f"{reviews} restriction reviews; "
            f"{refreshed} report months; retention: {retained.total('raw_mail')} raw mails "
            f"dropped, {retained.total('cases_erased')} cases erased "
            f"({time.monotonic() - started:.2f} s)"
        )
