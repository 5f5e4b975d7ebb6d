"""The knowledge base: supervisors and owners write articles in the console (one version
per language), customers read the published ones at /o/<org>/help/ in the
organization's languages, and the web form asks /o/<org>/help/suggest for the articles
that match what the customer types."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.template import Context, Template
from django.test import Client

from charterdesk.cases.models import AuditEntry, Organization
from charterdesk.knowledge import public_views
from charterdesk.knowledge.models import Article
from charterdesk.knowledge.rendering import render_body
from charterdesk.knowledge.search import best, query_words
from charterdesk.portal.throttle import Limit
from tests.helpers import DeskClock, utc

from .conftest import NOW, article

pytestmark = pytest.mark.django_db


# -- Writing articles in the console: supervisors and owners ---------------------------


@pytest.mark.parametrize("role", ["supervisor", "owner"])
def test_supervisors_and_owners_write_articles(
    anlp: Organization, member: Callable[..., User], client: Client, role: str
) -> None:
    client.force_login(member(anlp, role))
    assert client.get("/desk/anlp/articles/").status_code == 200
    assert client.get("/desk/anlp/articles/new/").status_code == 200
    data = {
        "slug": "renewing-membership",
        "language": "sr-Latn",
        "title": "Obnova članstva",
        "body": "Članstvo se obnavlja jednom godišnje.",
        "published": "on",
    }
    response = client.post("/desk/anlp/articles/new/", data)
    saved = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/desk/anlp/articles/{saved.pk}/"
    assert (saved.organization, saved.language, saved.published) == (anlp, "sr-Latn", True)
    assert saved.updated_at == NOW
    assert AuditEntry.objects.filter(action="article_saved").count() == 1
    listing = client.get("/desk/anlp/articles/").text
    assert "Obnova članstva" in listing
    assert "/desk/anlp/articles/new/?slug=renewing-membership" in listing  # add a language


def test_an_edit_changes_the_version_and_its_time(
    anlp: Organization, member: Callable[..., User], client: Client, clock: DeskClock
) -> None:
    page = article(anlp, "fees", "en", "Fees", published=False)
    client.force_login(member(anlp, "supervisor"))
    assert 'value="Fees"' in client.get(f"/desk/anlp/articles/{page.pk}/").text
    clock.now = utc(2026, 10, 13, 9)
    data = {"slug": "fees", "language": "en", "title": "Fees for 2027", "body": "£60 a year."}
    assert client.post(f"/desk/anlp/articles/{page.pk}/", data).status_code == 302
    page.refresh_from_db()
    assert (page.title, page.body, page.published) == ("Fees for 2027", "£60 a year.", False)
    assert page.updated_at == utc(2026, 10, 13, 9)


def test_one_version_per_language(
    anlp: Organization, member: Callable[..., User], client: Client
) -> None:
    article(anlp, "fees", "en", "Fees")
    client.force_login(member(anlp, "owner"))
    data = {"slug": "fees", "language": "en", "title": "Fees again", "body": "Text"}
    response = client.post("/desk/anlp/articles/new/", data)
    assert response.status_code == 422
    assert "This short name already has a version in that language." in response.text
    # another language of the same article is welcome
    data["language"] = "sr-Latn"
    assert client.post("/desk/anlp/articles/new/", data).status_code == 302
    assert Article.objects.filter(slug="fees").count() == 2


def test_a_language_the_organization_does_not_write_in_is_refused(
    anlp: Organization, member: Callable[..., User], client: Client
) -> None:
    client.force_login(member(anlp, "owner"))
    data = {"slug": "fees", "language": "pl", "title": "Opłaty", "body": "Text"}
    assert client.post("/desk/anlp/articles/new/", data).status_code == 422
    assert not Article.objects.exists()


@pytest.mark.parametrize("role", ["agent", "viewer"])
def test_agents_and_viewers_do_not_write_articles(
    anlp: Organization, member: Callable[..., User], client: Client, role: str
) -> None:
    page = article(anlp, "fees", "en", "Fees")
    client.force_login(member(anlp, role))
    assert client.get("/desk/anlp/articles/").status_code == 403
    assert client.get("/desk/anlp/articles/new/").status_code == 403
    data = {"slug": "x", "language": "en", "title": "X", "body": "X"}
    assert client.post("/desk/anlp/articles/new/", data).status_code == 403
    assert client.post(f"/desk/anlp/articles/{page.pk}/", data).status_code == 403
    assert Article.objects.count() == 1
    assert 'href="/desk/anlp/articles/"' not in client.get("/desk/anlp/").text


def test_another_organizations_articles_do_not_exist(
    anlp: Organization, eurolux: Organization, member: Callable[..., User], client: Client
) -> None:
    theirs = article(eurolux, "delivery", "en", "Delivery")
    client.force_login(member(anlp, "owner"))
    assert client.get(f"/desk/anlp/articles/{theirs.pk}/").status_code == 404
    data = {"slug": "delivery", "language": "en", "title": "Mine now", "body": "X"}
    assert client.post(f"/desk/anlp/articles/{theirs.pk}/", data).status_code == 404
    assert client.get("/desk/eurolux/articles/").status_code == 404
    assert "Delivery" not in client.get("/desk/anlp/articles/").text
    theirs.refresh_from_db()
    assert theirs.title == "Delivery"


def test_the_desk_links_to_the_articles_for_supervisors(
    anlp: Organization, member: Callable[..., User], client: Client
) -> None:
    client.force_login(member(anlp, "supervisor"))
    assert 'href="/desk/anlp/articles/"' in client.get("/desk/anlp/").text


def test_the_admin_is_scoped_like_the_console(
    anlp: Organization, eurolux: Organization, member: Callable[..., User], client: Client
) -> None:
    article(anlp, "fees", "en", "ANLP fees")
    article(eurolux, "delivery", "en", "Eurolux delivery")
    operator = member(anlp, "owner")
    operator.is_staff = True
    operator.save()
    operator.user_permissions.set(Permission.objects.filter(content_type__app_label="knowledge"))
    client.force_login(operator)
    listing = client.get("/admin/knowledge/article/").text
    assert "ANLP fees" in listing
    assert "Eurolux delivery" not in listing


# -- The public help pages ------------------------------------------------------------


def test_the_help_pages_list_published_articles_in_the_page_language(
    anlp: Organization, client: Client
) -> None:
    article(anlp, "fees", "sr-Latn", "Članarina")
    article(anlp, "fees", "en", "Fees")
    article(anlp, "draft", "en", "Draft", published=False)
    serbian = client.get("/o/anlp/help/", headers={"accept-language": "sr-Latn"}).text
    assert "Članarina" in serbian
    assert "Fees" not in serbian
    english = client.get("/o/anlp/help/", {"lang": "en"}).text
    assert '<a href="/o/anlp/help/fees/?lang=en">Fees</a>' in english
    assert "Draft" not in english
    assert client.get("/o/anlp/help/draft/", {"lang": "en"}).status_code == 404


def test_an_article_page_is_escaped_with_paragraphs_lists_and_links(
    anlp: Organization, client: Client
) -> None:
    body = (
        "Renew once a year.\nOnline or by post.\n\n"
        "- Log in\n- Choose <b>Renew</b>\n\n"
        "More: https://anlp.org/fees <script>alert(1)</script>"
    )
    article(anlp, "renew", "en", "Renew <now>", body)
    response = client.get("/o/anlp/help/renew/", {"lang": "en"})
    html = response.text
    assert response.status_code == 200
    assert "<h1>Renew &lt;now&gt;</h1>" in html
    assert "<p>Renew once a year.<br>Online or by post.</p>" in html
    assert "<ul><li>Log in</li><li>Choose &lt;b&gt;Renew&lt;/b&gt;</li></ul>" in html
    assert '<a href="https://anlp.org/fees" rel="nofollow">https://anlp.org/fees</a>' in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_article_missing_in_the_page_language_shows_another_version(
    anlp: Organization, client: Client
) -> None:
    article(anlp, "register", "sr-Latn", "Registar praktičara")
    html = client.get("/o/anlp/help/register/", {"lang": "en"}).text
    assert "Registar praktičara" in html
    assert "This page is not written in your language yet" in html


def test_another_organizations_article_is_not_found(
    anlp: Organization, eurolux: Organization, client: Client
) -> None:
    article(eurolux, "delivery", "en", "Delivery")
    assert client.get("/o/anlp/help/delivery/", {"lang": "en"}).status_code == 404
    assert client.get("/o/no-such-org/help/").status_code == 404


def test_the_help_pages_search_without_javascript(anlp: Organization, client: Client) -> None:
    article(anlp, "renew", "en", "Renewing your membership", "Renew every year.")
    article(anlp, "register", "en", "The practitioner register", "Who is listed.")
    html = client.get("/o/anlp/help/", {"lang": "en", "q": "renew"}).text
    assert "Renewing your membership" in html
    assert "practitioner register" not in html


@pytest.mark.parametrize(
    ("org_name", "language", "words"),
    [
        ("anlp", "en", 'lang="en"'),
        ("anlp", "sr-Latn", 'lang="sr-Latn"'),
        ("eurolux", "ru", 'lang="ru"'),
        ("eurolux", "az", 'lang="az"'),
        ("ask4", "pl", 'lang="pl"'),
        ("leviatan", "ro", 'lang="ro"'),
    ],
)
def test_the_help_pages_work_in_every_language(
    request: pytest.FixtureRequest, client: Client, org_name: str, language: str, words: str
) -> None:
    org: Organization = request.getfixturevalue(org_name)
    article(org, "hours", language, f"Hours {language}", "Open 9 to 5.")
    for path in (f"/o/{org.slug}/help/", f"/o/{org.slug}/help/hours/"):
        response = client.get(path, {"lang": language})
        assert response.status_code == 200
        assert words in response.text
        assert f"Hours {language}" in response.text


# -- Suggestions as the customer types --------------------------------------------------


@pytest.fixture
def help_centre(anlp: Organization) -> Organization:
    article(anlp, "renew", "en", "Renewing your membership", "Renew online every year.")
    article(anlp, "fees", "en", "Membership fees", "What membership costs; renew early.")
    article(anlp, "register", "en", "The practitioner register", "Who is on the register.")
    article(anlp, "renew", "sr-Latn", "Obnova članstva", "Članstvo se obnavlja.")
    article(anlp, "hidden", "en", "Renew secretly", "Renew renew renew.", published=False)
    return anlp


def test_suggestions_match_the_words_typed_in_the_page_language(
    help_centre: Organization, client: Client
) -> None:
    response = client.get("/o/anlp/help/suggest", {"q": "How do I renew?", "lang": "en"})
    assert response.status_code == 200
    html = response.text
    assert html.index("Renewing your membership") < html.index("Membership fees")  # title first
    assert "practitioner register" not in html
    assert "Renew secretly" not in html  # not published
    assert "Obnova" not in html  # another language
    assert 'href="/o/anlp/help/renew/?lang=en"' in html
    serbian = client.get("/o/anlp/help/suggest", {"q": "članstvo", "lang": "sr-Latn"}).text
    assert "Obnova članstva" in serbian


def test_no_words_no_suggestions(help_centre: Organization, client: Client) -> None:
    for query in ("", "a b", "?!"):
        response = client.get("/o/anlp/help/suggest", {"q": query, "lang": "en"})
        assert response.status_code == 200
        assert response.text.strip() == ""


def test_at_most_five_suggestions(anlp: Organization, client: Client) -> None:
    for i in range(8):
        article(anlp, f"exam-{i}", "en", f"Exam question {i}")
    html = client.get("/o/anlp/help/suggest", {"q": "exam", "lang": "en"}).text
    assert html.count("<li>") == 5


def test_suggestions_are_rate_limited(
    help_centre: Organization, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = Limit("suggest-ip", 3, timedelta(minutes=10))
    monkeypatch.setattr(public_views, "SUGGEST_PER_IP", limit)
    answers = [client.get("/o/anlp/help/suggest", {"q": "renew"}).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_the_web_form_tag_brings_the_script_and_the_no_javascript_link(
    anlp: Organization,
) -> None:
    html = Template("{% load knowledge %}{% article_suggestions org language %}").render(
        Context({"org": anlp, "language": "sr-Latn"})
    )
    assert 'id="article-suggestions"' in html
    assert 'data-url="/o/anlp/help/suggest"' in html
    assert 'data-lang="sr-Latn"' in html
    assert 'src="/static/knowledge/suggest.js"' in html
    assert '<a href="/o/anlp/help/?lang=sr-Latn"' in html
    assert "See our help pages" in html


# -- Relevance and rendering, without the database ---------------------------------------


class Page:
    def __init__(self, title: str, body: str = "") -> None:
        self.title, self.body = title, body


def test_query_words_are_three_letters_or_more_in_any_case_and_script() -> None:
    assert query_words("How do I RENEW my Членство? я") == ["how", "renew", "членство"]


def test_relevance_counts_titles_over_bodies_and_matches_word_starts() -> None:
    pages = [
        Page("Fees", "renewal renewal renewal renewal"),
        Page("Renewing", "nothing"),
        Page("Other", "nothing to see"),
    ]
    assert [page.title for page in best(pages, "renew")] == ["Fees", "Renewing"]
    # three body mentions (the most counted) equal one title mention: ties go by title
    assert [page.title for page in best(pages, "renew fees")] == ["Fees", "Renewing"]
    assert best(pages, "zzz") == []


def test_a_body_renders_escaped() -> None:
    assert str(render_body("a <i>b</i>\n\n- c & d")) == (
        "<p>a &lt;i&gt;b&lt;/i&gt;</p>\n<ul><li>c &amp; d</li></ul>"
    )


@pytest.mark.parametrize("language", ["en", "pl", "ru", "sr-latn", "ro", "az"])
def test_the_console_pages_work_in_every_language(
    anlp: Organization, member: Callable[..., User], client: Client, language: str
) -> None:
    page = article(anlp, "fees", "en", "Fees")
    client.force_login(member(anlp, "owner"))
    client.cookies["django_language"] = language
    for path in (
        "/desk/anlp/articles/",
        "/desk/anlp/articles/new/",
        f"/desk/anlp/articles/{page.pk}/",
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert f'<html lang="{language}"' in response.text
