"""Subject access: everything the desk holds on one contact, as one ZIP file.

``contact.json`` holds the contact, their cases with their fields, messages, events and
clocks; ``mail/`` the raw mail as received (``.eml``); ``attachments/`` the files. Only
the contact's own cases are read, always within the contact's organization. Staff are
not named in events (their actions are marked ``by_staff``); replies carry the author
the customer saw.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.text import get_valid_filename

from charterdesk.cases.models import Attachment, AuditEntry, Case, Clock, Contact, Event, Message
from charterdesk.privacy.models import CaseView
from charterdesk.privacy.roles import require_privacy_role

FORMAT = "charterdesk-subject-access/1"


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _message(message: Message, files: list[dict[str, Any]]) -> dict[str, Any]:
    raw = bytes(message.raw) if message.raw is not None else None
    return {
        "direction": message.direction,
        "channel": message.channel,
        "author": message.author,
        "at": _when(message.at),
        "body": message.body,
        "message_id": message.message_id,
        "raw_mail": f"mail/{message.pk}.eml" if raw is not None else None,
        "attachments": files,
    }


def _attachment_name(attachment: Attachment) -> str:
    safe = get_valid_filename(attachment.filename) or "file"
    return f"attachments/{attachment.pk}-{safe}"


def _case(
    case: Case,
    messages: list[Message],
    attachments: dict[int, list[Attachment]],
    events: list[Event],
    clocks: list[Clock],
) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "type": case.case_type,
        "channel": case.channel,
        "language": case.language,
        "status": case.status,
        "subject": case.subject,
        "fields": case.fields,
        "received_at": _when(case.received_at),
        "messages": [
            _message(
                m,
                [
                    {
                        "filename": a.filename,
                        "content_type": a.content_type,
                        "size": a.size,
                        "file": _attachment_name(a) if a.file else None,
                    }
                    for a in attachments.get(m.pk, [])
                ],
            )
            for m in messages
        ],
        "events": [
            {"kind": e.kind, "at": _when(e.at), "data": e.data, "by_staff": e.actor_id is not None}
            for e in events
        ],
        "clocks": [
            {
                "commitment": c.commitment,
                "state": c.state,
                "started_at": _when(c.started_at),
                "due_at": _when(c.due_at),
                "met_at": _when(c.met_at),
                "reason": c.reason,
            }
            for c in clocks
        ],
    }


def _grouped(rows: Any, key: str) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = {}
    for row in rows:
        found.setdefault(getattr(row, key), []).append(row)
    return found


def export_document(contact: Contact, now: datetime) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The JSON document and the files (path in the ZIP -> bytes) of one contact."""
    org = contact.organization_id
    cases = list(Case.objects.filter(organization_id=org, contact=contact).order_by("received_at"))
    ids = [case.pk for case in cases]
    messages = _grouped(
        Message.objects.filter(organization_id=org, case_id__in=ids).order_by("at", "pk"),
        "case_id",
    )
    attachments = _grouped(
        Attachment.objects.filter(organization_id=org, message__case_id__in=ids).order_by("pk"),
        "message_id",
    )
    events = _grouped(
        Event.objects.filter(organization_id=org, case_id__in=ids).order_by("at", "pk"), "case_id"
    )
    clocks = _grouped(
        Clock.objects.filter(organization_id=org, case_id__in=ids).order_by("commitment"),
        "case_id",
    )
    files: dict[str, bytes] = {}
    for case_messages in messages.values():
        for message in case_messages:
            if message.raw is not None:
                files[f"mail/{message.pk}.eml"] = bytes(message.raw)
    for found in attachments.values():
        for attachment in found:
            if attachment.file:
                with attachment.file.open("rb") as handle:
                    files[_attachment_name(attachment)] = handle.read()
    document = {
        "format": FORMAT,
        "exported_at": now.isoformat(),
        "contact": {
            "name": contact.name,
            "email": contact.email,
            "phone": contact.phone,
            "language": contact.language,
        },
        "cases": [
            _case(
                case,
                messages.get(case.pk, []),
                attachments,
                events.get(case.pk, []),
                clocks.get(case.pk, []),
            )
            for case in cases
        ],
    }
    return document, files


def zipped(document: dict[str, Any], files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
        archive.writestr("contact.json", text)
        for name, content in sorted(files.items()):
            archive.writestr(name, content)
    return buffer.getvalue()


@transaction.atomic
def export_contact(contact: Contact, *, actor: User, now: datetime) -> bytes:
    """The ZIP of one contact's data for a supervisor or owner; the download is audited,
    and counts as a view of each case."""
    require_privacy_role(actor, contact.organization_id)
    document, files = export_document(contact, now)
    references = [case["reference"] for case in document["cases"]]
    AuditEntry.objects.create(
        organization_id=contact.organization_id,
        actor=actor,
        action="privacy:exported",
        target=f"contact:{contact.pk}",
        data={"cases": references, "files": len(files)},
        at=now,
    )
    case_ids = Case.objects.filter(
        organization_id=contact.organization_id, reference__in=references
    ).values_list("pk", flat=True)
    CaseView.objects.bulk_create(
        CaseView(
            organization_id=contact.organization_id,
            case_id=pk,
            user=actor,
            kind=CaseView.Kind.EXPORT,
            at=now,
        )
        for pk in case_ids
    )
    return zipped(document, files)
