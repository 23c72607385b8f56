"""The rules an annual report must satisfy, as small pure functions over `StatutoryReport`.

Each function computes what a rule compares and leaves the judgement (severity, wording) to
`gongkai.reports.validate`. Blank cells (`None`) count as 0 in the arithmetic.

Sources:
- 国办公开办函〔2021〕30号, table 三's corner cell: "本列数据的勾稽关系为：第一项加第二项之和，
  等于第三项加第四项之和" (RULES.md §2.4);
- RULES.md §2.4 (implied sums of table 三), §2.5 (table 四), §2.3 (table 二 units);
- 《政府信息公开信息处理费管理办法》 国办函〔2020〕109号 Arts. 4–5 (RULES.md §3);
- 《中华人民共和国政府信息公开条例》 Art. 49 (deadlines) and Art. 50 (content);
- RULES.md §8 (what reviewers check).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from gongkai.core.text import normalize
from gongkai.inforequests import fees
from gongkai.reports.formats import (
    CARRIED_IN,
    CARRIED_OVER,
    OUTCOME_GROUPS,
    OUTCOME_TOTAL,
    RECEIVED,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TOTAL,
    FormatVersion,
    outcome_row_keys,
)
from gongkai.reports.structure import Cell, StatutoryReport

APPLICANT_COLUMNS: tuple[str, ...] = TABLE3_COLUMNS[:-1]
TABLE4_PARTS = ("upheld", "corrected", "other", "pending")


def value(cell: Cell) -> int:
    """A cell for arithmetic: blank counts as 0."""
    return 0 if cell is None else cell


# --- table 三 (RULES.md §2.4) ---------------------------------------------------------------


def table3_row(report: StatutoryReport, key: str) -> list[Cell]:
    """The 7 cells of a row in TABLE3_COLUMNS order; a missing row or cell reads as blank."""
    cells = list(report.table3.get(key) or [])[: len(TABLE3_COLUMNS)]
    return cells + [None] * (len(TABLE3_COLUMNS) - len(cells))


def table3_cells(report: StatutoryReport) -> Iterator[tuple[str, str, Cell]]:
    """Every (row, column, cell) of table 三 for the report's format version."""
    for key in table3_row_keys(report.format_version):
        for column, cell in zip(TABLE3_COLUMNS, table3_row(report, key), strict=True):
            yield key, column, cell


def table3_row_keys(version: FormatVersion) -> tuple[str, ...]:
    """All rows that carry numbers, in printed order: 一, 二, the leaves, （七）, 四."""
    return (RECEIVED, CARRIED_IN, *outcome_row_keys(version), OUTCOME_TOTAL, CARRIED_OVER)


def table3_balance(report: StatutoryReport) -> list[tuple[str, int, int]]:
    """勾稽关系, per column: (column, 一 + 二, （七）总计 + 四).

    The rule printed in table 三 by 国办公开办函〔2021〕30号 (and 〔2019〕60号): "第一项加第二项
    之和，等于第三项加第四项之和", where 第三项 is the （七）总计 row (RULES.md §2.4).
    """
    received, carried_in = table3_row(report, RECEIVED), table3_row(report, CARRIED_IN)
    answered, carried_over = table3_row(report, OUTCOME_TOTAL), table3_row(report, CARRIED_OVER)
    return [
        (
            column,
            value(received[i]) + value(carried_in[i]),
            value(answered[i]) + value(carried_over[i]),
        )
        for i, column in enumerate(TABLE3_COLUMNS)
    ]


def table3_outcome_sums(report: StatutoryReport) -> list[tuple[str, int, int]]:
    """Per column: (column, （七）总计, sum of the leaf outcome rows).

    （七）总计 = （一） + （二） + Σ（三）1–8 + Σ（四）1–3 + Σ（五）1–5 + Σ（六） (three rows in the
    2021 format, one in 2019); RULES.md §2.4, "implied rules".
    """
    leaves = [table3_row(report, key) for key in outcome_row_keys(report.format_version)]
    total = table3_row(report, OUTCOME_TOTAL)
    return [
        (column, value(total[i]), sum(value(row[i]) for row in leaves))
        for i, column in enumerate(TABLE3_COLUMNS)
    ]


