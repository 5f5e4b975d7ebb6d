"""What an action costs: the reads it saves are the same answers it would have read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from charterdesk.cases import actions
from charterdesk.cases.charters import NotAllowed
from charterdesk.cases.models import (
    AuditEntry,
    Case,
    Clock,
    Contact,
    Membership,
    Message,
    OutboxMessage,
)
from charterdesk.cases.services import CaseError, clocks_left, open_case, record_event
from charterdesk.core.clocks import ClockState
from tests.helpers import utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 11, 23, 9)


def emailed(org, at=NOW) -> Case:
    contact = Contact.objects.create(organization=org, name="Ana Pop", email="ana@example.com")
    return open_case(
        org, case_type="enquiry", channel="email", received_at=at, now=at, contact=contact
    )


def role_reads(captured: CaptureQueriesContext) -> int:
    return sum(Membership._meta.db_table in query["sql"] for query in captured.captured_queries)


def test_an_assignment_reads_the_roles_of_both_people_at_once(leviatan, member) -> None:
    case = emailed(leviatan)
    supervisor, agent = member(leviatan, "supervisor"), member(leviatan, "agent")
    with CaptureQueriesContext(connection) as captured:
        actions.assign(case, to=agent, now=NOW, actor=supervisor)
    assert role_reads(captured) == 1
    assert Case.objects.get(pk=case.pk).assignee == agent


def test_an_assignment_to_a_viewer_is_still_refused(leviatan, member) -> None:
    case = emailed(leviatan)
    supervisor, viewer = member(leviatan, "supervisor"), member(leviatan, "viewer")
    with pytest.raises(CaseError) as refused:
        actions.assign(case, to=viewer, now=NOW, actor=supervisor)
    assert refused.value.code == "not-a-colleague"
    with pytest.raises(NotAllowed):  # the actor is checked first
        actions.assign(case, to=supervisor, now=NOW, actor=viewer)


def test_roles_remembered_reads_each_role_once_and_forgets_it_after(leviatan, member) -> None:
    case = emailed(leviatan)
    agent = member(leviatan, "agent")
    with actions.roles_remembered(), CaptureQueriesContext(connection) as captured:
        actions.assign(case, to=agent, now=NOW, actor=agent)
        actions.add_note(case, text="Called back", now=NOW, actor=agent)
        actions.classify_cause(case, cause="Late delivery", now=NOW, actor=agent)
    assert role_reads(captured) == 1
    Membership.objects.filter(user=agent).update(role="viewer")
    with pytest.raises(NotAllowed):  # outside the block, the role is read again
        actions.add_note(case, text="Too late", now=NOW, actor=agent)


def test_the_clocks_a_service_leaves_are_the_clocks_stored(leviatan, member) -> None:
    case = emailed(leviatan)
    agent = member(leviatan, "agent")
    later = NOW + timedelta(hours=2)
    actions.reply(case, body="Here is the answer.", now=later, actor=agent)
    left = clocks_left(case, later)
    assert left is not None
    stored = {c.commitment: (c.state, c.due_at, c.met_at) for c in Clock.objects.filter(case=case)}
    assert {name: (row[0], row[2], row[4]) for name, row in left.items()} == stored
    assert any(state == ClockState.MET.value for state, _, _ in stored.values())
    assert clocks_left(case, later + timedelta(seconds=1)) is None  # only for that moment
    assert clocks_left(Case.objects.get(pk=case.pk), later) is None  # only that instance


def test_each_event_is_audited_as_before(leviatan, member) -> None:
    case = emailed(leviatan)
    agent = member(leviatan, "agent")
    event = record_event(case, "noted", at=NOW, now=NOW, data={"text": "x"}, actor=agent)
    entry = AuditEntry.objects.get(action="event:noted")
    assert (entry.organization_id, entry.actor, entry.target) == (
        leviatan.pk,
        agent,
        f"case:{case.reference}",
    )
    assert (entry.data, entry.at) == ({"event": event.pk}, NOW)


def test_a_mail_refers_to_the_thread_before_it_but_not_to_itself(leviatan, member) -> None:
    case = emailed(leviatan)  # its acknowledgement is the first mail of the thread
    agent = member(leviatan, "agent")
    first = Message.objects.get(case=case)
    customer = {"organization": leviatan, "case": case, "channel": "email", "body": "Thanks"}
    Message.objects.create(**customer, direction="in", message_id="<in@x>", at=NOW)
    Message.objects.create(**customer, direction="in", message_id="", at=NOW)  # none: left out
    later = NOW + timedelta(minutes=5)
    Message.objects.create(**customer, direction="in", message_id="<after@x>", at=later)
    reply = actions.reply(case, body="Answer", now=NOW + timedelta(minutes=1), actor=agent)
    payload = OutboxMessage.objects.get(key=f"mail:{reply.pk}").payload
    assert payload["references"] == [first.message_id, "<in@x>"]  # nothing sent after it
    assert payload["in_reply_to"] == "<in@x>"
