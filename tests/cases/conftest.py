from __future__ import annotations

from datetime import datetime
from pathlib import Path

from charterdesk.cases.models import Case, Organization
from charterdesk.cases.services import open_case, record_event

CHARTERS = Path(__file__).parents[2] / "charters"


def arrived(org: Organization, case_type: str, channel: str, at: datetime) -> Case:
    """A case opened as it arrives (the desk's clock and the arrival agree)."""
    return open_case(org, case_type=case_type, channel=channel, received_at=at, now=at)


def happened(case: Case, kind: str, at: datetime, **data: object) -> None:
    """An event recorded as it happens."""
    record_event(case, kind, at=at, now=at, data=data)
