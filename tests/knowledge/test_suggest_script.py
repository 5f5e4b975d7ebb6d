"""The web form's suggestions in a real browser (Debian's chromium): typing into the
form's text asks /o/<org>/help/suggest and shows the matching articles; the "See our
help pages" link is there before any typing."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from charterdesk.cases.models import Organization

from .conftest import article

CHROMIUM = Path("/usr/bin/chromium")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM set-up in the test thread


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium (`make chromium`)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture(autouse=True)
def clock() -> None:
    """The live server reads the real clock (the rate limit's window); nothing here waits."""


@pytest.mark.urls("knowledge.browser_urls")
@pytest.mark.django_db(transaction=True)
def test_articles_are_suggested_as_the_customer_types(
    anlp: Organization, live_server: Any, page: Any
) -> None:
    article(anlp, "renew", "en", "Renewing your membership", "Renew online every year.")
    article(anlp, "register", "en", "The practitioner register", "Who is listed.")
    page.goto(f"{live_server.url}/test-form/anlp/")
    assert page.get_by_role("link", name="See our help pages").get_attribute("href") == (
        "/o/anlp/help/?lang=en"
    )
    page.locator("textarea[name=message]").type("How do I renew my membership?")
    suggestion = page.locator("#article-suggestions a")
    suggestion.first.wait_for(timeout=5000)
    assert suggestion.all_inner_texts() == ["Renewing your membership"]
    assert suggestion.first.get_attribute("href") == "/o/anlp/help/renew/?lang=en"
