"""Tables of a published report as rectangular grids, and their mapping to tables 二, 三, 四.

HTML and DOCX readers describe each table as rows of cells (with rowspan/colspan, or with
repeated merged cells); `build_grid` / `grid_from_repeated` turn that into a `Grid` where a
merged cell's text sits in every slot it covers. Which table is which is decided by content
(`classify`), never by position; columns and rows are found by their labels (RULES.md §2.3–2.6).
`report_from_parts` assembles a whole `StatutoryReport` from a document's paragraphs and grids.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal

from gongkai.core.text import collapse_whitespace, normalize
from gongkai.reports.findings import Finding, Severity
from gongkai.reports.formats import (
    OUTCOME_GROUPS,
    RESULTS_LABEL,
    SECTION_KEYS,
    TABLE2_BLOCKS,
    TABLE3_COLUMN_LABELS,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TABLE4_RESULT_LABELS,
    Block,
    FormatVersion,
    format_for_year,
)
from gongkai.reports.parse import ParseResult
from gongkai.reports.parse.labels import (
    canon,
    match_applicant_column,
    match_table3_row,
    strip_numbering,
)
from gongkai.reports.parse.meta import Metadata, extract_metadata, split_sections
from gongkai.reports.structure import Amount, Cell, StatutoryReport

V2019, V2021 = FormatVersion.V2019, FormatVersion.V2021


# --- grids -------------------------------------------------------------------------------
@dataclass(frozen=True)
class SourceCell:
    """A cell as written in the source: its text and how far it spans."""

    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Slot:
    text: str  # normalised text of the cell covering this slot
    origin: bool  # the top-left slot of its cell
    cell: int  # identity of the covering cell: equal for all slots of one merged cell


@dataclass
class Grid:
    rows: list[list[Slot]]

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def cells(self, row: int, start: int = 0, stop: int | None = None) -> list[tuple[int, Slot]]:
        """The distinct cells of a row between two columns: (first column, slot), left to right."""
        seen: set[int] = set()
        out = []
        for j, slot in enumerate(self.rows[row][start:stop], start=start):
            if slot.cell not in seen:
                seen.add(slot.cell)
                out.append((j, slot))
        return out

    def lines(self) -> list[str]:
        """The table as text, one line per row (each merged cell once), for the section text.
        Lines start with "|" so that a row label such as 四、结转下年度继续办理 is never taken
        for a section heading."""
        out = []
        for i in range(len(self.rows)):
            texts = [s.text for _, s in self.cells(i) if s.origin]
            if any(texts):
                out.append("| " + " | ".join(texts) + " |")
        return out


def build_grid(rows: Sequence[Sequence[SourceCell]]) -> Grid:
    """Lay out cells with rowspan/colspan as browsers do: each cell takes the next free slot."""
    taken: dict[tuple[int, int], Slot] = {}
    height = len(rows)
    cell_id = 0
    for r, row in enumerate(rows):
        c = 0
        for source in row:
            while (r, c) in taken:
                c += 1
            rowspan = max(1, min(source.rowspan, height - r)) if source.rowspan > 0 else height - r
            colspan = max(1, min(source.colspan, 1000))
            text = normalize(source.text)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[(r + dr, c + dc)] = Slot(text, dr == 0 and dc == 0, cell_id)
            cell_id += 1
            c += colspan
    return _rectangle(taken, height, cell_id)


def grid_from_repeated(
    rows: Sequence[Sequence[tuple[Hashable, str]]], offsets: Sequence[int] = ()
) -> Grid:
    """Rows where a merged cell appears once per slot it covers (as python-docx gives them),
    each as (identity, text); equal identities are one cell. `offsets` are empty slots
    before each row (Word rows may start after the first grid column)."""
    taken: dict[tuple[int, int], Slot] = {}
    ids: dict[Hashable, int] = {}
    for r, row in enumerate(rows):
        start = offsets[r] if r < len(offsets) else 0
        for c, (key, text) in enumerate(row, start=start):
            origin = key not in ids
            if origin:
                ids[key] = len(ids)
            taken[(r, c)] = Slot(normalize(text), origin, ids[key])
    return _rectangle(taken, len(rows), len(ids))


def _rectangle(taken: dict[tuple[int, int], Slot], height: int, next_id: int) -> Grid:
    width = max((c for _, c in taken), default=-1) + 1
    rows = []
    for r in range(height):
        row = []
        for c in range(width):
            slot = taken.get((r, c))
            if slot is None:  # a short row: blank filler, a cell of its own
                slot = Slot("", True, next_id)
                next_id += 1
            row.append(slot)
        rows.append(row)
    return Grid(rows)


# --- cell values -------------------------------------------------------------------------
_BLANK_MARKS = {"", "-", "—", "–", "——", "/", "无", "空"}
_STRIP = re.compile(r"[\s,，]")
_COUNT = re.compile(r"(\d+)(?:件|个|人次|次|项)?")
_AMOUNT = re.compile(r"([+\-]?\d+(?:\.\d+)?)(万元|元|件|个|项)?")


def parse_count(text: str) -> tuple[Cell, bool]:
    """A table 三/四 cell: (value, readable). Blank or a dash → None; "0" → 0."""
    s = _STRIP.sub("", normalize(text))
    if s in _BLANK_MARKS:
        return None, True
    m = _COUNT.fullmatch(s)
    return (int(m[1]), True) if m else (None, False)


def parse_amount(text: str) -> tuple[Amount, str, bool]:
    """A table 二 cell: (value, unit written in the cell, readable). Units are stripped."""
    s = _STRIP.sub("", normalize(text))
    if s in _BLANK_MARKS:
        return None, "", True
    m = _AMOUNT.fullmatch(s)
    if not m:
        return None, "", False
    try:
        return Decimal(m[1]), m[2] or "", True
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return None, "", False


def _is_number(text: str) -> bool:
    value, ok = parse_count(text)
    return ok and value is not None


# --- which table is which ----------------------------------------------------------------
TableKind = Literal["table2", "table3", "table4"]


def _is_table3_label(text: str) -> bool:
    """A row label of table 三 (long enough not to be a column header such as 其他)."""
    key = strip_numbering(canon(text))
    if len(key) < 4:
        return False
    return bool(match_table3_row(text, V2021) or match_table3_row(text, V2019)) or _is_group(text)


def _canon_set(labels: Iterable[str]) -> set[str]:
    return {strip_numbering(canon(label)) for label in labels}


_GROUPS = _canon_set(OUTCOME_GROUPS)
_SIX = strip_numbering(canon(OUTCOME_GROUPS[-1]))  # 其他处理


def _is_group(text: str) -> bool:
    return strip_numbering(canon(text)) in _GROUPS


def classify(grid: Grid) -> TableKind | None:
    text = "".join(canon(s.text) for i in range(len(grid.rows)) for _, s in grid.cells(i))
    if "第二十条" in text:
        return "table2"
    if any(k in text for k in ("申请人情况", "本年新收", "本年度办理结果", "结转下年度")):
        return "table3"
    if "行政复议" in text and ("行政诉讼" in text or "起诉" in text):
        return "table4"
    if any(_is_table3_label(s.text) for row in grid.rows for s in row):
        return "table3"  # a table 三 continued after a page break, without its header
    return None


# --- table 三 ----------------------------------------------------------------------------
@dataclass
class ScannedRow:
    labels: list[str]  # the distinct label cells, outermost first
    values: list[Cell]  # TABLE3_COLUMNS order
    unreadable: list[str] = field(default_factory=list)


@dataclass
class Table3Scan:
    columns: dict[str, int]  # column key → grid column
    rows: list[ScannedRow]
    notes: list[Finding]


# What the notes say, by code (the fields are filled with str.format).
MESSAGES: dict[str, str] = {
    "parse.year": "未能从标题中识别报告年度。",
    "parse.organization": "未能从标题中识别报告机关。",
    "parse.format_mismatch": "报告年度为{}年，应使用{}，但表格版式为{}；已按表格版式读取。",
    "parse.table2.missing": "未找到表二（主动公开政府信息情况）。",
    "parse.table3.missing": "未找到表三（收到和处理政府信息公开申请情况）。",
    "parse.table4.missing": "未找到表四（政府信息公开行政复议、行政诉讼情况）。",
    "parse.table3.columns": "未能识别表三的列标题，已按官方列顺序（自然人……总计）读取最后七列。",
    "parse.table3.no_columns": "未能识别表三的列标题，表三数据未读取。",
    "parse.table3.missing_columns": "表三缺少以下列：{}。",
    "parse.table3.unknown_rows": "表三中有无法识别的行：{}。",
    "parse.table3.missing_rows": "表三中未找到以下行：{}。",
    "parse.table3.cells": "表三中有无法读取为数字的单元格：{}。",
    "parse.table4.empty": "表四中没有数字。",
    "parse.table4.columns": "未能识别表四的全部列标题，已按官方列顺序读取最后十五列。",
    "parse.table4.no_columns": "表四不足十五列，未能读取。",
    "parse.table4.cells": "表四中有无法读取为数字的单元格：{}。",
    "parse.table2.unknown_rows": "表二中有无法识别的行或栏目：{}。",
    "parse.table2.headers": "表二“{}”行的栏目标题与{}的官方格式不一致，已按顺序读取。",
    "parse.table2.columns": "表二“{}”行的栏目数与官方格式不一致，已按顺序读取。",
    "parse.table2.cells": "表二“{}”行的单元格无法读取为数字：{}。",
    "parse.table2.unit": "表二“{}”的金额以元填写（{}），已换算为万元。",
}
_ERRORS = {"parse.year", "parse.table3.no_columns", "parse.table4.no_columns"}


def note(code: str, location: str, *fields: object) -> Finding:
    """A parse note; errors where nothing could be read, information for a unit conversion."""
    severity = Severity.WARNING
    if code in _ERRORS or code.endswith(".missing"):
        severity = Severity.ERROR
    elif code == "parse.table2.unit":
        severity = Severity.INFO
    return Finding(severity, code, MESSAGES[code].format(*fields), location)


def _body_start(grid: Grid) -> int:
    for i, row in enumerate(grid.rows):
        if any(_is_number(s.text) or _is_table3_label(s.text) for s in row if s.origin):
            return i
    return len(grid.rows)


def _table3_columns(grid: Grid, header_rows: int) -> dict[str, int]:
    """Each data column by its innermost header label (商业企业 under 法人或其他组织)."""
    columns: dict[str, int] = {}
    for j in range(grid.width):
        for i in reversed(range(header_rows)):
            key = match_applicant_column(grid.rows[i][j].text)
            if key:
                columns.setdefault(key, j)
                break
    return columns


def scan_table3(grid: Grid, previous: dict[str, int] | None = None) -> Table3Scan:
    """Columns by header label, then each body row's label cells and numbers."""
    notes: list[Finding] = []
    start = _body_start(grid)
    columns = _table3_columns(grid, start)
    if len(columns) < 2:
        if previous and max(previous.values()) < grid.width:
            columns = dict(previous)  # continuation of the table above
        elif grid.width >= len(TABLE3_COLUMNS) + 1:
            columns = {
                k: grid.width - len(TABLE3_COLUMNS) + n for n, k in enumerate(TABLE3_COLUMNS)
            }
            notes.append(note("parse.table3.columns", "table3"))
        else:
            notes.append(note("parse.table3.no_columns", "table3"))
            return Table3Scan({}, [], notes)
    missing = [TABLE3_COLUMN_LABELS[k] for k in TABLE3_COLUMNS if k not in columns]
    if missing:
        notes.append(note("parse.table3.missing_columns", "table3", "、".join(missing)))
    first_data = min(columns.values())
    rows = []
    for i in range(start, len(grid.rows)):
        labels = [s.text for _, s in grid.cells(i, 0, first_data) if s.text]
        values: list[Cell] = []
        unreadable = []
        for key in TABLE3_COLUMNS:
            j = columns.get(key)
            slot = grid.rows[i][j] if j is not None else None
            if slot is None or not slot.origin:
                values.append(None)
                continue
            value, ok = parse_count(slot.text)
            if not ok:
                unreadable.append(slot.text)
            values.append(value)
        if labels or any(v is not None for v in values) or unreadable:
            rows.append(ScannedRow(labels, values, unreadable))
    return Table3Scan(columns, rows, notes)


