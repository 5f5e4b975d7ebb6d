"""Reading the report tables: compliance per commitment against its target, breaches,
satisfaction. Each function is one or two queries over the monthly rows of
:mod:`charterdesk.reports.models`, scoped to one organization.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from charterdesk.cases.models import Organization
from charterdesk.core.charter import Charter, Commitment
from charterdesk.core.durations import parse_share
from charterdesk.localized import translated
from charterdesk.reports.models import BreachRecord, ComplianceCount, Outcome, SurveyCount
from charterdesk.reports.periods import Period


@dataclass(frozen=True, kw_only=True, slots=True)
class Slice:
    """The report's filters; empty strings mean "any"."""

    case_type: str = ""
    channel: str = ""
    assignee: str = ""  # a user id, "none" for unassigned, or ""
    language: str = ""

    def q(self) -> Q:
        found = Q()
        if self.case_type:
            found &= Q(case_type=self.case_type)
        if self.channel:
            found &= Q(channel=self.channel)
        if self.language:
            found &= Q(language=self.language)
        if self.assignee == "none":
            found &= Q(assignee__isnull=True)
        elif self.assignee.isdigit():
            found &= Q(assignee_id=int(self.assignee))
        return found


EVERYTHING = Slice()


@dataclass(kw_only=True, slots=True)
class Tally:
    """One commitment's clocks by outcome."""

    met: int = 0
    met_late: int = 0
    breached: int = 0
    open: int = 0

    def add(self, outcome: str, count: int) -> None:
        if outcome in (Outcome.MET, Outcome.MET_LATE, Outcome.BREACHED, Outcome.OPEN):
            setattr(self, outcome, getattr(self, outcome) + count)

    @property
    def applied(self) -> int:
        return self.met + self.met_late + self.breached + self.open

    @property
    def settled(self) -> int:
        """Clocks whose outcome is known: met, met late or breached."""
        return self.met + self.met_late + self.breached

    @property
    def kept(self) -> float | None:
        """The share kept on time, of the clocks whose outcome is known."""
        return self.met / self.settled if self.settled else None


@dataclass(kw_only=True, slots=True)
class CommitmentFigures:
    id: str
    promises: str  # e.g. "A9"
    title: str
    text: str  # the promise in the customer's words (else its title)
    target: float | None
    tally: Tally = field(default_factory=Tally)
    told: int = 0  # breaches whose customer was sent a delay notice
    trend: list[tuple[Period, Tally]] = field(default_factory=list)

    @property
    def meets_target(self) -> bool | None:
        kept = self.tally.kept
        if self.target is None or kept is None:
            return None
        return kept >= self.target


def in_period(org: Organization, period: Period, where: Slice = EVERYTHING) -> Q:
    return Q(organization=org, month__gte=period.first, month__lte=period.last) & where.q()


def commitment_words(commitment: Commitment, language: str) -> tuple[str, str]:
    """(title, text): the commitment's title and what customers are told, in ``language``."""
    title = translated(commitment.title, language)
    texts = [translated(text, language) for text in commitment.texts()]
    return title, " ".join(texts) or title


def _figures_for(
    charter: Charter | None, ids: Iterable[str], language: str
) -> dict[str, CommitmentFigures]:
    figures: dict[str, CommitmentFigures] = {}
    known = {c.id: c for c in charter.commitments} if charter else {}
    for commitment_id in [*known, *sorted(set(ids) - set(known))]:
        commitment = known.get(commitment_id)
        if commitment is None:  # a commitment of an earlier charter version
            figures[commitment_id] = CommitmentFigures(
                id=commitment_id, promises="", title=commitment_id, text=commitment_id, target=None
            )
            continue
        title, text = commitment_words(commitment, language)
        figures[commitment_id] = CommitmentFigures(
            id=commitment_id,
            promises=", ".join(commitment.promise),
            title=title,
            text=text,
            target=parse_share(commitment.target) if commitment.target else None,
        )
    return figures


def compliance(
    org: Organization,
    charter: Charter | None,
    period: Period,
    where: Slice = EVERYTHING,
    *,
    language: str = "en",
) -> list[CommitmentFigures]:
    """Every commitment with its clocks by outcome in ``period`` (two queries). A
    commitment of the charter in force with no cases shows zeros."""
    rows = list(
        ComplianceCount.objects.filter(in_period(org, period, where))
        .values_list("commitment", "outcome")
        .annotate(n=Sum("count"))
        .order_by()
    )
    told = dict(
        BreachRecord.objects.filter(in_period(org, period, where), delay_notices__gt=0)
        .values_list("commitment")
        .annotate(n=Count("pk"))
        .order_by()
    )
    figures = _figures_for(charter, {commitment for commitment, _, _ in rows}, language)
    for commitment, outcome, count in rows:
        figures[commitment].tally.add(outcome, count)
    for commitment, count in told.items():
        if commitment in figures:
            figures[commitment].told = count
    return list(figures.values())


