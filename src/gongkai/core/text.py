"""Chinese text normalisation used everywhere (forms, search, comparisons).

NFKC folds full-width digits, letters and punctuation to their half-width forms; OpenCC turns
traditional characters into simplified ones (and back for the 繁體 view of the portal).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_SPACE = re.compile(r"\s+")
# Spaces that NFKC keeps or that come from Word/PDF exports; zero-width characters (ZWSP,
# ZWNJ, ZWJ, BOM) vanish, since they would otherwise split a word like "政府\u200b信息".
_ODD_SPACES = {
    **dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2009\u3000"), " "),
    **dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"), None),
}
# OpenCC 1.4's dictionaries reach a fixed point after at most three t2s passes.
_MAX_T2S_PASSES = 5


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """繁 → 简 (OpenCC t2s)."""
    return _converter("t2s").convert(text) if text else text


def to_traditional(text: str) -> str:
    """简 → 繁 (OpenCC s2t), for the portal's 繁體 view."""
    return _converter("s2t").convert(text) if text else text


def collapse_whitespace(text: str) -> str:
    return _SPACE.sub(" ", text.translate(_ODD_SPACES)).strip()


def normalize(text: str, *, simplify: bool = True) -> str:
    """NFKC (full-width → half-width), 繁 → 简, odd spaces → one space, trimmed.

    Idempotent: normalize(normalize(x)) == normalize(x).
    """
    if not text:
        return ""
    out = unicodedata.normalize("NFKC", text)
    if simplify:
        # OpenCC t2s is not idempotent: phrase entries keep a character that the character table
        # converts on the next pass (乾縣 → 乾县 → 干县, 薴 → 苧 → 苎), so convert until stable.
        for _ in range(_MAX_T2S_PASSES):
            simplified = to_simplified(out)
            if simplified == out:
                break
            out = simplified
    return collapse_whitespace(out)


def normalize_code(text: str) -> str:
    """For identifiers typed by people: NFKC, no spaces or hyphens, upper case."""
    out = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"[\s\-]", "", out).upper()


_INNER_TITLE_MARKS = str.maketrans("《》", "〈〉")


def quote_title(title: str) -> str:
    """A title quoted in running text: 《…》 around it, and the title marks inside it turned into
    〈…〉 as Chinese punctuation nests them (GB/T 15834, 4.15)."""
    return f"《{title.translate(_INNER_TITLE_MARKS)}》"
