"""The privacy pages of the console, for supervisors and owners: find a contact, export
their data (a ZIP), erase it with a reason, hold it; see who viewed a case. Viewers and
agents get a 403; another organization's contact or case is a 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from charterdesk.cases.charters import NotAllowed
from charterdesk.cases.models import Case, Contact, Organization
from charterdesk.console.desk import Desk, desk_for, request_user
from charterdesk.privacy import holds, selectors
from charterdesk.privacy.erasure import erase_contact
from charterdesk.privacy.export import export_contact
from charterdesk.privacy.forms import EraseForm, FindForm, HoldForm, ReleaseForm
from charterdesk.privacy.holds import PrivacyError
from charterdesk.privacy.roles import PRIVACY_ROLES
from charterdesk.reports.public import length


def _forbidden(request: HttpRequest, desk: Desk) -> HttpResponse:
    context = {"desk": desk, "message": _("Only supervisors and owners handle personal data.")}
    return render(request, "console/forbidden.html", context, status=403)


T = TypeVar("T")


def _supervisor(
    request: HttpRequest, org_slug: str, named: Callable[[Organization], T]
) -> tuple[Desk, T, HttpResponse | None]:
    """The desk, the object the URL names (another organization's is a 404 for everyone,
    so it is looked up before the role is checked), and a 403 unless a supervisor or
    owner asks."""
    desk = desk_for(request_user(request), org_slug)
    found = named(desk.organization)
    if desk.membership.role not in PRIVACY_ROLES:
        return desk, found, _forbidden(request, desk)
    return desk, found, None


@login_required
@require_GET
def privacy_home(request: HttpRequest, org_slug: str) -> HttpResponse:
    desk, _nothing, refused = _supervisor(request, org_slug, lambda org: None)
    if refused:
        return refused
    form = FindForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    retention = desk.charter.charter.retention if desk.charter else None
    context = {
        "desk": desk,
        "form": form,
        "query": query,
        "found": list(selectors.find_contacts(desk.organization, query)),
        "holds": selectors.standing_holds(desk.organization),
        "erasures": selectors.erasures_of(desk.organization),
        "retention": retention
        and {
            "closed_cases": length(retention.closed_cases),
            "raw_mail": length(retention.raw_mail),
        },
    }
    return render(request, "privacy/home.html", context)


def _contact_page(
    request: HttpRequest, desk: Desk, contact: Contact, status: int = 200, **forms: Any
) -> HttpResponse:
    cases = selectors.cases_of(contact)
    ids = [case.pk for case in cases]
    erased = selectors.erased_case_ids(desk.organization, ids)
    context = {
        "desk": desk,
        "contact": contact,
        "cases": [(case, case.pk in erased) for case in cases],
        "contact_holds": selectors.standing_holds(desk.organization, contact=contact),
        "case_holds": selectors.standing_holds(desk.organization, case_id__in=ids),
        "views": selectors.views_of(desk.organization, ids),
        "erasures": selectors.erasures_of(desk.organization, contact=contact),
        "hold_form": forms.get("hold_form") or HoldForm(),
        "erase_form": forms.get("erase_form") or EraseForm(),
        "release_form": ReleaseForm(),
    }
    return render(request, "privacy/contact.html", context, status=status)


@login_required
@require_GET
def contact_page(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    desk, contact, refused = _supervisor(
        request, org_slug, lambda org: selectors.contact_of(org, pk)
    )
    if refused:
        return refused
    return _contact_page(request, desk, contact)


@login_required
@require_POST
def contact_export(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    desk, contact, refused = _supervisor(
        request, org_slug, lambda org: selectors.contact_of(org, pk)
    )
    if refused:
        return refused
    now = timezone.now()
    try:
        content = export_contact(contact, actor=desk.user, now=now)
    except NotAllowed:
        return _forbidden(request, desk)
    name = f"{desk.organization.slug}-contact-{contact.pk}-{now:%Y%m%d-%H%M%S}.zip"
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def contact_erase(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    desk, contact, refused = _supervisor(
        request, org_slug, lambda org: selectors.contact_of(org, pk)
    )
    if refused:
        return refused
    form = EraseForm(request.POST)
    if form.is_valid():
        try:
            record = erase_contact(
                contact, reason=form.cleaned_data["reason"], actor=desk.user, now=timezone.now()
            )
        except PrivacyError as problem:
            form.add_error(None, str(problem))
        except NotAllowed:
            return _forbidden(request, desk)
        else:
            messages.success(
                request,
                _("Erased: %(cases)d cases; the statistics are kept.")
                % {"cases": len(record.cases)},
            )
            return redirect("privacy:contact", org_slug=org_slug, pk=contact.pk)
    return _contact_page(request, desk, contact, status=422, erase_form=form)


@login_required
@require_POST
def contact_hold(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    desk, contact, refused = _supervisor(
        request, org_slug, lambda org: selectors.contact_of(org, pk)
    )
    if refused:
        return refused
    form = HoldForm(request.POST)
    if form.is_valid():
        holds.place_hold(
            contact=contact, reason=form.cleaned_data["reason"], actor=desk.user, now=timezone.now()
        )
        messages.success(request, _("Hold placed: nothing of this contact will be erased."))
        return redirect("privacy:contact", org_slug=org_slug, pk=contact.pk)
    return _contact_page(request, desk, contact, status=422, hold_form=form)


def _case_page(
    request: HttpRequest, desk: Desk, case: Case, status: int = 200, **forms: Any
) -> HttpResponse:
    context = {
        "desk": desk,
        "case": case,
        "case_holds": selectors.standing_holds(desk.organization, case=case),
        "contact_holds": (
            selectors.standing_holds(desk.organization, contact_id=case.contact_id)
            if case.contact_id
            else []
        ),
        "views": selectors.views_of(desk.organization, [case.pk]),
        "erased": bool(selectors.erased_case_ids(desk.organization, [case.pk])),
        "hold_form": forms.get("hold_form") or HoldForm(),
        "release_form": ReleaseForm(),
    }
    return render(request, "privacy/case.html", context, status=status)


@login_required
@require_GET
def case_privacy(request: HttpRequest, org_slug: str, reference: str) -> HttpResponse:
    desk, case, refused = _supervisor(
        request, org_slug, lambda org: selectors.case_of(org, reference)
    )
    if refused:
        return refused
    return _case_page(request, desk, case)


@login_required
@require_POST
def case_hold(request: HttpRequest, org_slug: str, reference: str) -> HttpResponse:
    desk, case, refused = _supervisor(
        request, org_slug, lambda org: selectors.case_of(org, reference)
    )
    if refused:
        return refused
    form = HoldForm(request.POST)
    if form.is_valid():
        holds.place_hold(
            case=case, reason=form.cleaned_data["reason"], actor=desk.user, now=timezone.now()
        )
        messages.success(request, _("Hold placed: nothing of this case will be erased."))
        return redirect("privacy:case", org_slug=org_slug, reference=reference)
    return _case_page(request, desk, case, status=422, hold_form=form)


@login_required
@require_POST
def hold_release(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    desk, hold, refused = _supervisor(request, org_slug, lambda org: selectors.hold_of(org, pk))
    if refused:
        return refused
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the hold is no longer needed."))
    else:
        try:
            holds.release_hold(
                hold, reason=form.cleaned_data["reason"], actor=desk.user, now=timezone.now()
            )
            messages.success(request, _("Hold released."))
        except PrivacyError as problem:
            messages.error(request, str(problem))
    if hold.case is not None:
        return redirect("privacy:case", org_slug=org_slug, reference=hold.case.reference)
    return redirect("privacy:contact", org_slug=org_slug, pk=hold.contact_id)
