"""A4, T23: satisfaction surveys after resolution, once per case, and the answers
checked against the charter's survey and counted per period, case type and channel."""

from __future__ import annotations

from datetime import timedelta

import pytest

from charterdesk.cases.models import Contact, Event, Organization, OutboxMessage
from charterdesk.cases.services import CaseError, open_case, record_event
from charterdesk.reports.figures import Slice, satisfaction
from charterdesk.reports.periods import parse_period
from charterdesk.reports.rebuild import rebuild_reports
from charterdesk.reports.surveys import invite_surveys, record_rating
from tests.helpers import utc

pytestmark = pytest.mark.django_db

RESOLVED = utc(2026, 3, 10, 14)


def resolved_case(org: Organization, clock, *, email: str = "jan@example.com", **kw):
    at = RESOLVED - timedelta(days=2)
    clock.now = at
    contact = Contact.objects.create(organization=org, name="Jan", email=email, language="pl")
    case = open_case(
        org, case_type=kw.get("case_type", "enquiry"), channel=kw.get("channel", "web_form"),
        received_at=at, now=at, contact=contact, language="pl",
    )  # fmt: skip
    clock.now = RESOLVED
    record_event(case, "resolved", at=RESOLVED, now=RESOLVED, data={"result": "done"})
    return case


def invitations(case) -> list[dict]:
    rows = OutboxMessage.objects.filter(case=case, kind="mail").order_by("pk")
    return [row.payload for row in rows if "Jak oceniasz" in row.payload["body"]]


def test_A4_one_invitation_a_day_after_resolution_in_the_customers_language(
    ask4, desk_clock
) -> None:
    case = resolved_case(ask4, desk_clock)
    assert invite_surveys(RESOLVED + timedelta(hours=12)) == 0  # survey.delay: 1 day
    assert not invitations(case)
    assert invite_surveys(RESOLVED + timedelta(hours=25)) == 1
    (mail,) = invitations(case)
    assert mail["to"] == ["jan@example.com"]
    assert mail["automatic"] is True
    assert "Czy nasze wyjaśnienia były zrozumiałe?" in mail["body"]
    assert case.reference in mail["body"]
    assert Event.objects.filter(case=case, kind="survey_sent").count() == 1
    assert invite_surveys(RESOLVED + timedelta(days=3)) == 0  # once per case
    record_event(
        case, "reopened", at=RESOLVED + timedelta(days=4), now=RESOLVED + timedelta(days=4)
    )
    again = RESOLVED + timedelta(days=5)
    record_event(case, "resolved", at=again, now=again, data={"result": "done again"})
    assert invite_surveys(again + timedelta(days=2)) == 0
    assert len(invitations(case)) == 1


def test_no_invitation_without_an_address_or_for_a_reopened_case(ask4, desk_clock) -> None:
    silent = resolved_case(ask4, desk_clock, email="")
    reopened = resolved_case(ask4, desk_clock)
    record_event(
        reopened, "reopened", at=RESOLVED + timedelta(hours=3), now=RESOLVED + timedelta(hours=3)
    )
    assert invite_surveys(RESOLVED + timedelta(days=2)) == 0
    assert not Event.objects.filter(case__in=[silent, reopened], kind="survey_sent").exists()


def test_A3_no_invitation_while_the_contact_is_restricted(ask4, desk_clock) -> None:
    case = resolved_case(ask4, desk_clock)
    at = RESOLVED + timedelta(hours=2)
    data = {"reason": "threats", "review_on": "2026-09-10"}
    record_event(case, "contact_restricted", at=at, now=at, data=data)
    assert invite_surveys(RESOLVED + timedelta(hours=25)) == 0
    assert not invitations(case)


def test_an_old_history_is_not_surveyed_when_the_worker_first_starts(ask4, desk_clock) -> None:
    resolved_case(ask4, desk_clock)
    assert invite_surveys(RESOLVED + timedelta(days=90)) == 0


def test_A4_ratings_are_checked_against_the_charters_survey(ask4, desk_clock) -> None:
    case = resolved_case(ask4, desk_clock)
    at = RESOLVED + timedelta(days=2)
    for score, answers, code in [
        (0, {}, "bad-score"),
        (6, {}, "bad-score"),  # ASK4's scale is 1-5
        (True, {}, "bad-score"),
        ("5", {}, "bad-score"),
        (4, {"speed": 3}, "unknown-question"),
        (4, {"clear": 9}, "bad-score"),
    ]:
        with pytest.raises(CaseError) as refused:
            record_rating(case, score=score, answers=answers, now=at)
        assert refused.value.code == code
    record_rating(case, score=4, answers={"satisfied": 5, "clear": 3}, now=at)
    with pytest.raises(CaseError, match="already") as twice:
        record_rating(case, score=5, answers={}, now=at)
    assert twice.value.code == "already-rated"
    unresolved = open_case(ask4, case_type="enquiry", channel="email", received_at=at, now=at)
    with pytest.raises(CaseError) as early:
        record_rating(unresolved, score=5, answers={}, now=at)
    assert early.value.code == "not-resolved"


def test_T23_scores_per_period_case_type_and_channel(ask4, desk_clock) -> None:
    email = resolved_case(ask4, desk_clock, channel="email")
    form = resolved_case(ask4, desk_clock, case_type="complaint", channel="web_form")
    invite_surveys(RESOLVED + timedelta(days=2))
    at = RESOLVED + timedelta(days=3)
    record_rating(email, score=5, answers={"satisfied": 5}, now=at)
    record_rating(form, score=2, answers={"satisfied": 1, "clear": 3}, now=at)
    rebuild_reports(at)
    found = satisfaction(ask4, parse_period("2026-03"))
    assert found.invited == 2
    assert found.overall.responses == 2
    assert found.overall.average == 3.5
    assert found.distribution == {5: 1, 2: 1}
    assert found.by_channel["email"].average == 5
    assert found.by_case_type["complaint"].average == 2
    assert found.questions["satisfied"].average == 3
    assert found.questions["clear"].responses == 1
    assert satisfaction(ask4, parse_period("2026-03"), Slice(channel="email")).invited == 1
    assert satisfaction(ask4, parse_period("2026-04")).overall.responses == 0
