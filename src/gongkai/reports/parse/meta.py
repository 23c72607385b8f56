"""Title, year, organisation, publication date and the six narrative sections of a report.

Shared by every input format: the HTML and DOCX readers turn the document into text first, the
plain-text reader works on text extracted from PDF or Markdown. Everything here copes with
繁體 text (converted with `normalize`), with line breaks inside titles, with headings that sit
in the middle of a flattened line ("一、总体情况2021年，我区…"), with Markdown `#` headings and
with page markers ("-3-", "— 4 —") left by PDF extraction.
"""

from __future__ import annotations

import contextlib
import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date

from gongkai.core.text import to_simplified
from gongkai.reports.formats import SECTION_KEYS, SECTION_TITLE_VARIANTS, SECTION_TITLES


@dataclass
class Metadata:
    year: int | None
    organization: str
    title: str
    published_on: date | None = None


# --- text preparation --------------------------------------------------------------------
_ODD_SPACES = {
    **dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2009\u3000\t\f\v"), " "),
    **dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"), None),
}
_MAX_T2S_PASSES = 5
# A page number alone on its line: "-3-", "— 4 —", "- 12 -", "第 3 页", "第3页 共5页".
PAGE_MARKER = re.compile(
    r"^\s*(?:[-—–‐−─]+\s*\d{1,3}\s*[-—–‐−─]+|第\s*\d{1,3}\s*页(?:\s*[,，]?\s*共\s*\d{1,3}\s*页)?)\s*$"
)
_MD_HEADING = re.compile(r"^\s*#{1,6}\s*")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAG = re.compile(r"<\s*(?:br|/p|/div|/tr|/h[1-6]|/li|/table|p|div|tr|table)\b[^>]*>", re.I)
_CELL_TAG = re.compile(r"<\s*/?\s*t[dh]\b[^>]*>", re.I)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)


def looks_like_html(text: str) -> bool:
    head = text[:5000].lower()
    return any(tag in head for tag in ("<p", "<div", "<table", "<html", "<meta", "<br"))


def html_to_text(text: str) -> str:
    """Visible text of an HTML page or fragment, one block per line."""
    text = _SCRIPT.sub(" ", text)
    text = _BLOCK_TAG.sub("\n", text)
    text = _CELL_TAG.sub(" ", text)
    return html.unescape(_TAG.sub("", text))


def simplify_keep_lines(text: str) -> str:
    """NFKC (full-width → half-width), 繁 → 简, odd spaces → one space; unlike
    `gongkai.core.text.normalize` the line structure is kept (each line is trimmed)."""
    if not text:
        return ""
    out = unicodedata.normalize("NFKC", text.replace("\r\n", "\n").replace("\r", "\n"))
    for _ in range(_MAX_T2S_PASSES):
        simplified = to_simplified(out)
        if simplified == out:
            break
        out = simplified
    out = out.translate(_ODD_SPACES)
    return "\n".join(re.sub(r" {2,}", " ", line).strip() for line in out.split("\n"))


@dataclass
class PreparedText:
    text: str  # simplified, one trimmed line per source line, no page markers, no `#` marks
    markers: list[int]  # offsets in `text` where a page marker line was removed


def prepare(text: str) -> PreparedText:
    """The form every reader here works on (see `PreparedText`)."""
    if looks_like_html(text):
        text = html_to_text(text)
    lines: list[str] = []
    markers: list[int] = []
    offset = 0
    for line in simplify_keep_lines(text).split("\n"):
        if PAGE_MARKER.match(line):
            markers.append(offset)
            continue
        line = _MD_HEADING.sub("", line)
        lines.append(line)
        offset += len(line) + 1
    return PreparedText("\n".join(lines), markers)


