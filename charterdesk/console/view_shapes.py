"""The shape the console's guarded pages share (privacy, breaches, conduct).

:func:`desk_view` and :func:`desk_object_view` turn a view of ``(request, desk)`` or
``(request, desk, found)`` into the view the URL calls with ``org_slug`` and the object's
name (``pk``, ``reference``). In order: the desk of the organization in the URL (a 404
for anyone not in it); the object the URL names, looked up in that organization (another
organization's is a 404 for everyone, so before the role is checked); the role check
(``allowed``; the ``refuse`` page when it fails). A service that says
:class:`~charterdesk.cases.charters.NotAllowed` gets the same ``refuse`` page.

:func:`submit` is what a view does with a posted form: a valid form goes to the service;
a refusal the service explains (``refused``) is shown on the form, which comes back
(``again``) as an invalid one does; otherwise ``done`` with what the service returned.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from charterdesk.cases.charters import NotAllowed
from charterdesk.cases.models import Organization
from charterdesk.console.desk import Desk, desk_for, request_user

T = TypeVar("T")

#: The page for a role that may not ask: ``refuse(request, desk)``.
Refusal = Callable[[HttpRequest, Desk], HttpResponse]
#: What the URL calls: ``(request, org_slug, **the object's name)``.
UrlView = Callable[..., HttpResponse]


def forbidden(
    request: HttpRequest, desk: Desk, message: str, *, htmx_fragment: bool = False
) -> HttpResponse:
    """The 403 page saying ``message``; only its fragment to an htmx request that asks
    for one where ``htmx_fragment``."""
    fragment = htmx_fragment and getattr(request, "htmx", False)
    template = "console/_forbidden.html" if fragment else "console/forbidden.html"
    return render(request, template, {"desk": desk, "message": message}, status=403)


def desk_object_view(
    find: Callable[..., T], *, refuse: Refusal, allowed: Callable[[Desk], bool] | None = None
) -> Callable[[Callable[[HttpRequest, Desk, T], HttpResponse]], UrlView]:
    """``find(organization, **the object's name)`` returns the object or raises Http404;
    ``allowed=None`` lets every member of the organization in."""

    def decorate(view: Callable[[HttpRequest, Desk, T], HttpResponse]) -> UrlView:
        @wraps(view)
        def url_view(request: HttpRequest, org_slug: str, **name: Any) -> HttpResponse:
            desk = desk_for(request_user(request), org_slug)
            found = find(desk.organization, **name)
            if allowed is not None and not allowed(desk):
                return refuse(request, desk)
            try:
                return view(request, desk, found)
            except NotAllowed:
                return refuse(request, desk)

        return url_view

    return decorate


def desk_view(
    *, refuse: Refusal, allowed: Callable[[Desk], bool] | None = None
) -> Callable[[Callable[[HttpRequest, Desk], HttpResponse]], UrlView]:
    """:func:`desk_object_view` for a page of the organization itself."""

    def decorate(view: Callable[[HttpRequest, Desk], HttpResponse]) -> UrlView:
        def with_nothing(request: HttpRequest, desk: Desk, _nothing: None) -> HttpResponse:
            return view(request, desk)

        return wraps(view)(desk_object_view(_nothing, refuse=refuse, allowed=allowed)(with_nothing))

    return decorate


def _nothing(organization: Organization) -> None:
    return None


def submit(
    form: forms.Form,
    act: Callable[[dict[str, Any]], T],
    *,
    done: Callable[[T], HttpResponse],
    again: Callable[[], HttpResponse],
    refused: type[Exception] | tuple[type[Exception], ...] = (),
    explain: Callable[[Any], str] = str,
) -> HttpResponse:
    """``act(form.cleaned_data)`` if the form is valid, then ``done(result)``; a refusal
    of the ``refused`` kinds is added to the form's errors as ``explain(refusal)``, and
    such a form, like an invalid or unbound one, gets ``again()``."""
    if form.is_valid():
        try:
            result = act(form.cleaned_data)
        except refused as problem:
            form.add_error(None, explain(problem))
        else:
            return done(result)
    return again()


def succeeded(request: HttpRequest, words: str, to: str, **url: Any) -> HttpResponse:
    """Say ``words`` on the next page, and go there: ``to`` reversed with ``url``."""
    messages.success(request, words)
    response: HttpResponse = redirect(to, **url)
    return response
