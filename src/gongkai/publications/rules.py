"""The rules of 主动公开 as pure functions (no database access).

- 第二十六条: publish within 20 working days of the day the information is formed or changed.
- 三同步: a normative document's interpretation is published with it (国办发〔2016〕80号; the grace
  period is a setting).
- 第十八条: 依申请公开 / 不予公开 items are re-assessed periodically.
- The personal-data scan run before publishing (QUALITY.md §3).
"""

from __future__ import annotations

import calendar as _calendar
import html
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import nh3

from gongkai.core.ids import resident_id_problem
from gongkai.core.text import normalize
from gongkai.core.workdays import Calendar, add_workdays, workdays_between
from gongkai.publications.constants import AttachmentType, PiiKind, TextGapKind

PUBLISH_LIMIT_WORKDAYS = 20  # 条例第二十六条

# --- 文号 ------------------------------------------------------------------------------------
_OPEN_BRACKETS = "〔[【(（［〖"
_CLOSE_BRACKETS = "〕]】)）］〗"
_BRACKETS = str.maketrans(
    {
        **dict.fromkeys(map(ord, _OPEN_BRACKETS), "["),
        **dict.fromkeys(map(ord, _CLOSE_BRACKETS), "]"),
    }
)


def document_number_key(text: str) -> str:
    """The lookup key of a 发文字号: NFKC, 繁→简, every bracket pair folded to [ ], no spaces,
    lower case. `长府办〔2020〕12号`, `长府办[2020]12号` and `長府辦（2020）12號` share one key."""
    return re.sub(r"\s+", "", normalize(text).translate(_BRACKETS)).lower()


# --- rich text -------------------------------------------------------------------------------
ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "sub", "sup", "h2", "h3", "h4", "blockquote",
    "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "caption", "a", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
_BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(?:p|h[1-6]|li|tr|blockquote|caption)>")


