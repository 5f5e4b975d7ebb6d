"""Small template filters of the report pages."""

from __future__ import annotations

from collections.abc import Mapping

from django import template
from django.utils import formats

from charterdesk.reports.charts import percent

register = template.Library()


@register.filter
def lookup(mapping: Mapping[object, object], key: object) -> object:
    """``{{ titles|lookup:clock.commitment }}``: the value, or the key itself if absent."""
    return mapping.get(key, key)


@register.filter(name="percent")
def percent_filter(share: float | None) -> str:
    """A share (0.94) as a percentage in the active language ("94%")."""
    return percent(share)


@register.filter
def score(value: object) -> str:
    """An average score with one decimal in the active language, or a dash (also for
    a missing value, which a template passes as "")."""
    if not isinstance(value, int | float):
        return "–"
    return str(formats.number_format(value, 1))
