"""What the reports page shows, read in a fixed number of queries whatever the size of
the desk: compliance per commitment against its target, the breaches, causes over the
last twelve months, satisfaction, and the decisions taken in review."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Max
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from charterdesk.cases.models import Membership
from charterdesk.console.desk import Desk
from charterdesk.console.labels import case_type_label, channel_label
from charterdesk.localized import translated
from charterdesk.reports import causes, charts, dashboard, figures
from charterdesk.reports.forms import ReportFilterForm, ReviewDecisionForm
from charterdesk.reports.models import RefreshMark
from charterdesk.reports.periods import Period, add_months, month_period


def filter_form(desk: Desk, data: Mapping[str, Any], now: datetime) -> ReportFilterForm:
    charter = desk.charter.charter if desk.charter else None
    language = translation.get_language() or "en"
    members = dashboard.members(desk.organization)
    return ReportFilterForm(
        data,
        today=now.astimezone(ZoneInfo(desk.organization.timezone)).date(),
        case_types=[(c, case_type_label(c, charter, language)) for c in charter.case_types]
        if charter
        else [],
        channels=[(c, channel_label(c, charter, language)) for c in charter.channels]
        if charter
        else [],
        people=[
            (str(m.user_id), m.user.get_full_name() or m.user.get_username())
            for m in members
            if m.role != Membership.Role.VIEWER
        ],
        languages=charter.organization.languages if charter else desk.organization.languages,
    )


def is_manager(desk: Desk) -> bool:
    return desk.membership.role in (Membership.Role.OWNER, Membership.Role.SUPERVISOR)


def reports_context(
    desk: Desk,
    data: Mapping[str, Any],
    now: datetime,
    decision_form: ReviewDecisionForm | None = None,
) -> dict[str, Any]:
    org = desk.organization
    form = filter_form(desk, data, now)
    period, where = form.chosen_period(), form.chosen_slice()
    query = urlencode(
        {key: value for key, value in form.data.items() if value} if form.is_bound else {}
    )
    year = Period(add_months(period.last, -11), period.last)
    return {
        "desk": desk,
        "form": form,
        "period": period,
        **_compliance(desk, period, where),
        **_causes(desk, year, where),
        **_satisfaction(desk, period, where),
        "decisions": list(causes.decisions(org, year)),
        "decision_form": decision_form or ReviewDecisionForm(initial={"decided_on": now.date()}),
        "can_decide": is_manager(desk),
        "refreshed_at": RefreshMark.objects.filter(name__in=("reports", "rebuilt")).aggregate(
            at=Max("ran_at")
        )["at"],
        "query": query,
        "type_labels": form.labels("case_type"),
        "channel_labels": form.labels("channel"),
        "now": now,
    }


def _compliance(desk: Desk, period: Period, where: figures.Slice) -> dict[str, Any]:
    org, charter = desk.organization, desk.charter.charter if desk.charter else None
    rows = figures.compliance(
        org, charter, period, where, language=translation.get_language() or "en"
    )
    title = _("Share of promises kept on time, %(period)s") % {"period": period.label()}
    bars = [(f"{r.promises} {r.title}".strip(), r.tally.kept, r.target) for r in rows]
    return {
        "rows": rows,
        "titles": {row.id: row.title for row in rows},
        "kept_chart": charts.kept_bars("kept", title, bars),
        "breaches": list(figures.breaches(org, period, where)),
        "breach_total": figures.breaches(org, period, where, limit=None).count(),
    }


def _causes(desk: Desk, year: Period, where: figures.Slice) -> dict[str, Any]:
    trend = causes.cause_trend(desk.organization, year, where)
    series = [(row.cause, row.counts) for row in trend.rows]
    title = _("Cases by cause and month of arrival")
    return {
        "trend": trend,
        "cause_rows": _cause_rows(desk, trend),
        "cause_chart": charts.stacked_months("causes", title, trend.months, series),
    }


def _satisfaction(desk: Desk, period: Period, where: figures.Slice) -> dict[str, Any]:
    charter = desk.charter.charter if desk.charter else None
    survey = charter.survey if charter else None
    scale = survey.scale if survey else 5
    found = figures.satisfaction(desk.organization, period, where)
    language = translation.get_language() or "en"
    title = _("Survey scores, %(period)s") % {"period": period.label()}
    return {
        "satisfaction": found,
        "scale": scale,
        "score_chart": charts.score_columns("scores", title, found.distribution, scale),
        "question_labels": {
            q.id: translated(q.text, language) for q in (survey.questions if survey else [])
        },
    }


def _cause_rows(desk: Desk, trend: causes.CauseTrend) -> list[dict[str, Any]]:
    """Each cause with its monthly counts, each count with the link to its cases."""
    url = reverse("reports:causes", kwargs={"org_slug": desk.organization.slug})
    codes = [month_period(month).code for month in trend.months]
    return [
        {
            "cause": row.cause,
            "total": row.total,
            "cells": [
                (count, f"{url}?{urlencode({'cause': row.cause, 'period': code})}")
                for count, code in zip(row.counts, codes, strict=True)
            ],
        }
        for row in trend.rows
    ]