def table3_total_column(report: StatutoryReport) -> list[tuple[str, Cell, int]]:
    """Per row: (row, the 总计 cell as printed, sum of the six applicant cells).

    总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他 (RULES.md §2.4).
    The 总计 cell is returned as printed (possibly blank) so that a caller can tell a blank
    column from a wrong sum.
    """
    out = []
    for key in table3_row_keys(report.format_version):
        cells = table3_row(report, key)
        out.append((key, cells[-1], sum(value(c) for c in cells[:-1])))
    return out


def table3_total_column_blank(report: StatutoryReport) -> bool:
    """True when the 总计 column is blank in every outcome row although the applicant columns
    have figures there (the 2019 Shanghai report fills 总计 only in 一, 二, （七） and 四)."""
    rows = [table3_row(report, key) for key in outcome_row_keys(report.format_version)]
    return all(r[-1] is None for r in rows) and any(c is not None for r in rows for c in r[:-1])


def table3_blank_count(report: StatutoryReport) -> tuple[int, int]:
    """(blank cells, all cells) of table 三."""
    cells = [cell for _, _, cell in table3_cells(report)]
    return sum(c is None for c in cells), len(cells)


def table3_negative_cells(report: StatutoryReport) -> list[tuple[str, str, int]]:
    """(row, column, value) of every negative cell: all cells are counts of applications."""
    return [(r, c, cell) for r, c, cell in table3_cells(report) if cell is not None and cell < 0]


# The outcome groups of table 三 (三、本年度办理结果 （一）–（六）) by the key the prose uses.
OUTCOME_GROUP_KEYS: dict[str, str] = dict(
    zip(OUTCOME_GROUPS, ("withheld", "unavailable", "not_processed", "other"), strict=True)
)


def outcome_group_totals(report: StatutoryReport) -> dict[str, int]:
    """总计 column of each outcome group: disclosed （一）, partly_disclosed （二）, withheld （三）,
    unavailable （四）, not_processed （五）, other （六） — the groups of table 三 in
    国办公开办函〔2021〕30号 (and the 2019 trial format, whose （六） is one row)."""
    totals = dict.fromkeys(
        ("disclosed", "partly_disclosed", "withheld", "unavailable", "not_processed", "other"), 0
    )
    for row in TABLE3_ROWS[report.format_version]:
        if row.key not in outcome_row_keys(report.format_version):
            continue
        if row.group:
            key = OUTCOME_GROUP_KEYS[row.group]
        elif row.key in totals:
            key = row.key
        else:
            key = "other"  # the 2019 format's single （六）其他处理 row
        totals[key] += value(column_total(report, row.key))
    return totals


def column_total(report: StatutoryReport, row: str) -> Cell:
    """A row's 总计: the printed cell, else the sum of the applicant cells, else blank."""
    cells = table3_row(report, row)
    if cells[-1] is not None:
        return cells[-1]
    if all(c is None for c in cells[:-1]):
        return None
    return sum(value(c) for c in cells[:-1])


def carry_over(report: StatutoryReport, previous: StatutoryReport) -> list[tuple[str, int, int]]:
    """Per column: (column, this year's 二、上年结转, last year's 四、结转下年度继续办理).

    RULES.md §2.4 "Cross-year" and §8 check 6: what was carried over must be carried in.
    """
    this, last = table3_row(report, CARRIED_IN), table3_row(previous, CARRIED_OVER)
    return [(c, value(this[i]), value(last[i])) for i, c in enumerate(TABLE3_COLUMNS)]


# --- table 四 (RULES.md §2.5) ---------------------------------------------------------------


def table4_cell(report: StatutoryReport, column: str) -> Cell:
    """One of the 15 cells by column key; missing reads as blank."""
    i = TABLE4_COLUMNS.index(column)
    return report.table4[i] if i < len(report.table4) else None


