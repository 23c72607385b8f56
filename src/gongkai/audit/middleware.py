from __future__ import annotations

from collections.abc import Callable

from axes.helpers import get_client_ip_address
from django.http import HttpRequest, HttpResponse

from gongkai.audit.context import RequestOrigin, reset_origin, set_origin


class AuditContextMiddleware:
    """Makes the client address known to audit_record() for the length of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin = RequestOrigin(
            ip=get_client_ip_address(request),
            user_agent=request.headers.get("User-Agent", "")[:300],
        )
        token = set_origin(origin)
        try:
            return self.get_response(request)
        finally:
            reset_origin(token)
