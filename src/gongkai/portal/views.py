from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from gongkai.orgs.models import Organization
from gongkai.portal.preferences import (
    COOKIE_MAX_AGE,
    SCRIPT_CHOICES,
    SCRIPT_COOKIE,
    TEXT_CHOICES,
    TEXT_COOKIE,
)


def organisations_with_children() -> list[tuple[Organization, list[Organization]]]:
    """Active top-level organisations, each with its active direct children, in tree order.

    One query: the materialised path orders parents before their children.
    """
    nodes = Organization.objects.filter(is_active=True, depth__lte=2).order_by("path")
    groups: list[tuple[Organization, list[Organization]]] = []
    by_path: dict[str, list[Organization]] = {}
    for node in nodes:
        if node.depth == 1:
            children: list[Organization] = []
            groups.append((node, children))
            by_path[node.path] = children
        else:
            siblings = by_path.get(node.path[: Organization.steplen])
            if siblings is not None:  # skip children of an inactive parent
                siblings.append(node)
    return groups


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {"organisations": organisations_with_children()},
    )


@require_GET
def preferences(request: HttpRequest) -> HttpResponse:
    """Switch 简体/繁體, 大字版/标准版 and 中文/English with plain links (no JavaScript)."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    secure = request.is_secure() or settings.SESSION_COOKIE_SECURE
    script = request.GET.get("script")
    if script in SCRIPT_CHOICES:
        _set_preference(response, SCRIPT_COOKIE, script, secure=secure)
    text = request.GET.get("text")
    if text in TEXT_CHOICES:
        _set_preference(response, TEXT_COOKIE, text, secure=secure)
    language = request.GET.get("lang")
    if language in dict(settings.LANGUAGES):
        # Django's own cookie, read by LocaleMiddleware. A link, not set_language's POST
        # form, so that anonymous portal pages carry no CSRF cookie and stay cacheable.
        _set_preference(response, settings.LANGUAGE_COOKIE_NAME, language, secure=secure)
    return response


def _set_preference(response: HttpResponse, name: str, value: str, *, secure: bool) -> None:
    response.set_cookie(
        name, value, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True, secure=secure
    )
