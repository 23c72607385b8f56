"""Session limits and password age for staff (等保2.0 8.1.4.1 a, b)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

SESSION_LOGIN_AT = "gk_login_at"


class SessionLimitsMiddleware:
    """Idle timeout is the session age renewed on every request (settings); this adds the
    absolute limit after which a staff member must log in again however active."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.setdefault(SESSION_LOGIN_AT, now)
            if now - float(started) > settings.SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)
                messages.info(request, _("登录已超过最长时限，请重新登录。"))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


def password_expired(user: object) -> bool:
    if getattr(user, "must_change_password", False):
        return True
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    changed = getattr(user, "password_changed_at", None)
    return bool(max_age and changed and timezone.now() - changed > timedelta(days=max_age))


class PasswordExpiryMiddleware:
    """Sends a staff member whose password is new or too old to the change form first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and request.path.startswith("/console/")
            and password_expired(request.user)
        ):
            allowed = {reverse("console:password_change"), reverse("console:logout")}
            if request.path not in allowed:
                return redirect("console:password_change")
        return self.get_response(request)
