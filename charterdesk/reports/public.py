"""What the public pages show, from the charter in force and the report tables.

The published charter and the published results are read from the same YAML the desk
enforces (DESIGN.md: the promises customers read, the rules staff work under and the
results published cannot drift apart). Every text is the charter's, in the page's
language, falling back as :func:`charterdesk.localized.translated` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.http import Http404, HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from charterdesk.cases.charters import parsed
from charterdesk.cases.models import CharterVersion, Organization
from charterdesk.core.charter import Charter
from charterdesk.core.durations import parse_share
from charterdesk.localized import django_language, translated
from charterdesk.reports import charts, figures
from charterdesk.reports.periods import Period, last_full_quarter

CHANNEL_KINDS: dict[str, Promise] = {
    "email": gettext_lazy("Email"),
    "web_form": gettext_lazy("Online form"),
    "phone": gettext_lazy("Phone"),
    "voicemail": gettext_lazy("Voicemail"),
    "chat": gettext_lazy("Online chat"),
    "social": gettext_lazy("Social networks"),
    "letter": gettext_lazy("Letter"),
    "in_person": gettext_lazy("In person"),
}
#: Quarters on the results page: the last full one and the four before it.
TREND_QUARTERS = 5


@dataclass(frozen=True, slots=True)
class Published:
    organization: Organization
    charter: Charter
    version: CharterVersion
    language: str  # as the charter writes it, e.g. "sr-Latn"

    @property
    def name(self) -> str:
        return translated(self.charter.organization.name, self.language)

    def words(self, text: dict[str, str] | None) -> str:
        return translated(text, self.language) if text else ""


def published(org_slug: str, request: HttpRequest) -> Published:
    """The organization's charter in force, in the language the page is asked in; a 404
    for an unknown organization or one without an approved charter."""
    org = Organization.objects.filter(slug=org_slug).first()
    version = (
        CharterVersion.objects.filter(pk=org.charter_id).first() if org and org.charter_id else None
    )
    if org is None or version is None:
        raise Http404("no published charter")
    charter = parsed(version).charter
    return Published(org, charter, version, page_language(request, charter.organization.languages))


def page_language(request: HttpRequest, languages: list[str]) -> str:
    """``?lang=`` if it is one of the charter's languages, else the language the visitor's
    browser or language cookie asks for if it is one, else the charter's first."""
    by_code = {code.lower(): code for code in languages}
    asked = request.GET.get("lang", "").lower()
    if asked in by_code:
        return by_code[asked]
    said = request.headers.get("Accept-Language") or request.COOKIES.get(
        settings.LANGUAGE_COOKIE_NAME
    )
    if said:  # the language Django chose for the visitor from what they said
        chosen = (getattr(request, "LANGUAGE_CODE", "") or "").lower()
        for candidate in (chosen, chosen.split("-")[0]):
            if candidate in by_code:
                return by_code[candidate]
    return languages[0]


def language_links(page: Published) -> list[dict[str, Any]]:
    links = []
    for code in page.charter.organization.languages:
        info = LANG_INFO.get(django_language(code), LANG_INFO.get(code.split("-")[0].lower(), {}))
        links.append(
            {"code": code, "name": info.get("name_local", code), "current": code == page.language}
        )
    return links


def results_context(page: Published, now: datetime) -> dict[str, Any]:
    """The last full quarter, the trend over the quarters before it, and the surveys."""
    org, charter = page.organization, page.charter
    last = last_full_quarter(now.astimezone(ZoneInfo(org.timezone)).date())
    periods = [last]
    while len(periods) < TREND_QUARTERS:
        periods.insert(0, periods[0].previous())
    rows = figures.compliance_trend(org, charter, periods, language=page.language)
    promises = [
        {
            "figures": row,
            "measured": any(tally.applied for _period, tally in row.trend),
            "chart": charts.trend_columns(
                f"trend-{row.id}",
                row.text,
                [(p.label(), tally.kept) for p, tally in row.trend],
                row.target,
            ),
        }
        for row in rows
    ]
    survey = charter.survey if charter.survey and charter.survey.publish else None
    return {
        "page": page,
        "period": last,
        "periods": periods,
        "promises": promises,
        "survey": survey,
        **(_survey_results(page, last, periods) if survey else {}),
    }


def _survey_results(page: Published, last: Period, periods: list[Period]) -> dict[str, Any]:
    assert page.charter.survey is not None
    found = figures.satisfaction(page.organization, last)
    trend = figures.satisfaction_trend(page.organization, periods)
    questions = [
        (page.words(q.text), found.questions.get(q.id)) for q in page.charter.survey.questions
    ]
    return {
        "satisfaction": found,
        "satisfaction_trend": trend,
        "questions": questions,
        "scale": page.charter.survey.scale,
        "score_chart": charts.score_columns(
            "scores",
            _("Scores given, %(period)s") % {"period": last.label()},
            found.distribution,
            page.charter.survey.scale,
        ),
    }


_LENGTH = re.compile(r"^(\d+) (day|month|year)s?$")


def length(text: str) -> str:
    """'6 years' in the page's language."""
    found = _LENGTH.match(text)
    if found is None:
        return text
    n, unit = int(found[1]), found[2]
    if unit == "day":
        return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}
    if unit == "month":
        return ngettext("%(n)d month", "%(n)d months", n) % {"n": n}
    return ngettext("%(n)d year", "%(n)d years", n) % {"n": n}


def charter_context(page: Published) -> dict[str, Any]:
    """The whole published charter, in words, from the YAML in force."""
    charter = page.charter
    types = {code: page.words(t.title) for code, t in charter.case_types.items() if not t.internal}
    return {
        "page": page,
        "types": types,
        "channels": _channels(page, types),
        "commitments": [
            {
                "text": figures.commitment_words(c, page.language)[1],
                "target": charts.percent(parse_share(c.target)) if c.target else "",
            }
            for c in charter.commitments
        ],
        "escalation": [page.words(step.title) for step in charter.escalation],
        "appeal": page.words(charter.appeal.text) if charter.appeal else "",
        "bodies": [
            {
                "name": page.words(body.name),
                "url": body.url or "",
                "kind": body.kind,
                "after": body.after,
                "binding": body.binding,
            }
            for body in charter.external_bodies
        ],
        "conduct": page.words(charter.conduct.text) if charter.conduct else "",
        "survey": [page.words(q.text) for q in charter.survey.questions] if charter.survey else [],
        "retention": {
            "closed_cases": length(charter.retention.closed_cases),
            "raw_mail": length(charter.retention.raw_mail),
        },
        "governance": charter.governance,
        "results_published": charter.publication.results_page,
    }


def _channels(page: Published, types: dict[str, str]) -> list[dict[str, Any]]:
    """Each way in, with its address (the organization's contact point for it, else the
    channel's own) and the case types it takes, if not all (A7)."""
    charter = page.charter
    addresses = {point.channel: point.address for point in charter.organization.contact_points}
    return [
        {
            "title": page.words(c.title) if c.title else str(CHANNEL_KINDS.get(c.kind, c.kind)),
            "address": addresses.get(code) or c.address or "",
            "accepts": [types[t] for t in c.accepts or [] if t in types],
        }
        for code, c in charter.channels.items()
    ]
