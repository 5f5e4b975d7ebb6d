"""The way in and the queue: thin views that parse the request, read, and render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from charterdesk.console.case_page import members_of
from charterdesk.console.desk import Desk, desk_for, memberships_of, request_user
from charterdesk.console.forms import QueueFilterForm
from charterdesk.console.labels import ROLE_LABELS, case_type_label, channel_label
from charterdesk.console.queue import matching, queue_page


def home(request: HttpRequest) -> HttpResponse:
    return redirect("console:desk")


@login_required
def desk_home(request: HttpRequest) -> HttpResponse:
    """One organization: its queue. Several: choose. None: say so."""
    memberships = memberships_of(request_user(request))
    if len(memberships) == 1:
        return redirect("console:queue", org_slug=memberships[0].organization.slug)
    choices = [(m, ROLE_LABELS.get(m.role, m.role)) for m in memberships]
    return render(request, "console/choose.html", {"memberships": choices})


def _words(desk: Desk) -> tuple[dict[str, str], dict[str, str]]:
    """The organization's case types and channels in the reader's language."""
    charter = desk.charter.charter if desk.charter else None
    language = translation.get_language() or "en"
    if charter is None:
        return {}, {}
    return (
        {code: case_type_label(code, charter, language) for code in charter.case_types},
        {code: channel_label(code, charter, language) for code in charter.channels},
    )


@login_required
def queue(request: HttpRequest, org_slug: str) -> HttpResponse:
    desk = desk_for(request_user(request), org_slug)
    now = timezone.now()
    types, channels = _words(desk)
    members = members_of(desk.organization)
    form = QueueFilterForm(
        request.GET,
        case_types=list(types.items()),
        channels=list(channels.items()),
        members=members,
    )
    cases = matching(desk.organization, form.query(), desk.user, now)
    shown = queue_page(cases, request.GET.get("page"), now, (types, channels))
    context = {"desk": desk, "form": form, "queue": shown}
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]
    template = "console/_queue_results.html" if partial else "console/queue.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response