# --- metadata ----------------------------------------------------------------------------
_ORG_CHARS = r"[\u4e00-\u9fff()·]"
# (Taiwan-style 繁體 text writes 信息 as 资讯 even after conversion.)
_REPORT = r"(?:政府(?:信息|资讯)公开|政务公开|政务信息公开)(?:工作)?(?:年度)?(?:工作)?报告"
# 平潭综合实验区2024年度政府信息公开工作年度报告 / 沐阳县人民政府2025年政府信息公开…
_TITLE_ORG_FIRST = re.compile(
    rf"(?P<org>{_ORG_CHARS}{{2,40}}?)(?P<year>(?:19|20)\d{{2}})年度?{_REPORT}"
)
# 2025年上海市人民政府办公厅政府信息公开工作年度报告
_TITLE_YEAR_FIRST = re.compile(
    rf"(?P<year>(?:19|20)\d{{2}})年度?(?P<org>{_ORG_CHARS}{{2,40}}?){_REPORT}"
)
_META_TITLE = re.compile(
    r"<meta\s+name=[\"']?(?:ArticleTitle|title)[\"']?\s+content=[\"']([^\"']+)[\"']", re.I
)
_HTML_TITLE = re.compile(r"<title>([^<]+)</title>", re.I)
_META_DATE = re.compile(
    r"<meta\s+name=[\"']?(?:PubDate|publishdate|firstpublishedtime)[\"']?\s+content=[\"']"
    r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})",
    re.I,
)
_DATE = r"((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?"
_LABELLED_DATE = re.compile(rf"(?:发布(?:日期|时间)|成文日期|印发日期)\s*[:：]?\s*{_DATE}")
_DATE_LINE = re.compile(rf"^\s*[(（]?\s*{_DATE}\s*[)）]?\s*$")
_PERIOD_YEAR = re.compile(
    r"统计(?:期限|时限|周期|时间|区间)[^。\n]{0,12}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日"
)
_ANY_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_BODY_ORG = (
    re.compile(r"本(?:年度)?报告由([\u4e00-\u9fff]{2,30}?)(?:根据|依据|按照|编制)"),
    re.compile(
        r"(?:19|20)\d{2}\s*年(?:度)?\s*[,，]\s*([\u4e00-\u9fff]{2,20}?"
        r"(?:人民政府办公厅|人民政府办公室|人民政府|管委会|管理委员会|委员会|政府|办公厅|局))"
        r"(?:坚持|紧紧|认真|深入|全面|以|围绕|严格|持续|进一步)"
    ),
)
_PLACE = re.compile(r"([\u4e00-\u9fff]{2,3}[省市县区])")
_NOT_PLACE_START = set("全我本各该省市县区地城两一二三四五六七八九十所每其上下辖")
_ORG_JUNK_PREFIX = re.compile(r"^(?:正文|标题|当前位置|首页|关于|印发)+")


_NOT_ORG_WORDS = ("政府信息公开", "报告", "年度", "关于", "编制", "公布", "印发", "通知", "做好")


def _good_org(org: str) -> bool:
    """Not a phrase such as 《…办公厅关于编制公布2021年政府信息公开工作年度报告…的通知》."""
    return len(org) >= 2 and not any(w in org for w in _NOT_ORG_WORDS)


def _clean_org(org: str) -> str:
    return _ORG_JUNK_PREFIX.sub("", org).strip()


def _find_title(text: str) -> re.Match[str] | None:
    """The earliest title-like match in `text` (whitespace must already be removed)."""
    found: list[re.Match[str]] = []
    for pattern in (_TITLE_ORG_FIRST, _TITLE_YEAR_FIRST):
        for m in pattern.finditer(text):
            if _good_org(_clean_org(m["org"])):
                found.append(m)
                break
    return min(found, key=lambda m: m.start()) if found else None


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _date(y: str, m: str, d: str) -> date | None:
    with contextlib.suppress(ValueError):
        return date(int(y), int(m), int(d))
    return None


def _published_on(raw: str, lines: list[str]) -> date | None:
    m = _META_DATE.search(raw)
    if m:
        return _date(*m.groups())
    for line in lines[:60]:
        m = _LABELLED_DATE.search(line)
        if m:
            return _date(*m.groups())
    content = [line for line in lines if line]
    for line in content[:8] + content[-5:]:
        m = _DATE_LINE.match(line)
        if m:
            return _date(*m.groups())
    return None


def _fallback_year(plain: str) -> int | None:
    m = _PERIOD_YEAR.search(_compact(plain[:20000]))
    if m:
        return int(m[1])
    m = re.search(r"现将\s*((?:19|20)\d{2})\s*年度?", plain)
    if m:
        return int(m[1])
    counts = Counter(m[1] for m in _ANY_YEAR.finditer(plain))
    if counts:
        year, n = counts.most_common(1)[0]
        if n >= 2:
            return int(year)
    return None


