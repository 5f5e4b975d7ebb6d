"""The case page and its actions.

An action is a POST that calls one function of :mod:`charterdesk.cases.actions`. With
htmx, a success answers with the fresh form and the header, clocks, conversation and
timeline swapped in place; without JavaScript it redirects back to the page
(POST/redirect/GET). A refused request (:class:`CaseError`) is shown next to its form;
a role that may not act gets a 403.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from charterdesk.cases.charters import NotAllowed, parsed
from charterdesk.cases.models import Case, Membership
from charterdesk.cases.services import CaseError
from charterdesk.console.case_actions import ACTIONS, ActionPanel, panels
from charterdesk.console.case_page import (
    ReplyTemplate,
    case_of,
    clock_lines,
    members_of,
    messages_of,
    reply_templates,
    timeline_of,
)
from charterdesk.console.desk import Desk, desk_for, request_user
from charterdesk.console.forms import ActionForm
from charterdesk.console.labels import STATUS_LABELS, case_type_label, channel_label, refusal
from charterdesk.privacy.viewing import record_view

#: How a refused action answers htmx, which swaps these codes (base.html's htmx-config).
REFUSED, FORBIDDEN = 422, 403


def case_context(
    desk: Desk,
    case: Case,
    members: list[Membership],
    shown: list[ActionPanel],
    now: datetime,
    templates: list[ReplyTemplate] | None = None,
) -> dict[str, Any]:
    charter = parsed(case.charter).charter  # the version the case was opened under
    language = translation.get_language() or "en"
    clocks, not_applicable = clock_lines(case, now)
    if templates is None:
        templates = reply_templates(case, desk.organization.timezone) if desk.can_act else []
    return {
        "desk": desk,
        "case": case,
        "case_type": case_type_label(case.case_type, charter, language),
        "channel": channel_label(case.channel, charter, language),
        "status": STATUS_LABELS.get(case.status, case.status),
        "clocks": clocks,
        "not_applicable": not_applicable,
        "conversation": messages_of(case),
        "timeline": timeline_of(case),
        "templates": templates,
        "template_texts": {template.key: template.text for template in templates},
        "panels": shown if desk.can_act else [],
        "members": members,
    }


@login_required
@require_GET
def case_page(request: HttpRequest, org_slug: str, reference: str) -> HttpResponse:
    desk = desk_for(request_user(request), org_slug)
    case = case_of(desk.organization, reference)
    members = members_of(desk.organization) if desk.can_act else []
    templates = reply_templates(case, desk.organization.timezone) if desk.can_act else []
    chosen = {t.key: t.text for t in templates}.get(request.GET.get("template", ""), "")
    shown = panels(members, reply_text=chosen)  # a template chosen without JavaScript
    record_view(case, desk.user, timezone.now())  # who saw the personal data (privacy)
    context = case_context(desk, case, members, shown, timezone.now(), templates)
    return render(request, "console/case.html", context)


@login_required
@require_POST
def case_action(request: HttpRequest, org_slug: str, reference: str, name: str) -> HttpResponse:
    desk = desk_for(request_user(request), org_slug)
    action = ACTIONS.get(name)
    if action is None:
        raise Http404("no such action")
    case = case_of(desk.organization, reference)
    if not desk.can_act:
        return _forbidden(request, desk, case)
    members = members_of(desk.organization)
    form: ActionForm = action.form(request.POST, prefix=action.name, members=members)
    now = timezone.now()
    if form.is_valid():
        try:
            action.run(case, form.cleaned_data, desk.user, now)
        except CaseError as refused:
            form.add_error(None, refusal(refused.code, str(refused)))
        except NotAllowed:
            return _forbidden(request, desk, case)
        else:
            return _done(request, desk, reference, members, name, now)
    if getattr(request, "htmx", False):
        panel = ActionPanel(action, form)
        return render(
            request, "console/_action.html", _panel_context(desk, case, panel), status=REFUSED
        )
    shown = panels(members, form, name)
    context = case_context(desk, case, members, shown, now)
    return render(request, "console/case.html", context, status=REFUSED)


def _done(
    request: HttpRequest,
    desk: Desk,
    reference: str,
    members: list[Membership],
    name: str,
    now: datetime,
) -> HttpResponse:
    case = case_of(desk.organization, reference)  # as the action left it
    if not getattr(request, "htmx", False):
        messages.success(request, str(ACTIONS[name].done))
        return redirect("console:case", org_slug=desk.organization.slug, reference=reference)
    shown = [panel for panel in panels(members, done=name) if panel.name == name]
    context = case_context(desk, case, members, shown, now) | {"panel": shown[0], "oob": True}
    return render(request, "console/_action_done.html", context)


def _panel_context(desk: Desk, case: Case, panel: ActionPanel) -> dict[str, Any]:
    templates = reply_templates(case, desk.organization.timezone) if panel.name == "reply" else []
    return {
        "desk": desk,
        "case": case,
        "panel": panel,
        "templates": templates,
        "template_texts": {template.key: template.text for template in templates},
    }


def _forbidden(request: HttpRequest, desk: Desk, case: Case) -> HttpResponse:
    context = {"desk": desk, "case": case, "message": _("Your role does not allow this.")}
    template = (
        "console/_forbidden.html" if getattr(request, "htmx", False) else "console/forbidden.html"
    )
    return render(request, template, context, status=FORBIDDEN)
