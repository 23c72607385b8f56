"""Title, year, organisation and the six narrative sections, from a report's plain text.

Shared by every input format: the HTML and DOCX readers turn the document into text first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from gongkai.core.text import normalize
from gongkai.reports.formats import SECTION_KEYS

_TITLE = re.compile(
    r"(?P<org>[^\s，。；:：]{2,40}?)\s*(?P<year>(?:19|20)\d{2})\s*年度?\s*政府信息公开(?:工作)?年度?报告"
)
_SECTION_HEAD = re.compile(r"^\s*(?P<num>[一二三四五六])\s*[、.．]\s*(?P<title>[^\n]{2,40})$", re.M)
_NUMERALS = "一二三四五六"


@dataclass
class Metadata:
    year: int | None
    organization: str
    title: str
    published_on: date | None = None


def extract_metadata(text: str, source: str = "") -> Metadata:
    """Find the report title (e.g. 平潭综合实验区2024年度政府信息公开工作年度报告)."""
    plain = normalize(text[:20000])
    match = _TITLE.search(plain) or _TITLE.search(normalize(source))
    if not match:
        return Metadata(year=None, organization="", title="")
    return Metadata(
        year=int(match["year"]),
        organization=match["org"].strip(),
        title=match.group(0).strip(),
    )


def split_sections(text: str) -> dict[str, str]:
    """Text of each section by key; a section not found is "". Headings are matched by their
    numeral (一 … 六) and must appear in order."""
    plain = normalize(text, simplify=True).replace("\r", "")
    plain = "\n".join(line.strip() for line in plain.split("\n"))
    heads: list[tuple[int, int, int]] = []  # (section index, start of heading, end of heading)
    expected = 0
    for m in _SECTION_HEAD.finditer(plain):
        index = _NUMERALS.index(m["num"])
        if index == expected:
            heads.append((index, m.start(), m.end()))
            expected += 1
        if expected == len(SECTION_KEYS):
            break
    sections = dict.fromkeys(SECTION_KEYS, "")
    for i, (index, _start, end) in enumerate(heads):
        stop = heads[i + 1][1] if i + 1 < len(heads) else len(plain)
        sections[SECTION_KEYS[index]] = plain[end:stop].strip()
    return sections
