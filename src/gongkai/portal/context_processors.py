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
        # Same value under a name no view puts in its context: Django's LoginView and the
        # password-reset views set their own "site_name" (the host name). base.html uses this.
        "SITE_NAME": settings.SITE_NAME,
    }


def html_lang(reading: ReadingPreferences) -> str:
    """The language of the page text (WCAG 3.1.1): the language the page is rendered in.

    That is the active translation (LocaleMiddleware picks it from the language cookie or the
    browser's Accept-Language, falling back to LANGUAGE_CODE). The 繁體 reading preference
    only applies to Chinese pages, so an English page is never marked zh-Hant.
    """
    if is_english(translation.get_language()):
        return "en"
    return "zh-Hant" if reading.traditional else "zh-Hans"


def is_english(language: str | None) -> bool:
    """True for "en" and its regional variants ("en-gb")."""
    language = (language or settings.LANGUAGE_CODE).lower()
    return language == "en" or language.startswith("en-")
