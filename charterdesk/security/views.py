"""The staff login with its optional second step, and the page where a staff member turns
two-factor login on or off (docs/security.md).

After the right password, a member with two-factor login on is not logged in yet: the
session remembers who they are for a few minutes and the code step asks for a code from
their app (or a backup code). A wrong code counts as a failed login for django-axes, in the
same budget as wrong passwords, so five of either lock the username and address out.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler  # type: ignore[import-untyped]
from axes.helpers import get_lockout_response  # type: ignore[import-untyped]
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login  # type: ignore[import-untyped]

from charterdesk.security import two_factor

PENDING = "charterdesk_2fa_pending"  # the session key of a login waiting for its code


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class StaffLoginView(LoginView):
    """Django's login; a member with two-factor login on goes on to the code step."""

    template_name = "console/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not two_factor.is_on(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
            "at": timezone.now().timestamp(),
            "next": self.get_redirect_url(),
        }
        return redirect("console:login-code")


def _pending(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    """The user whose password was right a moment ago, if that moment has not passed."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    age = timezone.now().timestamp() - float(pending.get("at", 0))
    if not 0 <= age <= settings.CHARTERDESK_2FA_PENDING_SECONDS:
        del request.session[PENDING]
        return None
    user = User.objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    return (user, pending) if user is not None else None


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponseBase:
    """The second step: a code from the app, or a backup code."""
    found = _pending(request)
    if found is None:
        messages.info(request, _("Please log in again."))
        return redirect("console:login")
    user, pending = found
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        locked: HttpResponse = get_lockout_response(request, credentials=credentials)
        return locked
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.match(user, form.cleaned_data["code"])
        if device is not None:
            del request.session[PENDING]
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return HttpResponseRedirect(_next(request, pending.get("next", "")))
        user_login_failed.send(
            sender=__name__, credentials=credentials, request=request
        )  # django-axes counts it, and locks out at the limit
        form.add_error("code", _("That code is not right, or it came too soon. Try again."))
    status = 422 if form.errors else 200
    return render(request, "security/login_code.html", {"form": form}, status=status)


def _next(request: HttpRequest, wanted: str) -> str:
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_page(request: HttpRequest) -> HttpResponse:
    """Turn two-factor login on (scan, confirm a code, keep the backup codes) or off."""
    user = request.user
    assert isinstance(user, User)
    on = two_factor.is_on(user)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = CodeForm(request.POST if action in ("confirm", "turn-off") else None)
    context: dict[str, Any] = {"form": form, "on": on}
    if action == "start" and not on:
        two_factor.start(user)
        return redirect("console:two-factor")
    if action == "confirm" and not on and form.is_valid():
        confirmed = two_factor.confirm(user, form.cleaned_data["code"])
        if confirmed is not None:
            device, codes = confirmed
            otp_login(request, device)  # this session has just shown a code
            context.update(on=True, backup_codes=codes, form=CodeForm())
            return render(request, "security/two_factor.html", context)
        form.add_error("code", _("That code is not right. Check the time on your phone."))
    if action == "turn-off" and on and form.is_valid():
        if two_factor.match(user, form.cleaned_data["code"]) is not None:
            two_factor.turn_off(user)
            messages.success(request, _("Two-factor login is off."))
            return redirect("console:two-factor")
        form.add_error("code", _("That code is not right, or it came too soon. Try again."))
    if action == "backup-codes" and on:
        context["backup_codes"] = two_factor.new_backup_codes(user)
        return render(request, "security/two_factor.html", context)
    if request.method == "POST" and not form.errors:
        return redirect("console:two-factor")  # nothing to do (a stale form)
    device = None if on else two_factor.pending_device(user)
    if device is not None:
        context.update(qr=two_factor.qr_svg(device), key=two_factor.key_text(device))
    status = 422 if form.errors else 200
    return render(request, "security/two_factor.html", context, status=status)
