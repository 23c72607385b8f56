"""Matching the labels of published tables to the official ones, whatever the source did to
them: 繁體, full-width forms, spaces and line breaks inside cells, 〔〕/（） variants, dropped
numbering, OCR-renamed columns, typos that drop a few characters."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.core.text import normalize
from gongkai.inforequests.constants import ApplicantType, Outcome
from gongkai.reports.formats import (
    CARRIED_IN,
    CARRIED_OVER,
    OTHER_HANDLING_2019,
    OUTCOME_TOTAL,
    RECEIVED,
    TABLE3_ROWS,
    TOTAL,
    FormatVersion,
    official,
)

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
    # Header cells that PDF extraction cut in two keep their unambiguous first half.
    "商业": ApplicantType.COMMERCIAL.value,
    "科研": ApplicantType.RESEARCH.value,
    "社会公益": ApplicantType.PUBLIC_INTEREST.value,
    "公益组织": ApplicantType.PUBLIC_INTEREST.value,
    "法律服务": ApplicantType.LEGAL_SERVICES.value,
}
RENAMED_COLUMN = re.compile(r"^数据\s*[1-6]$")


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
        same_group = (
            not group_key or not row.group or strip_numbering(canon(row.group)) == group_key
        )
        if same_text and same_group:
            candidates.append(row.key)
    return candidates[0] if len(candidates) == 1 else None


# --- finding row labels in running text ----------------------------------------------------
def loose(text: str) -> str:
    """A regex for `text` (normalised) that allows whitespace between any two characters and
    any (or no) punctuation where the text has punctuation: "（区分处理的，只计这一情 形，不\\n
    计其他情形）" matches the official label."""
    parts: list[str] = []
    for char in normalize(text):
        if char.isspace():
            continue
        parts.append(re.escape(char) if char.isalnum() else r"[^\w\s]{0,2}")
    return r"\s*".join(parts)


_ORDINAL_FMT = r"{n}\s*[.．、]\s*"
_GROUP_FMT = r"[(（]\s*{n}\s*[)）]\s*"
_PART_FMT = r"{n}\s*[、.．]\s*"

# Words that only one row label contains: used when the whole label is not found (typos such
# as "2.其他法律行政止公开" in the 2023 洪泽 report, or labels cut by page breaks).
_KEYWORDS: dict[str, str] = {
    RECEIVED: "本年新收",
    CARRIED_IN: "上年结转",
    Outcome.DISCLOSED.value: "予以公开",
    Outcome.PARTLY_DISCLOSED.value: "部分公开",
    Outcome.WITHHELD_STATE_SECRET.value: "国家秘密",
    Outcome.WITHHELD_LAW.value: "其他法律行政",
    Outcome.WITHHELD_SECURITY.value: "三安全一稳定",
    Outcome.WITHHELD_THIRD_PARTY.value: "保护第三方",
    Outcome.WITHHELD_INTERNAL.value: "三类内部事务",
    Outcome.WITHHELD_PROCESS.value: "四类过程性",
    Outcome.WITHHELD_ENFORCEMENT_FILE.value: "行政执法案卷",
    Outcome.WITHHELD_QUERY.value: "行政查询事项",
    Outcome.UNAVAILABLE_NOT_HELD.value: "不掌握",
    Outcome.UNAVAILABLE_NEEDS_CREATION.value: "另行制作",
    Outcome.UNAVAILABLE_UNCLEAR.value: "补正后申请内容",
    Outcome.NOT_PROCESSED_PETITION.value: "信访举报",
    Outcome.NOT_PROCESSED_REPEATED.value: "重复申请",
    Outcome.NOT_PROCESSED_PUBLICATION.value: "公开出版物",
    Outcome.NOT_PROCESSED_EXCESSIVE.value: "大量反复",
    Outcome.NOT_PROCESSED_CONFIRMATION.value: "确认或重新出具",
    Outcome.OTHER_NO_CORRECTION.value: "逾期不补正",
    Outcome.OTHER_FEE_UNPAID.value: "缴纳费用",
    OTHER_HANDLING_2019: "其他处理",
    CARRIED_OVER: "结转下年度",
}
_PART_NUMERALS = {RECEIVED: "一", CARRIED_IN: "二", CARRIED_OVER: "四"}
_GROUP_NUMERALS = {
    Outcome.DISCLOSED.value: "一",
    Outcome.PARTLY_DISCLOSED.value: "二",
    OTHER_HANDLING_2019: "六",
}
_ALL_ROWS = {row.key: row for version in FormatVersion for row in TABLE3_ROWS[version]}
# The rows that a published table 三 can have, in their printed order (2021 rows, with the
# single 2019 （六）其他处理 row where the 2021 sub-rows of （六） would start).
_KEYS_2021 = [r.key for r in TABLE3_ROWS[FormatVersion.V2021]]
TABLE3_LABEL_KEYS: tuple[str, ...] = (*_KEYS_2021[:-5], OTHER_HANDLING_2019, *_KEYS_2021[-5:])


