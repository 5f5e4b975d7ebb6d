"""Pages reached without the secret link: asking for it again, and the survey that the
invitation mail links to (A4, T23). Both answer the same whether or not the case exists,
and both are rate-limited per address."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods

from charterdesk.cases.charters import parsed
from charterdesk.cases.models import Case
from charterdesk.cases.services import CaseError
from charterdesk.localized import django_language
from charterdesk.portal import services, throttle
from charterdesk.portal.contact_views import organization
from charterdesk.portal.forms import RatingForm, ResendForm, SurveyAccessForm
from charterdesk.portal.languages import page_language
from charterdesk.portal.responses import not_found, page, request_language, too_many


@require_http_methods(["GET", "POST"])
def resend(request: HttpRequest) -> HttpResponse:
    """``/track/``: the reference and the address; the link goes to that address."""
    language = request_language(request)
    with translation.override(language):
        form = ResendForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            now = timezone.now()
            if not throttle.hit(throttle.RESEND_PER_IP, throttle.client_ip(request), now):
                return too_many(request)
            if form.is_valid():
                data = form.cleaned_data
                services.send_link_again(data["reference"], data["email"], now=now)
                return page(request, "portal/resend.html", {"sent": True}, language=language)
    status = 400 if form.is_bound else 200
    return page(request, "portal/resend.html", {"form": form}, language=language, status=status)


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, org_slug: str, reference: str) -> HttpResponse:
    """The survey invitation's page: the answers, and the address the customer gave us,
    which stands in for the secret link the invitation does not carry."""
    org = organization(org_slug)
    if org is None or org.charter is None or parsed(org.charter).charter.survey is None:
        return not_found(request)
    questions = parsed(org.charter).charter.survey
    assert questions is not None
    language = page_language(request, org)
    context: dict[str, object] = {
        "reference": reference,
    }
    with translation.override(django_language(language)):
        posted = request.POST if request.method == "POST" else None
        access = SurveyAccessForm(posted)
        rating = RatingForm(posted, survey=questions, language=language)
        if request.method == "POST":
            now = timezone.now()
            if not throttle.hit(throttle.RESEND_PER_IP, throttle.client_ip(request), now):
                return too_many(request)
            if access.is_valid() and rating.is_valid():
                case = services.case_for_survey(org, reference, access.cleaned_data["email"])
                recorded = case is not None and _rated(case, rating)
                context["answered"] = "thanks" if recorded else "unknown"
                return page(request, "portal/survey.html", context, language=language, org=org)
    context.update(access_form=access, rating_form=rating)
    status = 400 if access.is_bound else 200
    return page(request, "portal/survey.html", context, language=language, org=org, status=status)


def _rated(case: Case, rating: RatingForm) -> bool:
    try:
        services.rate(case, answers=rating.answers(), now=timezone.now())
    except CaseError:
        return False
    return True