def compliance_trend(
    org: Organization, charter: Charter | None, periods: Sequence[Period], *, language: str
) -> list[CommitmentFigures]:
    """Every commitment with a tally per period (oldest first), in one query; ``tally``
    holds the last period's."""
    first, last = min(p.first for p in periods), max(p.last for p in periods)
    rows = list(
        ComplianceCount.objects.filter(organization=org, month__gte=first, month__lte=last)
        .values_list("commitment", "month", "outcome")
        .annotate(n=Sum("count"))
        .order_by()
    )
    figures = _figures_for(charter, {commitment for commitment, _, _, _ in rows}, language)
    tallies: dict[tuple[str, Period], Tally] = defaultdict(Tally)
    for commitment, month, outcome, count in rows:
        tallies[commitment, _period_of(month, periods)].add(outcome, count)
    for commitment_id, figure in figures.items():
        figure.trend = [(p, tallies.get((commitment_id, p), Tally())) for p in periods]
        figure.tally = figure.trend[-1][1]
    return list(figures.values())


def _period_of(month: date, periods: Sequence[Period]) -> Period:
    return next(p for p in periods if p.first <= month <= p.last)


def breaches(
    org: Organization, period: Period, where: Slice = EVERYTHING, *, limit: int | None = 50
) -> QuerySet[BreachRecord]:
    """The period's breaches, latest due first (``limit`` of them; None: all)."""
    rows = (
        BreachRecord.objects.filter(in_period(org, period, where))
        .select_related("assignee")
        .order_by("-due_at", "-pk")
    )
    return rows[:limit] if limit is not None else rows


@dataclass(kw_only=True, slots=True)
class Scores:
    responses: int = 0
    total: int = 0

    def add(self, score: int, count: int) -> None:
        self.responses += count
        self.total += score * count

    @property
    def average(self) -> float | None:
        return self.total / self.responses if self.responses else None


@dataclass(kw_only=True, slots=True)
class Satisfaction:
    invited: int = 0
    overall: Scores = field(default_factory=Scores)
    distribution: dict[int, int] = field(default_factory=dict)
    questions: dict[str, Scores] = field(default_factory=dict)
    by_case_type: dict[str, Scores] = field(default_factory=dict)
    by_channel: dict[str, Scores] = field(default_factory=dict)

    @property
    def response_rate(self) -> float | None:
        return self.overall.responses / self.invited if self.invited else None


def satisfaction(org: Organization, period: Period, where: Slice = EVERYTHING) -> Satisfaction:
    """Invitations, responses and scores in ``period``, overall and per case type and
    channel (one query)."""
    rows = (
        SurveyCount.objects.filter(in_period(org, period, where))
        .values_list("case_type", "channel", "measure", "question", "score")
        .annotate(n=Sum("count"))
        .order_by()
    )
    found = Satisfaction()
    for case_type, channel, measure, question, score, count in rows:
        if measure == SurveyCount.Measure.SENT:
            found.invited += count
        elif measure == SurveyCount.Measure.RATED:
            found.overall.add(score, count)
            found.distribution[score] = found.distribution.get(score, 0) + count
            found.by_case_type.setdefault(case_type, Scores()).add(score, count)
            found.by_channel.setdefault(channel, Scores()).add(score, count)
        else:
            found.questions.setdefault(question, Scores()).add(score, count)
    return found


def satisfaction_trend(org: Organization, periods: Sequence[Period]) -> list[tuple[Period, Scores]]:
    """The overall score per period, oldest first (one query)."""
    first, last = min(p.first for p in periods), max(p.last for p in periods)
    rows = (
        SurveyCount.objects.filter(
            organization=org,
            month__gte=first,
            month__lte=last,
            measure=SurveyCount.Measure.RATED,
        )
        .values_list("month", "score")
        .annotate(n=Sum("count"))
        .order_by()
    )
    scores: dict[Period, Scores] = defaultdict(Scores)
    for month, score, count in rows:
        scores[_period_of(month, periods)].add(score, count)
    return [(period, scores.get(period, Scores())) for period in periods]
