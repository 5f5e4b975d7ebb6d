"""Remote content in mail is never fetched: not by the server, and not by the browser of the
staff member or customer who reads it.

The intake cleans a mail's HTML with nh3 (charterdesk/intake/html_text.py): images keep only
``cid:`` sources, ``style`` goes with its content and as an attribute, and nothing else that
loads (link, iframe, object, embed, svg image, meta refresh, base) survives. The pages show
the mail as text, and their CSP would block a remote image or style sheet anyway."""

from __future__ import annotations

from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from charterdesk.cases.models import Case, Membership, Organization
from charterdesk.intake.html_text import clean_html, html_to_text
from charterdesk.intake.models import MessageHtml
from charterdesk.intake.receive import receive
from charterdesk.portal import links

HOST = "tracker.evil.example"
#: Every way we know for HTML to make a reader fetch something.
REMOTE = [
    f'<img src="http://{HOST}/pixel.png" alt="">',
    f"<IMG SRC=https://{HOST}/upper.png>",
    f'<img srcset="https://{HOST}/a.png 1x, https://{HOST}/b.png 2x">',
    f'<img src="//{HOST}/scheme-relative.png">',
    f'<img src=" http://{HOST}/leading-space.png">',
    f'<img lowsrc="http://{HOST}/low.png" dynsrc="http://{HOST}/dyn.avi">',
    f'<div style="background:url(http://{HOST}/bg.png)">styled</div>',
    f'<p style="background-image: url(&quot;https://{HOST}/entity.png&quot;)">x</p>',
    f"<style>@import url(http://{HOST}/import.css);"
    f" body {{ background: url(http://{HOST}/s.png) }}</style>",
    f'<link rel="stylesheet" href="http://{HOST}/sheet.css">',
    f'<link rel="prefetch" href="http://{HOST}/prefetch">',
    f'<table background="http://{HOST}/table.png"><tr><td background="http://{HOST}/td.png">cell</td></tr></table>',
    f'<body background="http://{HOST}/body.png">body</body>',
    f'<video poster="http://{HOST}/poster.png" src="http://{HOST}/v.mp4"></video>',
    f'<audio src="http://{HOST}/a.mp3"></audio>',
    f'<iframe src="http://{HOST}/frame"></iframe>',
    f'<object data="http://{HOST}/object.swf"></object>',
    f'<embed src="http://{HOST}/embed.swf">',
    f'<svg><image href="http://{HOST}/svg.png"/></svg>',
    f'<svg><image xlink:href="http://{HOST}/svg2.png"/></svg>',
    f'<input type="image" src="http://{HOST}/input.png">',
    f'<meta http-equiv="refresh" content="0; url=http://{HOST}/refresh">',
    f'<base href="http://{HOST}/">',
    f'<a href="http://{HOST}/page" ping="http://{HOST}/ping">a link</a>',
    f'<form action="http://{HOST}/form"><button formaction="http://{HOST}/b">go</button></form>',
    f'<script src="http://{HOST}/script.js"></script>',
    f'<picture><source srcset="http://{HOST}/source.png"><img src="cid:logo@mail"></picture>',
]

#: Attributes through which a browser would load something (every one but a link's href).
LOADING = {
    "src", "srcset", "lowsrc", "dynsrc", "background", "poster", "data", "style", "action",
    "formaction", "ping", "xlink:href", "content", "codebase", "archive", "manifest", "icon",
}  # fmt: skip


class _Loads(HTMLParser):
    """Every tag and attribute value through which a page could load something."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"link", "iframe", "object", "embed", "script", "style", "meta", "base", "image"}:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            loading = name in LOADING or (name == "href" and tag != "a")
            if loading and not (name == "src" and (value or "").startswith("cid:")):
                self.found.append(f"{tag} {name}={value}")

    def handle_data(self, data: str) -> None:
        if "url(" in data or "@import" in data:
            self.found.append(data)


def loads(html: str) -> list[str]:
    parser = _Loads()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("html", REMOTE)
def test_clean_html_keeps_nothing_that_loads(html: str) -> None:
    assert loads(html), "the corpus line must load something before cleaning"
    cleaned = clean_html(html)
    assert loads(cleaned) == []
    links_kept = cleaned.count(f'href="http://{HOST}/page"')
    assert HOST not in cleaned.replace(f'href="http://{HOST}/page"', "", links_kept)


def test_a_cid_image_and_a_plain_link_are_kept() -> None:
    """What is left is the mail's own images and links the reader may choose to follow."""
    cleaned = clean_html('<p><img src="cid:logo@mail"> <a href="https://example.org/">site</a></p>')
    assert 'src="cid:logo@mail"' in cleaned
    assert 'href="https://example.org/"' in cleaned


def test_the_text_of_an_html_mail_names_no_remote_address() -> None:
    text = html_to_text(clean_html("\n".join(REMOTE)))
    assert HOST not in text
    assert "styled" in text
    assert "cell" in text


def html_mail(body: str) -> bytes:
    headers = [
        "From: Ada Customer <ada@example.org>",
        "To: support@ask4.com",
        "Subject: Pixels",
        "Date: Tue, 08 Sep 2026 10:00:00 +0100",
        "Message-ID: <remote-content@example.org>",
        "MIME-Version: 1.0",
        "Content-Type: text/html; charset=utf-8",
    ]
    return ("\r\n".join(headers) + "\r\n\r\n" + body + "\r\n").encode()


@pytest.fixture
def received(
    ask4: Organization, desk_now: datetime, settings: Any, tmp_path: Path
) -> tuple[Case, str]:
    """An HTML-only mail with every remote reference of the corpus, received by the desk;
    with a tracking link to its case."""
    settings.MEDIA_ROOT = tmp_path
    body = "<p>My bill is wrong.</p>\n" + "\n".join(REMOTE)
    outcome = receive(html_mail(body), recipients=["support@ask4.com"], now=desk_now)
    assert outcome.kind == "case", outcome
    case = Case.objects.get(organization=ask4, reference=outcome.case_reference)
    token = links.new_token()
    links.grant(case, token, desk_now)
    return case, token


def _csp(response: Any) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def _no_remote_source(response: Any) -> None:
    """Every fetch directive names only our own origin, data: images, or nothing."""
    for directive, sources in _csp(response).items():
        if directive.endswith("-src") or directive in {"base-uri", "form-action"}:
            assert set(sources) <= {"'self'", "'none'", "data:"}, (directive, sources)
    directives = _csp(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["style-src"] == ["'self'"]  # no 'unsafe-inline': no style="" either


def test_the_stored_html_and_the_pages_hold_no_remote_reference(
    client: Client, received: tuple[Case, str], ask4: Organization
) -> None:
    case, token = received
    stored = MessageHtml.objects.get(message__case=case).html
    assert "My bill is wrong." in stored
    assert loads(stored) == []
    member = User.objects.create_user("reader", password="x")
    Membership.objects.create(organization=ask4, user=member, role="agent")
    client.force_login(member)
    console = client.get(f"/desk/{ask4.slug}/cases/{case.reference}/")
    assert console.status_code == 200
    assert "My bill is wrong." in console.text
    assert HOST not in console.text
    _no_remote_source(console)
    portal = Client().get(f"/track/{token}/")
    assert portal.status_code == 200
    assert "My bill is wrong." in portal.text
    assert HOST not in portal.text
    _no_remote_source(portal)