def table3_layout(rows: Sequence[ScannedRow]) -> FormatVersion | None:
    """2019 if （六）其他处理 is a row of its own with no sub-rows; 2021 if it has sub-rows."""
    sub_keys = {r.key for r in TABLE3_ROWS[V2021] if r.group == OUTCOME_GROUPS[-1]}
    single = sub = False
    for row in rows:
        if not row.labels:
            continue
        inner = row.labels[-1]
        if any(strip_numbering(canon(label)) == _SIX for label in row.labels[:-1]):
            sub = True
        elif strip_numbering(canon(inner)) == _SIX:
            single = True
        elif match_table3_row(inner, V2021, OUTCOME_GROUPS[-1]) in sub_keys - {"other"}:
            sub = True
    return V2021 if sub else V2019 if single else None


def apply_table3(
    rows: Sequence[ScannedRow], version: FormatVersion
) -> tuple[dict[str, list[Cell]], list[Finding]]:
    """Match each scanned row to an official row of `version` by its labels."""
    official = {r.key: r for r in TABLE3_ROWS[version]}
    table: dict[str, list[Cell]] = {}
    unknown: list[str] = []
    unreadable: list[str] = []
    group = ""
    for row in rows:
        has_numbers = any(v is not None for v in row.values)
        if not row.labels:
            if has_numbers:
                unknown.append("（无标签）")
            continue
        inner = row.labels[-1]
        own_group = next((label for label in row.labels[:-1] if _is_group(label)), "")
        if own_group:
            group = own_group
        elif _is_group(inner) and not (version == V2019 and strip_numbering(canon(inner)) == _SIX):
            group = inner  # a group heading on a row of its own (unmerged layouts)
            continue
        key = match_table3_row(inner, version, own_group or group)
        if key is None and len(row.labels) > 1:
            key = match_table3_row("".join(row.labels[-2:]), version, own_group or group)
        if key is None:
            if strip_numbering(canon(inner)) != strip_numbering(canon(RESULTS_LABEL)):
                unknown.append(inner)
            continue
        if not official[key].group:
            group = ""
        if key in table and any(v is not None for v in table[key]):
            continue  # the first filled occurrence wins
        table[key] = list(row.values)
        unreadable.extend(f"{inner}：{t}" for t in row.unreadable)
    absent = [r.label for r in TABLE3_ROWS[version] if r.key not in table] if table else []
    lists = {
        "parse.table3.unknown_rows": unknown,
        "parse.table3.missing_rows": absent,
        "parse.table3.cells": unreadable,
    }
    return table, [note(code, "table3", "；".join(items)) for code, items in lists.items() if items]


