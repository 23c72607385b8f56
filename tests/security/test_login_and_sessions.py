"""等保2.0 8.1.4.1 (身份鉴别) and ASVS v4.0.3 V2/V3 for staff accounts (SECURITY.md §1.2, §5)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.orgs import services
from gongkai.orgs.models import User
from tests.conftest import PASSWORD, District

LOGIN = "/console/login/"


def _login(client: Client, username: str, password: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def test_lockout_after_repeated_failures(client: Client, district: District) -> None:
    """8.1.4.1 b) 登录失败处理: after the limit, even the right password is refused."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "officer_a", "wrong-password-1")
    response = _login(client, "officer_a", PASSWORD)
    assert response.status_code == 429
    assert "账号已被暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(verb="auth.locked_out", actor_name="officer_a").exists()


def test_lockout_is_per_account_not_per_office(client: Client, district: District) -> None:
    """A whole bureau behind one NAT address is not locked out by one person's typos."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "officer_a", "wrong-password-1")
    response = _login(Client(), "officer_b", PASSWORD)
    assert response.status_code == 302


def test_security_admin_unlocks(client: Client, district: District) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "officer_a", "wrong-password-1")
    services.user_unlock(actor=district.secadmin, user=district.officer_a)
    assert _login(Client(), "officer_a", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(verb="user.unlocked").exists()


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Short-1a", False),  # under 12
        ("alllowercaseletters", False),
        ("NoDigitsOrSymbols", False),
        ("Abcdefgh1234", False),  # no symbol: 3 of 4 classes
        ("Gk-2026-linjiang!", True),
    ],
)
def test_password_complexity(password: str, ok: bool) -> None:
    """8.1.4.1 a) 复杂度要求: 12+ characters with upper, lower, digit and symbol."""
    user = User(username="someone")
    if ok:
        validate_password(password, user)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, user)


def test_complexity_is_configurable(settings: Any) -> None:
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "gongkai.orgs.passwords.CharacterClassValidator", "OPTIONS": {"required": 3}}
    ]
    validate_password("Abcdefgh1234")


def test_new_account_must_change_password_first(client: Client, district: District) -> None:
    user, password = services.user_create(
        actor=district.sysadmin, username="newbie", full_name="新人"
    )
    assert _login(client, "newbie", password).status_code == 302
    response = client.get(reverse("console:org_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("console:password_change")
    response = client.post(
        reverse("console:password_change"),
        {
            "old_password": password,
            "new_password1": "Linjiang-2026-ok!",
            "new_password2": "Linjiang-2026-ok!",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("console:org_list")).status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password
    assert AuditEvent.objects.filter(verb="user.password_changed", actor=user).exists()


def test_password_expires_after_max_age(client: Client, district: District) -> None:
    """8.1.4.1 a) 定期更换: after GONGKAI_PASSWORD_MAX_AGE_DAYS the console asks for a new one."""
    client.force_login(district.officer_a)
    assert client.get(reverse("console:home")).status_code == 200
    later = timezone.now() + timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1)
    with time_machine.travel(later, tick=False):
        client.force_login(district.officer_a)
        response = client.get(reverse("console:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("console:password_change")


def test_idle_session_ends(client: Client, district: District) -> None:
    """8.1.4.1 b) 登录连接超时自动退出."""
    client.force_login(district.officer_a)
    assert client.get(reverse("console:home")).status_code == 200
    idle = timezone.now() + timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1)
    with time_machine.travel(idle, tick=False):
        response = client.get(reverse("console:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_active_session_ends_after_absolute_limit(client: Client, district: District) -> None:
    client.force_login(district.officer_a)
    start = timezone.now()
    client.get(reverse("console:home"))
    step = timedelta(minutes=settings.SESSION_IDLE_MINUTES - 1)
    now = start
    # Stay active (a request before each idle limit) until past the absolute limit.
    while now - start <= timedelta(hours=settings.SESSION_ABSOLUTE_HOURS):
        now += step
        with time_machine.travel(now, tick=False):
            response = client.get(reverse("console:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_logout_is_audited_and_flushes_session(client: Client, district: District) -> None:
    client.force_login(district.officer_a)
    client.post(reverse("console:logout"))
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(verb="auth.logout", actor=district.officer_a).exists()


def test_passwords_use_a_slow_salted_hash() -> None:
    """ASVS v4.0.3-2.4.1: the project keeps Django's PBKDF2 default (1,000,000 iterations)."""
    from django.conf import global_settings
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from gongkai.conf import settings as project_settings

    assert "PASSWORD_HASHERS" not in vars(project_settings)
    assert global_settings.PASSWORD_HASHERS[0].endswith("PBKDF2PasswordHasher")
    assert PBKDF2PasswordHasher.iterations >= 600_000


def test_csrf_is_enforced_on_login(district: District) -> None:
    client = Client(enforce_csrf_checks=True)
    assert _login(client, "officer_a", PASSWORD).status_code == 403
