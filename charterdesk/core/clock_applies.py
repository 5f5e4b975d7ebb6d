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
from charterdesk.core.events import CaseFacts

_MAX_VERDICTS = 1024  # per plan; more only with made-up case types (tests)


def why_not_applicable(
    commitment: Commitment, plan: Plan, case: CaseFacts, received: datetime, calendar: WorkCalendar
) -> str:
    """Why ``commitment`` (whose plan is ``plan``) does not apply to ``case``, received
    at ``received``; "" when it applies."""
    verdicts = plan.verdicts
    if verdicts is None:
        return _why_not(commitment, case, received, calendar)
    key = (case.case_type, case.channel, case.internal)
    verdict = verdicts.get(key)
    if verdict is None:
        if len(verdicts) >= _MAX_VERDICTS:
            verdicts.clear()
        verdict = verdicts[key] = _why_not(commitment, case, received, calendar)
    return verdict


def _why_not(
    commitment: Commitment, case: CaseFacts, received: datetime, calendar: WorkCalendar
) -> str:
    rule = commitment.applies
    if case.internal and case.case_type not in (rule.case_types or ()):
        # a promise to customers (any case type, or by channel) is no promise about the
        # desk's own records: a breach logged from a phone call is not a call to answer
        return f"applies only to customers' cases, not to {case.case_type}"
    if rule.case_types is not None and case.case_type not in rule.case_types:
        return f"applies only to {', '.join(rule.case_types)} cases"
    if rule.channels is not None and case.channel not in rule.channels:
        return f"applies only to cases received by {', '.join(rule.channels)}"
    if rule.received is not None:
        in_hours = calendar.next_working_moment(received) == received
        if in_hours != (rule.received == "in_hours"):
            wanted = "in" if rule.received == "in_hours" else "out of"
            return f"applies only to cases received {wanted} working hours"
    for name, expected in rule.fields.items():
        actual = case.fields.get(name)
        if actual is None and isinstance(expected, bool):
            actual = False  # a box left unticked
        if actual != expected:
            return f"applies only when {name} is {expected}"
    return ""