# --- table 四 ----------------------------------------------------------------------------
_T4_GROUPS = {canon(label): key for key, label in TABLE4_GROUPS}
_T4_RESULTS = {
    canon(label): key
    for key, label in zip(
        ("upheld", "corrected", "other", "pending", "total"), TABLE4_RESULT_LABELS, strict=True
    )
}


def read_table4(grid: Grid) -> tuple[list[Cell], list[Finding]]:
    """The 15 cells of the row of numbers under the three-level header."""
    numbered = [
        i for i, row in enumerate(grid.rows) if any(s.origin and _is_number(s.text) for s in row)
    ]
    if not numbered:
        return [None] * len(TABLE4_COLUMNS), [note("parse.table4.empty", "table4")]
    data = grid.rows[numbered[-1]]
    header = grid.rows[: numbered[0]]
    columns: dict[str, int] = {}
    for j in range(grid.width):
        group = result = None
        for row in header:
            text = canon(row[j].text)
            group = _T4_GROUPS.get(text, group)
            result = _T4_RESULTS.get(text, result)
        if group and result:
            columns.setdefault(f"{group}_{result}", j)
    notes: list[Finding] = []
    if len(columns) != len(TABLE4_COLUMNS):
        width = len(TABLE4_COLUMNS)
        if grid.width < width:
            return [None] * width, [note("parse.table4.no_columns", "table4")]
        columns = {k: grid.width - width + n for n, k in enumerate(TABLE4_COLUMNS)}
        notes.append(note("parse.table4.columns", "table4"))
    values: list[Cell] = []
    unreadable = []
    for key in TABLE4_COLUMNS:
        slot = data[columns[key]]
        value, ok = parse_count(slot.text) if slot.origin else (None, True)
        if not ok:
            unreadable.append(slot.text)
        values.append(value)
    if unreadable:
        notes.append(note("parse.table4.cells", "table4", "；".join(unreadable)))
    return values, notes


