"""Texts and times in a customer's language, with Django's translations and formats.

Usable before a Django project is set up (the command line configures a minimal one).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

import django
from django.conf import settings
from django.utils import formats, translation


def django_language(code: str) -> str:
    """'sr-Latn' in a charter is 'sr-latn' to Django."""
    return code.lower()


def translated(text: Mapping[str, str], language: str) -> str:
    """The text in ``language``, else in its base language, else English, else the first."""
    for candidate in (language, language.split("-")[0], "en"):
        if candidate in text:
            return text[candidate]
    return next(iter(text.values()))


def local_time(at: datetime, zone: str, language: str) -> str:
    """'Thu 26 Nov 2026, 17:30' in the zone, with the language's names for days and months."""
    _ready()
    with translation.override(django_language(language)):
        return str(formats.date_format(at.astimezone(ZoneInfo(zone)), "D j M Y, H:i"))


def _ready() -> None:
    if not settings.configured:
        settings.configure(USE_I18N=True, USE_TZ=True, LANGUAGE_CODE="en-us")
        django.setup()