def _fallback_org(plain: str) -> str:
    head = _compact(plain[:3000])
    for pattern in _BODY_ORG:
        m = pattern.search(head)
        if m:
            return m[1]
    counts = Counter(
        m[1] for m in _PLACE.finditer(_compact(plain)) if m[1][0] not in _NOT_PLACE_START
    )
    if counts:
        place, n = counts.most_common(1)[0]
        if n >= 2:
            return place
    return ""


def _year_from_source(source: str) -> int | None:
    m = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", source or "")
    return int(m[1]) if m else None


def extract_metadata(text: str, source: str = "") -> Metadata:
    """Find the report title (e.g. 平潭综合实验区2024年度政府信息公开工作年度报告, or with the
    year first: 2025年上海市人民政府办公厅政府信息公开工作年度报告, possibly broken over two
    lines) and take the year and organisation from it. Without a title the year comes from the
    statistics period or the most frequent year, the organisation from the body text ("2017年，
    滨江区政府紧紧围绕…", "本报告由…编制") — `title` then stays "". The date is the labelled
    发布日期/发布时间 (or a web page's PubDate), else a date alone on a line at the start or end."""
    raw = text or ""
    candidates: list[str] = []
    if looks_like_html(raw):
        candidates += [simplify_keep_lines(m[1]) for m in _META_TITLE.finditer(raw[:20000])]
        candidates += [simplify_keep_lines(m[1]) for m in _HTML_TITLE.finditer(raw[:20000])]
    prepared = prepare(raw[:60000])
    plain = prepared.text
    lines = plain.split("\n")
    content = [line for line in lines if line]
    candidates.append("".join(content[:12]))  # titles broken over lines
    candidates += content[:400]
    match = None
    for candidate in candidates:
        match = _find_title(_compact(candidate))
        if match:
            break
    if match is None and source:
        match = _find_title(_compact(simplify_keep_lines(source)))
    published = _published_on(raw[:60000], lines)
    if match:
        return Metadata(
            year=int(match["year"]),
            organization=_clean_org(match["org"]),
            title=_ORG_JUNK_PREFIX.sub("", match.group(0)),
            published_on=published,
        )
    return Metadata(
        year=_fallback_year(plain) or _year_from_source(source),
        organization=_fallback_org(plain),
        title="",
        published_on=published,
    )


# --- sections ----------------------------------------------------------------------------
_NUMERALS = "一二三四五六七八九十"
_HEAD_NUMERAL = re.compile(r"(?P<num>[一二三四五六七八九十])\s*[、.]\s*")
_SECTION_PATTERNS: dict[str, tuple[str, ...]] = {
    "overview": (r"总体情况", r"概\s*述", r"概\s*况", r"基本情况"),
    "proactive": (
        r"主动公开政府信息(?:的)?(?:工作)?情况",
        r"主动公开(?:工作)?(?:的)?情况",
        r"政府信息主动公开(?:工作)?情况",
    ),
    "requests": (
        r"收到和处理政府信息公开申请(?:的)?情况",
        r"(?:政府信息)?依申请公开(?:政府信息)?(?:工作|办理)?(?:的)?情况",
        r"政府信息公开申请(?:办理)?(?:的)?情况",
    ),
    "appeals": (
        r"(?:因)?政府信息公开(?:申请|工作)?(?:被申请)?(?:行政法?复议|提起行政诉讼)",
        r"因政府信息公开申请(?:而)?(?:提起)?行政复议",
        r"行政复议[、和及与]\s*(?:提起)?行政诉讼",
    ),
    "problems": (
        r"(?:政府信息公开|政务信息公开|政务公开)?(?:工作)?存在(?:的)?(?:主要)?问题",
        r"主要问题(?:和|及|与)改进",
    ),
    "other": (r"其他需要报告的事项", r"其他需要报告"),
}


def _loose_title(title: str) -> str:
    return r"\s*".join(re.escape(c) for c in title if not c.isspace())


