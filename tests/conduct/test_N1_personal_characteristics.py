"""N1: everyone is treated the same whoever they are. No personal characteristic (name,
language, address, phone, or anything else about the person) decides a case's priority,
who it is routed to, or its place in the queue."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from charterdesk.cases.absences import reassign_to_cover
from charterdesk.cases.models import Case, Contact, Organization
from charterdesk.cases.services import open_case
from charterdesk.cases.sweep import sweep
from charterdesk.console.queue_order import DueFirst, queue_key

from .conftest import NOW

#: People identical but for who they are. ``language`` is also the case's language.
PEOPLE = [
    {"name": "Ion Popescu", "email": "ion@example.ro", "phone": "+40210000001", "language": "ro"},
    {"name": "Amina Yusuf", "email": "amina@example.ng", "phone": "+23410000002", "language": "en"},
    {"name": "Zofia Wiśniewska", "email": "zofia@example.pl", "phone": "", "language": "en"},
    {"name": "", "email": "anonymous@example.org", "phone": "", "language": "ro"},
]  # fmt: skip
#: What the desk may read about a person while it sets priority and routes: where to reply.
TO_REPLY = {"email", "phone"}
PERSONAL = (
    {field.name for field in Contact._meta.concrete_fields}
    - TO_REPLY
    - {
        "id",
        "organization",
    }
)


def arrive(org: Organization, people: list[dict[str, str]]) -> list[Case]:
    cases = []
    for person in people:
        contact = Contact.objects.create(organization=org, **person)
        case = open_case(
            org, case_type="complaint", channel="email", received_at=NOW, now=NOW,
            contact=contact, language=person["language"], subject="Invoice wrong",
        )  # fmt: skip
        cases.append(Case.objects.get(pk=case.pk))
    return cases


@pytest.mark.parametrize("order", [PEOPLE, PEOPLE[::-1]], ids=["one-order", "reversed"])
def test_N1_cases_identical_but_for_the_person_get_the_same_priority_routing_and_place(
    leviatan: Organization, member, order: list[dict[str, str]]
) -> None:
    supervisor = member(leviatan, "supervisor")
    cases = arrive(leviatan, order)
    assert len({case.priority for case in cases}) == 1
    assert len({case.next_due_at for case in cases}) == 1
    assert {case.assignee_id for case in cases} == {None}
    # the queue: the same key but for the tie-break of arrival (the row's id)
    assert len({queue_key(case)[:-1] for case in cases}) == 1
    queue = DueFirst(Case.objects.filter(organization=leviatan))[0:10]
    assert [case.pk for case in queue] == sorted(case.pk for case in cases)
    # routing: a breach handing each case on goes to the same person
    later = NOW + timedelta(days=30)
    assert {reassign_to_cover(case, now=later, commitment="x") for case in cases} == {supervisor}


@contextmanager
def personal_reads() -> Iterator[list[str]]:
    """Every personal field of a Contact read in Python while the block runs."""
    read: list[str] = []
    original = Contact.__getattribute__

    def watching(self: Contact, name: str) -> Any:
        if name in PERSONAL:
            read.append(name)
        return original(self, name)

    Contact.__getattribute__ = watching  # type: ignore[method-assign]
    try:
        yield read
    finally:
        Contact.__getattribute__ = original  # type: ignore[method-assign]


def test_N1_priority_and_routing_read_nothing_of_the_person_but_where_to_reply(
    leviatan: Organization, member
) -> None:
    member(leviatan, "supervisor")
    contact = Contact.objects.create(organization=leviatan, **PEOPLE[1])
    with personal_reads() as read:
        assert contact.name == "Amina Yusuf"  # the watch works
    assert read == ["name"]
    with personal_reads() as read, CaptureQueriesContext(connection) as queries:
        case = open_case(
            leviatan, case_type="complaint", channel="web_form", received_at=NOW, now=NOW,
            contact=contact, language="en", acknowledge_now=False,
        )  # fmt: skip
        list(DueFirst(Case.objects.filter(organization=leviatan))[0:10])
        sweep(NOW + timedelta(days=30))
        reassign_to_cover(
            Case.objects.select_related("contact").get(pk=case.pk),
            now=NOW + timedelta(days=30),
            commitment="x",
        )
    assert read == []
    contact_columns = ['"name"', '"language"']
    for query in queries.captured_queries:
        sql = query["sql"]
        where = sql.split(" WHERE ", 1)[1] if " WHERE " in sql else ""
        order = sql.split(" ORDER BY ", 1)[1] if " ORDER BY " in sql else ""
        for column in contact_columns:
            assert f'"cases_contact".{column}' not in where + order, sql
