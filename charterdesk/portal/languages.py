"""The language a customer's page is in: one of the organization's languages.

``?lang=`` chooses it; otherwise the case's language (the portal) or the browser's
(the web form, through Django's LocaleMiddleware), else the organization's first.
Codes are kept as the charter writes them (``sr-Latn``); Django's are lower case.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import translation

from charterdesk.cases.models import Organization
from charterdesk.localized import django_language

#: Each language's own name, for the switcher.
NAMES = {
    "en": "English",
    "pl": "Polski",
    "ru": "Русский",
    "sr-Latn": "Srpski (latinica)",
    "ro": "Română",
    "az": "Azərbaycanca",
}


@dataclass(frozen=True, slots=True)
class Choice:
    code: str  # as the charter writes it
    name: str
    current: bool


def page_language(request: HttpRequest, org: Organization, default: str | None = None) -> str:
    languages: list[str] = [str(code) for code in org.languages] or ["en"]
    by_django = {django_language(code): code for code in languages}
    asked = str(request.GET.get("lang", ""))
    if django_language(asked) in by_django:
        return by_django[django_language(asked)]
    if default and django_language(default) in by_django:
        return by_django[django_language(default)]
    browser = django_language(translation.get_language_from_request(request))
    for candidate in (browser, browser.split("-")[0]):
        if candidate in by_django:
            return by_django[candidate]
    return str(languages[0])


def choices(org: Organization, current: str) -> list[Choice]:
    return [Choice(code, NAMES.get(code, code), code == current) for code in org.languages]
