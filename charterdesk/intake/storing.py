"""An incoming message's parts that are not its text: the cleaned HTML, the attachments
(checked by content), and a note on the case for anything left out or malformed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import uuid4

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from charterdesk.cases.actions import add_note
from charterdesk.cases.models import Attachment, Case, Message
from charterdesk.intake.filetypes import check
from charterdesk.intake.models import MessageHtml
from charterdesk.intake.parsing import ParsedMail, Part


def store_incoming(case: Case, mail: ParsedMail, raw: bytes, at: datetime) -> Message:
    """The mail as a message on the case, without recording any event."""
    return Message.objects.create(
        organization_id=case.organization_id,
        case=case,
        direction=Message.Direction.IN,
        channel=case.channel,
        author=author_of(mail),
        body=mail.text,
        raw=raw,
        message_id=mail.message_id,
        at=at,
    )


def author_of(mail: ParsedMail) -> str:
    if mail.sender_name and mail.sender:
        return f"{mail.sender_name} <{mail.sender}>"[:200]
    return (mail.sender_name or mail.sender)[:200]


def store_parts(case: Case, message: Message, mail: ParsedMail, now: datetime) -> int:
    """HTML and attachments of ``message``; returns how many attachments were stored."""
    if mail.html:
        MessageHtml.objects.create(
            organization_id=case.organization_id, message=message, html=mail.html
        )
    stored, refused = _attachments(message, mail.attachments)
    lines = refused
    if mail.problems:
        lines = [
            _("This mail was not well formed; it was read as well as it could be:"),
            *(f"- {problem}" for problem in mail.problems),
            *refused,
        ]
    if lines:
        add_note(case, text="\n".join(lines), now=now, actor=None)
    return stored


def _attachments(message: Message, parts: Sequence[Part]) -> tuple[int, list[str]]:
    limit = int(settings.CHARTERDESK_MAX_ATTACHMENT_BYTES)
    refused: list[str] = []
    keep: list[Attachment] = []
    for part in parts:
        name = part.filename or "attachment"
        if len(part.data) > limit:
            refused.append(
                _("Attachment “%(name)s” not stored: %(size)d bytes, more than %(limit)d.")
                % {"name": name, "size": len(part.data), "limit": limit}
            )
            continue
        verdict = check(part.data, part.content_type, name)
        if verdict.kind is None:
            refused.append(
                _("Attachment “%(name)s” not stored: %(problem)s.")
                % {"name": name, "problem": verdict.problem}
            )
            continue
        attachment = Attachment(
            organization_id=message.organization_id,
            message=message,
            filename=name,
            content_type=verdict.content_type,
            size=len(part.data),
        )
        attachment.file.save(f"{uuid4().hex}{verdict.extension}", ContentFile(part.data), False)
        keep.append(attachment)
    Attachment.objects.bulk_create(keep)
    return len(keep), refused
