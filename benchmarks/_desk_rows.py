"""The rows one story leaves in the database, built as the services build them.

Each method mirrors one service (``open_case``, ``acknowledge``, ``record_event``) or
action (``reply``, ``resolve``, ...) of ``charterdesk.cases``: the same events, audit
entries, messages and outbox mail, with the same texts (from the services' own
``compose``), and the clock rows as the story's last action left them (the services
refresh a case's clocks at each action's ``now``, so the rows are the evaluation at the
last one). ``tests/cases/test_desk_history.py`` holds this to the services' rows.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import make_msgid
from typing import TYPE_CHECKING, Any

from _desk_stories import Step, Story
from _desk_tables import Table
from django.conf import settings
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from charterdesk.cases.actions import DEFAULT_DELAY_NOTICE, DEFAULT_HAND_OFF, DEFAULT_RESOLUTION
from charterdesk.cases.charters import parsed
from charterdesk.cases.clock_index import DUE, STATE, columns, evaluated, kept, next_due
from charterdesk.cases.customer_mail import compose, mail_domain
from charterdesk.cases.models import (
    AuditEntry,
    Case,
    Clock,
    Contact,
    Event,
    Message,
    Organization,
    OutboxMessage,
)
from charterdesk.cases.services import DEFAULT_ACKNOWLEDGEMENT, STATUS_AFTER, TRACKING_LINE
from charterdesk.core.clocks import ClockState
from charterdesk.core.events import Event as CoreEvent
from charterdesk.portal.links import new_token, token_hash, tracking_url
from charterdesk.portal.models import CaseAccess

if TYPE_CHECKING:
    from desk_history import Desk

#: What an acknowledgement promises when no clock is running (as ``acknowledge`` says).
ACKNOWLEDGED_WITHOUT_DATE = _("as soon as we can")
IN, OUT = Message.Direction.IN.value, Message.Direction.OUT.value


class Tables:
    """The tables a story writes to, in the order they are written."""

    def __init__(self) -> None:
        self.contact = Table(Contact)
        self.case = Table(Case)
        self.message = Table(Message)
        self.event = Table(Event)
        self.audit = Table(AuditEntry)
        self.outbox = Table(OutboxMessage)
        self.clock = Table(Clock)
        self.access = Table(CaseAccess)
        self.all = (
            self.contact, self.case, self.message, self.event, self.audit, self.outbox,
            self.clock, self.access,
        )  # fmt: skip


def customer_message_id(story: Story, index: int) -> str:
    """The Message-ID of the customer's mail that is the case's message number ``index``."""
    return f"<story-{story.number}-{index}@customer.example>"


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {key: v.isoformat() if hasattr(v, "isoformat") else v for key, v in data.items()}


def _name(user: User) -> str:
    return user.get_full_name() or user.username


class CaseRows:
    """One story's rows, as the services would write them."""

    def __init__(
        self, story: Story, org: Organization, reference: str, desk: Desk, tables: Tables
    ) -> None:
        self.story, self.desk, self.tables, self.org = story, desk, tables, org
        self.charter = parsed(org.charter).charter  # type: ignore[arg-type]
        name, self.email, phone = story.contact
        self.contact_name = name
        self.case = Case(
            id=tables.case.reserve(),
            organization=org,
            reference=reference,
            charter=org.charter,
            case_type=story.case_type,
            channel=story.channel,
            subject=story.subject[:300],
            fields=dict(story.fields),
            language=story.language,
            priority=self.charter.case_types[story.case_type].priority,
            received_at=story.received_at,
        )
        self.contact_id = tables.contact.add(
            organization_id=org.pk, name=name, email=self.email, phone=phone,
            language=story.language,
        )  # fmt: skip
        self.history: list[CoreEvent] = []  # what clocks are evaluated over
        self.sent: list[tuple[str, str, datetime]] = []  # direction, Message-ID, at

    def play(self) -> None:
        story, case = self.story, self.case
        self._event("received", story.received_at, story.entered_at, {}, None, audit=False)
        opened = {"channel": case.channel, "case_type": case.case_type}
        self._audit(None, "case_opened", opened, story.entered_at)
        last = story.entered_at
        if self.charter.channels[case.channel].auto_acknowledge:
            self._acknowledge(story.entered_at, None, opening=True)
        for step in story.steps:
            done = getattr(self, f"_do_{step.action}")(step, self.desk.user(story.org, step.actor))
            if done is not False:  # an action with nothing to do refreshes no clock
                last = step.at
        self._clocks(last)

    def _clocks(self, now: datetime) -> None:
        case = self.case
        rows = evaluated(case, self.history, now)
        for commitment, row in rows.items():
            if not kept(row):
                continue
            self.tables.clock.add(
                organization_id=self.org.pk, case_id=case.pk, commitment=commitment, **columns(row)
            )
        due = next_due(rows.values())
        self.tables.case.add(
            id=case.pk,
            organization_id=self.org.pk,
            reference=case.reference,
            charter_id=case.charter_id,
            case_type=case.case_type,
            channel=case.channel,
            language=case.language,
            status=case.status,
            priority=case.priority,
            subject=case.subject,
            fields=case.fields,
            contact_id=self.contact_id,
            assignee_id=case.assignee_id,
            received_at=case.received_at,
            next_due_at=due,
        )

    # --- what the services write ------------------------------------------------------
    def _event(
        self,
        kind: str,
        at: datetime,
        now: datetime,
        data: dict[str, Any],
        actor: User | None,
        *,
        audit: bool = True,
    ) -> None:
        stored = _jsonable(data)
        event = self.tables.event.add(
            organization_id=self.org.pk, case_id=self.case.pk, kind=kind, at=at, data=stored,
            actor_id=actor.pk if actor else None,
        )  # fmt: skip
        self.history.append(CoreEvent(kind=kind, at=at, data=stored))
        if kind in STATUS_AFTER:
            self.case.status = STATUS_AFTER[kind]
        if audit:
            self._audit(actor, f"event:{kind}", {"event": event}, now)

    def _audit(self, actor: User | None, action: str, data: dict[str, Any], now: datetime) -> None:
        self.tables.audit.add(
            organization_id=self.org.pk, actor_id=actor.pk if actor else None, action=action,
            target=f"case:{self.case.reference}", data=data, at=now,
        )  # fmt: skip

    def _acknowledge(self, now: datetime, actor: User | None, *, opening: bool = False) -> bool:
        if not self.email or any(e.kind == "acknowledged" for e in self.history):
            return False
        if opening:  # open_case records it itself, before the new case's first evaluation
            self._event("acknowledged", now, now, {}, None, audit=False)
            self._audit(None, "event:acknowledged", {}, now)
        else:
            self._event("acknowledged", now, now, {}, actor)
        running = [
            (row[DUE], place, commitment)
            for place, (commitment, row) in enumerate(
                evaluated(self.case, self.history, now).items()
            )
            if row[STATE] == ClockState.RUNNING.value and row[DUE] is not None
        ]
        values: dict[str, object] = {"due": ACKNOWLEDGED_WITHOUT_DATE}
        if running:
            due, _, commitment_id = min(running)
            within = self.charter.commitment(commitment_id).within
            values = {"due": due, "processing_time": within if isinstance(within, str) else ""}
        body = compose(self.case, "acknowledgement", DEFAULT_ACKNOWLEDGEMENT, values)
        url = self._tracking_url(now)
        if url:
            body += "\n\n" + compose(self.case, "tracking_link", TRACKING_LINE, {"url": url})
        secret = url.rstrip("/").rsplit("/", 1)[-1] if url else ""
        self._tell(body, now, "", automatic=actor is None, conceal=secret)
        return True

    def _tracking_url(self, now: datetime) -> str:
        """The customer's portal link, as ``new_tracking_url`` grants it (the setting
        names the function; this mirrors the default, and none)."""
        chosen = settings.CHARTERDESK_TRACKING_LINKS
        if not chosen:
            return ""
        if chosen != "charterdesk.portal.links.new_tracking_url":
            raise NotImplementedError(f"the bulk history does not know {chosen}")
        token = new_token()
        self.tables.access.add(
            organization_id=self.org.pk, case_id=self.case.pk, token_hash=token_hash(token),
            created_at=now,
        )  # fmt: skip
        return tracking_url(token)

    def _tell(
        self, body: str, now: datetime, author: str, *, automatic: bool = False, conceal: str = ""
    ) -> int:
        """``tell_customer``: the kept copy hides ``conceal`` (a link's secret), the mail
        carries it."""
        case = self.case
        message_id = make_msgid(domain=_domain(case))
        message = self.tables.message.add(
            organization_id=self.org.pk, case_id=case.pk, direction=OUT, channel=case.channel,
            author=author, body=body.replace(conceal, "…") if conceal else body,
            message_id=message_id, at=now,
        )  # fmt: skip
        if self.email:
            earlier = [(d, mid) for d, mid, at in sorted(self.sent, key=_at) if at <= now and mid]
            last_in = [mid for direction, mid in earlier if direction == IN]
            payload = {
                "to": [self.email],
                "subject": f"[{case.reference}] {case.subject}".strip(),
                "body": body,
                "language": case.language,
                "message": message,
                "message_id": message_id,
                "in_reply_to": last_in[-1] if last_in else None,
                "references": [mid for _, mid in earlier][-20:],
                "case": case.reference,
                "automatic": automatic,
            }
            self.tables.outbox.add(
                organization_id=self.org.pk, case_id=case.pk, kind="mail",
                key=f"mail:{message}", payload=payload, next_attempt_at=now,
            )  # fmt: skip
        self.sent.append((OUT, message_id, now))
        return message

    # --- the story's steps, one per action ----------------------------------------------
    def _do_acknowledge(self, step: Step, actor: User | None) -> bool:
        """The acknowledgement if the customer has an address, else the event alone."""
        if self.email:
            return self._acknowledge(step.at, actor)
        self._event("acknowledged", step.at, step.at, {}, actor)
        return True

    def _do_assign(self, step: Step, actor: User | None) -> bool:
        to = self.desk.user(self.story.org, step.args["to"])
        assert to is not None
        if self.case.assignee_id == to.pk:
            return False
        self.case.assignee_id = to.pk
        self._event("assigned", step.at, step.at, {"owner": _name(to), "owner_id": to.pk}, actor)
        return True

    def _do_reply(self, step: Step, actor: User | None) -> None:
        message = self._tell(step.args["body"], step.at, _name(actor) if actor else "")
        self._event(step.args["kind"], step.at, step.at, {"message": message}, actor)

    def _do_request_information(self, step: Step, actor: User | None) -> None:
        question = step.args["question"]
        self._event("info_requested", step.at, step.at, {"question": question}, actor)
        self._tell(question, step.at, _name(actor) if actor else "")

    def _do_customer_reply(self, step: Step, actor: User | None) -> None:
        message_id = customer_message_id(self.story, len(self.sent))
        message = self.tables.message.add(
            organization_id=self.org.pk, case_id=self.case.pk, direction=IN,
            channel=self.case.channel, author=self.contact_name, body=step.args["body"],
            message_id=message_id, at=step.at,
        )  # fmt: skip
        self.sent.append((IN, message_id, step.at))
        self._event("customer_replied", step.at, step.at, {"message": message}, None)

    def _do_information_complete(self, step: Step, actor: User | None) -> None:
        self._event("info_complete", step.at, step.at, {}, actor)

    def _do_delay_notice(self, step: Step, actor: User | None) -> None:
        values = {"reason": step.args["reason"], "new_date": step.args["new_date"]}
        self._event("delay_notice_sent", step.at, step.at, dict(values), actor)
        body = compose(self.case, "delay_notice", DEFAULT_DELAY_NOTICE, values)
        self._tell(body, step.at, _name(actor) if actor else "")

    def _do_hand_off(self, step: Step, actor: User | None) -> None:
        owner = self.desk.user(self.story.org, step.args["to"])
        assert owner is not None
        self.case.assignee_id = owner.pk
        new_date = step.args["new_date"]
        data = {"owner": _name(owner), "owner_id": owner.pk, "new_date": new_date}
        self._event("handed_off", step.at, step.at, data, actor)
        values = {"owner": _name(owner), "new_date": new_date}
        body = compose(self.case, "hand_off", DEFAULT_HAND_OFF, values)
        self._tell(body, step.at, _name(actor) if actor else "")

    def _do_resolve(self, step: Step, actor: User | None) -> None:
        steps = [s.strip() for s in step.args["steps"] if s.strip()]
        kind = "resolved_at_first_contact" if step.args["first_contact"] else "resolved"
        result = step.args["result"].strip()
        self._event(kind, step.at, step.at, {"result": result, "steps": steps}, actor)
        values = {"result": result, "steps": steps}
        body = compose(self.case, "resolution", DEFAULT_RESOLUTION, values)
        self._tell(body, step.at, _name(actor) if actor else "")

    def _do_note(self, step: Step, actor: User | None) -> None:
        self._event("noted", step.at, step.at, {"text": step.args["text"]}, actor)

    def _do_event(self, step: Step, actor: User | None) -> None:
        self._event(step.args["kind"], step.at, step.at, dict(step.args["data"]), actor)


def _at(sent: tuple[str, str, datetime]) -> datetime:
    return sent[2]


_DOMAINS: dict[int, str] = {}


def _domain(case: Case) -> str:
    """The organization's mail domain for Message-IDs (``mail_domain``), found once."""
    found = _DOMAINS.get(case.charter_id)
    if found is None:
        found = _DOMAINS[case.charter_id] = mail_domain(case)
    return found
