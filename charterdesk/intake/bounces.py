"""A bounce recorded on the outgoing message it answers, and on its outbox row."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from charterdesk.cases.actions import add_note
from charterdesk.cases.models import Message, Organization, OutboxMessage
from charterdesk.intake.models import Bounce
from charterdesk.intake.outcome import Outcome
from charterdesk.intake.parsing import ParsedMail
from charterdesk.intake.reports import DeliveryReport


def original_of(org: Organization, report: DeliveryReport) -> Message | None:
    """Our outgoing message the report is about, in this organization only."""
    if not report.original_ids:
        return None
    found = {
        message.message_id: message
        for message in Message.objects.filter(
            organization=org, direction=Message.Direction.OUT, message_id__in=report.original_ids
        ).select_related("case", "case__organization")
    }
    return next((found[mid] for mid in report.original_ids if mid in found), None)


def record_bounce(
    original: Message, report: DeliveryReport, mail: ParsedMail, raw: bytes, now: datetime,
    source: str,
) -> Outcome:  # fmt: skip
    Bounce.objects.create(
        organization_id=original.organization_id,
        message=original,
        action=report.action[:20],
        status=report.status[:16],
        diagnostic=report.diagnostic,
        recipient=report.recipient[:320],
        report_id=mail.message_id,
        source=source[:20],
        raw=raw,
        at=now,
    )
    summary = " ".join(part for part in (report.status, report.diagnostic) if part)
    what = _("Delivery delayed") if not report.permanent else _("Delivery failed")
    OutboxMessage.objects.filter(
        organization_id=original.organization_id, kind="mail", payload__message=original.pk
    ).update(last_error=f"{what}: {summary}"[:2000])
    add_note(
        original.case,
        text=_("%(what)s for the mail to %(to)s: %(summary)s")
        % {"what": what, "to": report.recipient or "?", "summary": summary or "?"},
        now=now,
        actor=None,
    )
    detail = f"{report.action or 'report'} {report.status} for {original.message_id}"
    return Outcome("bounce", "bounce", original.case.reference, detail)
