"""Django's admin behind the same login as the console, two-factor step included.

The admin's own login form asks only for a password, so it sends people to the staff login
instead; and a member who has two-factor login on is let in only from a session that gave a
code (django-otp's ``is_verified``), like django_otp.admin.OTPAdminSite but without asking
a code of members who have not turned it on.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse


class TwoFactorAdminSite(AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        from charterdesk.security.two_factor import is_on  # models are ready by now

        user: Any = request.user
        verified = getattr(user, "is_verified", lambda: False)()
        return bool(verified) or not is_on(user)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        wanted = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return HttpResponseRedirect(f"{settings.LOGIN_URL}?{urlencode({'next': wanted})}")


class AdminConfig(DjangoAdminConfig):
    default_site = "charterdesk.security.admin_site.TwoFactorAdminSite"
