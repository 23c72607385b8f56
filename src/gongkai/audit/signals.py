"""Security events from Django's auth and django-axes go to the audit log (等保2.0 8.1.4.3:
login success and failure, logout, lockout). These are not business writes."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from gongkai.audit.models import Outcome
from gongkai.audit.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, verb="auth.login")


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, verb="auth.logout")


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    audit_record(
        actor=None,
        actor_name=str(credentials.get("username", ""))[:150],
        verb="auth.login_failed",
        outcome=Outcome.FAILURE,
    )


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any = None, username: str = "", **kwargs: Any) -> None:
    audit_record(
        actor=None,
        actor_name=str(username or "")[:150],
        verb="auth.locked_out",
        outcome=Outcome.FAILURE,
        reason="连续登录失败次数超过限制，账号已锁定",
    )
