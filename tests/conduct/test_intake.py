"""A3, N7 end to end through the real intake: mail from a restricted contact is kept, not
acknowledged, and its clocks do not run; once contact is restored, they run again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.contrib.auth.models import User

from charterdesk.cases.clock_index import refresh_clocks
from charterdesk.cases.models import (
    Case,
    Clock,
    Contact,
    Event,
    Message,
    Organization,
    OutboxMessage,
)
from charterdesk.cases.services import acknowledge, open_case
from charterdesk.conduct.services import lift_restriction, restrict_contact
from charterdesk.intake.receive import receive

from .conftest import NOW, mail


def kinds(case: Case) -> list[str]:
    return list(Event.objects.filter(case=case).order_by("at", "pk").values_list("kind", flat=True))


def clock_states(case: Case) -> set[str]:
    """The states of the clocks that count time (started, not yet met)."""
    counting = Clock.objects.filter(case=case).exclude(
        state__in=["not_applicable", "pending", "met"]
    )
    return set(counting.values_list("state", flat=True))


def acknowledgements(case: Case) -> int:
    return Event.objects.filter(case=case, kind="acknowledged").count()


def mailed() -> Case:
    """The case the customer's first mail (``conftest.mail``) made at NOW."""
    return Case.objects.get(reference=receive(mail(), now=NOW).case_reference)


def restricted(
    case: Case, member: Callable[..., User], channels: list[str], reason: str = "Abuse"
) -> None:
    """A supervisor restricts the case's contact on ``channels``, five minutes after NOW."""
    restrict_contact(
        case, reason=reason, channels=channels, review_on=date(2026, 9, 10),
        by=member(case.organization, "supervisor"), now=NOW + timedelta(minutes=5),
    )  # fmt: skip


def test_A3_mail_from_a_restricted_contact_is_kept_unacknowledged_and_paused_until_lifted(
    leviatan: Organization, member
) -> None:
    supervisor = member(leviatan, "supervisor")
    first = receive(mail(), now=NOW, source="lmtp")
    case = Case.objects.get(reference=first.case_reference)
    assert acknowledgements(case) == 1
    assert clock_states(case) == {"running"}

    restriction = restrict_contact(
        case,
        reason="Threatening mail to the sales team",
        channels=["email"],
        review_on=date(2026, 9, 10),
        by=supervisor,
        now=NOW + timedelta(hours=1),
    )
    assert kinds(case)[-1] == "contact_restricted"
    assert clock_states(case) == {"paused"}

    later = NOW + timedelta(hours=2)
    raw = mail(
        message_id="<m2@example.ro>",
        subject="Another thing",
        date="Tue, 10 Mar 2026 13:55:00 +0000",
        body="You will regret this.",
    )
    outcome = receive(raw, now=later, source="lmtp")
    assert (outcome.kind, outcome.code) == ("case", "opened")  # kept: a case, as usual
    new = Case.objects.get(reference=outcome.case_reference)
    stored = Message.objects.get(case=new, direction="in")
    assert bytes(stored.raw or b"") == raw
    assert "regret" in stored.body
    assert kinds(new) == ["received", "contact_restricted"]  # paused from its arrival
    assert acknowledgements(new) == 0
    assert not OutboxMessage.objects.filter(case=new).exists()  # nothing goes to them
    assert not Message.objects.filter(case=new, direction="out").exists()
    assert clock_states(new) == {"paused"}
    assert Case.objects.get(pk=new.pk).next_due_at is None
    assert acknowledge(new, now=later) is None  # nor by hand, while restricted

    restored = NOW + timedelta(days=1)
    lift_restriction(restriction, by=supervisor, now=restored, reason="Apologised by phone")
    for paused in (case, new):
        assert kinds(paused)[-1] == "contact_restored"
        assert clock_states(paused) == {"running"}
        fresh = Clock.objects.filter(case=paused, state="running").order_by("due_at").first()
        assert fresh is not None
        assert fresh.due_at is not None
        assert fresh.due_at > restored


def test_N7_a_reply_from_a_restricted_contact_is_kept_and_its_case_stays_paused(
    leviatan: Organization, member
) -> None:
    case = mailed()
    restricted(case, member, ["email"])
    reply = mail(
        message_id="<m3@example.ro>",
        subject=f"Re: [{case.reference}] Question",
        date="Tue, 10 Mar 2026 12:30:00 +0000",
        body="More abuse.",
    )
    outcome = receive(reply, now=NOW + timedelta(hours=1))
    assert (outcome.code, outcome.case_reference) == ("threaded", case.reference)
    assert Message.objects.filter(case=case, direction="in").count() == 2
    assert clock_states(case) == {"paused"}


def test_A3_a_restriction_on_other_channels_leaves_mail_acknowledged(
    leviatan: Organization, member
) -> None:
    case = mailed()
    restricted(case, member, ["phone", "voicemail"], reason="Abusive calls")
    assert clock_states(case) == {"running"}  # a mail case: out of the restriction's scope
    raw = mail(message_id="<m4@example.ro>", subject="By mail", date="Tue, 10 Mar 2026 12:50 +0000")
    new = Case.objects.get(reference=receive(raw, now=NOW + timedelta(hours=1)).case_reference)
    assert acknowledgements(new) == 1
    assert clock_states(new) == {"running"}


def test_A3_the_same_person_under_another_contact_row_is_still_restricted(
    leviatan: Organization, member
) -> None:
    # the web form or a channel may have made a second Contact row for the same address
    case = mailed()
    restricted(case, member, ["web_form"])
    twin = Contact.objects.create(organization=leviatan, email="ION@example.ro", name="I. P.")
    at = NOW + timedelta(hours=1)
    web = open_case(
        leviatan, case_type="complaint", channel="web_form", received_at=at, now=at, contact=twin
    )
    assert kinds(web) == ["received", "contact_restricted"]
    assert acknowledgements(web) == 0
    refresh_clocks(web, at + timedelta(minutes=1))
    assert clock_states(web) == {"paused"}


def test_N7_a_case_opened_paused_is_paused_at_the_instant_it_opens(
    leviatan: Organization, member
) -> None:
    case = mailed()
    restricted(case, member, ["web_form"])
    at = NOW + timedelta(hours=1)
    web = open_case(
        leviatan, case_type="complaint", channel="web_form", received_at=at, now=at,
        contact=case.contact,
    )  # fmt: skip
    assert clock_states(web) == {"paused"}


def test_N7_a_reply_to_a_closed_case_from_a_restricted_contact_runs_no_clock(
    leviatan: Organization, member
) -> None:
    case = mailed()
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    later = Case.objects.get(reference=receive(mail(message_id="<m4@example.ro>",
        subject="Another question"), now=NOW + timedelta(minutes=1)).case_reference)  # fmt: skip
    restricted(later, member, ["email"])
    reply = mail(
        message_id="<m5@example.ro>",
        subject=f"Re: [{case.reference}] Question",
        date="Tue, 10 Mar 2026 12:30:00 +0000",
        body="More abuse.",
    )
    outcome = receive(reply, now=NOW + timedelta(hours=1))
    assert outcome.case_reference == case.reference
    refresh_clocks(case, NOW + timedelta(hours=2))
    assert clock_states(case) <= {"paused"}
    assert OutboxMessage.objects.filter(case=case).count() == 1  # its first acknowledgement
