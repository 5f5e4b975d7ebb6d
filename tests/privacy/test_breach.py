"""A personal-data breach is a case type of every charter, with 72 calendar hours from
becoming aware to notifying the regulator (GDPR art. 33; 152-FZ art. 21): staff log it
and record "regulator notified" in the console; the public web form never offers it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from charterdesk.cases.clock_index import refresh_clocks
from charterdesk.cases.models import Case, Clock, Event
from charterdesk.core.durations import Basis
from charterdesk.portal.services import form_case_types
from charterdesk.privacy.breaches import BREACH_TYPE, record_regulator_notified, report_breach
from tests.helpers import utc
from tests.promises.conftest import SLUGS, case, event, load_desk
from tests.seeds import install

from .conftest import NOW

pytestmark = pytest.mark.django_db

COMMITMENT = "breach-regulator-notified"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_charter_has_the_breach_type_on_calendar_hours(slug: str) -> None:
    desk = load_desk(slug)
    spec = desk.charter.case_types[BREACH_TYPE]
    commitment = desk.commitment(COMMITMENT)
    assert commitment.applies.case_types == [BREACH_TYPE]
    assert commitment.met_by == ["regulator_notified"]
    (duration,) = commitment.durations()
    assert (duration.amount, duration.unit, duration.basis) == (72, "hour", Basis.ELAPSED)
    for text in (spec.title, commitment.title, *(f.label for f in spec.fields)):
        assert set(text) == set(desk.charter.organization.languages)  # every language
    assert desk.loaded.warnings == ()


@pytest.mark.parametrize("slug", SLUGS)
def test_a_breach_on_friday_1700_is_due_monday_1700_in_every_organization(slug: str) -> None:
    desk = load_desk(slug)
    zone = desk.calendar().zone
    from datetime import datetime

    friday = datetime(2026, 10, 2, 17, 0, tzinfo=zone)  # no clock change that weekend
    channel = next(k for k, c in desk.charter.channels.items() if c.kind in ("letter", "phone"))
    facts = case(BREACH_TYPE, channel, friday)
    received = [event("received", friday)]
    monday = datetime(2026, 10, 5, 17, 0, tzinfo=zone)
    before = desk.clock(COMMITMENT, facts, received, monday - timedelta(seconds=1))
    assert before.state == "running"
    assert before.due_at == monday  # 72 calendar hours, over the weekend
    assert before.warn_at == monday - timedelta(hours=24)
    after = desk.clock(COMMITMENT, facts, received, monday + timedelta(seconds=1))
    assert after.state == "breached"
    met = desk.clock(
        COMMITMENT,
        facts,
        [*received, event("regulator_notified", monday - timedelta(hours=1))],
        monday + timedelta(days=1),
    )
    assert met.state == "met"


@pytest.mark.parametrize("slug", SLUGS)
def test_the_web_form_never_offers_a_breach(slug: str, client: Client) -> None:
    org = install(slug)
    assert BREACH_TYPE not in form_case_types(org)
    assert form_case_types(org)  # it still takes the others
    response = client.get(f"/o/{slug}/contact/{BREACH_TYPE}/")
    assert response.status_code == 404


def test_L10_breach_logged_warned_breached_and_met_in_the_desk(leviatan, member) -> None:
    agent = member(leviatan, "agent")
    friday = utc(2026, 10, 2, 14)  # Fri 17:00 in Bucharest
    breach = report_breach(
        leviatan,
        channel="letter",
        became_aware_at=friday,
        what_happened="A laptop with customer files was stolen",
        data_concerned="names, addresses",
        people_affected="about 40 customers",
        actor=agent,
        now=friday + timedelta(minutes=20),
    )
    assert (breach.case_type, breach.contact) == (BREACH_TYPE, None)
    clock = Clock.objects.get(case=breach, commitment=COMMITMENT)
    monday = utc(2026, 10, 5, 14)  # Mon 17:00 in Bucharest
    assert (clock.state, clock.due_at, clock.warn_at) == ("running", monday, utc(2026, 10, 4, 14))
    refresh_clocks(breach, monday + timedelta(seconds=1))
    assert Clock.objects.get(case=breach, commitment=COMMITMENT).state == "breached"

    on_time = report_breach(
        leviatan,
        channel="letter",
        became_aware_at=friday,
        what_happened="Misdirected mail",
        actor=agent,
        now=friday,
    )
    record_regulator_notified(
        on_time, at=monday - timedelta(hours=2), reference="ANSPDCP-17", actor=agent, now=monday
    )
    clock = Clock.objects.get(case=on_time, commitment=COMMITMENT)
    assert (clock.state, clock.met_at) == ("met", monday - timedelta(hours=2))
    assert Event.objects.get(case=on_time, kind="regulator_notified").data == {
        "reference": "ANSPDCP-17"
    }


def test_L1_a_breach_learned_of_by_phone_runs_no_customers_clock(leviatan, member) -> None:
    wednesday = utc(2026, 10, 7, 8)  # Wed 11:00 in Bucharest: the phone line is open
    breach = report_breach(
        leviatan,
        channel="phone",
        became_aware_at=wednesday,
        what_happened="A caller read out another customer's order",
        actor=member(leviatan, "agent"),
        now=wednesday,
    )
    refresh_clocks(breach, wednesday + timedelta(hours=1))
    states = dict(Clock.objects.filter(case=breach).values_list("commitment", "state"))
    assert states.pop(COMMITMENT) == "running"
    assert set(states.values()) <= {"not_applicable"}  # not "phone answered within 1 minute"
    assert Case.objects.get(pk=breach.pk).next_due_at == utc(2026, 10, 10, 8)


def test_only_a_breach_is_notified_to_the_regulator(leviatan, member) -> None:
    from charterdesk.cases.services import CaseError, open_case

    agent = member(leviatan, "agent")
    enquiry = open_case(leviatan, case_type="enquiry", channel="email", received_at=NOW, now=NOW)
    with pytest.raises(CaseError):
        record_regulator_notified(enquiry, at=NOW, actor=agent, now=NOW)


def test_staff_log_a_breach_and_record_the_notification_in_the_console(
    client: Client, leviatan, member, desk_now
) -> None:
    client.force_login(member(leviatan, "agent"))
    page = client.get("/desk/leviatan/privacy/breaches/new/")
    assert page.status_code == 200
    assert 'value="letter"' in page.text
    assert 'value="web_form"' not in page.text
    response = client.post(
        "/desk/leviatan/privacy/breaches/new/",
        {
            "channel": "letter",
            "became_aware_at": "2026-09-09T09:30",  # Bucharest time
            "what_happened": "Spreadsheet mailed to the wrong client",
            "data_concerned": "names",
            "people_affected": "12",
        },
    )
    assert response.status_code == 302
    breach = Case.objects.get(case_type=BREACH_TYPE)
    assert breach.received_at == utc(2026, 9, 9, 6, 30)
    assert breach.fields["what_happened"] == "Spreadsheet mailed to the wrong client"
    case_page = client.get(response["Location"])
    assert "Record: regulator notified" in case_page.text
    posted = client.post(
        f"/desk/leviatan/privacy/cases/{breach.reference}/regulator-notified/",
        {"at": "2026-09-09T17:00", "reference": "R-1"},
    )
    assert posted.status_code == 302
    clock = Clock.objects.get(case=breach, commitment=COMMITMENT)
    assert (clock.state, clock.met_at) == ("met", utc(2026, 9, 9, 14))


def test_a_viewer_cannot_log_a_breach(client: Client, leviatan, member, desk_now) -> None:
    client.force_login(member(leviatan, "viewer"))
    assert client.get("/desk/leviatan/privacy/breaches/new/").status_code == 403
    assert client.post("/desk/leviatan/privacy/breaches/new/", {}).status_code == 403
    assert not Case.objects.exists()


def test_the_regulator_cannot_be_told_before_the_breach_was_known(leviatan, member) -> None:
    from charterdesk.cases.services import CaseError

    agent = member(leviatan, "agent")
    breach = report_breach(
        leviatan, channel="letter", became_aware_at=NOW, what_happened="x", actor=agent, now=NOW
    )
    with pytest.raises(CaseError) as refused:
        record_regulator_notified(breach, at=NOW - timedelta(hours=1), actor=agent, now=NOW)
    assert refused.value.code == "before-received"
    assert not Event.objects.filter(kind="regulator_notified").exists()
