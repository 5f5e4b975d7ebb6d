"""Subject access: one contact's export holds everything of theirs (cases, messages with
the raw mail, files, events, clocks) and nothing of anyone else's (L10, T11)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from charterdesk.cases.charters import NotAllowed
from charterdesk.cases.models import AuditEntry
from charterdesk.privacy.export import export_contact
from charterdesk.privacy.models import CaseView
from tests.helpers import utc

from .conftest import NOW, tell_story

pytestmark = pytest.mark.django_db


def opened(content: bytes) -> tuple[dict, dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop("contact.json")), files


def everything(document: dict, files: dict[str, bytes]) -> str:
    return json.dumps(document, ensure_ascii=False) + "".join(
        f"{name}\n{content.decode('utf-8', 'replace')}" for name, content in files.items()
    )


def test_L10_T11_export_is_complete_for_one_contact_and_has_nothing_of_another(
    ask4, leviatan, member
) -> None:
    agent, supervisor = member(ask4, "agent"), member(ask4, "supervisor")
    cy = tell_story(
        ask4,
        agent,
        name="Cy Rhys",
        email="cy@example.com",
        secret="Sapphire",
        at=utc(2026, 9, 1, 9),
    )
    # overlapping: the same name, a case the same day, of the same type
    other = tell_story(
        ask4,
        agent,
        name="Cy Rhys",
        email="cy.other@example.com",
        secret="Obsidian",
        at=utc(2026, 9, 1, 9),
    )
    # another organization, the same address
    lev_agent = member(leviatan, "agent")
    elsewhere = tell_story(
        leviatan,
        lev_agent,
        name="Cy Rhys",
        email="cy@example.com",
        secret="Turquoise",
        at=utc(2026, 9, 1, 9),
        case_type="enquiry",
        channel="email",
        fields={},
    )

    document, files = opened(export_contact(cy.contact, actor=supervisor, now=NOW))

    assert document["contact"] == {
        "name": "Cy Rhys",
        "email": "cy@example.com",
        "phone": "",
        "language": "en",
    }
    (case,) = document["cases"]
    assert case["reference"] == cy.case.reference
    assert case["fields"] == {"summary": "Sapphire summary"}
    bodies = [m["body"] for m in case["messages"]]
    assert "My Sapphire problem" in bodies
    assert "Dear Sapphire" in bodies
    assert "Sapphire again" in bodies
    kinds = [e["kind"] for e in case["events"]]
    for kind in ("received", "update_sent", "noted", "delay_notice_sent", "resolved"):
        assert kind in kinds
    assert {c["commitment"] for c in case["clocks"]} >= {"complaint-receipt"}
    # the raw mail and the file, as received
    raw_names = [m["raw_mail"] for m in case["messages"] if m["raw_mail"]]
    assert len(raw_names) == 2
    assert b"Subject: About Sapphire" in files[raw_names[0]]
    (attachment,) = [a for m in case["messages"] for a in m["attachments"]]
    assert attachment["filename"] == "Sapphire.txt"
    assert files[attachment["file"]] == b"file of Sapphire"
    # nothing of the other customer, nor of the other organization
    text = everything(document, files)
    for foreign in (
        "Obsidian",
        "cy.other@example.com",
        other.case.reference,
        "Turquoise",
        elsewhere.case.reference,
    ):
        assert foreign not in text
    # no member of staff is named in the events
    assert agent.username not in json.dumps(case["events"])


def test_the_export_is_audited_and_counts_as_a_view(ask4, member) -> None:
    agent, supervisor = member(ask4, "agent"), member(ask4, "supervisor")
    cy = tell_story(
        ask4, agent, name="Cy", email="cy@example.com", secret="S", at=utc(2026, 9, 1, 9)
    )
    export_contact(cy.contact, actor=supervisor, now=NOW)
    audit = AuditEntry.objects.get(action="privacy:exported")
    assert (audit.actor, audit.target, audit.at) == (supervisor, f"contact:{cy.contact.pk}", NOW)
    assert audit.data["cases"] == [cy.case.reference]
    view = CaseView.objects.get()
    assert (view.user, view.case, view.kind) == (supervisor, cy.case, "export")


@pytest.mark.parametrize("role", ["agent", "viewer"])
def test_only_supervisors_and_owners_export(ask4, member, role: str) -> None:
    agent = member(ask4, "agent", name="teller")
    cy = tell_story(
        ask4, agent, name="Cy", email="cy@example.com", secret="S", at=utc(2026, 9, 1, 9)
    )
    with pytest.raises(NotAllowed):
        export_contact(cy.contact, actor=member(ask4, role, name=f"x-{role}"), now=NOW)
    assert not AuditEntry.objects.filter(action="privacy:exported").exists()
