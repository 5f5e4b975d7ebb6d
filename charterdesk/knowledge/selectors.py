"""Reading the knowledge base: one organization's published articles, the version of an
article for a language, addresses, and suggestions for what a customer is typing."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from charterdesk.cases.models import Organization
from charterdesk.knowledge.models import Article
from charterdesk.knowledge.search import best
from charterdesk.portal.links import absolute

#: Suggestions read at most this many articles of one language (a help centre's worth).
MAX_SCANNED = 2000


def published(org: Organization, language: str) -> QuerySet[Article]:
    return Article.objects.filter(organization=org, language=language, published=True)


def version_for(org: Organization, slug: str, language: str) -> Article | None:
    """The published version of ``slug`` in ``language``, else in the organization's
    first language that has one, else any."""
    versions = {
        article.language: article
        for article in Article.objects.filter(organization=org, slug=slug, published=True)
    }
    for code in [language, *org.languages]:
        if code in versions:
            return versions[code]
    return next(iter(versions.values()), None)


def article_path(org: Organization, slug: str, language: str) -> str:
    path = reverse("knowledge:article", kwargs={"org_slug": org.slug, "slug": slug})
    return f"{path}?{urlencode({'lang': language})}"


def article_url(org: Organization, slug: str, language: str) -> str:
    """The article's public address, as sent to customers."""
    return absolute(article_path(org, slug, language))


@dataclass(frozen=True, slots=True)
class Suggestion:
    slug: str
    title: str
    url: str


def suggestions(org: Organization, language: str, text: str, limit: int = 5) -> list[Suggestion]:
    """The articles that best match ``text``, in ``language`` (for the web form)."""
    candidates = published(org, language).only("slug", "title", "body")[:MAX_SCANNED]
    return [
        Suggestion(article.slug, article.title, article_path(org, article.slug, language))
        for article in best(candidates, text, limit)
    ]
