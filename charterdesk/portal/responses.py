"""How portal pages are answered: in the page's language, never cached, never sending
the address (with its token) on as a Referer, and the same 404 for every wrong link."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control

from charterdesk.cases.charters import parsed
from charterdesk.cases.models import Organization
from charterdesk.localized import django_language, translated
from charterdesk.portal import languages

#: The page's address (with its token) is never sent on: other sites and our own static
#: files get the origin at most. Not ``no-referrer``: under it browsers send ``Origin: null``
#: with every form, which Django's CSRF check rightly refuses.
REFERRER_POLICY = "strict-origin"


def page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    language: str,
    org: Organization | None = None,
    status: int = 200,
) -> HttpResponse:
    code = django_language(language)
    if org is not None and org.charter is not None:
        context = {**context, "org_name": organization_name(org, language)}
    with translation.override(code):
        response = render(
            request,
            template,
            {
                **context,
                "org": org,
                "language": language,
                "languages": languages.choices(org, language) if org else [],
            },
            status=status,
        )
    response["Content-Language"] = code
    response["Referrer-Policy"] = REFERRER_POLICY
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, no_store=True, private=True)
    return response


def organization_name(org: Organization, language: str) -> str:
    assert org.charter is not None
    return translated(parsed(org.charter).charter.organization.name, language)


def request_language(request: HttpRequest) -> str:
    """For pages outside any organization: ``?lang=`` if Django knows it, else the
    browser's."""
    known = {code for code, _ in settings.LANGUAGES}
    asked = django_language(request.GET.get("lang", ""))
    return asked if asked in known else translation.get_language_from_request(request)


def not_found(request: HttpRequest) -> HttpResponse:
    """Every link that opens nothing gets this same page."""
    return page(
        request, "portal/not_found.html", {}, language=request_language(request), status=404
    )


def too_many(request: HttpRequest) -> HttpResponse:
    response = page(
        request, "portal/too_many.html", {}, language=request_language(request), status=429
    )
    response["Retry-After"] = "600"
    return response


def too_large(request: HttpRequest) -> HttpResponse:
    return page(
        request, "portal/too_large.html", {}, language=request_language(request), status=413
    )
