"""Satisfaction surveys (A4, T23): invitations after resolution, and the answers.

:func:`invite_surveys` is the worker's part: once per case, the charter's ``survey.delay``
after the case was resolved, it records ``survey_sent`` and queues the invitation to the
customer through the outbox, in the case's language. :func:`record_rating` is what the
customer's portal calls with the answers; they are checked against the charter's survey.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from charterdesk.cases.charters import ParsedCharter, parsed
from charterdesk.cases.customer_mail import compose, tell_customer
from charterdesk.cases.models import Case, CharterVersion, Event
from charterdesk.cases.services import CaseError, record_event
from charterdesk.conduct.arrival import acknowledgement_withheld
from charterdesk.core.charter import Survey
from charterdesk.core.clock_timing import deadline
from charterdesk.core.durations import parse_duration
from charterdesk.core.events import Event as CoreEvent
from charterdesk.localized import translated
from charterdesk.reports.refresh import BATCH, MARGIN, claim_mark

DONE = (Case.Status.RESOLVED, Case.Status.CLOSED)
#: Resolutions older than this when their invitation falls due get none: a desk that
#: starts its worker on an old history does not survey years of customers at once.
INVITE_WITHIN = timedelta(days=30)

DEFAULT_INVITATION = _(
    "How did we do with {reference}? Please tell us, on a scale of 1 to {scale}: "
    "{questions} {survey_url}"
)


def after_kinds(survey: Survey) -> tuple[str, ...]:
    """The events after which the survey goes out; a resolution at first contact is a
    resolution too (E3)."""
    if survey.after == "resolved":
        return ("resolved", "resolved_at_first_contact")
    return (survey.after,)


def invitation_due(charter: ParsedCharter, survey: Survey, resolved_at: datetime) -> datetime:
    """The charter's ``survey.delay`` after the resolution, counted on its first calendar."""
    calendar = charter.calendars[next(iter(charter.charter.calendars))]
    trigger = CoreEvent(kind=survey.after, at=resolved_at)
    return deadline(calendar, resolved_at, parse_duration(survey.delay), trigger) or resolved_at


def invite_surveys(now: datetime, *, batch: int = BATCH) -> int:
    """Invite the customers of cases resolved at least the charter's delay ago, once per
    case. Returns the invitations queued."""
    with transaction.atomic():
        mark = claim_mark("surveys")
        if mark is None:
            return 0
        rows = list(
            Event.objects.filter(pk__gt=mark.event_pk)
            .order_by("pk")
            .values_list("pk", "recorded_at", "kind", "at", "case_id")[:batch]
        )
        kinds = _after_kinds_in_use()
        cases = Case.objects.select_related("charter", "contact", "organization").in_bulk(
            {case_id for _, _, kind, _, case_id in rows if kind in kinds}
        )
        surveyed = set(
            Event.objects.filter(case_id__in=list(cases), kind="survey_sent").values_list(
                "case_id", flat=True
            )
        )
        invited, settled = 0, True
        for pk, recorded_at, kind, at, case_id in rows:
            waiting = False
            if case_id in cases and case_id not in surveyed:
                outcome = _invite_if_due(cases[case_id], kind, at, now)
                waiting = outcome == "waiting"
                if outcome == "invited":
                    invited += 1
                    surveyed.add(case_id)
            settled = settled and not waiting and recorded_at <= now - MARGIN
            if settled:
                mark.event_pk = pk
        mark.ran_at = now
        mark.save()
    return invited


def _after_kinds_in_use() -> set[str]:
    kinds: set[str] = set()
    for version in CharterVersion.objects.all():
        survey = parsed(version).charter.survey
        if survey is not None:
            kinds.update(after_kinds(survey))
    return kinds


def _invite_if_due(case: Case, kind: str, at: datetime, now: datetime) -> str:
    """'invited', 'waiting' (not yet due) or 'skipped' (no survey, reopened, no address)."""
    charter = parsed(case.charter)
    survey = charter.charter.survey
    if survey is None or kind not in after_kinds(survey):
        return "skipped"
    due = invitation_due(charter, survey, at)
    if due > now:
        return "waiting"
    if now - due > INVITE_WITHIN:
        return "skipped"
    if case.status not in DONE or case.contact is None or not case.contact.email:
        return "skipped"
    if acknowledgement_withheld(case):  # A3, N7: no mail to a person whose contact is restricted
        return "skipped"
    record_event(case, "survey_sent", at=now, now=now)
    questions = [translated(q.text, case.language) for q in survey.questions]
    values = {"scale": survey.scale, "questions": questions, "survey_url": survey_link(case)}
    body = compose(case, "survey_invitation", DEFAULT_INVITATION, values)
    tell_customer(case, body=body.strip(), now=now, automatic=True)
    return "invited"


def survey_link(case: Case) -> str:
    """Where the customer answers: the portal's ``portal:survey`` page, once it exists."""
    try:
        path = reverse(
            "portal:survey",
            kwargs={"org_slug": case.organization.slug, "reference": case.reference},
        )
    except NoReverseMatch:
        return ""
    return settings.CHARTERDESK_SITE_URL.rstrip("/") + path


@transaction.atomic
def record_rating(case: Case, *, score: int, answers: Mapping[str, object], now: datetime) -> Event:
    """The customer's answers to the survey: an overall ``score`` and one answer per
    question id, each a whole number from 1 to the charter's scale. Once per case."""
    survey = parsed(case.charter).charter.survey
    if survey is None:
        raise CaseError("no-survey", "this organization's charter has no survey")
    locked = Case.objects.select_for_update().get(pk=case.pk)
    events = Event.objects.filter(case=locked)
    if not events.filter(kind__in=after_kinds(survey)).exists():
        raise CaseError("not-resolved", "a case is rated after it is resolved")
    if events.filter(kind="rated").exists():
        raise CaseError("already-rated", "this case has been rated already")
    questions = {question.id for question in survey.questions}
    checked: dict[str, int] = {}
    for question, value in answers.items():
        if question not in questions:
            raise CaseError("unknown-question", f"the survey has no question {question!r}")
        checked[question] = _on_scale(value, survey.scale, question)
    data = {"score": _on_scale(score, survey.scale, "score"), "answers": checked}
    return record_event(case, "rated", at=now, now=now, data=data)


def _on_scale(value: object, scale: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= scale:
        raise CaseError("bad-score", f"{what} must be a whole number from 1 to {scale}")
    return value