def table4_totals(report: StatutoryReport) -> list[tuple[str, int, int]]:
    """Per group (行政复议, 未经复议直接起诉, 复议后起诉): (group, 总计, sum of its four).

    总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结 (RULES.md §2.5: n5 = n1..n4, n10 = n6..n9,
    n15 = n11..n14).
    """
    return [
        (
            group,
            value(table4_cell(report, f"{group}_{TOTAL}")),
            sum(value(table4_cell(report, f"{group}_{part}")) for part in TABLE4_PARTS),
        )
        for group, _ in TABLE4_GROUPS
    ]


def table4_group_total(report: StatutoryReport, group: str) -> Cell:
    """A group's 总计: the printed cell, else the sum of its four, else blank."""
    total = table4_cell(report, f"{group}_{TOTAL}")
    if total is not None:
        return total
    parts = [table4_cell(report, f"{group}_{part}") for part in TABLE4_PARTS]
    return None if all(p is None for p in parts) else sum(value(p) for p in parts)


def table4_blank_count(report: StatutoryReport) -> tuple[int, int]:
    """(blank cells, all cells) of table 四."""
    cells = [table4_cell(report, c) for c in TABLE4_COLUMNS]
    return sum(c is None for c in cells), len(cells)


def table4_negative_cells(report: StatutoryReport) -> list[tuple[str, int]]:
    return [
        (c, cell)
        for c in TABLE4_COLUMNS
        if (cell := table4_cell(report, c)) is not None and cell < 0
    ]


# --- table 二 (RULES.md §2.3, §8 check 5) --------------------------------------------------

AMOUNT_COLUMNS = frozenset({"amount"})  # 万元 (2021) / 采购总金额 (2019): may have decimals
SIGNED_COLUMNS = frozenset({"change"})  # 本年增/减 (2019 format) may be negative


def decimal_places(amount: Decimal) -> int:
    """Digits after the decimal point that matter: Decimal("1.50") has 1."""
    exponent = amount.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def is_whole(amount: Decimal) -> bool:
    return amount.is_finite() and amount == amount.to_integral_value()


def table2_in_force(
    report: StatutoryReport, previous: StatutoryReport
) -> list[tuple[str, int, int]]:
    """Per row of 第二十条第（一）项 (2021 format): (row, last year's 现行有效件数 + 本年制发件数
    − 本年废止件数, this year's 现行有效件数). Rows with a blank value are left out.

    A heuristic (RULES.md §8 check 5): revisions and re-issued documents can break it.
    """
    out = []
    for row in ("regulations", "normative_documents"):
        now, before = report.table2.get(row, {}), previous.table2.get(row, {})
        figures = (before.get("in_force"), now.get("issued"), now.get("repealed"))
        actual = now.get("in_force")
        if actual is None or any(f is None for f in figures):
            continue
        last, issued, repealed = (Decimal(f or 0) for f in figures)
        out.append((row, int(last + issued - repealed), int(actual)))
    return out


# --- fees: 国办函〔2020〕109号 (RULES.md §3) -------------------------------------------------


def fee_by_applications(count: int) -> int:
    """按件计收 in 元 for `count` applications of one applicant in one calendar month
    (国办函〔2020〕109号第四条; the schedule itself lives in gongkai.inforequests.fees)."""
    return fees.month_total_by_items(count) // fees.FEN_PER_YUAN


def fee_by_pages(pages: int) -> int:
    """按量计收 in 元 for one application of `pages` pages (第五条)."""
    return fees.fee_by_pages(pages) // fees.FEN_PER_YUAN


# Every rate in Arts. 4–5 is a multiple of 10 元, so any sum of fees is too.
FEE_QUANTUM = fees.FEE_QUANTUM_FEN // fees.FEN_PER_YUAN


def fee_plausible(yuan: Decimal) -> bool:
    """Whether a total of 信息处理费 could come from the 109号 tiers (a multiple of 10 元);
    reductions and waivers are not modelled, so a failure is only a warning."""
    return yuan >= 0 and is_whole(yuan) and int(yuan) % FEE_QUANTUM == 0


# --- deadlines (条例第四十九条) -------------------------------------------------------------


