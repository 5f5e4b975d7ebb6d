"""Fixtures of the security tests: a staff member who can log in, the ASK4 organization from
its seed charter with an agent, and the desk clock fixed in time for the pages that read
``timezone.now()`` (not for the lockout tests: django-axes keeps its own clock)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from charterdesk.cases.models import Attachment, Case, Organization
from tests.console.conftest import NOW
from tests.portal.conftest import ASK4_COMPLAINT, SITE, submit, tracking_path

PASSWORD = "correct horse battery staple"


@pytest.fixture
def desk_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def staff(db: None) -> User:
    return User.objects.create_user("ana", password=PASSWORD)


@pytest.fixture
def agent(ask4: Organization, member: Callable[..., User]) -> User:
    return member(ask4)  # "ask4-agent"


#: What an attacker would write where the customer writes (OWASP's filter evasion basics).
CORPUS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(document.cookie)</script>",
    '<a href="javascript:alert(1)">click</a>',
    "<iframe src=//evil.example></iframe>",
]
#: Where a filename can carry markup (no "/", which the upload drops as a path).
FILENAME = '"><img src=x onerror=alert(2)>.txt'
JAVASCRIPT_URL = "javascript:alert(1)"


@pytest.fixture
def hostile_case(
    ask4: Organization, client: Client, settings: Any, desk_now: Any
) -> Iterator[tuple[Case, str]]:
    """A complaint sent through the web form with an XSS string in every field the customer
    writes, and an HTML file; with its tracking path."""
    settings.CHARTERDESK_SITE_URL = SITE
    upload = SimpleUploadedFile(FILENAME, b"<html><script>alert(3)</script></html>", "text/html")
    data = {
        **ASK4_COMPLAINT,
        "name": CORPUS[1] + " " + CORPUS[0],
        "subject": CORPUS[0] + " " + JAVASCRIPT_URL,
        "message": "\n".join(CORPUS),
        "field_summary": CORPUS[2] + CORPUS[4],
        "field_staff_names": CORPUS[3],
        "field_case_references": JAVASCRIPT_URL,
        "attachments": [upload],
    }
    response = submit(client, ask4, "complaint", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(organization=ask4)
    yield case, tracking_path(case)
    for attachment in Attachment.objects.filter(message__case=case):
        attachment.file.delete(save=False)
