from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from gongkai.orgs.models import User
from gongkai.orgs.permissions import AdminCapability, has_admin_capability

PAGE_SIZE = 50


def paginate(request: HttpRequest, items: Any, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def require_capability(request: HttpRequest, capability: AdminCapability) -> None:
    if not has_admin_capability(request.user, capability):
        raise PermissionDenied("没有执行此操作的权限")


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def actor(request: HttpRequest) -> User:
    """The logged-in staff member (views using this are behind login_required)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
