"""Matching the labels of published tables to the official ones, whatever the source did to
them: 繁體, full-width forms, spaces and line breaks inside cells, 〔〕/（） variants, dropped
numbering, OCR-renamed columns."""

from __future__ import annotations

import re

from gongkai.core.text import normalize
from gongkai.inforequests.constants import ApplicantType
from gongkai.reports.formats import TABLE3_ROWS, TOTAL, FormatVersion, official

_NOISE = re.compile(r"[\s\u3000、，,。.．:：;；\"“”'‘’()（）〔〕\[\]【】<>《》|*#_\-—]+")
_LEADING_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+|\d+)")


def canon(text: str) -> str:
    """A form for comparing labels: simplified, no spaces, no punctuation."""
    return _NOISE.sub("", normalize(text or ""))


def strip_numbering(key: str) -> str:
    """canon() text without its leading numbering (一, （三）, 1.) — canon removed brackets."""
    return _LEADING_NUMBER.sub("", key, count=1)


_COLUMN_ALIASES: dict[str, str] = {
    **{canon(official(t.label)): t.value for t in ApplicantType},
    canon("总计"): TOTAL,
    canon("合计"): TOTAL,
    # OCR tools rename the six applicant columns 数据1…数据6 (2025 沭阳, SOURCES.md).
    **{f"数据{i}": t.value for i, t in enumerate(ApplicantType, start=1)},
}


def match_applicant_column(label: str) -> str | None:
    return _COLUMN_ALIASES.get(canon(label))


def match_table3_row(label: str, version: FormatVersion, group: str = "") -> str | None:
    """The row key for a label of table 三. `group` disambiguates numbered sub-rows whose own
    text repeats elsewhere (e.g. "3.其他" exists only under （六）)."""
    wanted = strip_numbering(canon(label))
    if not wanted:
        return None
    group_key = strip_numbering(canon(group))
    candidates = []
    for row in TABLE3_ROWS[version]:
        text = strip_numbering(canon(row.label))
        same_text = text == wanted or (len(wanted) >= 4 and text.startswith(wanted))
        same_group = not group_key or not row.group or strip_numbering(canon(row.group)) == group_key
        if same_text and same_group:
            candidates.append(row.key)
    return candidates[0] if len(candidates) == 1 else None
