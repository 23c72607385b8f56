from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from gongkai.portal.preferences import ReadingPreferences


def reading_preferences(request: HttpRequest) -> dict[str, Any]:
    """Reading preferences, the page language (WCAG 3.1.1) and the site name for every page.

    Works when ReadingPreferencesMiddleware has not run (error pages, tests with bare
    requests): the cookies are read directly then.
    """
    reading = getattr(request, "reading", None)
    if reading is None:
        cookies = getattr(request, "COOKIES", None) or {}
        reading = ReadingPreferences.from_cookies(cookies)
    return {
        "reading": reading,
        "html_lang": html_lang(reading),
        "site_name": settings.SITE_NAME,
    }


def html_lang(reading: ReadingPreferences) -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE).lower()
    if language == "en" or language.startswith("en-"):
        return "en"
    return "zh-Hant" if reading.traditional else "zh-Hans"