def sanitize_body(raw: str) -> str:
    """The body as stored and shown: an allow-list of formatting tags (nh3), no scripts, styles,
    event handlers or javascript: links; links get rel="noopener noreferrer"."""
    return nh3.clean(
        raw or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def plain_text(body: str) -> str:
    """Text of a sanitised body, one line per block, for the PII scan and search."""
    text = nh3.clean(_BLOCK_END.sub("\n", body or ""), tags=set())
    return html.unescape(text).strip()


# --- 第二十六条 timeliness ---------------------------------------------------------------------
@dataclass(frozen=True)
class Timeliness:
    """Whether an item was (or still can be) published within the limit of 第二十六条."""

    formed_on: date
    due_on: date
    published_on: date | None
    workdays_late: int  # 0 when on time
    provisional: bool  # a year without a loaded holiday arrangement was involved

    @property
    def on_time(self) -> bool:
        return self.workdays_late == 0


def publish_due_on(formed_on: date, cal: Calendar | None = None) -> date:
    """条例第二十六条: 20 working days from the day the information is formed or changed."""
    return add_workdays(formed_on, PUBLISH_LIMIT_WORKDAYS, cal).value


def timeliness(
    formed_on: date, published_on: date | None, today: date, cal: Calendar | None = None
) -> Timeliness:
    """条例第二十六条, for a published item (by its 发布日期) or a pending one (by today)."""
    due = add_workdays(formed_on, PUBLISH_LIMIT_WORKDAYS, cal)
    end = published_on or today
    late = workdays_between(due.value, end, cal) if end > due.value else None
    return Timeliness(
        formed_on=formed_on,
        due_on=due.value,
        published_on=published_on,
        workdays_late=late.value if late else 0,
        provisional=due.provisional or bool(late and late.provisional),
    )


# --- 三同步 -------------------------------------------------------------------------------
def interpretation_missing(
    document_published_on: date,
    interpretation_published_on: date | None,
    today: date,
    grace_workdays: int,
    cal: Calendar | None = None,
) -> bool:
    """三同步: a normative document is flagged when no interpretation was published within
    `grace_workdays` working days of it (or none yet, once that period has passed)."""
    limit = add_workdays(document_published_on, grace_workdays, cal).value
    if interpretation_published_on is not None:
        return interpretation_published_on > limit
    return today > limit


# --- 第十八条 -------------------------------------------------------------------------------
def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def next_reassessment(day: date, months: int) -> date:
    """条例第十八条: withheld and on-request items are re-assessed periodically; the next
    re-assessment falls `months` after the last one (or after the decision)."""
    return add_months(day, months)


# --- 索引号 --------------------------------------------------------------------------------
class IndexPatternError(ValueError):
    pass


def index_pattern_problem(pattern: str) -> str | None:
    """Why `pattern` cannot give unique 索引号, or None. Numbers run per organisation and
    year, so the pattern needs the year, the number and something telling organisations
    apart ({division_code} does not: a district's departments share it)."""
    try:
        # The fields actually substituted: "{{seq}}" is a literal brace, not a field.
        fields = {name for _, name, _, _ in string.Formatter().parse(pattern) if name}
        _format(
            pattern,
            credit_code="11000000000000000X",
            division_code="110000",
            org_id=1,
            year=2025,
            seq=1,
        )
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        return f"索引号格式无效：{exc!r}"
    if not {"seq", "yyyy"} <= fields:
        return "索引号格式必须包含 {yyyy} 和 {seq}"
    if not fields & {"credit_code", "org_id"}:
        return "索引号格式必须包含 {credit_code} 或 {org_id}，否则不同机关的索引号会重复"
    return None


def _format(
    pattern: str, *, credit_code: str, division_code: str, org_id: int, year: int, seq: int
) -> str:
    return pattern.format(
        credit_code=credit_code, division_code=division_code, org_id=org_id, yyyy=year, seq=seq
    )


def format_index_number(
    pattern: str, *, credit_code: str, division_code: str, org_id: int, year: int, seq: int
) -> str:
    """RULES.md §5.2: no national format, so a pattern (checked at start-up, see checks.py)."""
    problem = index_pattern_problem(pattern)
    if problem:
        raise IndexPatternError(problem)
    return _format(
        pattern,
        credit_code=credit_code,
        division_code=division_code,
        org_id=org_id,
        year=year,
        seq=seq,
    )


# --- personal data (QUALITY.md §3) ---------------------------------------------------------
@dataclass(frozen=True)
class PiiHit:
    kind: PiiKind
    start: int
    end: int
    value: str


# Boundaries: no letter/digit (or a masking *) on either side, so numbers inside 索引号, 文号 or
# longer numbers do not match, and a masked value never matches again.
_B = r"(?<![0-9A-Za-z*])"
_E = r"(?![0-9A-Za-z*])"
ID18_RE = re.compile(_B + r"\d{17}[\dXx]" + _E)
ID15_RE = re.compile(_B + r"\d{15}" + _E)
# An ID number wrapped in a narrow table cell, as a PDF's text comes out: 18 characters with
# one line break inside.
ID18_WRAPPED_RE = re.compile(_B + r"(?=[\d\n]{18}[\dXx])\d+\n\d*[\dXx]" + _E)
ID_LABEL_RE = re.compile(r"身份证|公民身份号码|证件号")
MOBILE_RE = re.compile(_B + r"(?:(?:\+|00)?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}" + _E)
CARD_RE = re.compile(_B + r"\d{4}(?: ?\d{4}){2} ?\d{4,7}" + _E)
CARD_LABEL_RE = re.compile(r"卡号|账号|帐号|银行|开户")
EMAIL_RE = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?![\w])")
# Detailed addresses (QUALITY.md §3.5). 永安's rule publishes addresses down to the township or
# street only, so an address becomes personal data once it reaches a household's door:
#  1. a residential estate (小区/花园/花苑/家园/公寓/新村/苑/村, optionally after 路…号) followed by
#     building, unit and floor parts that end in a room (5栋302室, 12幢1单元602, B座1203, 302室)
#     or by building-unit-room numbers (7-2-501);
#  2. a road and door number followed by the same (人民路88号3栋502室), or a lane house (100弄5号);
#  3. a village group or a village door number (李家村3组, 红旗村3组15号, 李家村15号);
#  4. anything after a 住址 label down to a number (住址：临江区人民路88号).
# Not flagged: a road and door number alone or with a floor (临江区人民路88号, 88号3楼), which is
# how offices publish where they are; a building without a room (3号楼加装电梯); and, except
# after a 住址 label, a match next to an office word (办公室, 窗口…) or label (办公地址, 受理地点…).
_HAN = r"[\u4e00-\u9fff]"
_NUM_END = r"(?![0-9A-Za-z*])"
_ROAD = _HAN + r"{1,12}?(?:路|街|大道|道|巷|胡同)"
_DOOR = r"\d+(?:[-－]\d+)?号"
_ESTATE = _HAN + r"{1,12}?(?:小区|花园|花苑|家园|公寓|新村|苑|村)"
_BUILDING = r"(?:\d{1,4}|[A-Za-z])(?:号楼|栋|幢|座)"
_UNIT = r"\d{1,2}单元"
_FLOOR = r"\d{1,2}(?:楼|层)"
_ROOM = r"\d{1,5}(?:室|号房)"
_APARTMENT = (
    rf"(?:{_BUILDING}(?:{_UNIT})?|{_UNIT})(?:{_FLOOR})?[-－]?\d{{2,5}}{_NUM_END}(?:室|号房|号)?"
    rf"|(?:{_BUILDING})?(?:{_UNIT})?(?:{_FLOOR})?{_ROOM}"
    rf"|\d{{1,3}}[-－]\d{{1,3}}[-－]\d{{2,5}}{_NUM_END}(?:室|号)?"
)
# 住 alone too (住临江区人民路88号), but not as in 住房, 住宅, 住所 (an enterprise's registered
# seat, published in licences) or 住院.
_ADDRESS_LABEL = (
    r"家庭住址|家庭地址|居住地址|现住址|户籍地址|住址|居住地|户籍地|现住|家住"
    r"|居住[于在]|住[于在]|住(?![房宅宿院建所户])"
)
ADDRESS_RE = re.compile(
    rf"(?P<label>(?:{_ADDRESS_LABEL})[:：]?[\u4e00-\u9fff0-9A-Za-z－-]{{0,30}}?"
    rf"(?:{_DOOR}(?:{_APARTMENT})?|{_APARTMENT}|\d+组(?:{_DOOR})?))"
    rf"|(?:{_ROAD}{_DOOR})?{_ESTATE}(?:{_APARTMENT})"
    rf"|{_ROAD}(?:{_DOOR}(?:{_APARTMENT})|\d+弄{_DOOR}(?:{_APARTMENT})?)"
    rf"|{_HAN}{{1,10}}?村(?:第?\d+组(?:{_DOOR})?|{_DOOR})"
)
_OFFICE_AFTER = re.compile(r"[（(]?(?:办公室|会议室|接待室|窗口|大厅|服务中心|服务站|办事处)")
_OFFICE_LABEL = re.compile(
    r"(?:办公|受理|办理|咨询|服务|报名|接待|投诉|举报|联系|通讯|通信|邮寄)(?:地址|地点|场所)"
)
_CLAUSE_BREAK = re.compile(r"[，。；、,;！？!?\n]")
_PROVINCES = {
    *range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55),
    *range(61, 66), 71, 81, 82,
}  # fmt: skip
PII_CONTEXT = 10  # characters before a number searched for a label


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _valid_resident_id(number: str) -> bool:
    number = number.upper()
    return int(number[:2]) in _PROVINCES and resident_id_problem(number) is None


