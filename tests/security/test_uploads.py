"""Uploads are stored under generated names and always served as downloads with nosniff:
an HTML file a customer sends is never rendered as a page of the site."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from charterdesk.cases.models import Attachment
from tests.security.conftest import FILENAME


def test_an_upload_is_stored_under_a_generated_name(hostile_case: Any) -> None:
    attachment = Attachment.objects.get(message__case=hostile_case[0])
    assert attachment.filename == FILENAME  # shown to people, escaped
    stored = PurePosixPath(attachment.file.name).name
    assert "<" not in stored
    assert "img" not in stored
    assert len(PurePosixPath(stored).stem) == 32  # a uuid4 hex


def test_the_portal_serves_it_as_a_download_with_nosniff(hostile_case: Any) -> None:
    case, path = hostile_case
    attachment = Attachment.objects.get(message__case=case)
    response = Client().get(f"{path}files/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert disposition.splitlines() == [disposition]
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_console_has_no_route_that_serves_it_inline(hostile_case: Any, agent: User) -> None:
    """Staff see an attachment's name and size; the stored file is not reachable by URL
    (no MEDIA_URL route), so nothing a customer uploads is ever served from the console."""
    case, _path = hostile_case
    attachment = Attachment.objects.get(message__case=case)
    client = Client()
    client.force_login(agent)
    page = client.get(f"/desk/ask4/cases/{case.reference}/").content.decode()
    assert attachment.file.name not in page
    for guess in (f"/media/{attachment.file.name}", f"/{attachment.file.name}"):
        assert client.get(guess).status_code == 404
