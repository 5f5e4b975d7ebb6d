"""The public web form: choose a case type, fill in what the charter asks, submit."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET, require_http_methods

from charterdesk.cases.charters import parsed
from charterdesk.cases.models import Organization
from charterdesk.knowledge.selectors import Suggestion, suggestions
from charterdesk.localized import django_language, translated
from charterdesk.portal import throttle
from charterdesk.portal.forms import ContactForm
from charterdesk.portal.languages import page_language
from charterdesk.portal.responses import not_found, page, too_large, too_many
from charterdesk.portal.services import Submission, form_case_types, submit
from charterdesk.portal.uploads import limited_upload

logger = logging.getLogger(__name__)


def organization(slug: str) -> Organization | None:
    return (
        Organization.objects.select_related("charter")
        .filter(slug=slug, charter__isnull=False)
        .first()
    )


@require_GET
def contact(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = organization(org_slug)
    if org is None or org.charter is None:
        return not_found(request)
    language = page_language(request, org)
    charter = parsed(org.charter).charter
    types = [
        (key, translated(charter.case_types[key].title, language)) for key in form_case_types(org)
    ]
    context = {"case_types": types}
    return page(request, "portal/contact.html", context, language=language, org=org)


@limited_upload(too_large)
@require_http_methods(["GET", "POST"])
def contact_form(request: HttpRequest, org_slug: str, case_type: str) -> HttpResponse:
    org = organization(org_slug)
    if org is None or org.charter is None or case_type not in form_case_types(org):
        return not_found(request)
    language = page_language(request, org)
    charter = parsed(org.charter).charter
    spec = charter.case_types[case_type]
    with translation.override(django_language(language)):
        form = ContactForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            case_type=spec,
            language=language,
            zone=org.timezone,
        )
        if request.method == "POST":
            answered = _submitted(request, org, case_type, language, form)
            if answered is not None:
                return answered
    context = {
        "form": form,
        "case_type": case_type,
        "case_type_title": translated(spec.title, language),
        "suggested_articles": _suggestions(org, language, form) if form.is_bound else [],
    }
    status = 400 if form.is_bound else 200
    return page(
        request, "portal/contact_form.html", context, language=language, org=org, status=status
    )


def _suggestions(org: Organization, language: str, form: ContactForm) -> list[Suggestion]:
    """Help articles that may answer what the customer wrote (shown again with the form)."""
    words = " ".join(str(form.data.get(name, "")) for name in ("subject", "message"))
    return suggestions(org, language, words) if words.strip() else []


def _submitted(
    request: HttpRequest, org: Organization, case_type: str, language: str, form: ContactForm
) -> HttpResponse | None:
    """The answer to a submission, or None to show the form again with its errors."""
    now = timezone.now()
    ip = throttle.client_ip(request)
    if not throttle.hit(throttle.SUBMIT_PER_IP, ip, now):
        return too_many(request)
    if form.is_bot():
        logger.warning(
            "web form honeypot filled: organization %s, %s; dropped", org.slug, case_type
        )
        return page(request, "portal/thanks.html", {"bot": True}, language=language, org=org)
    if not form.is_valid():
        return None
    if not throttle.hit(throttle.SUBMIT_PER_EMAIL, form.cleaned_data["email"], now):
        return too_many(request)
    submitted = submit(
        org,
        Submission(
            case_type=case_type,
            language=language,
            name=form.contact_name(),
            email=form.cleaned_data["email"],
            phone=form.contact_phone(),
            subject=form.cleaned_data.get("subject", ""),
            message=form.message_text(),
            fields=form.case_fields(),
            files=form.cleaned_data.get("attachments") or [],
        ),
        now=now,
    )
    thanks = reverse("portal:thanks", kwargs={"token": submitted.token})
    return redirect(f"{thanks}?lang={language}")
