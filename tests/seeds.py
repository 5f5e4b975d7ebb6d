"""The five seed organizations, installed as an operator would: every test that needs an
organization with its charter in force gets it from here."""

from __future__ import annotations

from pathlib import Path

from charterdesk.cases.charters import approve_charter, propose_charter
from charterdesk.cases.models import Organization

CHARTERS = Path(__file__).parents[1] / "charters"


def charter_text(name: str) -> str:
    return (CHARTERS / f"{name}.yaml").read_text(encoding="utf-8")


def install(name: str, text: str | None = None) -> Organization:
    """A seed organization (or ``text``, a charter of that name) with its charter approved."""
    version = propose_charter(
        text if text is not None else charter_text(name), f"charters/{name}.yaml"
    )
    approve_charter(version, by=None)
    return Organization.objects.get(pk=version.organization_id)
