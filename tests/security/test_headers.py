"""Security headers on public and staff pages (ASVS v4.0.3 V14.4; SECURITY.md §5 #29)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client


@pytest.mark.parametrize("path", ["/", "/console/login/"])
@pytest.mark.django_db
def test_headers(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_production_settings_pass_the_deployment_checklist(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`manage.py check --deploy` with the production environment: no warning at all."""
    env = {
        **os.environ,
        "GONGKAI_DATA_DIR": str(tmp_path),
        "GONGKAI_HTTPS": "1",
        "GONGKAI_SECRET_KEY": "x" * 20 + "-production-only-" + "y" * 30,
        "GONGKAI_ALLOWED_HOSTS": "gongkai.example",
        "GONGKAI_FIELD_KEY": "q" * 43,  # 32 bytes in base64
        "DJANGO_SETTINGS_MODULE": "gongkai.conf.settings",
    }
    env.pop("GONGKAI_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_without_https_the_checklist_complains(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path), "GONGKAI_HTTPS": "0"}
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "gongkai.W004" in result.stderr + result.stdout


@pytest.mark.django_db
def test_forwarded_for_is_ignored_without_a_trusted_proxy(client: Client) -> None:
    """A client cannot pick its own address for the audit log and the rate limits."""
    from gongkai.audit.models import AuditEvent

    client.post(
        "/console/login/", {"username": "nobody", "password": "x"}, HTTP_X_FORWARDED_FOR="6.6.6.6"
    )
    assert AuditEvent.objects.get(verb="auth.login_failed").ip == "127.0.0.1"
