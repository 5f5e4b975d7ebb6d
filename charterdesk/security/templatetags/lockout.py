"""The lockout page's one filter: a cool-off period in whole minutes."""

from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(period: timedelta) -> int:
    """Whole minutes in ``period``, rounded up (a 90-second wait reads as 2 minutes)."""
    return -(-int(period.total_seconds()) // 60)
