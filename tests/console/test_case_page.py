"""The case page: who and what, every promise's clock with its due time in the
organization's zone and its reason, the conversation, the timeline, reply templates in
the case's language; a fixed number of queries however long the case."""

from __future__ import annotations

import pytest
from django.test import Client

from charterdesk.cases import actions
from charterdesk.cases.charters import parsed
from charterdesk.cases.clock_index import evaluated, events_of
from charterdesk.cases.models import Case, Clock

from .conftest import NOW

pytestmark = pytest.mark.django_db


def page(client: Client, case: Case) -> str:
    response = client.get(f"/desk/{case.organization.slug}/cases/{case.reference}/")
    assert response.status_code == 200
    return response.text


def test_header_clocks_conversation_and_timeline(client: Client, member, complaint) -> None:
    client.force_login(member(complaint.organization, "agent"))
    html = page(client, complaint)
    assert "Billed twice" in html
    assert "Cy Rhys" in html
    assert "cy@example.com" in html
    # A9: 3 working days after receipt was confirmed, due Fri 11 Sep 17:30 in London
    assert '<span class="promise">A9</span>' in html
    assert "Progress update" in html
    assert "Fri 11 Sep 2026, 17:30" in html
    assert "3 working days after “Receipt confirmed” on Tue 8 Sep 2026, 10:00" in html
    # A8 met; A10 waits for the first update
    assert '<span class="promise">A8</span>' in html
    assert "Starts when “Progress update sent” happens" in html
    # the acknowledgement sent to the customer, and the events
    assert f"Potwierdzamy przyjęcie Twojej sprawy {complaint.reference}" in html  # in Polish
    assert "Receipt confirmed" in html
    assert "Received" in html


def test_the_promises_that_do_not_apply_are_listed_with_why(
    client: Client, member, complaint
) -> None:
    # the index keeps no row for them: the page works them out from the case's events
    missing = [
        commitment
        for commitment, row in evaluated(complaint, events_of(complaint), NOW).items()
        if row[0] == "not_applicable"
    ]
    assert missing
    assert not Clock.objects.filter(case=complaint, commitment__in=missing).exists()
    client.force_login(member(complaint.organization, "agent"))
    html = page(client, complaint)
    assert f"{len(missing)} promises do not apply" in html
    charter = parsed(complaint.charter).charter
    for commitment in missing:
        assert charter.commitment(commitment).title["en"] in html
    assert "Applies only to" in html


def test_reply_templates_in_the_case_language(client: Client, member, complaint) -> None:
    complaint.language = "pl"
    complaint.save(update_fields=["language"])
    client.force_login(member(complaint.organization, "agent"))
    html = page(client, complaint)
    assert '<option value="complaint_by_form">' in html
    assert 'id="reply-templates"' in html
    assert "Skargi przyjmujemy przez formularz online" in html  # in the JSON for the select
    # without JavaScript the template is chosen with a GET and fills the reply
    response = client.get(
        f"/desk/ask4/cases/{complaint.reference}/", {"template": "acknowledgement"}
    )
    body = response.text.split('name="reply-body"')[1].split("</textarea>")[0]
    assert f"Potwierdzamy przyjęcie Twojej sprawy {complaint.reference}" in body


#: Session, user, memberships, charter, the case, members, the record of this view (one
#: INSERT, privacy), clocks, messages and their attachments, events with their actors.
CASE_QUERIES = 11


@pytest.mark.parametrize("replies", [1, 12])
def test_the_case_page_is_a_fixed_number_of_queries(
    client: Client, member, complaint, replies: int, django_assert_num_queries
) -> None:
    agent = member(complaint.organization, "agent")
    for i in range(replies):
        actions.reply(complaint, body=f"Reply {i}", now=NOW, actor=agent)
        actions.add_note(complaint, text=f"Note {i}", now=NOW, actor=agent)
        actions.receive_customer_reply(complaint, body=f"Thanks {i}", at=NOW, now=NOW)
    client.force_login(agent)
    with django_assert_num_queries(CASE_QUERIES):
        page(client, complaint)


def test_a_viewer_reads_in_fewer_queries(
    client: Client, member, complaint, django_assert_num_queries
) -> None:
    client.force_login(member(complaint.organization, "viewer"))
    with django_assert_num_queries(CASE_QUERIES - 1):  # no list of people to assign
        page(client, complaint)