def _valid_old_id(number: str) -> bool:
    if int(number[:2]) not in _PROVINCES:
        return False
    try:
        date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return False
    return True


def _labelled(text: str, start: int, label: re.Pattern[str]) -> bool:
    return bool(label.search(text, max(0, start - PII_CONTEXT), start))


def _office_address(text: str, m: re.Match[str]) -> bool:
    """An address given as where an office is (办公地点：…, …301室办公室), not where someone lives.
    The label may sit inside the match: the estate or road name takes the characters before it."""
    if m.group("label"):
        return False
    if _OFFICE_AFTER.match(text, m.end()):
        return True
    # The label must introduce this address: "报名地点：李四家，幸福小区3栋502室" is a home.
    labels = list(_OFFICE_LABEL.finditer(text, max(0, m.start() - PII_CONTEXT), m.end()))
    return bool(labels) and not _CLAUSE_BREAK.search(text, labels[-1].end(), m.start())


def scan_pii(text: str, *, allowed_emails: frozenset[str] = frozenset()) -> list[PiiHit]:
    """Personal data in `text` (QUALITY.md §3): 公民身份号码 that pass the GB 11643 check (a
    wrong check character is not reported: it is most often another kind of number), old
    15-digit numbers next to a label, mobile numbers, bank cards of 16–19 digits that pass
    Luhn (starting with 62, or next to 卡号/账号), e-mail addresses other than `allowed_emails`
    (the organisation's published mailboxes), and addresses down to the door or room."""
    hits: list[PiiHit] = []
    taken: list[tuple[int, int]] = []

    def add(kind: PiiKind, m: re.Match[str]) -> None:
        if any(m.start() < e and s < m.end() for s, e in taken):
            return
        taken.append((m.start(), m.end()))
        hits.append(PiiHit(kind, m.start(), m.end(), m.group()))

    for m in ID18_RE.finditer(text):  # before cards: an ID can look like a card number
        if _valid_resident_id(m.group()):
            add(PiiKind.RESIDENT_ID, m)
    for m in ID18_WRAPPED_RE.finditer(text):
        number = m.group().replace("\n", "")
        if len(number) == 18 and _valid_resident_id(number):
            add(PiiKind.RESIDENT_ID, m)
    for m in ID15_RE.finditer(text):
        if _valid_old_id(m.group()) and _labelled(text, m.start(), ID_LABEL_RE):
            add(PiiKind.RESIDENT_ID, m)
    for m in CARD_RE.finditer(text):
        digits = m.group().replace(" ", "")
        if not 16 <= len(digits) <= 19 or not luhn_ok(digits):
            continue
        if digits.startswith("62") or _labelled(text, m.start(), CARD_LABEL_RE):
            add(PiiKind.BANK_CARD, m)
    for m in MOBILE_RE.finditer(text):
        add(PiiKind.MOBILE, m)
    allowed = {e.lower() for e in allowed_emails}
    for m in EMAIL_RE.finditer(text):
        if m.group().lower() not in allowed and not m.group().lower().endswith(".gov.cn"):
            add(PiiKind.EMAIL, m)
    for m in ADDRESS_RE.finditer(text):
        if not _office_address(text, m):
            add(PiiKind.ADDRESS, m)
    return sorted(hits, key=lambda h: h.start)


