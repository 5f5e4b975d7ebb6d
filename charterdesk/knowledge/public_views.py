"""The public help pages (``/o/<org>/help/``, ``/o/<org>/help/<slug>/``) in the
organization's languages, and the suggestions the web form asks for as the customer
types (``/o/<org>/help/suggest?q=...&lang=...``: an HTML fragment, rate-limited)."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from charterdesk.knowledge.rendering import render_body
from charterdesk.knowledge.selectors import article_path, published, suggestions, version_for
from charterdesk.localized import django_language
from charterdesk.portal import throttle
from charterdesk.portal.contact_views import organization
from charterdesk.portal.languages import page_language
from charterdesk.portal.responses import not_found, page

#: Suggestions per IP address: enough for a person typing, not for a scraper.
SUGGEST_PER_IP = throttle.Limit("suggest-ip", 120, timedelta(minutes=10))
MAX_QUERY = 500


@require_GET
def help_index(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Every published article in the page's language; with ``?q=`` the best matches."""
    org = organization(org_slug)
    if org is None:
        return not_found(request)
    language = page_language(request, org)
    query = request.GET.get("q", "")[:MAX_QUERY].strip()
    if query:
        found = suggestions(org, language, query, limit=20)
        shown = [(item.title, item.url) for item in found]
    else:
        rows = published(org, language).only("slug", "title").order_by("title")
        shown = [(row.title, article_path(org, row.slug, language)) for row in rows]
    context = {"articles": shown, "query": query}
    return page(request, "knowledge/help_index.html", context, language=language, org=org)


@require_GET
def article(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    org = organization(org_slug)
    if org is None:
        return not_found(request)
    language = page_language(request, org)
    found = version_for(org, slug, language)
    if found is None:
        return not_found(request)
    context = {
        "article": found,
        "body": render_body(found.body),
        "other_language": found.language != language,
    }
    return page(request, "knowledge/article.html", context, language=language, org=org)


@require_GET
def suggest(request: HttpRequest, org_slug: str) -> HttpResponse:
    """At most five articles for what the customer has typed, as a list of links."""
    org = organization(org_slug)
    if org is None:
        return HttpResponse(status=404)
    if not throttle.hit(SUGGEST_PER_IP, throttle.client_ip(request), timezone.now()):
        return HttpResponse(status=429, headers={"Retry-After": "600"})
    language = page_language(request, org)
    found = suggestions(org, language, request.GET.get("q", "")[:MAX_QUERY])
    with translation.override(django_language(language)):
        response = render(request, "knowledge/_suggestions.html", {"suggestions": found})
    response["Cache-Control"] = "no-store"
    return response
