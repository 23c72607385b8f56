"""Reading preferences of portal visitors (适老化, GB/T 37668): 繁體 view and large text.

They are kept in two plain cookies so that they work without JavaScript and without a session.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

SCRIPT_COOKIE = "gk_script"
TEXT_COOKIE = "gk_text"

SCRIPT_TRADITIONAL = "hant"
SCRIPT_SIMPLIFIED = "hans"
TEXT_LARGE = "large"
TEXT_NORMAL = "normal"

SCRIPT_CHOICES = (SCRIPT_SIMPLIFIED, SCRIPT_TRADITIONAL)
TEXT_CHOICES = (TEXT_NORMAL, TEXT_LARGE)

COOKIE_MAX_AGE = 365 * 24 * 60 * 60  # one year


@dataclass(frozen=True)
class ReadingPreferences:
    traditional: bool = False
    large_text: bool = False

    @classmethod
    def from_cookies(cls, cookies: Mapping[str, str]) -> ReadingPreferences:
        return cls(
            traditional=cookies.get(SCRIPT_COOKIE) == SCRIPT_TRADITIONAL,
            large_text=cookies.get(TEXT_COOKIE) == TEXT_LARGE,
        )


DEFAULT = ReadingPreferences()
