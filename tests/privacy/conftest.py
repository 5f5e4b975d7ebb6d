"""Fixtures of the privacy tests: seed organizations, members with roles, and customers
whose cases carry the personal data the desk keeps (messages with their raw mail,
attached files, events, fields), made through the desk's own services. Time is a
parameter; the desk's clock is fixed where views read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import timezone

from charterdesk.cases import actions
from charterdesk.cases.models import Attachment, Case, Contact, Message, Organization
from charterdesk.cases.services import open_case
from tests.helpers import utc

#: The desk's "now" in view tests: Wed 9 Sep 2026, 16:00 in London (BST).
NOW = datetime(2026, 9, 9, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def media(media: Path) -> Path:
    """Attachments in a temporary folder for every test here (tests/conftest.py)."""
    return media


@dataclass
class Story:
    """One customer's case with everything personal the desk keeps of it."""

    contact: Contact
    case: Case
    secret: str  # a word that appears only in this customer's data


def raw_mail(sender: str, subject: str, body: str) -> bytes:
    return (
        f"From: {sender}\r\nTo: support@ask4.com\r\nSubject: {subject}\r\n"
        f"Message-ID: <{abs(hash(body))}@example.com>\r\n\r\n{body}\r\n"
    ).encode()


def tell_story(
    org: Organization,
    agent: User,
    *,
    name: str,
    email: str,
    secret: str,
    at: datetime,
    case_type: str = "complaint",
    channel: str = "web_form",
    fields: dict[str, Any] | None = None,
    resolve: bool = True,
) -> Story:
    """A case from ``email`` received at ``at``: the customer's mail with a file, a
    reply, a note, a delay notice, a cause, their answer, and (if ``resolve``) the
    resolution, each an hour apart. ``secret`` is written into every personal part."""
    contact = Contact.objects.create(organization=org, name=name, email=email, language="en")
    case = open_case(
        org,
        case_type=case_type,
        channel=channel,
        received_at=at,
        now=at,
        contact=contact,
        subject=f"About {secret}",
        fields=fields if fields is not None else {"summary": f"{secret} summary"},
    )
    message = Message.objects.create(
        organization=org,
        case=case,
        direction=Message.Direction.IN,
        channel=channel,
        author=name,
        body=f"My {secret} problem",
        raw=raw_mail(email, f"About {secret}", f"My {secret} problem"),
        at=at,
    )
    stored = Attachment(
        organization=org,
        message=message,
        filename=f"{secret}.txt",
        content_type="text/plain",
        size=len(secret),
    )
    stored.file.save("generated.txt", ContentFile(f"file of {secret}".encode()), save=False)
    stored.save()
    step = at
    for act in (
        lambda t: actions.reply(
            case, body=f"Dear {secret}", kind="update_sent", now=t, actor=agent
        ),
        lambda t: actions.add_note(case, text=f"{secret} called", now=t, actor=agent),
        lambda t: actions.send_delay_notice(
            case,
            reason=f"{secret} away",
            new_date=(t + timedelta(days=9)).date(),
            now=t,
            actor=agent,
        ),
        lambda t: actions.classify_cause(case, cause="billing", now=t, actor=agent),
        lambda t: actions.receive_customer_reply(
            case, body=f"{secret} again", at=t, now=t, raw=raw_mail(email, "Re", f"{secret} again")
        ),
    ):
        step += timedelta(hours=1)
        act(step)
    if resolve:
        step += timedelta(hours=1)
        actions.resolve(
            case, result=f"{secret} refunded", steps=[f"{secret} step"], now=step, actor=agent
        )
    case.refresh_from_db()
    return Story(contact, case, secret)


@pytest.fixture
def desk_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


__all__ = ["NOW", "Story", "date", "raw_mail", "tell_story", "utc"]
