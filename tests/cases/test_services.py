"""The desk's write path: cases open under the charter in force, events drive clocks."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.http import Http404

from charterdesk.cases import selectors
from charterdesk.cases.charters import NotAllowed, approve_charter, propose_charter
from charterdesk.cases.models import AuditEntry, Case, CharterVersion, Clock, Event
from charterdesk.cases.services import CaseError, open_case, record_event
from charterdesk.core.problems import CharterError
from tests.helpers import utc

from .conftest import CHARTERS, arrived, happened

pytestmark = pytest.mark.django_db


def ask4_text() -> str:
    return (CHARTERS / "ask4.yaml").read_text(encoding="utf-8")


def clocks(case: Case) -> dict[str, tuple[str, object]]:
    return {c.commitment: (c.state, c.due_at) for c in Clock.objects.filter(case=case)}


def test_A8_A9_A10_chain_runs_through_stored_events(ask4) -> None:
    # a letter arrived Fri 28 Aug 2026 18:40 BST, entered Tue 1 Sep; Mon 31 Aug is a bank holiday
    received = utc(2026, 8, 28, 17, 40)
    case = open_case(
        ask4,
        case_type="complaint",
        channel="letter",
        received_at=received,
        now=utc(2026, 9, 1, 8),
        fields={"summary": "Outage"},
    )
    assert case.reference == "ASK-2026-000001"
    assert case.priority == 10  # complaints first
    state = clocks(case)
    assert state["complaint-receipt"] == ("breached", utc(2026, 8, 29, 17, 40))  # 24 hours
    assert state["complaint-progress-update"] == ("pending", None)
    happened(case, "acknowledged", utc(2026, 9, 1, 9))
    # day 0 Tue 1 Sep: Wed, Thu, Fri 4 Sep at 17:30 BST
    assert clocks(case)["complaint-progress-update"] == ("running", utc(2026, 9, 4, 16, 30))
    happened(case, "update_sent", utc(2026, 9, 3, 10))
    state = clocks(case)
    assert state["complaint-progress-update"][0] == "met"
    assert state["complaint-formal-response"] == ("running", utc(2026, 9, 14, 16, 30))
    case.refresh_from_db()
    assert case.next_due_at == utc(2026, 9, 14, 16, 30)


def test_A7_complaint_by_phone_is_refused_with_a_clear_error(ask4) -> None:
    with pytest.raises(CaseError) as refused:
        arrived(ask4, "complaint", "phone", utc(2026, 9, 1, 9))
    assert refused.value.code == "channel-refuses"
    assert Case.objects.count() == 0  # nothing half-written


def test_events_carry_their_required_data(leviatan) -> None:
    case = arrived(leviatan, "enquiry", "email", utc(2026, 11, 23, 9))
    with pytest.raises(CaseError, match="delay_notice_sent needs new_date"):
        record_event(
            case,
            "delay_notice_sent",
            at=utc(2026, 11, 24, 9),
            now=utc(2026, 11, 24, 9),
            data={"reason": "supplier"},
        )
    with pytest.raises(CaseError, match="as a date"):
        record_event(
            case,
            "delay_notice_sent",
            at=utc(2026, 11, 24, 9),
            now=utc(2026, 11, 24, 9),
            data={"reason": "supplier", "new_date": "soon"},
        )
    with pytest.raises(CaseError) as unknown:
        happened(case, "teleported", utc(2026, 11, 24, 9))
    assert unknown.value.code == "unknown-event"
    record_event(
        case,
        "delay_notice_sent",
        at=utc(2026, 11, 24, 9),
        now=utc(2026, 11, 24, 9),
        data={"reason": "supplier", "new_date": date(2026, 12, 4)},
    )
    state = clocks(case)
    assert state["delay-explained"][0] == "met"  # L4
    assert state["new-date-kept"] == ("running", utc(2026, 12, 4, 22))  # end of 4 Dec, Bucharest
    assert Event.objects.filter(case=case).count() == 2


def test_events_are_append_only(leviatan) -> None:
    case = arrived(leviatan, "enquiry", "email", utc(2026, 11, 23, 9))
    event = Event.objects.get(case=case)
    event.kind = "resolved"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_status_follows_events_and_every_action_is_audited(leviatan) -> None:
    case = arrived(leviatan, "enquiry", "email", utc(2026, 11, 23, 9))
    happened(case, "info_requested", utc(2026, 11, 23, 10))
    assert Case.objects.get(pk=case.pk).status == "awaiting_customer"
    happened(case, "customer_replied", utc(2026, 11, 24, 10))
    assert Case.objects.get(pk=case.pk).status == "open"
    actions = list(
        AuditEntry.objects.filter(target=f"case:{case.reference}").values_list("action", flat=True)
    )
    assert actions == ["case_opened", "event:info_requested", "event:customer_replied"]


def test_references_count_per_organization_and_year(ask4, leviatan) -> None:
    kw = {"case_type": "enquiry", "channel": "email", "now": utc(2027, 1, 2)}
    refs = [
        open_case(ask4, received_at=utc(2026, 12, 31, 12), **kw).reference,
        open_case(ask4, received_at=utc(2026, 12, 31, 13), **kw).reference,
        open_case(ask4, received_at=utc(2027, 1, 1, 12), **kw).reference,
        open_case(leviatan, received_at=utc(2027, 1, 1, 12), **kw).reference,
    ]
    assert refs == ["ASK-2026-000001", "ASK-2026-000002", "ASK-2027-000001", "LEV-2027-000001"]


def test_N10_only_an_owner_approves_a_new_charter_version(ask4, member) -> None:
    text = (
        (CHARTERS / "ask4.yaml")
        .read_text(encoding="utf-8")
        .replace('version: "2026.1"', 'version: "2026.2"')
    )
    proposal = propose_charter(text, "ask4.yaml", by=member(ask4, "agent"))
    assert (proposal.number, proposal.status) == (2, "proposed")
    with pytest.raises(NotAllowed):
        approve_charter(proposal, by=member(ask4, "supervisor"))
    old = ask4.charter_id
    approve_charter(proposal, by=member(ask4, "owner"))
    ask4.refresh_from_db()
    assert ask4.charter_id == proposal.pk
    assert CharterVersion.objects.get(pk=old).status == "retired"


def test_a_case_keeps_the_charter_version_it_was_opened_under(ask4, member) -> None:
    case = arrived(ask4, "complaint", "letter", utc(2026, 11, 23, 9))
    text = (
        (CHARTERS / "ask4.yaml")
        .read_text(encoding="utf-8")
        .replace('version: "2026.1"', 'version: "2026.2"')
    )
    approve_charter(propose_charter(text, "ask4.yaml"), by=member(ask4, "owner"))
    case.refresh_from_db()
    assert case.charter.number == 1


def test_a_bad_charter_is_rejected_whole_with_its_places(db) -> None:
    text = (
        (CHARTERS / "ask4.yaml")
        .read_text(encoding="utf-8")
        .replace("met_by: [update_sent]", "met_by: [update_sen]")
    )
    with pytest.raises(CharterError, match=r"ask4\.yaml:\d+:14 error \[unknown-event\]"):
        propose_charter(text, "ask4.yaml")
    assert CharterVersion.objects.count() == 0


def test_rebuild_clocks_reports_what_a_new_holiday_moves(ask4, capsys) -> None:
    case = arrived(ask4, "complaint", "web_form", utc(2026, 11, 23, 9))
    happened(case, "acknowledged", utc(2026, 11, 23, 10))
    assert clocks(case)["complaint-progress-update"][1] == utc(2026, 11, 26, 17, 30)
    # the organization closes on Wed 25 Nov: a new charter version with that closure
    text = (
        (CHARTERS / "ask4.yaml")
        .read_text(encoding="utf-8")
        .replace(
            '      fri: ["09:00-17:30"]\n',
            '      fri: ["09:00-17:30"]\n    closed: [2026-11-25]\n',
            1,
        )
    )
    version = propose_charter(text, "ask4.yaml")
    approve_charter(version, by=None)
    Case.objects.filter(pk=case.pk).update(charter=version)  # as a charter migration would
    Clock.objects.filter(case=case).update(due_at=None)  # an index gone stale
    call_command("rebuild_clocks", "--org", "ask4")
    out = capsys.readouterr().out
    assert "ASK-2026-000001 complaint-progress-update: running -> running 2026-11-27 17:30Z" in out
    assert clocks(case)["complaint-progress-update"][1] == utc(2026, 11, 27, 17, 30)


def test_load_charters_installs_the_five_seeds(db) -> None:
    call_command("load_charters")
    call_command("load_charters")  # again: nothing new
    assert CharterVersion.objects.count() == 5
    assert sorted(CharterVersion.objects.values_list("organization__slug", flat=True)) == [
        "anlp",
        "ask4",
        "eurolux",
        "leviatan",
        "lt-pro",
    ]


def test_one_organization_never_sees_anothers_cases(ask4, leviatan, member) -> None:
    theirs = arrived(leviatan, "enquiry", "email", utc(2026, 11, 23, 9))
    agent = member(ask4)
    with pytest.raises(Http404):
        selectors.case_by_reference(agent, "leviatan", theirs.reference)
    with pytest.raises(Http404):
        selectors.cases_of(agent, "leviatan")
    assert list(selectors.cases_of(agent, "ask4")) == []
    assert selectors.case_by_reference(member(leviatan), "leviatan", theirs.reference) == theirs
