"""The privacy pages of the console, for supervisors and owners: find a contact, export
their data (a ZIP), erase it with a reason, hold it; see who viewed a case. Viewers and
agents get a 403; another organization's contact or case is a 404."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from charterdesk.cases.models import Case, Contact
from charterdesk.console.desk import Desk
from charterdesk.console.view_shapes import (
    desk_object_view,
    desk_view,
    forbidden,
    submit,
    succeeded,
)
from charterdesk.privacy import holds, selectors
from charterdesk.privacy.erasure import erase_contact
from charterdesk.privacy.export import export_contact
from charterdesk.privacy.forms import EraseForm, FindForm, HoldForm, ReleaseForm
from charterdesk.privacy.holds import PrivacyError
from charterdesk.privacy.models import ErasureRecord, LegalHold
from charterdesk.privacy.roles import PRIVACY_ROLES
from charterdesk.reports.public import length


def _forbidden(request: HttpRequest, desk: Desk) -> HttpResponse:
    return forbidden(request, desk, _("Only supervisors and owners handle personal data."))


def _supervises(desk: Desk) -> bool:
    return desk.membership.role in PRIVACY_ROLES


#: Every page here is a supervisor's or an owner's; the object the URL names is looked up
#: first (another organization's is a 404 for everyone).
_supervisor_page = desk_view(refuse=_forbidden, allowed=_supervises)
_supervisor_contact = desk_object_view(selectors.contact_of, refuse=_forbidden, allowed=_supervises)
_supervisor_case = desk_object_view(selectors.case_of, refuse=_forbidden, allowed=_supervises)
_supervisor_hold = desk_object_view(selectors.hold_of, refuse=_forbidden, allowed=_supervises)


@login_required
@require_GET
@_supervisor_page
def privacy_home(request: HttpRequest, desk: Desk) -> HttpResponse:
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
@_supervisor_contact
def contact_page(request: HttpRequest, desk: Desk, contact: Contact) -> HttpResponse:
    return _contact_page(request, desk, contact)


@login_required
@require_POST
@_supervisor_contact
def contact_export(request: HttpRequest, desk: Desk, contact: Contact) -> HttpResponse:
    now = timezone.now()
    content = export_contact(contact, actor=desk.user, now=now)
    name = f"{desk.organization.slug}-contact-{contact.pk}-{now:%Y%m%d-%H%M%S}.zip"
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
@_supervisor_contact
def contact_erase(request: HttpRequest, desk: Desk, contact: Contact) -> HttpResponse:
    form = EraseForm(request.POST)

    def erase(data: dict[str, Any]) -> ErasureRecord:
        return erase_contact(contact, reason=data["reason"], actor=desk.user, now=timezone.now())

    def erased(record: ErasureRecord) -> HttpResponse:
        words = _("Erased: %(cases)d cases; the statistics are kept.") % {
            "cases": len(record.cases)
        }
        return succeeded(
            request, words, "privacy:contact", org_slug=desk.organization.slug, pk=contact.pk
        )

    return submit(
        form,
        erase,
        done=erased,
        again=lambda: _contact_page(request, desk, contact, status=422, erase_form=form),
        refused=PrivacyError,
    )


@login_required
@require_POST
@_supervisor_contact
def contact_hold(request: HttpRequest, desk: Desk, contact: Contact) -> HttpResponse:
    return _place_hold(request, desk, contact)


def _place_hold(request: HttpRequest, desk: Desk, on: Contact | Case) -> HttpResponse:
    """Hold a contact's data (all their cases) or one case's; the form comes back on the
    privacy page of what was to be held."""
    form = HoldForm(request.POST)
    slug = desk.organization.slug
    if isinstance(on, Case):
        case, contact = on, None
        again = partial(_case_page, request, desk, on, status=422, hold_form=form)
        words = _("Hold placed: nothing of this case will be erased.")
        back = reverse("privacy:case", kwargs={"org_slug": slug, "reference": on.reference})
    else:
        case, contact = None, on
        again = partial(_contact_page, request, desk, on, status=422, hold_form=form)
        words = _("Hold placed: nothing of this contact will be erased.")
        back = reverse("privacy:contact", kwargs={"org_slug": slug, "pk": on.pk})
    return submit(
        form,
        lambda data: holds.place_hold(
            contact=contact, case=case, reason=data["reason"], actor=desk.user, now=timezone.now()
        ),
        done=lambda _hold: succeeded(request, words, back),
        again=again,
    )


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
@_supervisor_case
def case_privacy(request: HttpRequest, desk: Desk, case: Case) -> HttpResponse:
    return _case_page(request, desk, case)


@login_required
@require_POST
@_supervisor_case
def case_hold(request: HttpRequest, desk: Desk, case: Case) -> HttpResponse:
    return _place_hold(request, desk, case)


@login_required
@require_POST
@_supervisor_hold
def hold_release(request: HttpRequest, desk: Desk, hold: LegalHold) -> HttpResponse:
    """Unlike the forms above, the release form is on the page of the hold's case or
    contact: what went wrong is said there, by a message."""
    org_slug = desk.organization.slug
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