# --- table 二 ----------------------------------------------------------------------------
_BLOCK_HEAD = re.compile(r"第二十条第([一二三四五六七八九十]+)项")
_T2_ROWS = {
    canon(label): key
    for version in FormatVersion
    for block in TABLE2_BLOCKS[version]
    for key, label in block.rows
}
_UNITS = re.compile(r"单位|万元|元|件|个|项")


def _column_key(label: str) -> str:
    return _UNITS.sub("", canon(label))


def table2_layout(grid: Grid) -> FormatVersion | None:
    text = "".join(canon(s.text) for row in grid.rows for s in row if s.origin)
    if "第二十条第九项" in text or "本年新制作数量" in text or "对外公开总数量" in text:
        return V2019
    if any(k in text for k in ("本年制发件数", "现行有效件数", "本年处理决定数量", "本年收费金额")):
        return V2021
    return None


def read_table2(
    grid: Grid, version: FormatVersion
) -> tuple[dict[str, dict[str, Amount]], list[Finding]]:
    """Blocks by their header (第二十条第（一）项 …), rows by label, columns by header label."""
    blocks = {canon(b.header): b for b in TABLE2_BLOCKS[version]}
    table: dict[str, dict[str, Amount]] = {}
    notes: list[Finding] = []
    unknown: list[str] = []
    block: Block | None = None
    header: list[str] = []
    for i in range(len(grid.rows)):
        cells = [s.text for _, s in grid.cells(i)]
        texts = [t for t in cells if t]
        if not texts:
            continue
        head = _BLOCK_HEAD.search(canon(texts[0]))
        if head and len(set(texts)) == 1:
            block = blocks.get(canon(head.group(0)))
            header = []
            if block is None:
                unknown.append(texts[0])
            continue
        if canon(texts[0]) == "信息内容":
            header = cells[1:]
            continue
        row_key = _T2_ROWS.get(canon(texts[0]))
        values = cells[cells.index(texts[0]) + 1 :]
        candidates = [block] if block else list(TABLE2_BLOCKS[version])
        owner = next((b for b in candidates if b and row_key in dict(b.rows)), None)
        if owner is None:
            if any(_is_number(t) for t in values) or row_key:
                unknown.append(texts[0])
            continue
        assert row_key is not None
        table[row_key] = _table2_row(owner, header, values, texts[0], notes)
    if unknown:
        notes.append(note("parse.table2.unknown_rows", "table2", "；".join(unknown)))
    return table, notes


