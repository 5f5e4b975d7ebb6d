"""Every page carries the Content Security Policy (django-csp): scripts and styles only from
our own static files, no framing, forms posting only to us."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from charterdesk.cases.models import Organization
from tests.console.conftest import NOW, arrived

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


PUBLIC_PAGES = [
    "/accounts/login/",
    "/o/ask4/contact/",
    "/o/ask4/contact/complaint/",
    "/o/ask4/results/",
    "/o/ask4/charter/",
    "/o/ask4/help/",
    "/track/",
    "/track/not-a-real-token-at-all/",
    "/no/such/page/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_and_portal_pages_carry_the_policy(
    client: Client, ask4: Organization, path: str
) -> None:
    response = client.get(path)
    assert response.status_code < 500
    assert directives(response["Content-Security-Policy"]) == POLICY


@pytest.mark.usefixtures("desk_now")
def test_console_pages_carry_the_policy(client: Client, ask4: Organization, agent: User) -> None:
    case = arrived(
        ask4,
        "complaint",
        "web_form",
        NOW,
        name="Jan",
        email="jan@example.com",
        fields={"summary": "Billed twice"},
    )
    client.force_login(agent)
    for path in ("/desk/ask4/", f"/desk/ask4/cases/{case.reference}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert directives(response["Content-Security-Policy"]) == POLICY, path


def test_htmx_fragments_carry_it_too(client: Client, ask4: Organization, agent: User) -> None:
    client.force_login(agent)
    response = client.get("/desk/ask4/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response


TEMPLATE_DIRS = ["console", "portal", "reports", "knowledge", "security"]


@pytest.mark.parametrize("app", TEMPLATE_DIRS)
def test_templates_have_no_inline_script_or_style(app: str) -> None:
    """What the policy would block: a <script> without src, a <style> element, a style=""
    attribute, an on...= handler. ``json_script`` (type application/json) is data, not code."""
    root = Path(__file__).parents[2] / "charterdesk" / app / "templates"
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|<style\b|\sstyle=|\son[a-z]+=",
        re.IGNORECASE,
    )
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in sorted(root.rglob("*.html"))
        for match in inline.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
