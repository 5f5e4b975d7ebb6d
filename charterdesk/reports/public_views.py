"""The public pages, for anyone: an organization's results and its charter, in the
charter's languages (``?lang=``). A charter can turn either page off (``publication:``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from charterdesk.localized import django_language
from charterdesk.reports.public import (
    Published,
    charter_context,
    language_links,
    published,
    results_context,
)


def _render(request: HttpRequest, page: Published, template: str, context: dict) -> HttpResponse:  # type: ignore[type-arg]
    with translation.override(django_language(page.language)):
        context |= {"languages": language_links(page), "lang": page.language}
        response = render(request, template, context)
    response["Content-Language"] = page.language
    patch_vary_headers(response, ("Accept-Language",))
    return response


@require_GET
def results(request: HttpRequest, org_slug: str) -> HttpResponse:
    page = published(org_slug, request)
    if not page.charter.publication.results_page:
        raise Http404("this organization does not publish its results")
    with translation.override(django_language(page.language)):
        context = results_context(page, timezone.now())
    return _render(request, page, "reports/results.html", context | {"current": "results"})


@require_GET
def charter(request: HttpRequest, org_slug: str) -> HttpResponse:
    page = published(org_slug, request)
    if not page.charter.publication.charter_page:
        raise Http404("this organization does not publish its charter here")
    with translation.override(django_language(page.language)):
        context = charter_context(page)
    return _render(request, page, "reports/charter.html", context | {"current": "charter"})