# --- attachments the scan cannot read ------------------------------------------------------
# Without OCR an image, or a scanned page inside a PDF or OFD, yields no text, and a scan of no
# text finds nothing. So:
# - an image is never readable;
# - a PDF, OFD or DOCX is unreadable as a whole when it averages fewer than TEXT_MIN_PER_PAGE
#   non-space characters per page (per file for DOCX, which has no pages): a scan, or a few
#   words around pictures;
# - in an otherwise readable PDF or OFD, a page with fewer than BLANK_PAGE_CHARS non-space
#   characters (a page number at most) is an image page: a scanned list appended to a notice.
#   A page that carries only a date and the issuing body (about 10–15 characters) still counts
#   as read, so the signature page of a 公文 is not flagged.
# XLSX is always read: its cells are text, and a short sheet is not a scan.
# - a DOCX or XLSX otherwise read that holds pictures of at least PICTURE_MIN_SIDE pixels on
#   each side (a pasted scan of a list or an ID card) is named with their number: the text in
#   them is not read. Smaller ones (a logo, a seal, an icon) are not counted.
TEXT_MIN_PER_PAGE = 20
PICTURE_MIN_SIDE = 300
BLANK_PAGE_CHARS = 5
NO_TEXT = "无可提取的文字"


@dataclass(frozen=True)
class TextGap:
    """Where an attachment has no text to scan: `pages` (1-based), or the whole file."""

    pages: tuple[int, ...] = ()
    pictures: int = 0  # pictures inside a file whose own text was read

    @property
    def whole(self) -> bool:
        return not self.pages and not self.pictures

    @property
    def kind(self) -> TextGapKind:
        if self.pictures:
            return TextGapKind.PICTURES
        return TextGapKind.PAGES if self.pages else TextGapKind.WHOLE

    def describe(self) -> str:
        if self.pictures:
            return pictures_unread(self.pictures)
        return ("全文" if self.whole else f"第{page_ranges(self.pages)}页") + NO_TEXT


