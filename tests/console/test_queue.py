"""The queue: open cases, what breaches first on top, filtered and searched, a page of
50 in a fixed number of queries (the desk's now: Wed 9 Sep 2026, 16:00 in London)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from charterdesk.cases import actions
from charterdesk.cases.models import Case, Clock, Organization
from charterdesk.cases.services import record_event
from tests.helpers import utc

from .conftest import NOW, arrived

pytestmark = pytest.mark.django_db


def references(html: str) -> list[str]:
    return re.findall(r'class="ref"><a href="[^"]+">([A-Z]+-\d{4}-\d{6})</a>', html)


@pytest.fixture
def cases(ask4: Organization, member) -> dict[str, Case]:
    """ASK4 enquiries: 2 working days (Mon-Fri 09:00-17:30), warned at 80%."""
    late = arrived(  # due Wed 2 Sep 17:30: breached
        ask4,
        "enquiry",
        "email",
        utc(2026, 8, 31, 9),
        name="Ana Pop",
        email="ana@example.com",
        subject="Router broken",
    )
    risky = arrived(  # due today 17:30, warned at 13:12: at risk
        ask4, "enquiry", "phone", utc(2026, 9, 7, 12), name="Ben Cole", subject="Slow line"
    )
    complaint = arrived(  # progress update due Fri 11 Sep 17:30
        ask4,
        "complaint",
        "web_form",
        utc(2026, 9, 8, 9),
        email="cy@example.com",
        subject="Billed twice",
        fields={"summary": "Billed twice"},
    )
    fresh = arrived(  # due Fri 11 Sep 17:30 too, but arrived later
        ask4, "enquiry", "letter", utc(2026, 9, 9, 14), name="Dee Vale", subject="New address"
    )
    answered = arrived(ask4, "enquiry", "email", utc(2026, 9, 9, 9), email="ed@example.com")
    record_event(answered, "replied", at=utc(2026, 9, 9, 10), now=utc(2026, 9, 9, 10))
    done = arrived(ask4, "enquiry", "email", utc(2026, 9, 1, 9), email="fi@example.com")
    record_event(
        done, "resolved", at=utc(2026, 9, 2, 9), now=utc(2026, 9, 2, 9), data={"result": "ok"}
    )
    return {
        "late": late,
        "risky": risky,
        "complaint": complaint,
        "fresh": fresh,
        "answered": answered,
        "done": done,
    }


@pytest.fixture
def agent(ask4, member):
    return member(ask4, "agent", "alice")


def queue(client: Client, **filters: str) -> list[str]:
    response = client.get("/desk/ask4/", filters)
    assert response.status_code == 200
    return references(response.text)


def refs(cases: dict[str, Case], *names: str) -> list[str]:
    return [cases[name].reference for name in names]


def test_E5_complaints_first_then_what_breaches_first(client: Client, agent, cases) -> None:
    # ASK4's charter gives complaints priority 10: they lead, then what breaches first
    client.force_login(agent)
    assert queue(client) == refs(cases, "complaint", "late", "risky", "fresh", "answered")


def test_badges_say_breached_at_risk_running_and_met(client: Client, agent, cases) -> None:
    client.force_login(agent)
    html = client.get("/desk/ask4/").text
    rows = html.split("<tr>")[2:]
    badges = [re.search(r'class="badge ([a-z-]+)"', row).group(1) for row in rows]  # type: ignore[union-attr]
    assert badges == ["running", "breached", "at-risk", "running", "met"]
    # due times in the organization's zone: Wed 2 Sep 17:30 BST
    assert "Wed 2 Sep, 17:30" in rows[1]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"case_type": "complaint"}, ["complaint"]),
        ({"channel": "phone"}, ["risky"]),
        ({"state": "breached"}, ["late"]),
        ({"state": "at_risk"}, ["risky"]),
        ({"state": "running"}, ["complaint", "risky", "fresh"]),
        ({"q": "ASK-2026-000001"}, ["late"]),
        ({"q": "ben cole"}, ["risky"]),
        ({"q": "cy@example"}, ["complaint"]),
        ({"q": "billed"}, ["complaint"]),
        ({"case_type": "enquiry", "channel": "letter"}, ["fresh"]),
        ({"case_type": "not-a-type"}, ["complaint", "late", "risky", "fresh", "answered"]),
    ],
)
def test_filters_and_search(client: Client, agent, cases, filters, expected) -> None:
    client.force_login(agent)
    assert queue(client, **filters) == refs(cases, *expected)


def test_search_finds_words_in_messages(client: Client, agent, cases) -> None:
    actions.receive_customer_reply(
        cases["fresh"], body="The modem flashes orange", at=utc(2026, 9, 9, 14, 30), now=NOW
    )
    client.force_login(agent)
    assert queue(client, q="flashes orange") == refs(cases, "fresh")


def test_assignee_me_unassigned_or_a_person(client: Client, ask4, agent, member, cases) -> None:
    bob = member(ask4, "supervisor", "bob")
    actions.assign(cases["risky"], to=agent, now=NOW, actor=agent)
    actions.assign(cases["fresh"], to=bob, now=NOW, actor=bob)
    client.force_login(agent)
    assert queue(client, assignee="me") == refs(cases, "risky")
    assert queue(client, assignee=str(bob.pk)) == refs(cases, "fresh")
    assert queue(client, assignee="unassigned") == refs(cases, "complaint", "late", "answered")


def test_paused_clocks(client: Client, member) -> None:
    from tests.seeds import install

    eurolux = install("eurolux")
    waiting = arrived(
        eurolux,
        "complaint",
        "email",
        utc(2026, 9, 8, 6),
        email="gu@example.com",
        fields={"full_name": "Gu", "phone": "1", "nature": "x"},
    )
    arrived(eurolux, "complaint", "email", utc(2026, 9, 8, 7), email="ha@example.com")
    agent = member(eurolux, "agent")
    actions.request_information(waiting, question="Which store?", now=NOW, actor=agent)
    assert Clock.objects.filter(case=waiting, state="paused").exists()
    client.force_login(agent)
    response = client.get("/desk/eurolux/", {"state": "paused"})
    assert references(response.text) == [waiting.reference]


def test_fifty_a_page(client: Client, ask4, agent) -> None:
    for day in range(1, 31):
        for hour in (8, 9):
            arrived(ask4, "enquiry", "letter", utc(2026, 8, day, hour))
    client.force_login(agent)
    first = client.get("/desk/ask4/").text
    second = client.get("/desk/ask4/", {"page": "2"}).text
    assert len(references(first)) == 50
    assert len(references(second)) == 10
    assert not set(references(first)) & set(references(second))
    assert "60 cases" in first


def test_htmx_gets_the_table_alone(client: Client, agent, cases) -> None:
    client.force_login(agent)
    response = client.get("/desk/ask4/", {"state": "breached"}, headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert references(response.text) == refs(cases, "late")
    assert "HX-Request" in response["Vary"]
    full = client.get("/desk/ask4/", {"state": "breached"})
    assert "<html" in full.text
    assert 'hx-get="/desk/ask4/"' in full.text


#: Session, user, memberships, charter, members, count, the page of cases, their clocks.
QUEUE_QUERIES = 8


@pytest.mark.parametrize("how_many", [5, 60])
def test_a_queue_page_is_a_fixed_number_of_queries(
    client: Client, ask4, agent, how_many: int, django_assert_num_queries
) -> None:
    for i in range(how_many):
        case = arrived(
            ask4,
            "enquiry",
            "email",
            utc(2026, 9, 1 + i % 8, 9, i % 60),
            name=f"C{i}",
            email=f"c{i}@example.com",
        )
        actions.assign(case, to=agent, now=NOW, actor=agent)
    client.force_login(agent)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get("/desk/ask4/")
    assert len(references(response.text)) == min(how_many, 50)
    with django_assert_num_queries(QUEUE_QUERIES):
        client.get("/desk/ask4/", {"assignee": "me", "state": "breached", "q": "example"})