_SECTION_RES = {
    key: re.compile("|".join(f"(?:{p})" for p in patterns))
    for key, patterns in _SECTION_PATTERNS.items()
}
_OFFICIAL_RES: dict[str, re.Pattern[str]] = {}
for _version_titles in SECTION_TITLES.values():
    for _key, _title in zip(SECTION_KEYS, _version_titles, strict=True):
        _titles = [_title, *SECTION_TITLE_VARIANTS.get(_key, ())]
        _OFFICIAL_RES[_key] = re.compile(
            "|".join(_loose_title(simplify_keep_lines(t)[2:]) for t in _titles)
        )
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TITLE_TAIL = re.compile(r"[^\n。;；,，:：\d]{0,16}?(?:情况|措施|事项)")
_SUBHEAD_PROBLEMS = re.compile(r"(?m)^\s*[(（]\s*一\s*[)）][^\n]{0,30}问题")
_STARTS_MID_OVERVIEW = re.compile(r"^\s*[(（]\s*一\s*[)）]")


@dataclass(frozen=True)
class SectionHead:
    key: str
    start: int  # where the heading starts (its numeral)
    end: int  # where the section's text starts
    exact: bool = True  # the official title (any numeral)


def _candidates(plain: str) -> list[tuple[SectionHead, float]]:
    found: list[tuple[SectionHead, float]] = []
    for m in _HEAD_NUMERAL.finditer(plain):
        at = m.end()
        # "统一、规范…" is no heading; a numeral glued to text needs the official title
        # ("…采购总金额元三、收到和处理政府信息公开申请情况" in flattened text).
        glued = m.start() > 0 and bool(_CJK.match(plain, m.start() - 1))
        for index, key in enumerate(SECTION_KEYS):
            official = _OFFICIAL_RES[key].match(plain, at)
            loose = official or (None if glued else _SECTION_RES[key].match(plain, at))
            if not loose:
                continue
            end = loose.end()
            if not official:
                # "因政府信息公开申请行政复议、提起行政诉讼的情况", "主要问题和改进措施"
                tail = _TITLE_TAIL.match(plain, end)
                if tail:
                    end = tail.end()
            score = 1.0 + (0.5 if official else 0.0)
            if _NUMERALS.index(m["num"]) == index:
                score += 0.25
            found.append((SectionHead(key, m.start(), end, bool(official)), score))
            break
    return found


def section_heads(plain: str) -> list[SectionHead]:
    """The section headings of a prepared text (see `prepare`), in text order: the best chain of
    headings whose section order increases (official titles and matching numerals preferred).
    A report that lost its 五 heading but has "（一）…问题…" after section 四 gets that line as
    the start of section 五."""
    cands = _candidates(plain)
    order = {key: i for i, key in enumerate(SECTION_KEYS)}
    best: list[tuple[float, int]] = []  # (score, previous index) per candidate
    for i, (head, score) in enumerate(cands):
        best.append((score, -1))
        for j in range(i):
            prev, _ = cands[j]
            if order[prev.key] < order[head.key] and best[j][0] + score > best[i][0]:
                best[i] = (best[j][0] + score, j)
    chain: list[SectionHead] = []
    if best:
        i = max(range(len(best)), key=lambda n: (best[n][0], -n))
        while i >= 0:
            chain.append(cands[i][0])
            i = best[i][1]
        chain.reverse()
    keys = [h.key for h in chain]
    if "problems" not in keys and "appeals" in keys:
        at = keys.index("appeals")
        stop = chain[at + 1].start if at + 1 < len(chain) else len(plain)
        m = _SUBHEAD_PROBLEMS.search(plain, chain[at].end, stop)
        if m:
            start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            chain.insert(at + 1, SectionHead("problems", start, start, exact=False))
    return chain


def sections_from_heads(plain: str, heads: list[SectionHead]) -> dict[str, str]:
    sections = dict.fromkeys(SECTION_KEYS, "")
    for i, head in enumerate(heads):
        stop = heads[i + 1].start if i + 1 < len(heads) else len(plain)
        sections[head.key] = plain[head.end : stop].strip()
    if heads and not sections["overview"] and heads[0].key != "overview":
        # The text starts in the middle of section 一 (its heading was lost): "（一）…".
        before = plain[: heads[0].start].strip()
        if _STARTS_MID_OVERVIEW.match(before):
            sections["overview"] = before
    return sections


def split_sections(text: str) -> dict[str, str]:
    """Text of each section by key (SECTION_KEYS); a section not found is "". Headings are
    recognised by their titles (official or common variants, 繁體 included), wherever they sit
    in a line, and must follow the official order; the numerals may differ (some reports number
    their own parts). Section texts are simplified (简体, half-width) with line breaks kept."""
    plain = prepare(text).text
    return sections_from_heads(plain, section_heads(plain))
