"""Mail, subjects, names and filenames inject nothing into pages: a case whose every
customer-written field is an XSS string renders escaped in the console queue, the case page
and the customer's tracking page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from tests.security.conftest import CORPUS


def assert_escaped(html: str) -> None:
    for payload in CORPUS:
        assert payload not in html
    for element in ("<script>alert", "<img src=x", "<svg onload", "<iframe src"):
        assert element not in html
    for attribute in ('href="javascript:', "href='javascript:", 'src="javascript:'):
        assert attribute not in html


def test_the_console_queue_escapes_them(hostile_case: Any, agent: User) -> None:
    client = Client()
    client.force_login(agent)
    html = client.get("/desk/ask4/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the subject is shown, escaped
    assert_escaped(html)
    fragment = client.get("/desk/ask4/", HTTP_HX_REQUEST="true").content.decode()
    assert_escaped(fragment)


def test_the_case_page_escapes_them(hostile_case: Any, agent: User) -> None:
    case, _path = hostile_case
    client = Client()
    client.force_login(agent)
    response = client.get(f"/desk/ask4/cases/{case.reference}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;/textarea&gt;&lt;script&gt;" in html  # the message body is shown, escaped
    assert "onerror=alert(2)&gt;.txt" in html  # and the attachment's name
    assert_escaped(html)


def test_the_tracking_page_escapes_them(hostile_case: Any) -> None:
    _case, path = hostile_case
    response = Client().get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;iframe src=//evil.example&gt;" in html  # the message body is shown, escaped
    assert "onerror=alert(2)&gt;.txt</a>" in html  # and the attachment's name
    assert_escaped(html)
