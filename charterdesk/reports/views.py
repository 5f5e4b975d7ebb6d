"""Staff pages: the supervisor's dashboard, the reports page, the cases behind a cause,
the review pack downloads and the review decision form. Members of the organization
only; anyone else gets a 404 (:func:`charterdesk.console.desk.desk_for`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from charterdesk.cases.charters import NotAllowed
from charterdesk.cases.services import CaseError
from charterdesk.console.desk import desk_for, request_user
from charterdesk.localized import translated
from charterdesk.reports import causes, dashboard, exports
from charterdesk.reports.forms import ReviewDecisionForm
from charterdesk.reports.pack import review_pack
from charterdesk.reports.periods import parse_period
from charterdesk.reports.report_page import filter_form, reports_context

REFUSED = 422
FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.as_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.as_xlsx,
    ),
    "pdf": ("application/pdf", exports.as_pdf),
}


@login_required
@require_GET
def dashboard_page(request: HttpRequest, org_slug: str) -> HttpResponse:
    desk = desk_for(request_user(request), org_slug)
    org, now = desk.organization, timezone.now()
    charter = desk.charter.charter if desk.charter else None
    language = translation.get_language() or "en"
    titles = {c.id: translated(c.title, language) for c in (charter.commitments if charter else [])}
    context = {
        "desk": desk,
        "now": now,
        "at_risk": dashboard.at_risk(org, now),
        "breached": dashboard.breached_this_week(org, now),
        "week_start": dashboard.week_start(now, org.timezone),
        "workload": dashboard.workload(org, dashboard.members(org)),
        "oldest": dashboard.oldest_open(org),
        "titles": titles,
    }
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
def reports_page(request: HttpRequest, org_slug: str) -> HttpResponse:
    desk = desk_for(request_user(request), org_slug)
    context = reports_context(desk, request.GET, timezone.now())
    return render(request, "reports/reports.html", context)


@login_required
@require_GET
def cause_cases(request: HttpRequest, org_slug: str) -> HttpResponse:
    desk = desk_for(request_user(request), org_slug)
    cause = request.GET.get("cause", "")
    period = parse_period(request.GET.get("period", ""))
    if not cause or period is None:
        raise Http404("name a cause and a period")
    rows = causes.cases_behind(desk.organization, cause, period)[:500]
    context = {"desk": desk, "cause": cause, "period": period, "rows": list(rows)}
    return render(request, "reports/causes.html", context)


@login_required
@require_GET
def review_download(request: HttpRequest, org_slug: str, fmt: str) -> HttpResponse:
    desk = desk_for(request_user(request), org_slug)
    if fmt not in FORMATS:
        raise Http404("no such format")
    now = timezone.now()
    form = filter_form(desk, request.GET, now)
    charter = desk.charter.charter if desk.charter else None
    pack = review_pack(
        desk.organization,
        charter,
        form.chosen_period(),
        now,
        language=translation.get_language() or "en",
        where=form.chosen_slice(),
        breach_limit=exports.PDF_BREACHES if fmt == "pdf" else None,
    )
    content_type, write = FORMATS[fmt]
    response = HttpResponse(write(pack), content_type=content_type)
    name = f"{desk.organization.slug}-review-{form.chosen_period().code}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def record_decision(request: HttpRequest, org_slug: str) -> HttpResponse:
    desk = desk_for(request_user(request), org_slug)
    form = ReviewDecisionForm(request.POST)
    now = timezone.now()
    if form.is_valid():
        try:
            causes.record_decision(
                desk.organization,
                decided_on=form.cleaned_data["decided_on"],
                text=form.cleaned_data["text"],
                causes=form.cause_list(),
                references=form.references(),
                now=now,
                actor=desk.user,
            )
        except NotAllowed as refused:
            context = {"desk": desk, "message": str(refused)}
            return render(request, "console/forbidden.html", context, status=403)
        except CaseError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("reports:reports", org_slug=desk.organization.slug)
    context = reports_context(desk, {}, now, decision_form=form)
    return render(request, "reports/reports.html", context, status=REFUSED)
