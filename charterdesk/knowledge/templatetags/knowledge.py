"""``{% article_suggestions org language %}``: what the web form needs to suggest help
articles as the customer types (a small script of ours), and the "See our help pages"
link that works without it."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from charterdesk.cases.models import Organization

register = template.Library()


@register.inclusion_tag("knowledge/_suggest_script.html")
def article_suggestions(org: Organization, language: str) -> dict[str, Any]:
    slug = {"org_slug": org.slug}
    return {
        "language": language,
        "suggest_url": reverse("knowledge:suggest", kwargs=slug),
        "help_url": reverse("knowledge:help", kwargs=slug) + f"?lang={language}",
    }
