"""Deployment checks that the 等保2.0 floor is not configured away."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def security_floor(app_configs: Any, **kwargs: Any) -> list[Warning]:
    found = []
    if settings.PASSWORD_MIN_LENGTH < 8:
        found.append(Warning("密码最小长度低于8位", id="gongkai.W001"))
    if not settings.AXES_FAILURE_LIMIT or settings.AXES_FAILURE_LIMIT > 10:
        found.append(Warning("登录失败锁定次数未设置或过大", id="gongkai.W002"))
    if settings.SESSION_IDLE_MINUTES > 30:
        found.append(Warning("会话空闲超时超过30分钟", id="gongkai.W003"))
    if not settings.HTTPS:
        found.append(Warning("未启用 HTTPS（GONGKAI_HTTPS）", id="gongkai.W004"))
    return found


@register(Tags.security, deploy=True)
def field_key_configured(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Personal data at rest needs a real key (SECURITY.md #20, 等保 8.1.4.8 b)."""
    from django.core.exceptions import ImproperlyConfigured

    from gongkai.core.crypto import field_keys

    try:
        development = field_keys().development
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="gongkai.E002")]
    if development:
        return [
            Error(
                "未设置 GONGKAI_FIELD_KEY：申请人证件号码和电话将使用由 SECRET_KEY 派生的开发密钥加密",
                hint="用 `gongkai fieldkey` 生成密钥并通过环境变量提供。",
                id="gongkai.E001",
            )
        ]
    return []
