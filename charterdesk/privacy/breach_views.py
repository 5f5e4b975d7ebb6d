"""Personal-data breaches in the console: anyone who works cases reports one
(``/desk/<org>/privacy/breaches/new/``) and records that the regulator was notified
(a POST from the breach case's page). Viewers get a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from charterdesk.cases.charters import NotAllowed
from charterdesk.cases.services import CaseError
from charterdesk.console.desk import Desk, desk_for, request_user
from charterdesk.console.labels import channel_label, refusal
from charterdesk.privacy import selectors
from charterdesk.privacy.breaches import breach_channels, record_regulator_notified, report_breach
from charterdesk.privacy.forms import BreachForm, RegulatorNotifiedForm


def _forbidden(request: HttpRequest, desk: Desk) -> HttpResponse:
    context = {"desk": desk, "message": _("Your role does not allow this.")}
    return render(request, "console/forbidden.html", context, status=403)


@login_required
@require_http_methods(["GET", "POST"])
def breach_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    desk = desk_for(request_user(request), org_slug)
    if not desk.can_act:
        return _forbidden(request, desk)
    charter = desk.charter.charter if desk.charter else None
    language = translation.get_language() or "en"
    channels = [
        (key, channel_label(key, charter, language))
        for key in (breach_channels(charter) if charter else [])
    ]
    now = timezone.now()
    form = BreachForm(
        request.POST if request.method == "POST" else None,
        channels=channels,
        zone=desk.organization.timezone,
        now=now,
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            case = report_breach(
                desk.organization,
                channel=data["channel"],
                became_aware_at=data["became_aware_at"],
                what_happened=data["what_happened"],
                data_concerned=data["data_concerned"],
                people_affected=data["people_affected"],
                subject=data["subject"],
                actor=desk.user,
                now=now,
            )
        except CaseError as problem:
            form.add_error(None, refusal(problem.code, str(problem)))
        except NotAllowed:
            return _forbidden(request, desk)
        else:
            messages.success(
                request,
                _("Breach logged as %(reference)s: the regulator must be told within 72 hours.")
                % {"reference": case.reference},
            )
            return redirect("console:case", org_slug=org_slug, reference=case.reference)
    context = {"desk": desk, "form": form, "available": bool(channels)}
    return render(request, "privacy/breach_new.html", context, status=422 if form.is_bound else 200)


@login_required
@require_POST
def regulator_notified(request: HttpRequest, org_slug: str, reference: str) -> HttpResponse:
    desk = desk_for(request_user(request), org_slug)
    case = selectors.case_of(desk.organization, reference)
    if not desk.can_act:
        return _forbidden(request, desk)
    now = timezone.now()
    form = RegulatorNotifiedForm(request.POST, zone=desk.organization.timezone, now=now)
    if form.is_valid():
        try:
            record_regulator_notified(
                case,
                at=form.cleaned_data["at"],
                reference=form.cleaned_data["reference"],
                actor=desk.user,
                now=now,
            )
        except CaseError as problem:
            messages.error(request, refusal(problem.code, str(problem)))
        except NotAllowed:
            return _forbidden(request, desk)
        else:
            messages.success(request, _("Recorded: the regulator was notified."))
    else:
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, " ".join(problems))
    return redirect("console:case", org_slug=org_slug, reference=reference)
