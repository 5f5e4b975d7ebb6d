"""Console pages for conduct: the case's conduct section (loaded into the case page with
htmx, or a page of its own without JavaScript), and the organization's restrictions with
those due for review. Anyone at the desk reads; staff who work cases record conduct; a
supervisor or owner restricts, lifts and reviews. Another organization's case or
restriction is a 404."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from charterdesk.cases.models import Case, Organization
from charterdesk.cases.services import CaseError
from charterdesk.conduct import selectors, services
from charterdesk.conduct.forms import KIND_LABELS, ConductForm, LiftForm, RestrictForm, ReviewForm
from charterdesk.conduct.models import Restriction
from charterdesk.conduct.review import local_date
from charterdesk.console.case_page import case_of
from charterdesk.console.desk import Desk
from charterdesk.console.labels import channel_label
from charterdesk.console.view_shapes import (
    desk_object_view,
    desk_view,
    forbidden,
    submit,
    succeeded,
)

#: What staff are told when a decision is refused, by the refusal's code.
REFUSALS = {
    "may-not-refuse": gettext_lazy(
        "This organization's charter does not allow restricting contact (conduct: "
        "may_refuse is false)."
    ),
    "no-contact": gettext_lazy("This case has no contact to restrict."),
    "missing-reason": gettext_lazy("Give the reason for the decision."),
    "review-not-after-today": gettext_lazy("The review date must be after today."),
    "unknown-channel": gettext_lazy("Choose channels of this organization's charter."),
    "no-channels": gettext_lazy("Choose the channels the restriction covers."),
    "already-restricted": gettext_lazy(
        "Contact with this person is already restricted: review or lift that restriction."
    ),
    "already-lifted": gettext_lazy("This restriction has already been lifted."),
    "missing-data": gettext_lazy("Say what happened."),
}
REFUSED = 422


def _explained(error: CaseError) -> str:
    return str(REFUSALS.get(error.code, str(error)))


def _forbidden(request: HttpRequest, desk: Desk) -> HttpResponse:
    return forbidden(request, desk, _("Your role does not allow this."), htmx_fragment=True)


def _acts(desk: Desk) -> bool:
    return desk.can_act


def _decides(desk: Desk) -> bool:
    return desk.membership.role in services.DECIDING_ROLES


def _restriction(org: Organization, pk: int) -> Restriction:
    found = selectors.restriction_by_pk(org, pk)
    if found is None:
        raise Http404("no such restriction")
    return found


#: Anyone at the desk reads; the case or restriction the URL names is looked up before
#: the role is checked (another organization's is a 404 for everyone).
_reader = desk_view(refuse=_forbidden)
_reader_of_case = desk_object_view(case_of, refuse=_forbidden)
_actor_on_case = desk_object_view(case_of, refuse=_forbidden, allowed=_acts)
_decider_on_case = desk_object_view(case_of, refuse=_forbidden, allowed=_decides)
_decider_on_restriction = desk_object_view(_restriction, refuse=_forbidden, allowed=_decides)


def _channels(desk: Desk) -> list[tuple[str, str]]:
    charter = desk.charter.charter if desk.charter else None
    language = translation.get_language() or "en"
    codes = list(charter.channels) if charter else []
    return [(code, channel_label(code, charter, language)) for code in codes]


def _restrict_form(desk: Desk, data: Any = None, now: datetime | None = None) -> RestrictForm:
    conduct = services.policy(desk.organization)
    initial = {"review_on": services.default_review_on(desk.organization, now or timezone.now())}
    return RestrictForm(
        data,
        prefix="restrict",
        initial=initial,
        channels=_channels(desk),
        ends_all_contact=bool(conduct and conduct.ends_all_contact),
    )


def _section(desk: Desk, case: Case, now: datetime, **forms_given: forms.Form) -> dict[str, Any]:
    restriction = selectors.restriction_of(case.contact, now) if case.contact else None
    conduct = services.policy(desk.organization)
    deciding = desk.membership.role in services.DECIDING_ROLES
    labels = dict(_channels(desk))
    context: dict[str, Any] = {
        "desk": desk,
        "case": case,
        "reports": [(r, KIND_LABELS.get(r.kind, r.kind)) for r in selectors.reports_on(case)],
        "restriction": restriction,
        "restricted_channels": [labels.get(c, c) for c in restriction.channels]
        if restriction
        else [],
        "conduct": conduct,
        "may_refuse": bool(conduct and conduct.may_refuse),
        "deciding": deciding,
        "conduct_form": forms_given.get("conduct") or ConductForm(prefix="conduct"),
    }
    if deciding and restriction is not None:
        context["lift_form"] = forms_given.get("lift") or LiftForm(prefix="lift")
    elif deciding and context["may_refuse"] and case.contact is not None:
        context["restrict_form"] = forms_given.get("restrict") or _restrict_form(desk, now=now)
    return context


def _render_section(
    request: HttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    template = (
        "conduct/_section.html" if getattr(request, "htmx", False) else "conduct/case_conduct.html"
    )
    return render(request, template, context, status=status)


def _done(request: HttpRequest, desk: Desk, case: Case, words: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        case = case_of(desk.organization, case.reference)
        return render(request, "conduct/_section.html", _section(desk, case, timezone.now()))
    slug = desk.organization.slug
    return succeeded(request, words, "console:case", org_slug=slug, reference=case.reference)


@login_required
@require_GET
@_reader_of_case
def case_conduct(request: HttpRequest, desk: Desk, case: Case) -> HttpResponse:
    return _render_section(request, _section(desk, case, timezone.now()))


@login_required
@require_POST
@_actor_on_case
def record(request: HttpRequest, desk: Desk, case: Case) -> HttpResponse:
    form = ConductForm(request.POST, prefix="conduct")
    now = timezone.now()
    return submit(
        form,
        lambda data: services.record_conduct(
            case, kind=data["kind"], what_happened=data["what_happened"], by=desk.user, now=now
        ),
        done=lambda _report: _done(request, desk, case, _("Conduct recorded.")),
        again=lambda: _render_section(request, _section(desk, case, now, conduct=form), REFUSED),
        refused=CaseError,
        explain=_explained,
    )


@login_required
@require_POST
@_decider_on_case
def restrict(request: HttpRequest, desk: Desk, case: Case) -> HttpResponse:
    now = timezone.now()
    form = _restrict_form(desk, request.POST, now)
    return submit(
        form,
        lambda data: services.restrict_contact(
            case,
            reason=data["reason"],
            channels=list(data.get("channels") or []),
            review_on=data["review_on"],
            by=desk.user,
            now=now,
        ),
        done=lambda _restricted: _done(request, desk, case, _("Contact restricted.")),
        again=lambda: _render_section(request, _section(desk, case, now, restrict=form), REFUSED),
        refused=CaseError,
        explain=_explained,
    )


def _back_to(
    request: HttpRequest, desk: Desk, restriction: Restriction, words: str
) -> HttpResponse:
    """Back to the case the form was on (``case`` in the form), else to the list."""
    reference = request.POST.get("case", "")
    if reference:
        case = case_of(desk.organization, reference)
        return _done(request, desk, case, words)
    return succeeded(request, words, "conduct:restrictions", org_slug=desk.organization.slug)


@login_required
@require_POST
@_decider_on_restriction
def lift(request: HttpRequest, desk: Desk, restriction: Restriction) -> HttpResponse:
    """Lifting needs no valid form (the reason is optional): a refusal is said on the
    list of restrictions, by a message."""
    form = LiftForm(request.POST, prefix="lift")
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.lift_restriction(restriction, by=desk.user, now=timezone.now(), reason=reason)
    except CaseError as refused:
        messages.error(request, _explained(refused))
        return redirect("conduct:restrictions", org_slug=desk.organization.slug)
    return _back_to(request, desk, restriction, _("Contact restored."))


@login_required
@require_POST
@_decider_on_restriction
def review(request: HttpRequest, desk: Desk, restriction: Restriction) -> HttpResponse:
    form = ReviewForm(request.POST, prefix=f"review-{restriction.pk}")
    now = timezone.now()
    return submit(
        form,
        lambda data: services.review_restriction(
            restriction,
            keep=data["decision"] == "keep",
            next_review_on=data["next_review_on"],
            note=data["note"],
            by=desk.user,
            now=now,
        ),
        done=lambda _review: _back_to(request, desk, restriction, _("Review recorded.")),
        again=lambda: _list(request, desk, now, {restriction.pk: form}, REFUSED),
        refused=CaseError,
        explain=_explained,
    )


@login_required
@require_GET
@_reader
def restrictions(request: HttpRequest, desk: Desk) -> HttpResponse:
    return _list(request, desk, timezone.now(), {})


def _list(
    request: HttpRequest,
    desk: Desk,
    now: datetime,
    refused: dict[int, forms.Form],
    status: int = 200,
) -> HttpResponse:
    today = local_date(now, desk.organization.timezone)
    labels = dict(_channels(desk))
    deciding = desk.membership.role in services.DECIDING_ROLES
    rows: list[dict[str, Any]] = []
    for restriction in selectors.restrictions_of(desk.organization):
        in_force = restriction.lifted_at is None
        form = refused.get(restriction.pk)
        if form is None and deciding and in_force:
            form = ReviewForm(prefix=f"review-{restriction.pk}")
        rows.append(
            {
                "restriction": restriction,
                "channels": [labels.get(c, c) for c in restriction.channels],
                "due": in_force and restriction.review_on <= today,
                "form": form,
            }
        )
    context = {
        "desk": desk,
        "due": [row for row in rows if row["due"]],
        "in_force": [row for row in rows if row["restriction"].lifted_at is None],
        "lifted": [row for row in rows if row["restriction"].lifted_at is not None],
        "deciding": deciding,
    }
    return render(request, "conduct/restrictions.html", context, status=status)
