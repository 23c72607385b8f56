"""How stored files leave the system: as downloads, never rendered inline, never cached."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header


def download_response(data: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response.headers["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=filename) or "attachment"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response