def row_ordinal(key: str) -> str:
    """The Arabic number a sub-row label starts with ("1" for 1.属于国家秘密), or ""."""
    row = _ALL_ROWS.get(key)
    m = re.match(r"(\d+)\.", row.label) if row and row.group else None
    return m[1] if m else ""


def _label_patterns(key: str) -> tuple[str, str | None]:
    """(whole label, keyword fallback) regexes for a row."""
    if key == OUTCOME_TOTAL:
        return _GROUP_FMT.format(n="七") + r"总\s*计", r"七\s*[)）]\s*总\s*计"
    if key == Outcome.OTHER.value:  # "3.其他": only with its number
        return _ORDINAL_FMT.format(n="3") + r"其\s*他(?!\s*(?:法律|处理|需要))", None
    row = _ALL_ROWS[key]
    text = re.sub(r"^(?:\d+\.|[（(][一二三四五六七][)）]|[一二三四]、)", "", row.label)
    if ordinal := row_ordinal(key):
        prefix = f"(?:{_ORDINAL_FMT.format(n=ordinal)})?"
    elif key in _PART_NUMERALS:
        prefix = f"(?:{_PART_FMT.format(n=_PART_NUMERALS[key])})?"
    elif key in _GROUP_NUMERALS:
        prefix = f"(?:{_GROUP_FMT.format(n=_GROUP_NUMERALS[key])})?"
    else:
        prefix = ""
    return prefix + loose(text), loose(_KEYWORDS[key])


_PATTERNS = {
    key: tuple(re.compile(p) for p in _label_patterns(key) if p) for key in TABLE3_LABEL_KEYS
}


@dataclass(frozen=True)
class LabelHit:
    key: str
    start: int
    end: int
    exact: bool  # the whole label, not only its keyword


def find_table3_labels(text: str, start: int = 0, stop: int | None = None) -> list[LabelHit]:
    """Row labels of table 三 in normalised running text (PDF extraction, flattened web pages),
    in text order. Each row is found at most once: by its whole label (spaces, line breaks and
    punctuation variants allowed), else by a keyword that no other label contains. The hit of a
    numbered row includes its number ("2.其他法律…"), so digits glued in front of it are not
    read as part of it."""
    stop = len(text) if stop is None else stop
    hits: list[LabelHit] = []
    for key, patterns in _PATTERNS.items():
        for exact, pattern in zip((True, False), patterns, strict=False):
            m = pattern.search(text, start, stop)
            if m:
                hits.append(LabelHit(key, m.start(), m.end(), exact))
                break
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[LabelHit] = []
    for hit in hits:
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept


def label_key(text: str) -> str | None:
    """The row of table 三 that a (possibly fragmentary) label cell names, or None: the last
    label found in it ("（三）不 | 4.保护第三方合法权益" names row 4)."""
    hits = find_table3_labels(normalize(text))
    return hits[-1].key if hits else None
