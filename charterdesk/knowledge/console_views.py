"""The knowledge base in the staff console: supervisors and owners list, write and edit
articles (``/desk/<org>/articles/``); anyone who works cases picks articles to answer a
case with (``/desk/<org>/cases/<reference>/articles/choose/``, N4)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from charterdesk.cases.charters import NotAllowed, parsed
from charterdesk.cases.models import Case, Clock, Membership
from charterdesk.console.case_page import case_of
from charterdesk.console.desk import Desk, desk_for, request_user
from charterdesk.core.clocks import ClockState
from charterdesk.knowledge import services
from charterdesk.knowledge.forms import ArticleForm
from charterdesk.knowledge.models import Article
from charterdesk.localized import translated
from charterdesk.portal.languages import NAMES


def _forbidden(request: HttpRequest, desk: Desk) -> HttpResponse:
    context = {"desk": desk, "message": _("Your role does not allow this.")}
    return render(request, "console/forbidden.html", context, status=403)


def _editor(request: HttpRequest, org_slug: str) -> tuple[Desk, HttpResponse | None]:
    desk = desk_for(request_user(request), org_slug)
    if desk.membership.role not in services.EDITING_ROLES:
        return desk, _forbidden(request, desk)
    return desk, None


def _languages(desk: Desk) -> list[tuple[str, str]]:
    return [(code, NAMES.get(code, code)) for code in desk.organization.languages]


@login_required
@require_GET
def article_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    desk, refused = _editor(request, org_slug)
    if refused:
        return refused
    rows = Article.objects.filter(organization=desk.organization).order_by("slug", "language")
    return render(request, "knowledge/console_list.html", {"desk": desk, "articles": rows})


@login_required
@require_http_methods(["GET", "POST"])
def article_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    desk, refused = _editor(request, org_slug)
    if refused:
        return refused
    initial = {key: request.GET[key] for key in ("slug", "language") if key in request.GET}
    return _edit(request, desk, None, initial)


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    desk, refused = _editor(request, org_slug)
    article = Article.objects.filter(organization=desk.organization, pk=pk).first()
    if article is None:  # another organization's article is a 404, whatever the role
        raise Http404("no such article")
    if refused:
        return refused
    initial = {
        "slug": article.slug,
        "language": article.language,
        "title": article.title,
        "body": article.body,
        "published": article.published,
    }
    return _edit(request, desk, article, initial)


def _edit(
    request: HttpRequest, desk: Desk, article: Article | None, initial: dict[str, Any]
) -> HttpResponse:
    bound = request.method == "POST"
    form = ArticleForm(request.POST if bound else None, initial=initial, languages=_languages(desk))
    if bound and form.is_valid():
        try:
            saved = services.save_article(
                desk.organization,
                article=article,
                now=timezone.now(),
                actor=desk.user,
                **form.cleaned_data,
            )
        except services.ArticleError as problem:
            form.add_error("slug" if problem.code == "duplicate" else None, str(problem))
        except NotAllowed:
            return _forbidden(request, desk)
        else:
            messages.success(request, _("Saved."))
            return redirect("knowledge:console-edit", org_slug=desk.organization.slug, pk=saved.pk)
    context = {"desk": desk, "form": form, "article": article}
    return render(request, "knowledge/console_edit.html", context, status=422 if bound else 200)


@login_required
@require_GET
def choose_for_case(
    request: HttpRequest, org_slug: str, reference: str, name: str = ""
) -> HttpResponse:
    """The articles to answer a case with, in its language first; the form posts to the
    case action ``answer-with-articles``."""
    desk = desk_for(request_user(request), org_slug)
    case = case_of(desk.organization, reference)
    if desk.membership.role == Membership.Role.VIEWER:
        return _forbidden(request, desk)
    rows = Article.objects.filter(organization=desk.organization, published=True)
    articles = sorted(rows, key=lambda a: (a.language != case.language, a.language, a.title))
    context = {"desk": desk, "case": case, "articles": articles, "counting": _counting(case)}
    return render(request, "knowledge/console_choose.html", context)


def _counting(case: Case) -> list[str]:
    """The titles of the case's promises that an answer with articles keeps (N4)."""
    charter = parsed(case.charter).charter
    applying = set(
        Clock.objects.filter(organization_id=case.organization_id, case=case)
        .exclude(state=ClockState.NOT_APPLICABLE.value)
        .values_list("commitment", flat=True)
    )
    language = translation.get_language() or "en"
    return [
        translated(c.title, language)
        for c in charter.commitments
        if c.id in applying and "answered_with_articles" in c.met_by
    ]
