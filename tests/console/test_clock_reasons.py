"""A clock's reason on the case page reads in the reader's language (issue 4): the rule,
the event that started it and the times in the organization's zone, every word of it
translated; however stale the stored clock rows."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from django.test import Client
from django.utils import translation

from charterdesk.cases.models import Case, Clock, Event
from charterdesk.console.clock_reasons import reason_text
from charterdesk.console.labels import EVENT_LABELS
from charterdesk.core.charter_source import read_charter
from charterdesk.core.clock_why import WhyKind
from charterdesk.localized import local_time
from tests.core.test_clock_why import clocks_of_every_kind
from tests.helpers import utc
from tests.seeds import charter_text

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "pl", "ru", "sr-latn", "ro", "az")
ZONE = "Europe/London"


def reasons(client: Client, case: Case, language: str) -> list[str]:
    response = client.get(
        f"/desk/{case.organization.slug}/cases/{case.reference}/",
        headers={"accept-language": language},
    )
    assert response.status_code == 200
    return re.findall(r'<p class="reason">(.*?)</p>', response.text)


def a9(lines: list[str]) -> str:
    due = local_time(utc(2026, 9, 11, 16, 30), ZONE, translation.get_language() or "en")
    (line,) = [line for line in lines if due in line]
    return line


def test_A9_the_english_reason_names_the_rule_the_trigger_and_the_times(
    client: Client, member, complaint
) -> None:
    client.force_login(member(complaint.organization, "agent"))
    lines = reasons(client, complaint, "en")
    assert (
        "Due Fri 11 Sep 2026, 17:30: 3 working days after “Receipt confirmed” on "
        "Tue 8 Sep 2026, 10:00" in lines
    )
    assert "Starts when “Progress update sent” happens" in lines  # A10 waits for A9


@pytest.mark.parametrize("language", ["ru", "pl"])
def test_A9_the_reason_is_in_the_language_with_its_events_days_and_months(
    client: Client, member, complaint, language: str
) -> None:
    client.force_login(member(complaint.organization, "agent"))
    lines = reasons(client, complaint, language)
    with translation.override(language):
        line = a9(lines)
        assert str(EVENT_LABELS["acknowledged"]) in line
        assert local_time(utc(2026, 9, 8, 9), ZONE, language) in line  # counted from
    for english in ("acknowledged", "Receipt confirmed", "Tue", "Fri", "Sep"):
        assert english not in line
    # nor a word of the English templates, in any reason of the page
    for english in ("Due", "working day", "after", " on ", "Starts when", "happens"):
        assert english not in " ".join(lines), (english, line)


def test_A10_a_stale_index_shows_the_stored_state_and_the_fresh_reason(
    client: Client, member, complaint
) -> None:
    # an update recorded without the clocks refreshed (as if the index lagged behind)
    Event.objects.create(
        organization=complaint.organization,
        case=complaint,
        kind="update_sent",
        at=utc(2026, 9, 9, 9),
        data={},
    )
    stored = Clock.objects.get(case=complaint, commitment="complaint-formal-response")
    assert (stored.state, stored.reason) == ("pending", "starts when update_sent happens")
    client.force_login(member(complaint.organization, "agent"))
    html = client.get(f"/desk/ask4/cases/{complaint.reference}/").text
    fresh = "7 working days after “Progress update sent” on Wed 9 Sep 2026, 10:00"
    (state,) = re.findall(
        r'<li class="clock state-(\w+)">(?:(?!</li>).)*?' + re.escape(fresh), html, re.S
    )
    assert state == "pending"  # as the stored row says, till the index catches up


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_of_reason_reads_in_every_language(language: str) -> None:
    charter = read_charter(charter_text("ask4"), "ask4.yaml").charter
    clocks = clocks_of_every_kind()
    assert set(clocks) == set(WhyKind)
    with translation.override(language):
        for kind, clock in clocks.items():
            for known in (charter, None):
                text = reason_text(clock.why, known, ZONE, language)
                assert text, kind
                assert "%(" not in text, (kind, text)
                assert "None" not in text, (kind, text)
            if clock.why.at is not None and kind != WhyKind.NO_NEW_DATE:
                assert local_time(clock.why.at, ZONE, language) in text, (kind, text)


@pytest.mark.parametrize("language", ["ru", "pl", "sr-latn", "ro", "az"])
def test_N7_a_pause_for_a_restriction_reads_as_one_in_every_language(language: str) -> None:
    waiting = clocks_of_every_kind()[WhyKind.PAUSED].why
    restricted = replace(waiting, event="contact_restricted")
    with translation.override(language):
        texts = {reason_text(why, None, ZONE, language) for why in (waiting, restricted)}
    assert len(texts) == 2  # two different sentences
    for text in texts:
        assert "Paused" not in text
        assert "restricted" not in text