def statutory_deadline(year: int, is_government: bool) -> date:
    """The latest publication date under Art. 49: departments by 31 January, people's
    governments (their disclosure office) by 31 March of the following year. Local rules may
    set earlier dates (RULES.md Art. 49 notes); callers pass those as `deadline`."""
    return date(year + 1, 3, 31) if is_government else date(year + 1, 1, 31)


# --- text ---------------------------------------------------------------------------------

SIMILARITY_MIN_CHARS = 100


def similarity(a: str, b: str) -> float:
    """SequenceMatcher ratio of two normalised texts (0 when either is empty).

    For 内容雷同 (国办公开办函〔2021〕30号; RULES.md §8 check 9). quick_ratio() bounds the ratio
    from above, so clearly different texts are not compared in full.
    """
    a, b = normalize(a), normalize(b)
    if not a or not b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
        return matcher.quick_ratio()
    return matcher.ratio()


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """A small Chinese numeral (below 1000) such as 两, 十二, 二十, 一百零五; None otherwise."""
    if not text or any(ch not in _CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in "零〇" and total and digit is None:
            continue  # 一百零五: the 零 only marks the empty tens place
        if ch in _CN_DIGITS:
            if digit is not None:
                return None
            digit = _CN_DIGITS[ch]
        else:
            unit = 10 if ch == "十" else 100
            total += (1 if digit is None else digit) * unit
            digit = None
    return total + (digit or 0)


@dataclass(frozen=True)
class Figure:
    """A figure stated in the narrative: kind is one of received, carried_in, carried_over,
    answered, reconsideration, litigation."""

    kind: str
    value: int
    sentence: str


# After normalize(): full-width punctuation is half-width (，→, ；→; （→( ：→:), 。 and 、 stay.
_SENTENCE_END = "。;!?\n"
_CLAUSE_END = _SENTENCE_END + ",、:()《》"
_N = r"(?:(?P<n>\d+)\s*(?:件|起)|(?P<c>[〇零一二两三四五六七八九十百]+)件)(?!次|/|\d)"
_APPLICATIONS = r"(?:政府信息公开申请|信息公开申请|依申请公开(?:事项|申请)?)"
_SOME = r"(?:共|共计|合计|总计|了)?\s*"
_PATTERNS: tuple[tuple[str, bool, re.Pattern[str]], ...] = (
    # (kind, needs context, pattern); context = the sentence is about disclosure applications
    (
        "received",
        False,
        re.compile(rf"(?:新收|收到|受理|接收)[^,。;、]{{0,6}}?{_APPLICATIONS}\s*{_SOME}{_N}"),
    ),
    (
        "received",
        True,
        re.compile(rf"(?:新收|收到|受理|接收){_SOME}{_N}(?:政府信息公开|信息公开)?申请"),
    ),
    (
        "carried_in",
        False,
        re.compile(rf"上(?:一)?年(?:度)?结转(?:的)?\s*(?:政府信息公开)?\s*(?:申请)?\s*{_SOME}{_N}"),
    ),
    (
        "carried_over",
        False,
        re.compile(
            rf"结转(?:至|到)?下(?:一)?年(?:度)?(?:继续)?(?:办理)?(?:的)?(?:申请)?\s*{_SOME}{_N}"
        ),
    ),
    (
        "carried_over",
        False,
        re.compile(rf"{_N}(?:申请)?(?:结转|转入)(?:至|到)?下(?:一)?年(?:度)?"),
    ),
    (
        "answered",
        True,
        re.compile(
            rf"(?:办结(?:{_APPLICATIONS}|申请)?|答复(?:{_APPLICATIONS}|申请))\s*{_SOME}{_N}"
        ),
    ),
    ("reconsideration", True, re.compile(rf"行政复议(?:案件|申请)?\s*{_SOME}{_N}")),
    ("litigation", True, re.compile(rf"(?:行政诉讼|(?<=[,、])诉讼)(?:案件)?\s*{_SOME}{_N}")),
)
# A clause that looks back or compares is not about this year; a sentence that has turned to a
# part ("其中…") or to a cumulative figure ("…以来累计…") does not state the year's total.
_OTHER_PERIOD = re.compile(r"去年|上年(?!度?结转)|上一年|前年|同比|较|比上年")
_PART_OR_CUMULATIVE = re.compile(r"其中|累计|历年|以来|近\d+年")
_YEAR = re.compile(r"(\d{4})\s*年")
_COMBINED = re.compile(r"复议(?:、|和|及|与)$")
_NOT_APPLICATIONS = re.compile(r"建议|提案|诉求|投诉|咨询|信访|留言|热线|12345")


def _sentence_at(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence around text[start:end], where it starts, and where the clause containing
    `start` starts."""
    s = max(text.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    e = min((i for ch in _SENTENCE_END if (i := text.find(ch, end)) != -1), default=len(text))
    clause = max(text.rfind(ch, 0, start) for ch in _CLAUSE_END) + 1
    return text[s:e].strip(), s, clause


def narrative_figures(
    text: str, year: int | None = None, *, about_appeals: bool = False
) -> list[Figure]:
    """The figures a report's prose states for table 三's totals and table 四's totals.

    Conservative (RULES.md §8 check 7): a number is taken only when it directly follows (or,
    for "N件结转下年度", directly precedes) the phrase in the same clause; clauses that refer
    to another year or a comparison, and figures after "其中" or in a cumulative statement,
    are skipped. received / answered from
    a bare "收到N件申请" and all reconsideration / litigation figures need context: the sentence
    mentions 信息公开 (or `about_appeals`, for section 四), and not petitions or proposals.
    """
    text = normalize(text)
    found: list[Figure] = []
    seen: set[tuple[str, int]] = set()
    for kind, needs_context, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if (kind, match.start()) in seen:
                continue
            sentence, sentence_start, clause_start = _sentence_at(text, match.start(), match.end())
            prefix = text[clause_start : match.start()]
            if _OTHER_PERIOD.search(prefix):
                continue
            if _PART_OR_CUMULATIVE.search(text[sentence_start : match.start()]):
                continue
            if year is not None and any(int(y) != year for y in _YEAR.findall(prefix)):
                continue
            if needs_context and not _has_context(kind, sentence, about_appeals):
                continue
            if kind == "litigation" and _COMBINED.search(
                text[max(0, match.start() - 3) : match.start()]
            ):
                continue  # "行政复议、行政诉讼N件" is a combined figure
            number = match["n"]
            count = int(number) if number else chinese_number(match["c"])
            if count is None:
                continue
            seen.add((kind, match.start()))
            found.append(Figure(kind, count, sentence))
    return found


def _has_context(kind: str, sentence: str, about_appeals: bool) -> bool:
    if kind in ("reconsideration", "litigation"):
        return about_appeals or "信息公开" in sentence
    return "申请" in sentence and not _NOT_APPLICATIONS.search(sentence)


_OUTCOME_LABELS = {
    "予以公开": "disclosed",
    "部分公开": "partly_disclosed",
    "不予公开": "withheld",
    "无法提供": "unavailable",
    "不予处理": "not_processed",
    "其他处理": "other",
}
_OUTCOME = re.compile(
    rf"(?<![不及和与或、])(?P<label>{'|'.join(_OUTCOME_LABELS)})(?:的)?(?:申请)?\s*{_SOME}{_N}"
    r"(?:\s*,?\s*(?:占比|占|比例为|比例|比重为|比重)[^\d,;。]{0,12}?(?P<p>\d+(?:\.\d+)?)\s*%)?"
)


_REASON = re.compile(r"因|由于|原因")


@dataclass(frozen=True)
class OutcomeFigure:
    """An outcome figure stated in the narrative ("予以公开 N 件，占比 P%"): group is a key of
    outcome_group_totals; percent is the stated share, if any, as printed."""

    group: str
    value: int
    percent: Decimal | None
    sentence: str


def outcome_figures(text: str, year: int | None = None) -> list[OutcomeFigure]:
    """Outcome counts (and their shares) stated for table 三's result groups (RULES.md §8
    check 7). As conservative as narrative_figures: the sentence must be about applications
    and not about another year or a cumulative figure; "其中…" is allowed, since outcomes are
    always stated as parts of the year's total."""
    found = []
    for line in text.splitlines():
        paragraph = normalize(line)
        for match in _OUTCOME.finditer(paragraph):
            figure = _outcome_figure(paragraph, match, year)
            if figure is not None:
                found.append(figure)
    return found


def _outcome_figure(paragraph: str, match: re.Match[str], year: int | None) -> OutcomeFigure | None:
    sentence, sentence_start, clause_start = _sentence_at(paragraph, match.start(), match.end())
    before = paragraph[sentence_start : match.start()]
    clause = paragraph[clause_start : match.start()]
    if _OTHER_PERIOD.search(clause):
        return None
    if _REASON.search(clause):
        return None  # "因本机关不掌握等原因无法提供 N 件" counts a part of the group
    if re.search(r"累计|历年|以来|近\d+年", before):
        return None
    if year is not None and any(int(y) != year for y in _YEAR.findall(before)):
        return None
    # The outcome list often runs over several ";"-separated sentences of one paragraph.
    if "申请" not in paragraph[: match.end()] or _NOT_APPLICATIONS.search(sentence):
        return None
    count = int(match["n"]) if match["n"] else chinese_number(match["c"])
    if count is None:
        return None
    share = Decimal(match["p"]) if match["p"] else None
    return OutcomeFigure(_OUTCOME_LABELS[match["label"]], count, share, sentence)


def share_matches(part: int, stated: Decimal, wholes: Iterable[int]) -> bool:
    """Whether `stated` percent is part/whole × 100 rounded or cut to the printed decimals, for
    one of the candidate denominators (reports divide by 办结, by 收到 or by both years'
    applications; some cut instead of rounding, e.g. Shanghai 2019's 35/805 as 4.34%)."""
    unit = Decimal(1) / Decimal(10) ** decimal_places(stated)
    for whole in wholes:
        if whole <= 0:
            continue
        exact = Decimal(part) * 100 / Decimal(whole)
        if abs(exact - stated) <= unit / 2 or Decimal(0) <= exact - stated < unit:
            return True
    return False


_PERIOD = re.compile(
    r"统计(?:期限|时限|时间|期间|区间|周期)[^。;]{0,12}?(\d{4})\s*年\s*0?1\s*月\s*0?1\s*日"
    r"[^。;\d]{0,6}?(?:至|到|-|—|~)\s*(?:(\d{4})\s*年\s*)?12\s*月\s*31\s*日"
)


def statistics_periods(text: str) -> list[tuple[int, int, str]]:
    """Each stated statistics period "统计期限为YYYY年1月1日至(YYYY年)12月31日" as (first year,
    last year, sentence). RULES.md §2.2 "Intro sentence" and §8 check 2."""
    text = normalize(text)
    out = []
    for match in _PERIOD.finditer(text):
        first = int(match[1])
        last = int(match[2]) if match[2] else first
        out.append((first, last, _sentence_at(text, match.start(), match.end())[0]))
    return out


_FEE = re.compile(r"(?:收取|收缴|缴纳|收费|征收)[^。;]{0,24}?(\d+(?:\.\d+)?)\s*(万?)元")
_FEE_WORDS = re.compile(r"信息处理费|收费|收取[^。;,]{0,10}费")
_NEGATED = re.compile(r"(?:未|没有|无|不|免)(?:收取|收缴|收费|征收)")


def fee_mentions(text: str) -> list[tuple[Decimal, str]]:
    """Amounts of 信息处理费 stated as collected, in 元, with their sentence. A sentence counts
    when it names 信息处理费 and is not negated ("未收取信息处理费")."""
    text = normalize(text)
    out = []
    for match in _FEE.finditer(text):
        sentence = _sentence_at(text, match.start(), match.end())[0]
        if "信息处理费" not in sentence or _NEGATED.search(sentence):
            continue
        amount = Decimal(match[1]) * (10000 if match[2] else 1)
        out.append((amount, sentence))
    return out


def mentions_fees(text: str) -> bool:
    """Whether a text says anything about charging (信息处理费, 收费, 收取…费)."""
    return bool(_FEE_WORDS.search(normalize(text)))