def _table2_row(
    block: Block, header: list[str], values: list[str], label: str, notes: list[Finding]
) -> dict[str, Amount]:
    wanted = {_column_key(lab): key for key, lab in block.columns}
    keys: list[str]
    header_matches = all(_column_key(h) in wanted for h in header)
    if header and len(header) == len(values) and header_matches:
        keys = [wanted[_column_key(h)] for h in header]
    elif len(values) == len(block.columns):
        keys = [key for key, _ in block.columns]
        if header and not header_matches:
            notes.append(note("parse.table2.headers", "table2", label, block.header))
    else:
        keys = [key for key, _ in block.columns][: len(values)]
        notes.append(note("parse.table2.columns", "table2", label))
    units = dict(block.columns)
    out: dict[str, Amount] = dict.fromkeys((k for k, _ in block.columns), None)
    for key, text in zip(keys, values, strict=False):
        value, unit, ok = parse_amount(text)
        if not ok:
            notes.append(note("parse.table2.cells", f"table2.{key}", label, text))
        if value is not None and unit == "元" and "万元" in units[key]:
            value = value / 10000
            notes.append(note("parse.table2.unit", f"table2.{key}", label, text))
        out[key] = value
    return out


# --- the whole document ------------------------------------------------------------------
Part = str | Grid  # a paragraph of text or a table, in document order

_TITLE_YEAR_FIRST = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*年度?\s*(?P<org>[^\s，。；:：\d]{2,40}?)\s*政府信息公开(?:工作)?年度?报告"
)
_PUBLISHED = re.compile(
    r"发布(?:日期|时间)\s*[:：]?\s*((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})"
)
_VERSION_NAMES = {
    V2019: "2019年试行格式（国办公开办函〔2019〕60号）",
    V2021: "2021年格式（国办公开办函〔2021〕30号）",
}


def document_text(parts: Sequence[Part]) -> str:
    lines: list[str] = []
    for part in parts:
        lines.extend(part.lines() if isinstance(part, Grid) else [part])
    return "\n".join(lines)


