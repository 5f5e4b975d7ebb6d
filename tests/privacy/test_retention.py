"""Retention from the charter, applied by the worker: raw mail older than ``raw_mail``
dropped (its text kept), finished cases older than ``closed_cases`` erased (statistics
kept), held data skipped, an audit record per run, and a second run changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.utils import timezone

from charterdesk.cases.management.commands.run_worker import Command
from charterdesk.cases.models import AuditEntry, Case, Event, Message
from charterdesk.intake.models import RejectedMail
from charterdesk.privacy.erasure import ERASED
from charterdesk.privacy.holds import place_hold
from charterdesk.privacy.models import ErasedCase, RetentionRun
from charterdesk.privacy.periods import cutoff
from charterdesk.privacy.retention import apply_retention
from tests.helpers import utc

from .conftest import NOW, tell_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(ask4, member):
    """ASK4 keeps closed cases 6 years and raw mail 1 year."""
    agent = member(ask4, "agent")
    return {
        "ancient": tell_story(
            ask4, agent, name="An", email="an@example.com", secret="Amber", at=utc(2019, 3, 4, 10)
        ),
        "ancient_open": tell_story(
            ask4,
            agent,
            name="Op",
            email="op@example.com",
            secret="Opal",
            at=utc(2019, 3, 5, 10),
            resolve=False,
        ),
        "held": tell_story(
            ask4,
            agent,
            name="He",
            email="he@example.com",
            secret="Hematite",
            at=utc(2019, 3, 6, 10),
        ),
        "last_year": tell_story(
            ask4, agent, name="La", email="la@example.com", secret="Lapis", at=utc(2025, 5, 5, 10)
        ),
        "recent": tell_story(
            ask4, agent, name="Re", email="re@example.com", secret="Ruby", at=utc(2026, 8, 3, 10)
        ),
    }


def test_periods_count_back_by_the_calendar() -> None:
    assert cutoff(utc(2026, 9, 9, 15), "6 years") == utc(2020, 9, 9, 15)
    assert cutoff(utc(2028, 2, 29, 12), "1 year") == utc(2027, 2, 28, 12)
    assert cutoff(utc(2026, 3, 31), "1 month") == utc(2026, 2, 28)
    assert cutoff(utc(2026, 9, 9), "30 days") == utc(2026, 8, 10)


def test_L10_T11_retention_drops_old_mail_erases_old_cases_and_respects_holds(
    ask4, member, history
) -> None:
    supervisor = member(ask4, "supervisor")
    place_hold(case=history["held"].case, reason="litigation", actor=supervisor, now=NOW)
    RejectedMail.objects.create(
        organization=ask4, code="too-large", raw=b"x", size=1, at=utc(2025, 1, 1)
    )
    result = apply_retention(NOW)
    counts = result.by_organization["ask4"]

    ancient = Case.objects.get(pk=history["ancient"].case.pk)
    assert ErasedCase.objects.filter(case=ancient).exists()
    assert ancient.subject == ""
    assert ancient.contact.email == ""
    assert set(Message.objects.filter(case=ancient).values_list("body", flat=True)) == {ERASED}
    assert Event.objects.filter(case=ancient, kind="resolved").exists()  # statistics stay
    # a case still open is not finished, however old
    assert not ErasedCase.objects.filter(case=history["ancient_open"].case).exists()
    # held: neither erased nor its mail dropped
    held = history["held"].case
    assert not ErasedCase.objects.filter(case=held).exists()
    assert Message.objects.filter(case=held, raw__isnull=False).count() == 2
    # more than a year old: raw mail dropped, the text kept
    last_year = history["last_year"].case
    assert not Message.objects.filter(case=last_year, raw__isnull=False).exists()
    assert Message.objects.filter(case=last_year, body="My Lapis problem").exists()
    assert not ErasedCase.objects.filter(case=last_year).exists()
    # recent: untouched
    assert Message.objects.filter(case=history["recent"].case, raw__isnull=False).count() == 2
    assert not RejectedMail.objects.exists()

    assert counts.cases_erased == 1
    assert counts.raw_mail == 3 * 2  # the ancient cases' and last year's (held kept)
    assert counts.held == 1
    assert counts.rejected_mail == 1
    audit = AuditEntry.objects.get(action="privacy:retention")
    assert audit.at == NOW
    assert audit.actor is None
    assert (audit.data["cases_erased"], audit.data["held"], audit.data["raw_mail"]) == (1, 1, 6)
    assert (audit.data["keep_closed_cases"], audit.data["keep_raw_mail"]) == ("6 years", "1 year")

    # idempotent: run again (forced: the worker runs it at most hourly)
    again = apply_retention(NOW, force=True).by_organization["ask4"]
    assert (again.cases_erased, again.raw_mail, again.rejected_mail) == (0, 0, 0)
    assert ErasedCase.objects.count() == 1
    assert AuditEntry.objects.filter(action="privacy:retention").count() == 2


def test_retention_runs_at_most_hourly_unless_forced(ask4) -> None:
    assert apply_retention(NOW).ran
    assert not apply_retention(NOW.replace(minute=30)).ran
    assert apply_retention(NOW.replace(hour=16, minute=1)).ran
    assert RetentionRun.objects.count() == 2


def test_the_worker_applies_retention_each_pass(ask4, history, monkeypatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    command = Command(stdout=StringIO(), stderr=StringIO())
    command.run_pass(100, fail_loudly=True)
    assert RetentionRun.objects.filter(at=NOW).exists()
    assert ErasedCase.objects.filter(case=history["ancient"].case).exists()
    assert "2 cases erased" in command.stdout.getvalue()  # no hold here
