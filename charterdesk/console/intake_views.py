"""Staff log contacts that do not arrive by themselves: ``/desk/<org>/new/`` chooses the
channel (the charter's phone, voicemail, letter or in-store form, and visit channels),
``/desk/<org>/new/<channel>/`` is its form. A case type the channel does not take is
refused, and where the charter sends it instead is offered (A7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from charterdesk.cases.charters import NotAllowed
from charterdesk.cases.services import CaseError
from charterdesk.channels import entries
from charterdesk.channels.rules import default_case_type, redirect_for, staff_channels
from charterdesk.console.desk import Desk, desk_for, request_user
from charterdesk.console.intake_forms import LogContactForm
from charterdesk.console.labels import case_type_label, channel_label, refusal
from charterdesk.core.charter import Charter
from charterdesk.portal.languages import NAMES


def _forbidden(request: HttpRequest, desk: Desk) -> HttpResponse:
    context = {"desk": desk, "message": _("Your role does not allow this.")}
    return render(request, "console/forbidden.html", context, status=403)


def _charter(desk: Desk) -> Charter:
    if desk.charter is None:
        raise Http404("no charter in force")
    return desk.charter.charter


@login_required
@require_GET
def choose_channel(request: HttpRequest, org_slug: str) -> HttpResponse:
    desk = desk_for(request_user(request), org_slug)
    if not desk.can_act:
        return _forbidden(request, desk)
    charter = _charter(desk)
    language = translation.get_language() or "en"
    shown = [
        (key, channel_label(key, charter, language), charter.channels[key].kind)
        for key in staff_channels(charter)
    ]
    return render(request, "console/log_contact_choose.html", {"desk": desk, "channels": shown})


def _chosen_type(request: HttpRequest, charter: Charter, channel: str) -> str:
    """The case type asked for (``?type=``, or the form's), else the channel's default."""
    asked = request.POST.get("case_type") or request.GET.get("type", "")
    return asked if asked in charter.case_types else default_case_type(charter, channel)


def _form(
    desk: Desk, channel: str, case_type: str, data: QueryDict | None, now: datetime
) -> LogContactForm:
    charter = _charter(desk)
    takes = charter.channels[channel].accepts_case(case_type)
    return LogContactForm(
        data,
        kind=charter.channels[channel].kind,
        case_type=case_type,
        spec=charter.case_types[case_type] if takes else None,
        languages=[(code, NAMES.get(code, code)) for code in charter.organization.languages],
        zone=desk.organization.timezone,
        now=now,
    )


@login_required
@require_http_methods(["GET", "POST"])
def log_contact(request: HttpRequest, org_slug: str, channel: str) -> HttpResponse:
    desk = desk_for(request_user(request), org_slug)
    if not desk.can_act:
        return _forbidden(request, desk)
    charter = _charter(desk)
    if channel not in staff_channels(charter):
        raise Http404("no such channel")
    now = timezone.now()
    case_type = _chosen_type(request, charter, channel)
    refused = not charter.channels[channel].accepts_case(case_type)
    form = _form(desk, channel, case_type, request.POST if request.method == "POST" else None, now)
    if form.is_bound and form.is_valid():
        entry = form.entry(channel)
        offered = redirect_for(desk.organization, charter, channel, case_type, entry.language)
        if refused and (offered is None or "send_redirect" not in request.POST):
            form.add_error(None, _refused_type(charter, channel, case_type))
        else:
            try:
                return _logged(request, desk, entry, now, redirected=refused)
            except CaseError as problem:
                form.add_error(None, refusal(problem.code, str(problem)))
            except NotAllowed:
                return _forbidden(request, desk)
    context = _page(desk, charter, channel, case_type, form)
    return render(
        request, "console/log_contact.html", context, status=422 if form.is_bound else 200
    )


def _refused_type(charter: Charter, channel: str, case_type: str) -> str:
    language = translation.get_language() or "en"
    return _("%(channel)s does not take %(case_type)s cases under the charter.") % {
        "channel": channel_label(channel, charter, language),
        "case_type": case_type_label(case_type, charter, language).lower(),
    }


def _logged(
    request: HttpRequest, desk: Desk, entry: entries.Entry, now: datetime, *, redirected: bool
) -> HttpResponse:
    user = request_user(request)
    if redirected:
        case, _message = entries.log_and_redirect(desk.organization, entry, now=now, actor=user)
        if case.contact is None or not case.contact.email:
            messages.warning(request, _("No email address: read the text to the customer."))
    else:
        case = entries.log_contact(desk.organization, entry, now=now, actor=user)
    messages.success(request, _("Logged as %(reference)s.") % {"reference": case.reference})
    return redirect("console:case", org_slug=desk.organization.slug, reference=case.reference)


@dataclass(frozen=True, slots=True)
class Offer:
    """What the page offers for a case type the channel does not take (A7)."""

    refusal: str
    channel: str  # where the charter sends it, in the reader's words
    texts: list[tuple[str, str]]  # (language name, text) in each customer language
    button: str


def _offer(desk: Desk, charter: Charter, channel: str, case_type: str) -> Offer | None:
    if charter.channels[channel].accepts_case(case_type):
        return None
    language = translation.get_language() or "en"
    found = [
        (code, redirect_for(desk.organization, charter, channel, case_type, code))
        for code in charter.organization.languages
    ]
    texts = [(NAMES.get(code, code), offer.text) for code, offer in found if offer is not None]
    first = next((offer for _, offer in found if offer is not None), None)
    if first is None:
        return Offer(_refused_type(charter, channel, case_type), "", [], "")
    if first.accepted_type == "enquiry" and charter.channels[first.channel].kind == "web_form":
        button = _("Log as an enquiry and send the form link")
    else:
        button = _("Log as %(case_type)s and send this text") % {
            "case_type": case_type_label(first.accepted_type, charter, language).lower()
        }
    where = channel_label(first.channel, charter, language)
    return Offer(_refused_type(charter, channel, case_type), where, texts, button)


def _page(
    desk: Desk, charter: Charter, channel: str, case_type: str, form: LogContactForm
) -> dict[str, Any]:
    language = translation.get_language() or "en"
    return {
        "desk": desk,
        "form": form,
        "channel": channel,
        "channel_title": channel_label(channel, charter, language),
        "case_type": case_type,
        "case_types": [
            (key, case_type_label(key, charter, language)) for key in charter.case_types
        ],
        "offer": _offer(desk, charter, channel, case_type),
    }
