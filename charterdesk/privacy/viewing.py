"""Who saw a case's personal data: one row per view of the case page or export, written
with one INSERT (the case page stays a fixed number of queries)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User

from charterdesk.cases.models import Case
from charterdesk.privacy.models import CaseView


def record_view(case: Case, user: User, now: datetime, kind: str = CaseView.Kind.PAGE) -> CaseView:
    return CaseView.objects.create(
        organization_id=case.organization_id, case_id=case.pk, user_id=user.pk, kind=kind, at=now
    )
