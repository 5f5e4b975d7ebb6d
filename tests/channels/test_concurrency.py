"""Providers retry, and several web processes take their requests at once: on PostgreSQL,
the same event delivered four times at once opens one case, and four messages of one new
conversation arriving at once open one case that the other three continue."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from charterdesk.cases.models import Case, Message, Organization
from charterdesk.channels import payloads, receiving
from charterdesk.channels.models import ChannelConversation, ChannelEvent
from tests.helpers import utc

from .conftest import NOW, message

THREADS = 4


def together(work: Callable[[int], str]) -> list[str]:
    """Run ``work(i)`` in THREADS threads released at the same moment."""
    start = threading.Barrier(THREADS)
    answers: list[str] = []
    failures: list[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait()
            answers.append(work(i))
        except BaseException as failure:  # reported below, in the test's thread
            failures.append(failure)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    return answers


@pytest.fixture
def on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are a PostgreSQL matter (SQLite writes one at a time)")


@pytest.mark.django_db(transaction=True)
def test_the_same_event_delivered_at_once_opens_one_case(
    on_postgresql: None, eurolux: Organization
) -> None:
    event = payloads.EVENT.validate_python(message("evt-1", "conv-1", "Salam", utc(2026, 9, 9, 8)))
    outcomes = together(lambda _: receiving.receive(eurolux, "chat", event, now=NOW).outcome)
    assert sorted(outcomes) == ["duplicate"] * (THREADS - 1) + ["opened"]
    assert Case.objects.count() == 1
    assert ChannelEvent.objects.count() == 1
    assert Message.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_messages_of_a_new_conversation_at_once_open_one_case(
    on_postgresql: None, eurolux: Organization
) -> None:
    def deliver(i: int) -> str:
        sent = message(f"evt-{i}", "conv-1", f"Message {i}", utc(2026, 9, 9, 8, i))
        event = payloads.EVENT.validate_python(sent)
        return receiving.receive(eurolux, "chat", event, now=NOW).outcome

    outcomes = together(deliver)
    assert sorted(outcomes) == ["continued"] * (THREADS - 1) + ["opened"]
    assert Case.objects.count() == 1
    assert ChannelConversation.objects.count() == 1
    assert Message.objects.count() == THREADS
