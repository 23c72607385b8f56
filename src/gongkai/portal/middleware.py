from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from gongkai.core.text import to_traditional
from gongkai.portal.context_processors import is_english
from gongkai.portal.preferences import ReadingPreferences

# Staff pages, files and machine interfaces are never converted.
UNCONVERTED_PREFIXES = ("/console/", "/static/", "/api/")


def should_convert(request: HttpRequest, response: HttpResponse) -> bool:
    """True for a complete portal HTML page that the visitor wants in traditional characters."""
    reading = getattr(request, "reading", None)
    if reading is None or not reading.traditional:
        return False
    if request.path_info.startswith(UNCONVERTED_PREFIXES):
        return False
    # An English page has no Chinese interface text to convert; organisation names and other
    # content keep the script they were entered in.
    if is_english(getattr(request, "LANGUAGE_CODE", None) or translation.get_language()):
        return False
    if getattr(response, "streaming", False) or not 200 <= response.status_code < 500:
        return False
    if response.has_header("Content-Encoding"):
        return False
    content_type = response.get("Content-Type", "")
    return content_type.split(";", 1)[0].strip().lower() == "text/html"


class ReadingPreferencesMiddleware:
    """Reads the 繁體 / large-text cookies into `request.reading` and serves the 繁體 view.

    The conversion runs on the finished HTML: OpenCC only maps CJK characters, so markup,
    Latin text and URLs pass through unchanged.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.reading = ReadingPreferences.from_cookies(request.COOKIES)  # type: ignore[attr-defined]
        response = self.get_response(request)
        if not request.path_info.startswith(UNCONVERTED_PREFIXES):
            # The same URL renders differently depending on the preference cookies.
            patch_vary_headers(response, ("Cookie",))
        if should_convert(request, response):
            charset = response.charset or "utf-8"
            text = response.content.decode(charset, errors="replace")
            response.content = to_traditional(text).encode(charset, errors="xmlcharrefreplace")
            response["Content-Length"] = str(len(response.content))
        return response
