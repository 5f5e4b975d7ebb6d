"""The customer's portal: one case, opened by its secret link (E9).

Every view that takes a token goes through :func:`_opened`: a link that opens nothing
answers the same 404 whatever was wrong with it, and an address that tries too many of
them is refused (429) for a while, right ones included.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django import forms
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_POST

from charterdesk.cases.charters import parsed
from charterdesk.cases.models import Attachment, Case
from charterdesk.cases.services import CaseError
from charterdesk.localized import django_language, local_time, translated
from charterdesk.portal import links, services, throttle
from charterdesk.portal.forms import AppealForm, EvidenceForm, RatingForm, ReplyForm
from charterdesk.portal.languages import page_language
from charterdesk.portal.page import (
    conversation_of,
    escalation_route,
    open_question,
    promises_of,
    steps_of,
)
from charterdesk.portal.responses import not_found, page, too_large, too_many
from charterdesk.portal.uploads import limited_upload
from charterdesk.portal.words import STATUS_WORDS


@sensitive_variables("token")
def _opened(request: HttpRequest, token: str, now: datetime) -> Case | HttpResponse:
    ip = throttle.client_ip(request)
    if throttle.exceeded(throttle.WRONG_LINKS_PER_IP, ip, now):
        return too_many(request)
    case = links.case_for(token, now)
    if case is None:
        throttle.hit(throttle.WRONG_LINKS_PER_IP, ip, now)
        return not_found(request)
    return case


@sensitive_variables("token")
@require_GET
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    case = _opened(request, token, timezone.now())
    if isinstance(case, HttpResponse):
        return case
    language = page_language(request, case.organization, default=case.language)
    context = {
        "case": case,
        "token": token,
        "tracking_url": links.tracking_url(token),
        "mailed": case.events.filter(kind="acknowledged").exists(),
    }
    return page(request, "portal/thanks.html", context, language=language, org=case.organization)


@sensitive_variables("token")
@require_GET
def track(request: HttpRequest, token: str) -> HttpResponse:
    now = timezone.now()
    case = _opened(request, token, now)
    if isinstance(case, HttpResponse):
        return case
    language = page_language(request, case.organization, default=case.language)
    done = request.GET.get("done", "")
    return _track_page(request, case, token, language, now, done=done)


def _track_page(
    request: HttpRequest,
    case: Case,
    token: str,
    language: str,
    now: datetime,
    *,
    bound: dict[str, forms.Form] | None = None,
    done: str = "",
) -> HttpResponse:
    charter = parsed(case.charter).charter
    with translation.override(django_language(language)):
        context: dict[str, Any] = {
            "case": case,
            "token": token,
            "done": done if done in (*ACTIONS, "refused") else "",
            "zone": case.organization.timezone,
            "received": local_time(case.received_at, case.organization.timezone, language),
            "case_type_title": translated(charter.case_types[case.case_type].title, language)
            if case.case_type in charter.case_types
            else case.case_type,
            "status_words": STATUS_WORDS.get(case.status, case.status),
            "promises": promises_of(case, language, now),
            "steps": steps_of(case, language),
            "conversation": conversation_of(case, language),
            "question": open_question(case),
            "route": escalation_route(case, language),
            "appeal_text": translated(charter.appeal.text, language) if charter.appeal else "",
            "may_appeal": services.may_appeal(case),
            "may_rate": services.may_rate(case),
            "rated": case.events.filter(kind="rated").exists(),
            "closed": case.status == Case.Status.CLOSED,
            **_forms(case, language, bound or {}),
        }
    status = 400 if bound else 200
    return page(
        request,
        "portal/track.html",
        context,
        language=language,
        org=case.organization,
        status=status,
    )


def _forms(case: Case, language: str, bound: dict[str, forms.Form]) -> dict[str, Any]:
    survey = parsed(case.charter).charter.survey
    empty: dict[str, forms.Form | None] = {
        "reply": ReplyForm(),
        "evidence": EvidenceForm(),
        "appeal": AppealForm(),
        "rate": RatingForm(survey=survey, language=language) if survey else None,
    }
    return {f"{name}_form": bound.get(name, form) for name, form in empty.items()}


def _reply(case: Case, request: HttpRequest, language: str, now: datetime) -> forms.Form | None:
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return form
    complete = bool(form.cleaned_data["complete"])
    services.reply(case, body=form.cleaned_data["body"], now=now, complete=complete)
    return None


def _evidence(case: Case, request: HttpRequest, language: str, now: datetime) -> forms.Form | None:
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return form
    services.add_evidence(
        case, files=form.cleaned_data["attachments"], note=form.cleaned_data["note"], now=now
    )
    return None


def _appeal(case: Case, request: HttpRequest, language: str, now: datetime) -> forms.Form | None:
    form = AppealForm(request.POST)
    if not form.is_valid():
        return form
    services.appeal(case, reason=form.cleaned_data["reason"], now=now)
    return None


def _rate(case: Case, request: HttpRequest, language: str, now: datetime) -> forms.Form | None:
    survey = parsed(case.charter).charter.survey
    if survey is None:
        raise CaseError("no-survey", "this organization's charter has no survey")
    form = RatingForm(request.POST, survey=survey, language=language)
    if not form.is_valid():
        return form
    services.rate(case, answers=form.answers(), now=now)
    return None


Action = Callable[[Case, HttpRequest, str, datetime], forms.Form | None]
ACTIONS: dict[str, Action] = {
    "reply": _reply,
    "evidence": _evidence,
    "appeal": _appeal,
    "rate": _rate,
}


@sensitive_variables("token")
@limited_upload(too_large)
@require_POST
def track_action(request: HttpRequest, token: str, name: str) -> HttpResponse:
    """One thing the customer does on the case; then back to the page (or the form again,
    with its errors, in the page's language)."""
    now = timezone.now()
    case = _opened(request, token, now)
    if isinstance(case, HttpResponse):
        return case
    if name not in ACTIONS:
        return not_found(request)
    language = page_language(request, case.organization, default=case.language)
    with translation.override(django_language(language)):
        try:
            refused = ACTIONS[name](case, request, language, now)
        except CaseError:
            refused = None
            name = "refused"
        if refused is not None:
            return _track_page(request, case, token, language, now, bound={name: refused})
    url = reverse("portal:track", kwargs={"token": token})
    return redirect(f"{url}?lang={language}&done={name}#{name if name in ACTIONS else 'top'}")


@sensitive_variables("token")
@require_GET
def download(request: HttpRequest, token: str, pk: int) -> HttpResponseBase:
    """An attachment of the case, always as a download: never shown inline, never sniffed."""
    case = _opened(request, token, timezone.now())
    if isinstance(case, HttpResponse):
        return case
    attachment = Attachment.objects.filter(
        organization_id=case.organization_id, message__case=case, pk=pk
    ).first()
    if attachment is None:
        return not_found(request)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
