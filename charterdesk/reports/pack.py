"""The management review pack (ISO 10002, monitoring and management review): the
period, compliance per commitment against its target, every breach with its reason and
delay notices, causes, satisfaction and the decisions taken, as plain tables that
:mod:`charterdesk.reports.exports` writes as CSV, XLSX and PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext as _

from charterdesk.cases.models import Organization
from charterdesk.core.charter import Charter
from charterdesk.reports import causes, figures
from charterdesk.reports.figures import EVERYTHING, Slice
from charterdesk.reports.periods import Period

Cell = str | int | float | None


@dataclass(slots=True)
class Table:
    name: str  # also the XLSX sheet's name: short
    title: str
    header: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    total: int | None = None  # rows in all, when only the first are listed

    @property
    def count(self) -> int:
        return len(self.rows) if self.total is None else self.total


@dataclass(slots=True)
class ReviewPack:
    organization: str
    period: Period
    generated_at: datetime
    zone: str
    tables: list[Table]

    @property
    def heading(self) -> str:
        return _("Management review: %(organization)s, %(period)s") % {
            "organization": self.organization,
            "period": self.period.label(),
        }

    @property
    def generated(self) -> str:
        return _("Generated %(at)s (%(zone)s)") % {
            "at": when(self.generated_at, self.zone),
            "zone": self.zone,
        }


def when(at: datetime | None, zone: str) -> str:
    """``2026-11-19 17:00``, local time (also called for every breach: kept cheap)."""
    if at is None:
        return ""
    return at.astimezone(ZoneInfo(zone)).replace(tzinfo=None).isoformat(" ", "minutes")


def share(value: float | None) -> float | None:
    """A share as a percentage with one decimal, for a spreadsheet cell."""
    return round(value * 100, 1) if value is not None else None


def review_pack(
    org: Organization,
    charter: Charter | None,
    period: Period,
    now: datetime,
    *,
    language: str,
    where: Slice = EVERYTHING,
    breach_limit: int | None = None,
) -> ReviewPack:
    """The pack for ``period``; every breach, or the latest ``breach_limit``."""
    tables = [
        _compliance(org, charter, period, where, language),
        _breaches(org, charter, period, where, language, breach_limit),
        _causes(org, period, where),
        _satisfaction(org, period, where),
        _decisions(org, period),
    ]
    return ReviewPack(org.name, period, now, org.timezone, tables)


def _compliance(
    org: Organization, charter: Charter | None, period: Period, where: Slice, language: str
) -> Table:
    table = Table(
        "compliance",
        _("Compliance with each commitment"),
        [
            _("Commitment"),
            _("Promises"),
            _("Applied to"),
            _("Met on time"),
            _("Met late"),
            _("Breached"),
            _("Still open"),
            _("Kept on time (%)"),
            _("Target (%)"),
            _("Target met"),
            _("Breaches with a delay notice"),
        ],
    )
    for row in figures.compliance(org, charter, period, where, language=language):
        tally, target_met = row.tally, row.meets_target
        table.rows.append(
            [
                row.title,
                row.promises,
                tally.applied,
                tally.met,
                tally.met_late,
                tally.breached,
                tally.open,
                share(tally.kept),
                share(row.target),
                "" if target_met is None else (_("yes") if target_met else _("no")),
                row.told,
            ]
        )
    return table


def _breaches(
    org: Organization,
    charter: Charter | None,
    period: Period,
    where: Slice,
    language: str,
    limit: int | None,
) -> Table:
    commitments = charter.commitments if charter else []
    titles = {c.id: figures.commitment_words(c, language)[0] for c in commitments}
    table = Table(
        "breaches",
        _("Breaches, with their reasons and delay notices"),
        [
            _("Case"),
            _("Commitment"),
            _("Case type"),
            _("Channel"),
            _("Assignee"),
            _("Due"),
            _("Met"),
            _("Reason"),
            _("Delay notices"),
            _("First delay notice"),
        ],
    )
    listed = figures.breaches(org, period, where, limit=None)
    if limit is not None:
        table.total = listed.count()
        listed = listed[:limit]
    zone, not_met = org.timezone, _("not met")
    rows = listed.values_list(
        "reference",
        "commitment",
        "case_type",
        "channel",
        "assignee__first_name",
        "assignee__last_name",
        "assignee__username",
        "due_at",
        "met_at",
        "reason",
        "delay_notices",
        "first_notice_at",
    )
    for row in rows.iterator(5_000):
        (reference, commitment, kind, channel, first, last, user) = row[:7]
        due_at, met_at, reason, notices, first_notice = row[7:]
        table.rows.append(
            [
                reference,
                titles.get(commitment, commitment),
                kind,
                channel,
                f"{first} {last}".strip() or user or "",
                when(due_at, zone),
                when(met_at, zone) or not_met,
                reason,
                notices,
                when(first_notice, zone),
            ]
        )
    return table


def _causes(org: Organization, period: Period, where: Slice) -> Table:
    trend = causes.cause_trend(org, period, where)
    months = [str(formats.date_format(month, "M Y")) for month in trend.months]
    table = Table(
        "causes", _("Causes of cases, by month of arrival"), [_("Cause"), *months, _("Total")]
    )
    for row in trend.rows:
        table.rows.append([row.cause, *row.counts, row.total])
    return table


def _satisfaction(org: Organization, period: Period, where: Slice) -> Table:
    found = figures.satisfaction(org, period, where)
    table = Table("satisfaction", _("Satisfaction"), [_("Measure"), _("Responses"), _("Value")])
    table.rows += [
        [_("Survey invitations"), None, found.invited],
        [_("Responses"), found.overall.responses, share(found.response_rate)],
        [_("Average score"), found.overall.responses, _round(found.overall.average)],
    ]
    for question, scores in sorted(found.questions.items()):
        table.rows.append(
            [_("Question: %(id)s") % {"id": question}, scores.responses, _round(scores.average)]
        )
    for case_type, scores in sorted(found.by_case_type.items()):
        table.rows.append(
            [
                _("Case type: %(type)s") % {"type": case_type},
                scores.responses,
                _round(scores.average),
            ]
        )
    for channel, scores in sorted(found.by_channel.items()):
        table.rows.append(
            [
                _("Channel: %(channel)s") % {"channel": channel},
                scores.responses,
                _round(scores.average),
            ]
        )
    return table


def _round(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


def _decisions(org: Organization, period: Period) -> Table:
    table = Table(
        "decisions",
        _("Changes decided in review"),
        [_("Decided on"), _("Decision"), _("Causes"), _("Cases")],
    )
    for decision in causes.decisions(org, period):
        table.rows.append(
            [
                decision.decided_on.isoformat(),
                decision.text,
                "; ".join(decision.causes),
                " ".join(decision.cases),
            ]
        )
    return table