def read_metadata(text: str, source: str = "") -> Metadata:
    """`extract_metadata`, plus titles that put the year first
    (2019年上海市人民政府办公厅政府信息公开工作年度报告) and the 发布日期 line."""
    meta = extract_metadata(text, source)
    if meta.year is None or not meta.organization:
        plain = normalize(text[:20000])
        m = _TITLE_YEAR_FIRST.search(plain) or _TITLE_YEAR_FIRST.search(normalize(source))
        if m:
            meta = Metadata(int(m["year"]), m["org"].strip(), m.group(0).strip(), meta.published_on)
    if meta.published_on is None:
        m = _PUBLISHED.search(normalize(text[:20000]))
        if m:
            with contextlib.suppress(ValueError):  # an impossible date is ignored
                meta.published_on = date(int(m[1]), int(m[2]), int(m[3]))
    return meta


_SECTION_HEAD = re.compile(r"(?P<num>[一二三四五六])\s*[、.．]\s*\S.{1,39}")
_NUMERALS = "一二三四五六"


def read_sections(text: str) -> dict[str, str]:
    """The six narrative sections. Uses `split_sections`, and a line-by-line reading of the
    same headings when that finds fewer sections (table lines, which start with "|", are never
    headings)."""
    found = split_sections(text)
    lines = [collapse_whitespace(line) for line in text.split("\n")]
    heads: list[int] = []
    for i, line in enumerate(lines):
        m = _SECTION_HEAD.fullmatch(normalize(line))
        if m and _NUMERALS.index(m["num"]) == len(heads):
            heads.append(i)
            if len(heads) == len(SECTION_KEYS):
                break
    own = dict.fromkeys(SECTION_KEYS, "")
    for n, start in enumerate(heads):
        stop = heads[n + 1] if n + 1 < len(heads) else len(lines)
        own[SECTION_KEYS[n]] = "\n".join(line for line in lines[start + 1 : stop] if line)
    return own if sum(map(bool, own.values())) > sum(map(bool, found.values())) else found


def report_from_parts(
    parts: Sequence[Part], *, source: str = "", detected_format: str = "", title: str = ""
) -> ParseResult:
    """A `StatutoryReport` from a document's paragraphs and tables. `title` is a title found
    outside the text (a web page's heading), tried first for the metadata."""
    text = document_text(parts)
    meta = read_metadata(f"{title}\n{text}" if title else text, source)
    notes: list[Finding] = []
    grids = [p for p in parts if isinstance(p, Grid)]
    kinds = [(g, classify(g)) for g in grids]

    scans: list[Table3Scan] = []
    previous: dict[str, int] | None = None
    for g, kind in kinds:
        if kind == "table3":
            scan = scan_table3(g, previous)
            scans.append(scan)
            previous = scan.columns or previous
    table3_rows = [row for scan in scans for row in scan.rows]
    table2_grids = [g for g, kind in kinds if kind == "table2"]
    table4_grids = [g for g, kind in kinds if kind == "table4"]

    layout = table3_layout(table3_rows) or next(
        (v for v in map(table2_layout, table2_grids) if v), None
    )
    by_year = format_for_year(meta.year) if meta.year else None
    version = layout or by_year or V2021
    if layout and by_year and layout != by_year:
        names = (_VERSION_NAMES[by_year], _VERSION_NAMES[layout])
        notes.append(note("parse.format_mismatch", "format_version", meta.year, *names))
    if meta.year is None:
        notes.append(note("parse.year", "title"))
    if not meta.organization:
        notes.append(note("parse.organization", "title"))

    report = StatutoryReport.empty(meta.year or 0, meta.organization, version)
    report.title = meta.title
    report.published_on = meta.published_on
    report.source = source
    report.sections = read_sections(text)

    for scan in scans:
        notes.extend(scan.notes)
    if scans:
        table3, found = apply_table3(table3_rows, version)
        report.table3.update(table3)
        notes.extend(found)
    else:
        notes.append(note("parse.table3.missing", "table3"))
    if table4_grids:
        report.table4, found = read_table4(table4_grids[0])
        notes.extend(found)
    else:
        notes.append(note("parse.table4.missing", "table4"))
    if table2_grids:
        for g in table2_grids:
            table2, found = read_table2(g, version)
            for row, values in table2.items():
                report.table2.setdefault(row, {}).update(values)
            notes.extend(found)
    else:
        notes.append(note("parse.table2.missing", "table2"))
    return ParseResult(report=report, notes=notes, detected_format=detected_format)