def pictures_unread(count: int | None) -> str:
    """`count` pictures (None or 0: how many is not known) whose text cannot be checked."""
    return f"含图片{f'{count}张' if count else ''}，图中文字无法检查"


def page_ranges(pages: tuple[int, ...]) -> str:
    """`(3, 5, 6, 7)` → `3、5–7`."""
    runs: list[list[int]] = []
    for page in pages:
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    return "、".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def text_gap(file_type: str, texts: list[str], pictures: int = 0) -> TextGap | None:
    """The part of an attachment the personal-data scan cannot read, from its extracted text
    per page (PDF, OFD), chunk (DOCX) or sheet (XLSX) and the pictures a DOCX or XLSX holds;
    None when everything was read."""
    if file_type in (AttachmentType.PNG, AttachmentType.JPEG):
        return TextGap()
    if file_type == AttachmentType.XLSX:
        return TextGap(pictures=pictures) if pictures else None
    counts = [len("".join(t.split())) for t in texts]
    pages = 1 if file_type == AttachmentType.DOCX else max(len(counts), 1)
    if sum(counts) < TEXT_MIN_PER_PAGE * pages:
        return TextGap()
    blank = tuple(i for i, n in enumerate(counts, 1) if n < BLANK_PAGE_CHARS)
    if blank and file_type in (AttachmentType.PDF, AttachmentType.OFD):
        return TextGap(blank)
    if pictures and file_type == AttachmentType.DOCX:
        return TextGap(pictures=pictures)
    return None


def mask_value(kind: str, value: str) -> str:
    """The masking conventions of QUALITY.md §3.7 (永安 rule): mobile 138****1234, ID number
    first 2 and last 3 kept, addresses without door, building or room numbers."""
    if kind == PiiKind.MOBILE:
        digits = re.sub(r"\D", "", value)[-11:]
        return digits[:3] + "****" + digits[-4:]
    if kind == PiiKind.RESIDENT_ID:
        return value[:2] + "*" * (len(value) - 5) + value[-3:]
    if kind == PiiKind.BANK_CARD:
        digits = value.replace(" ", "")
        return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]
    if kind == PiiKind.EMAIL:
        local, _, domain = value.partition("@")
        return local[:1] + "***@" + domain
    return re.sub(r"\d", "*", value)


def excerpt(text: str, hit: PiiHit, others: Sequence[PiiHit] = (), width: int = 20) -> str:
    """The hit in context, with the hit and every other hit of the text (`others`) that reaches
    into the context masked: never store a raw value, nor the tail of one cut by the window."""
    lo, hi = max(0, hit.start - width), hit.end + width
    near = sorted({h for h in (hit, *others) if h.start < hi and h.end > lo}, key=lambda h: h.start)
    lo, hi = min(lo, near[0].start), max(hi, max(h.end for h in near))
    parts, pos = [], lo
    for h in near:
        if h.start >= pos:  # overlapping hits: the first one masks the shared characters
            parts += [text[pos : h.start], mask_value(h.kind, h.value)]
            pos = h.end
    parts.append(text[pos:hi])
    return "".join(parts).replace("\n", " ")[:200]
