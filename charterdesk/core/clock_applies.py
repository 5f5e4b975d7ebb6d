"""Whether a commitment applies to a case: its case types, channels, hours and fields.

Most of the commitments a desk evaluates do not apply to the case at hand (a charter's
promises about complaints, asked about an enquiry). For a commitment that applies by
case type and channel alone, the answer is the same for every case of that type and
channel: its plan keeps it, so most cases are answered by a look-up.
"""

from __future__ import annotations

from datetime import datetime

from charterdesk.core.calendar import WorkCalendar
from charterdesk.core.charter import Commitment
from charterdesk.core.clock_plan import Plan
from charterdesk.core.clock_why import Why, WhyKind, english
from charterdesk.core.events import CaseFacts

_MAX_VERDICTS = 1024  # per plan; more only with made-up case types (tests)


#: Why a commitment does not apply, in parts and in English words; None: it applies.
Verdict = tuple[Why, str] | None


def why_not_applicable(
    commitment: Commitment, plan: Plan, case: CaseFacts, received: datetime, calendar: WorkCalendar
) -> Verdict:
    """Why ``commitment`` (whose plan is ``plan``) does not apply to ``case``, received
    at ``received``: its :func:`refusal` and that in English; None when it applies."""
    verdicts = plan.verdicts
    if verdicts is None:
        return _verdict(commitment, case, received, calendar)
    key = (case.case_type, case.channel, case.internal)
    if key in verdicts:
        return verdicts[key]
    if len(verdicts) >= _MAX_VERDICTS:
        verdicts.clear()
    verdict = verdicts[key] = _verdict(commitment, case, received, calendar)
    return verdict


def _verdict(
    commitment: Commitment, case: CaseFacts, received: datetime, calendar: WorkCalendar
) -> Verdict:
    refused = refusal(commitment, case, received, calendar)
    return None if refused is None else (refused, english(refused, calendar))


def refusal(
    commitment: Commitment, case: CaseFacts, received: datetime, calendar: WorkCalendar
) -> Why | None:
    """Why ``commitment`` does not apply to ``case``, in parts; None when it applies
    (:func:`why_not_applicable` keeps it with its English text, per type and channel)."""
    rule = commitment.applies
    if case.internal and case.case_type not in (rule.case_types or ()):
        # a promise to customers (any case type, or by channel) is no promise about the
        # desk's own records: a breach logged from a phone call is not a call to answer
        return Why(kind=WhyKind.INTERNAL_ONLY, names=(case.case_type,))
    if rule.case_types is not None and case.case_type not in rule.case_types:
        return Why(kind=WhyKind.NOT_FOR_TYPE, names=tuple(rule.case_types))
    if rule.channels is not None and case.channel not in rule.channels:
        return Why(kind=WhyKind.NOT_FOR_CHANNEL, names=tuple(rule.channels))
    if rule.received is not None:
        in_hours = calendar.next_working_moment(received) == received
        if in_hours != (rule.received == "in_hours"):
            wanted = rule.received == "in_hours"
            return Why(kind=WhyKind.IN_HOURS if wanted else WhyKind.OUT_OF_HOURS)
    for name, expected in rule.fields.items():
        actual = case.fields.get(name)
        if actual is None and isinstance(expected, bool):
            actual = False  # a box left unticked
        if actual != expected:
            return Why(kind=WhyKind.WHEN_FIELD, field=name, value=expected)
    return None
