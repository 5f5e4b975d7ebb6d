"""Files customers send with the web form and the portal: limited in number and size,
checked by their content (a program renamed ``photo.jpg`` is refused), stored under a
generated name, and never read into memory whole before the limits are checked.

A request larger than every file together could be is refused from its Content-Length,
before Django reads the body (so a 2 GB upload costs nothing): see :func:`limited_upload`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import PurePosixPath
from typing import Any
from uuid import uuid4

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from charterdesk.cases.models import Attachment, Message
from charterdesk.intake.filetypes import EXECUTABLE_EXTENSIONS, check, sniff

MAX_FILES = 5
MAX_TOTAL_BYTES = 25 * 1024 * 1024
#: What the other fields of a form may add to the files (text, boundaries, headers).
FORM_OVERHEAD_BYTES = 1024 * 1024
HEAD_BYTES = 8192
ACCEPT = ".pdf,.png,.jpg,.jpeg,.gif,.txt,.csv,.zip,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods"


def max_file_bytes() -> int:
    return int(settings.CHARTERDESK_MAX_ATTACHMENT_BYTES)


def max_request_bytes() -> int:
    return MAX_TOTAL_BYTES + FORM_OVERHEAD_BYTES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(FilesField, self).clean(item, initial) for item in files]


def check_files(files: Sequence[UploadedFile]) -> list[UploadedFile]:
    """The files, if all may be kept; a ValidationError naming every refusal if not."""
    if len(files) > MAX_FILES:
        raise forms.ValidationError(
            _("Send at most %(count)d files."), code="too-many", params={"count": MAX_FILES}
        )
    problems = [problem for problem in map(_problem, files) if problem is not None]
    total = sum(file.size or 0 for file in files)
    if total > MAX_TOTAL_BYTES:
        problems.append(
            forms.ValidationError(
                _("The files together may not exceed %(mb)d MB."),
                code="too-large-total",
                params={"mb": MAX_TOTAL_BYTES // (1024 * 1024)},
            )
        )
    if problems:
        raise forms.ValidationError(problems)
    return list(files)


def _problem(file: UploadedFile) -> forms.ValidationError | None:
    name = file.name or ""
    params = {"name": name, "mb": max_file_bytes() // (1024 * 1024)}
    if (file.size or 0) > max_file_bytes():
        message = _("“%(name)s” is larger than %(mb)d MB.")
        return forms.ValidationError(message, code="too-large", params=params)
    head = _head(file)
    if sniff(head) == "executable" or PurePosixPath(name.lower()).suffix in EXECUTABLE_EXTENSIONS:
        message = _("“%(name)s” is a program. For your safety we do not accept programs.")
        return forms.ValidationError(message, code="program", params=params)
    verdict = check(head, file.content_type or "", name)
    if verdict.kind is None:
        message = _(
            "“%(name)s” is not a kind of file we accept, or its content does not match its "
            "name. Send PDF, images, Office documents, ZIP archives or plain text."
        )
        return forms.ValidationError(message, code="refused-type", params=params)
    return None


def _head(file: UploadedFile) -> bytes:
    file.seek(0)
    head = bytes(file.read(HEAD_BYTES))
    file.seek(0)
    return head


def store_files(message: Message, files: Sequence[UploadedFile]) -> list[Attachment]:
    """Files already checked, as the message's attachments under generated names."""
    stored = []
    for file in files:
        verdict = check(_head(file), file.content_type or "", file.name or "")
        attachment = Attachment(
            organization_id=message.organization_id,
            message=message,
            filename=PurePosixPath((file.name or "attachment").replace("\\", "/")).name[:255],
            content_type=verdict.content_type,
            size=file.size or 0,
        )
        attachment.file.save(f"{uuid4().hex}{verdict.extension}", file, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


View = Callable[..., HttpResponse]


def limited_upload(too_large: Callable[[HttpRequest], HttpResponse]) -> Callable[[View], View]:
    """Refuse a POST whose Content-Length exceeds what the form may carry before anything
    reads its body. CSRF is checked after that (the middleware would read the body
    first), by ``csrf_protect`` around the view."""

    def decorate(view: View) -> View:
        protected = csrf_protect(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and _content_length(request) > max_request_bytes():
                return too_large(request)
            return protected(request, *args, **kwargs)

        return csrf_exempt(wrapper)

    return decorate


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return max_request_bytes() + 1
