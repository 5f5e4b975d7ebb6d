"""Personal-data breaches in the console: anyone who works cases reports one
(``/desk/<org>/privacy/breaches/new/``) and records that the regulator was notified
(a POST from the breach case's page). Viewers get a 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from charterdesk.cases.models import Case
from charterdesk.cases.services import CaseError
from charterdesk.console import view_shapes
from charterdesk.console.desk import Desk
from charterdesk.console.labels import channel_label, refusal
from charterdesk.privacy import selectors
from charterdesk.privacy.breaches import breach_channels, record_regulator_notified, report_breach
from charterdesk.privacy.forms import BreachForm, RegulatorNotifiedForm


def _forbidden(request: HttpRequest, desk: Desk) -> HttpResponse:
    return view_shapes.forbidden(request, desk, _("Your role does not allow this."))


def _acts(desk: Desk) -> bool:
    return desk.can_act


def _explained(problem: CaseError) -> str:
    return refusal(problem.code, str(problem))


@login_required
@require_http_methods(["GET", "POST"])
@view_shapes.desk_view(refuse=_forbidden, allowed=_acts)
def breach_new(request: HttpRequest, desk: Desk) -> HttpResponse:
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

    def report(data: dict[str, Any]) -> Case:
        return report_breach(
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

    def reported(case: Case) -> HttpResponse:
        words = _("Breach logged as %(reference)s: the regulator must be told within 72 hours.")
        return view_shapes.succeeded(
            request,
            words % {"reference": case.reference},
            "console:case",
            org_slug=desk.organization.slug,
            reference=case.reference,
        )

    def again() -> HttpResponse:
        context = {"desk": desk, "form": form, "available": bool(channels)}
        status = 422 if form.is_bound else 200
        return render(request, "privacy/breach_new.html", context, status=status)

    return view_shapes.submit(
        form, report, done=reported, again=again, refused=CaseError, explain=_explained
    )


@login_required
@require_POST
@view_shapes.desk_object_view(selectors.case_of, refuse=_forbidden, allowed=_acts)
def regulator_notified(request: HttpRequest, desk: Desk, case: Case) -> HttpResponse:
    """The form is on the breach case's page: what went wrong is said there, by a
    message (a refusal of the service is one of the form's errors)."""
    now = timezone.now()
    form = RegulatorNotifiedForm(request.POST, zone=desk.organization.timezone, now=now)
    slug = desk.organization.slug
    back = reverse("console:case", kwargs={"org_slug": slug, "reference": case.reference})

    def again() -> HttpResponse:
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, " ".join(problems))
        return redirect(back)

    return view_shapes.submit(
        form,
        lambda data: record_regulator_notified(
            case, at=data["at"], reference=data["reference"], actor=desk.user, now=now
        ),
        done=lambda _event: view_shapes.succeeded(
            request, _("Recorded: the regulator was notified."), back
        ),
        again=again,
        refused=CaseError,
        explain=_explained,
    )
