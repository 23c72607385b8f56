"""Reading a report from plain text: text extracted from PDF (pdftotext, with or without
-layout), web pages whose tables were flattened into one line, and Markdown written by PDF/OCR
converters (RULES.md §2.2–2.7, tests/fixtures/reports/SOURCES.md).

What such text does to the statutory tables, and how it is read back:

* cells one per line, row labels far from their numbers (2023 洪泽): number rows are
  collected in order (also column by column, when pdftotext wrote a block column-wise) and
  given to the official rows in order when their count fits;
* space-aligned rows with page footers ("-3-") in between (2024 洪泽): footers are dropped;
* digits glued together ("640020470" = 64/0/0/2/0/4/70, 平潭): a run is split into seven
  numbers whose first six add up to the seventh; where several splits fit, the column rules of
  the table (the outcome rows add up to （七）总计, 一+二 = （七）+四) pick the one reading that
  fits; if more than one still fits, the row stays blank and a note says so;
* broken Markdown tables (上海): rows that lost their label are placed between the rows that
  kept theirs; renamed columns (数据1…数据6) and wrong header rows are noted;
* 繁體 text is simplified first; reports in the pre-2019 free form have no statutory tables:
  they are reported missing, with year, organisation and sections still read.

Published numbers are read as printed, never corrected; the validator judges them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from gongkai.inforequests.constants import Outcome
from gongkai.reports.findings import Finding, Severity
from gongkai.reports.formats import (
    CARRIED_IN,
    CARRIED_OVER,
    OTHER_HANDLING_2019,
    OUTCOME_TOTAL,
    RECEIVED,
    TABLE2_BLOCKS,
    TABLE3_COLUMN_LABELS,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    TOTAL,
    FormatVersion,
    format_for_year,
)
from gongkai.reports.parse import ParseResult
from gongkai.reports.parse.labels import (
    RENAMED_COLUMN,
    LabelHit,
    find_table3_labels,
    label_key,
    loose,
    match_applicant_column,
    row_ordinal,
)
from gongkai.reports.parse.meta import (
    SectionHead,
    extract_metadata,
    prepare,
    section_heads,
    sections_from_heads,
)
from gongkai.reports.structure import Amount, Cell, StatutoryReport

V2019, V2021 = FormatVersion.V2019, FormatVersion.V2021
Values = tuple[Cell, ...]
WIDTH = len(TABLE3_COLUMNS)  # 6 applicant types + 总计
MAX_DIGITS = 6  # no cell of these tables has a million


# --- glued digits ----------------------------------------------------------------------
def split_glued(
    text: str,
    count: int,
    accept: Callable[[tuple[int, ...]], bool] | None = None,
    *,
    max_digits: int = MAX_DIGITS,
    prefix: Callable[[tuple[int, ...]], bool] | None = None,
) -> list[tuple[int, ...]]:
    """Every way to read the digits of `text` as `count` non-negative integers written without
    leading zeros ("0" itself is fine), for which `accept` holds. Anything that is not a digit
    (a space) is always a boundary between two numbers; digits next to each other may or may
    not be one. `prefix`, if given, prunes partial readings (it sees the numbers so far)."""
    parts = re.findall(r"\d+", text)
    digits = sum(map(len, parts))
    results: list[tuple[int, ...]] = []
    if not count <= digits <= count * max_digits:
        return results
    numbers: list[int] = []

    def walk(part: int, pos: int, left: int) -> None:
        need = count - len(numbers)
        if part == len(parts):
            if need == 0:
                found = tuple(numbers)
                if accept is None or accept(found):
                    results.append(found)
            return
        if not need <= left <= need * max_digits:
            return
        piece = parts[part]
        for length in range(1, min(max_digits, len(piece) - pos) + 1):
            chunk = piece[pos : pos + length]
            if length > 1 and chunk[0] == "0":
                break
            numbers.append(int(chunk))
            if prefix is not None and not prefix(tuple(numbers)):
                numbers.pop()
                continue
            if pos + length == len(piece):
                walk(part + 1, 0, left - length)
            else:
                walk(part, pos + length, left - length)
            numbers.pop()

    walk(0, 0, digits)
    return results


def table3_row_rule(values: Sequence[int]) -> bool:
    """Six applicant columns add up to 总计."""
    return sum(values[: WIDTH - 1]) == values[WIDTH - 1]


def table4_rule(values: Sequence[int]) -> bool:
    """In each of the three groups of five, 总计 = 维持 + 纠正 + 其他 + 尚未审结."""
    return all(values[g + 4] == sum(values[g : g + 4]) for g in range(0, len(TABLE4_COLUMNS), 5))


def table3_row_splits(text: str) -> list[tuple[int, ...]]:
    """Readings of one glued row of table 三 (see `split_glued`). The 总计 is the tail of the
    digits, so each possible tail is tried and the six cells before it must add up to it."""
    tokens = re.findall(r"\d+", text)
    if not tokens:
        return []
    last = tokens[-1]
    results: list[tuple[int, ...]] = []
    for length in range(1, min(MAX_DIGITS, len(last)) + 1):
        tail = last[-length:]
        if length > 1 and tail[0] == "0":
            continue
        total = int(tail)
        head = [*tokens[:-1], last[:-length]] if length < len(last) else tokens[:-1]

        def adds_up(numbers: tuple[int, ...], total: int = total) -> bool:
            return sum(numbers) == total

        def not_over(numbers: tuple[int, ...], total: int = total) -> bool:
            return sum(numbers) <= total

        for six in split_glued(" ".join(head), WIDTH - 1, adds_up, prefix=not_over):
            results.append((*six, total))
    return results


def _table4_groups_so_far(numbers: tuple[int, ...]) -> bool:
    """A partial reading of table 四 whose last complete group breaks the rule is dead."""
    n = len(numbers)
    return n % 5 != 0 or numbers[n - 1] == sum(numbers[n - 5 : n - 1])


def table4_splits(text: str) -> list[tuple[int, ...]]:
    """Readings of the glued 15 numbers of table 四."""
    return split_glued(text, len(TABLE4_COLUMNS), table4_rule, prefix=_table4_groups_so_far)


_SPECIAL_ROWS = (RECEIVED, CARRIED_IN, OUTCOME_TOTAL, CARRIED_OVER)


def table3_constraints(keys: Sequence[str]) -> list[dict[str, int]]:
    """The column rules of table 三 as weighted sums that must be 0, for the rows `keys`:
    the outcome leaf rows minus （七）总计, and 一 + 二 − （七） − 四."""
    leaves = {k: 1 for k in keys if k not in _SPECIAL_ROWS}
    rules = [{**leaves, OUTCOME_TOTAL: -1}]
    rules.append({RECEIVED: 1, CARRIED_IN: 1, OUTCOME_TOTAL: -1, CARRIED_OVER: -1})
    return [{k: w for k, w in rule.items() if k in keys} for rule in rules]


@dataclass
class Resolution:
    values: dict[str, Values | None]  # the reading of each row; None where it stays open
    ambiguous: list[str] = field(default_factory=list)  # several readings fit the rules
    unresolved: bool = False  # the readings could not be checked (too many, or none fit)


def resolve_rows(
    candidates: Mapping[str, Sequence[Values]],
    constraints: Sequence[Mapping[str, int]],
    *,
    limit: int = 200_000,
) -> Resolution:
    """Pick each row's reading among its candidates so that every column satisfies every
    constraint (weighted sum = 0; a constraint is skipped for a column where a fixed cell is
    blank). Rows with one candidate are fixed. A row with several candidates gets the reading
    that all consistent combinations share; otherwise (or when none or too many combinations
    exist) it stays None and is listed in `ambiguous`. The result is never a reading that the
    constraints rule out while another one fits. `limit` caps the work (partial-sum states)."""
    values: dict[str, Values | None] = {}
    open_rows: list[str] = []
    for key, cands in candidates.items():
        if len(cands) == 1:
            values[key] = cands[0]
        elif not cands:
            values[key] = None
        else:
            open_rows.append(key)
    if not open_rows:
        return Resolution(values)

    # For each (constraint, column) that can be checked: the sum over fixed rows, and the
    # weights of the open rows in it.
    checks: list[tuple[int, int, list[tuple[int, int]]]] = []
    for rule in constraints:
        if any(k not in candidates for k in rule):
            continue
        for column in range(WIDTH):
            fixed = 0
            usable = True
            weights: list[tuple[int, int]] = []
            for key, weight in rule.items():
                if key in open_rows:
                    weights.append((open_rows.index(key), weight))
                    continue
                row = values.get(key)
                cell = row[column] if row is not None else None
                if cell is None:
                    usable = False
                    break
                fixed += weight * cell
            if usable and weights:
                checks.append((fixed, column, weights))

    if not checks:
        return Resolution({**values, **dict.fromkeys(open_rows)}, list(open_rows), True)

    # Dynamic programming over the open rows: a state is the vector of partial sums of the
    # checks. A reading of row k fits when some state reachable before it leads, with the
    # reading's contribution, to a state from which the remaining rows can still meet every
    # check. Exact, and fast because the partial sums take few values.
    def contribution(i: int, reading: Values) -> tuple[int, ...]:
        return tuple(
            sum(w * (reading[column] or 0) for j, w in weights if j == i)
            for _, column, weights in checks
        )

    def add(a: tuple[int, ...], b: tuple[int, ...], sign: int = 1) -> tuple[int, ...]:
        return tuple(x + sign * y for x, y in zip(a, b, strict=True))

    options = [
        [(reading, contribution(i, reading)) for reading in candidates[key]]
        for i, key in enumerate(open_rows)
    ]
    forward: list[set[tuple[int, ...]]] = [{(0,) * len(checks)}]
    for choice in options:
        forward.append({add(state, c) for state in forward[-1] for _, c in choice})
        if len(forward[-1]) > limit:
            return Resolution({**values, **dict.fromkeys(open_rows)}, list(open_rows), True)
    target = tuple(-fixed for fixed, _, _ in checks)
    backward: list[set[tuple[int, ...]]] = [{target}]
    for choice in reversed(options):
        backward.append({add(state, c, -1) for state in backward[-1] for _, c in choice})
        if len(backward[-1]) > limit:
            return Resolution({**values, **dict.fromkeys(open_rows)}, list(open_rows), True)
    backward.reverse()  # backward[k]: states before row k from which the target is reachable
    fits = target in forward[-1]
    ambiguous: list[str] = []
    for i, key in enumerate(open_rows):
        fitting = {
            reading
            for reading, c in options[i]
            if any(add(state, c) in backward[i + 1] for state in forward[i])
        }
        if len(fitting) == 1:
            values[key] = next(iter(fitting))
        else:
            values[key] = None
            ambiguous.append(key)
    return Resolution(values, ambiguous, not fits)


# --- reading number rows ---------------------------------------------------------------
@dataclass
class RowReading:
    cands: list[Values]  # possible readings (one unless the digits were glued)
    raw: str  # the text it was read from
    anchor: str | None = None  # the row label printed with it
    glued: bool = False


_NUMBER = re.compile(r"\d+")


def _leading_zero(tokens: Sequence[str]) -> bool:
    return any(len(t) > 1 and t[0] == "0" for t in tokens)


def _line_rows(line: str) -> list[RowReading]:
    tokens = _NUMBER.findall(line)
    if len(tokens) % WIDTH == 0 and not _leading_zero(tokens):
        return [
            RowReading([tuple(int(t) for t in tokens[i : i + WIDTH])], line)
            for i in range(0, len(tokens), WIDTH)
        ]
    cands: list[Values] = list(table3_row_splits(" ".join(tokens)))
    if not cands and len(tokens) > 1:  # the spaces themselves may be misplaced
        cands = list(table3_row_splits("".join(tokens)))
    return [RowReading(cands, line, glued=True)]


@dataclass
class _Chunk:
    rows: list[RowReading] = field(default_factory=list)
    stray: list[int] = field(default_factory=list)


def _chunk_rows(text: str) -> _Chunk:
    """Number rows in a piece of text between two row labels. A line with several numbers (or
    one long run of digits) is a row; numbers alone on their lines are cells, taken row by row,
    or column by column where pdftotext wrote a block as seven paragraphs of equal length."""
    items: list[RowReading | list[int]] = []
    para: list[int] = []

    def close() -> None:
        nonlocal para
        if para:
            items.append(para)
            para = []

    for line in text.split("\n"):
        tokens = _NUMBER.findall(line)
        if not tokens:
            close()
            continue
        if len(tokens) == 1 and len(tokens[0]) < WIDTH:
            para.append(int(tokens[0]))
            continue
        close()
        items.extend(_line_rows(line))
    close()

    out = _Chunk()
    flat: list[int] = []

    def flush() -> None:
        usable = len(flat) - len(flat) % WIDTH
        for i in range(0, usable, WIDTH):
            row = tuple(flat[i : i + WIDTH])
            out.rows.append(RowReading([row], " ".join(map(str, row))))
        out.stray.extend(flat[usable:])
        flat.clear()

    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, RowReading):
            flush()
            out.rows.append(item)
            i += 1
            continue
        size = len(item)
        block = items[i : i + WIDTH]
        if (
            size > 1
            and len(block) == WIDTH
            and all(isinstance(p, list) and len(p) == size for p in block)
        ):
            flush()
            columns = [p for p in block if isinstance(p, list)]
            for r in range(size):
                row = tuple(col[r] for col in columns)
                out.rows.append(RowReading([row], " ".join(map(str, row))))
            i += WIDTH
            continue
        flat.extend(item)
        i += 1
    flush()
    return out


_MD_SEPARATOR = re.compile(r"^:?-{2,}:?$")
_DIGITS = re.compile(r"^\d+$")


def _md_cells(line: str) -> list[str] | None:
    if not line.startswith("|"):
        return None
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if all(not c or _MD_SEPARATOR.match(c) for c in cells):
        return None
    return cells


def _md_number_rows(text: str) -> int:
    return sum(
        1
        for line in text.split("\n")
        if (cells := _md_cells(line)) and sum(bool(_DIGITS.match(c)) for c in cells) >= 3
    )


# --- table 三 ----------------------------------------------------------------------------
_LAYOUT_FULL = tuple(r.key for r in TABLE3_ROWS[V2021])
_LAYOUT_COLLAPSED = tuple(r.key for r in TABLE3_ROWS[V2019])
_SUB_ROWS_6 = (
    Outcome.OTHER_NO_CORRECTION.value,
    Outcome.OTHER_FEE_UNPAID.value,
    Outcome.OTHER.value,
)
_ROW_LABELS = {r.key: r.label for v in FormatVersion for r in TABLE3_ROWS[v]}


_COLUMN_NAMES = [TABLE3_COLUMN_LABELS[c] for c in TABLE3_COLUMNS]


def _row_name(key: str) -> str:
    return _ROW_LABELS.get(key, key)


@dataclass
class Table3Reading:
    found: bool = False  # the table (its header or row labels) is there
    values: dict[str, Values | None] = field(default_factory=dict)
    layout: tuple[str, ...] = ()
    notes: list[Finding] = field(default_factory=list)


def _note(severity: Severity, code: str, message: str, location: str = "") -> Finding:
    return Finding(severity, code, message, location)


class _Table3Reader:
    def __init__(self, plain: str, start: int, stop: int) -> None:
        self.plain = plain
        self.start, self.stop = start, stop
        self.region = plain[start:stop]
        self.notes: list[Finding] = []
        self.hits: list[LabelHit] = find_table3_labels(plain, start, stop)
        self.stray: list[int] = []
        self.collapsed_evidence = False
        self.by_order = False  # rows given to the official rows by their order alone

    # events: number rows in text order, with the label printed with them
    def text_rows(self) -> list[RowReading]:
        rows: list[RowReading] = []
        bounds: list[tuple[LabelHit | None, int, int]] = []
        previous: LabelHit | None = None
        position = self.start
        for hit in [*self.hits, None]:
            end = hit.start if hit else self.stop
            bounds.append((previous, position, end))
            if hit:
                previous, position = hit, hit.end
        for n, (hit, a, b) in enumerate(bounds):
            text = self.plain[a:b]
            following = bounds[n + 1][0] if n + 1 < len(bounds) else None
            ordinal = row_ordinal(following.key) if following else ""
            if ordinal:  # "…0000000" + "2." of "2.其他法律…" found by its keyword only
                text = re.sub(rf"{ordinal}\s*[.．、]\D*$", "", text)
            chunk = _chunk_rows(text)
            self.stray.extend(chunk.stray)
            for i, row in enumerate(chunk.rows):
                if i == 0 and hit is not None:
                    row.anchor = hit.key
                    if hit.key == OTHER_HANDLING_2019:
                        self.collapsed_evidence = True
            rows.extend(chunk.rows)
        return rows

    def markdown_rows(self) -> list[RowReading]:
        rows: list[RowReading] = []
        lines = self.region.split("\n")
        order: list[int] | None = None  # column permutation from a header row
        renamed = mismatch = False
        for line in lines:
            cells = _md_cells(line)
            if cells is None:
                continue
            first = next((i for i, c in enumerate(cells) if _DIGITS.match(c)), None)
            if first is None:  # header row (or label-only row)
                heads = cells[1:]
                mapped = [match_applicant_column(c) for c in heads if c]
                if any(RENAMED_COLUMN.match(c.replace(" ", "")) for c in heads):
                    renamed = True
                applicants = [m for m in mapped if m and m != TOTAL]
                if len(mapped) >= WIDTH - 1 and not applicants:
                    mismatch = True
                    order = None
                elif len(mapped) == WIDTH and set(mapped) == set(TABLE3_COLUMNS):
                    order = [TABLE3_COLUMNS.index(m) for m in mapped if m]
                continue
            label = "".join(cells[:first])
            values = cells[first:]
            while len(values) > WIDTH and not values[-1]:
                values.pop()
            if len(values) != WIDTH or any(v and not _DIGITS.match(v) for v in values):
                self.stray.extend(int(v) for v in values if _DIGITS.match(v))
                continue
            row: list[Cell] = [int(v) if v else None for v in values]
            if order is not None:
                ordered: list[Cell] = [None] * WIDTH
                for source, target in enumerate(order):
                    ordered[target] = row[source]
                row = ordered
            key = label_key(label) if label else None
            if key == OTHER_HANDLING_2019:
                self.collapsed_evidence = True
            rows.append(RowReading([tuple(row)], line, anchor=key))
        if renamed:
            self.notes.append(
                _note(
                    Severity.INFO,
                    "parse.table3.columns",
                    "表三的申请人列被改名为“数据1…数据6”，已按官方顺序读作自然人、商业企业、"
                    "科研机构、社会公益组织、法律服务机构、其他。",
                    "table3",
                )
            )
        if mismatch:
            self.notes.append(
                _note(
                    Severity.WARNING,
                    "parse.table3.columns",
                    "表三有一段的表头与申请人类型不符（疑为转换错误），其下数字仍按官方列顺序读取。",
                    "table3",
                )
            )
        return rows

    def read(self) -> Table3Reading:
        result = Table3Reading()
        header = re.search(loose("勾稽关系") + "|" + loose("申请人情况"), self.region)
        markdown = _md_number_rows(self.region) >= 3
        rows = self.markdown_rows() if markdown else self.text_rows()
        result.found = bool(self.hits or header or rows)
        if not result.found:
            return result
        if not rows and self.stray:
            self.notes.append(
                _note(
                    Severity.WARNING,
                    "parse.table3.cells",
                    f"表三有{len(self.stray)}个数字，但凑不成每行7个数（空白单元格可能在转换中"
                    "丢失），无法确定各数所在的行和列，已留空。",
                    "table3",
                )
            )
            result.notes = self.notes
            return result
        if not rows:
            self.notes.append(_empty("table3", "三", "收到和处理政府信息公开申请情况"))
            result.notes = self.notes
            return result

        labels = {h.key for h in self.hits} | {r.anchor for r in rows if r.anchor}
        full = bool(labels & {Outcome.OTHER_NO_CORRECTION.value, Outcome.OTHER_FEE_UNPAID.value})
        layouts: list[tuple[str, ...]]
        if self.collapsed_evidence and not full:
            layouts = [_LAYOUT_COLLAPSED]
        elif full and not self.collapsed_evidence:
            layouts = [_LAYOUT_FULL]
        else:
            layouts = [_LAYOUT_FULL, _LAYOUT_COLLAPSED]

        chosen: tuple[tuple[str, ...], dict[str, RowReading]] | None = None
        partial: list[tuple[int, tuple[str, ...], dict[str, RowReading]]] = []
        for layout in layouts:
            assigned, complete = _assign_anchored(rows, layout)
            if complete:
                chosen = (layout, assigned)
                break
            partial.append((len(assigned), layout, assigned))
        if chosen is None:
            for layout in layouts:
                if len(rows) == len(layout):
                    chosen = (layout, dict(zip(layout, rows, strict=True)))
                    self.by_order = True
                    self.notes.append(
                        _note(
                            Severity.INFO,
                            "parse.table3.by_order",
                            "表三的行标签与数字在文本中分离，已按数字行出现的顺序对应官方各行"
                            f"（共{len(rows)}行）。",
                            "table3",
                        )
                    )
                    break
        if chosen is None:
            _, layout, assigned = max(partial, key=lambda p: p[0])
            chosen = (layout, assigned)
        layout, assigned = chosen
        result.layout = layout

        candidates = {key: assigned[key].cands for key in layout if key in assigned}
        resolution = resolve_rows(candidates, table3_constraints(layout))
        result.values = {key: resolution.values.get(key) for key in layout}
        self._notes_for(layout, assigned, resolution)
        result.notes = self.notes
        return result

    def _notes_for(
        self, layout: tuple[str, ...], assigned: dict[str, RowReading], resolution: Resolution
    ) -> None:
        glued = [r for r in assigned.values() if r.glued]
        if glued:
            self.notes.append(
                _note(
                    Severity.INFO,
                    "parse.table3.glued",
                    f"表三有{len(glued)}行数字粘连在一起（如“{glued[0].raw.strip()}”），"
                    "已按“六类申请人之和等于总计”和各列的勾稽关系拆分。",
                    "table3",
                )
            )
        placed = [k for k in layout if k in assigned and assigned[k].anchor != k]
        if placed and not self.by_order:
            self.notes.append(
                _note(
                    Severity.INFO,
                    "parse.table3.placed",
                    f"表三有{len(placed)}行数字与其行标签分离，已按其在已识别各行之间的位置归入："
                    + "、".join(_row_name(k) for k in placed)
                    + "。",
                    "table3",
                )
            )
        blank = [
            f"{_row_name(k)}·{_COLUMN_NAMES[c]}"
            for k in layout
            if k in assigned and len(assigned[k].cands) == 1
            for c, v in enumerate(assigned[k].cands[0])
            if v is None
        ]
        if blank:
            self.notes.append(
                _note(
                    Severity.INFO,
                    "parse.table3.blank_cells",
                    "表三以下单元格在原文中为空，已留空：" + "、".join(blank) + "。",
                    "table3",
                )
            )
        missing = [k for k in layout if k not in assigned]
        if missing:
            self.notes.append(
                _note(
                    Severity.WARNING,
                    "parse.table3.missing_rows",
                    "表三以下各行未能找到对应的数字，已留空："
                    + "、".join(_row_name(k) for k in missing)
                    + "。",
                    "table3",
                )
            )
        broken = [k for k in layout if k in assigned and not assigned[k].cands]
        for key in broken:
            self.notes.append(
                _note(
                    Severity.WARNING,
                    "parse.table3.cells",
                    f"表三“{_row_name(key)}”一行的数字“{assigned[key].raw.strip()}”"
                    "无法拆成七个数（六类申请人之和应等于总计），已留空。",
                    f"table3.{key}",
                )
            )
        for key in resolution.ambiguous:
            readings = "；".join("/".join(map(str, c)) for c in assigned[key].cands[:4])
            self.notes.append(
                _note(
                    Severity.WARNING,
                    "parse.table3.ambiguous",
                    f"表三“{_row_name(key)}”一行的粘连数字“{assigned[key].raw.strip()}”"
                    f"有多种拆法（{readings}），各列勾稽关系也无法确定，已留空。",
                    f"table3.{key}",
                )
            )
        if self.stray:
            self.notes.append(
                _note(
                    Severity.INFO,
                    "parse.table3.stray",
                    f"表三中有{len(self.stray)}个数字不成行，未能对应到任何一行，已忽略。",
                    "table3",
                )
            )


def _assign_anchored(
    rows: Sequence[RowReading], layout: Sequence[str]
) -> tuple[dict[str, RowReading], bool]:
    """Rows printed with their label keep it; the rows without one fill, in order, the official
    rows between two labelled ones when their number fits exactly."""
    index = {key: i for i, key in enumerate(layout)}
    anchors: list[tuple[int, int]] = []  # (row number, official index)
    used: set[str] = set()
    for n, row in enumerate(rows):
        if row.anchor in index and row.anchor not in used:
            used.add(row.anchor)
            anchors.append((n, index[row.anchor]))
    # The longest run of anchors whose official order follows the text order.
    best: list[list[tuple[int, int]]] = []
    for i, anchor in enumerate(anchors):
        chain = [anchor]
        for j in range(i):
            if anchors[j][1] < anchor[1] and len(best[j]) + 1 > len(chain):
                chain = [*best[j], anchor]
        best.append(chain)
    chain = max(best, key=len) if best else []
    assigned = {layout[o]: rows[n] for n, o in chain}
    complete = True
    bounds = [(-1, -1), *chain, (len(rows), len(layout))]
    for (n0, o0), (n1, o1) in itertools.pairwise(bounds):
        gap_keys = layout[o0 + 1 : o1]
        gap_rows = list(rows[n0 + 1 : n1])
        if len(gap_keys) == len(gap_rows):
            assigned.update(zip(gap_keys, gap_rows, strict=True))
        else:
            complete = False
    return assigned, complete


def _fit_version(
    values: Mapping[str, Values | None], layout: Sequence[str], version: FormatVersion
) -> tuple[dict[str, list[Cell]], list[Finding]]:
    """The read rows as the rows of `version`: the single （六）其他处理 row of a 2021 report
    becomes its three sub-rows when it is all 0 (otherwise they stay blank); a 2019 report
    printed with the three sub-rows gets their sum."""
    notes: list[Finding] = []
    out: dict[str, list[Cell]] = {}
    for row in TABLE3_ROWS[version]:
        got = values.get(row.key)
        out[row.key] = list(got) if got is not None else [None] * WIDTH
    if version == V2021 and OTHER_HANDLING_2019 in layout:
        collapsed = values.get(OTHER_HANDLING_2019)
        if collapsed is not None and all(v == 0 for v in collapsed):
            for key in _SUB_ROWS_6:
                out[key] = [0] * WIDTH
            notes.append(
                _note(
                    Severity.INFO,
                    "parse.table3.other_collapsed",
                    "表三“（六）其他处理”只印了一行且全为0，其三个子项均按0填入。",
                    "table3",
                )
            )
        else:
            shown = "/".join("" if v is None else str(v) for v in collapsed or ())
            notes.append(
                _note(
                    Severity.WARNING,
                    "parse.table3.other_collapsed",
                    "表三“（六）其他处理”只印了一行"
                    + (f"（{shown}）" if shown else "")
                    + "，未按2021年格式分为三个子项，子项已留空。",
                    "table3",
                )
            )
    if version == V2019 and OTHER_HANDLING_2019 not in layout:
        parts = [values.get(k) for k in _SUB_ROWS_6]
        if all(p is not None for p in parts):
            out[OTHER_HANDLING_2019] = [
                None
                if any(p[c] is None for p in parts if p)
                else sum(p[c] or 0 for p in parts if p)
                for c in range(WIDTH)
            ]
        notes.append(
            _note(
                Severity.INFO,
                "parse.table3.other_collapsed",
                "表三按2021年格式把“（六）其他处理”分为三个子项，已合计为2019年格式的一行。",
                "table3",
            )
        )
    return out, notes


# --- table 四 ----------------------------------------------------------------------------
def read_table4(region: str) -> tuple[list[Cell] | None, list[Finding]]:
    """The 15 numbers of table 四, or None with a note. Numbers printed in one row (or in rows of
    five) are taken as printed; numbers spread over lines in another way only when each group's
    总计 is the sum of its four results (otherwise their order is unknown); glued digits are
    split by that rule."""
    notes: list[Finding] = []
    lines = region.split("\n")
    md_rows = [
        [c for c in cells if _DIGITS.match(c)]
        for line in lines
        if (cells := _md_cells(line)) is not None
    ]
    md_rows = [r for r in md_rows if r]
    rows = md_rows or [t for line in lines if (t := _NUMBER.findall(line))]
    tokens = [t for row in rows for t in row]
    n = len(TABLE4_COLUMNS)
    if not tokens:
        return None, [_empty("table4", "四", "政府信息公开行政复议、行政诉讼情况")]
    if len(tokens) == n and not _leading_zero(tokens):
        values = [int(t) for t in tokens]
        in_order = len(rows) == 1 or all(len(r) == 5 for r in rows)
        if table4_rule(values) or in_order:
            return list(values), notes
        notes.append(
            _note(
                Severity.WARNING,
                "parse.table4.cells",
                "表四的15个数字（" + "/".join(tokens) + "）分散在多行，且不满足“总计=各项之和”，"
                "无法确定各数所在的列，已留空。",
                "table4",
            )
        )
        return None, notes
    readings = table4_splits(" ".join(tokens))
    if not readings and len(tokens) > 1:
        readings = table4_splits("".join(tokens))
    if len(readings) == 1:
        notes.append(
            _note(
                Severity.INFO,
                "parse.table4.glued",
                "表四的数字粘连在一起，已按每组“总计=维持+纠正+其他+尚未审结”拆分。",
                "table4",
            )
        )
        return list(readings[0]), notes
    raw = " ".join(tokens)
    if readings:
        notes.append(
            _note(
                Severity.WARNING,
                "parse.table4.ambiguous",
                f"表四的粘连数字“{raw}”有{len(readings)}种拆法，无法确定，已留空。",
                "table4",
            )
        )
    else:
        notes.append(
            _note(
                Severity.WARNING,
                "parse.table4.cells",
                f"表四的数字“{raw}”无法读成15个数，已留空。",
                "table4",
            )
        )
    return None, notes


# --- table 二 ----------------------------------------------------------------------------
_T2_LABELS: dict[str, str] = {
    "regulations": loose("规章"),
    "normative_documents": r"(?:行\s*政\s*)?" + loose("规范性文件"),
    "licensing": loose("行政许可"),
    "other_services": loose("其他对外管理服务事项"),
    "penalty": loose("行政处罚"),
    "enforcement": loose("行政强制"),
    "fees": loose("行政事业性收费"),
    "procurement": loose("政府集中采购"),
}
_T2_BLOCK_HEAD = re.compile(
    r"第\s*二\s*十\s*条\s*第\s*[(（]\s*[一二三四五六七八九十]+\s*[)）]\s*项"
)
_T2_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_T2_2019 = re.compile(
    "|".join(loose(w) for w in ("本年新制作数量", "对外公开总数量", "采购项目数量"))
)
_T2_2021 = re.compile("|".join(loose(w) for w in ("本年制发件数", "本年废止件数", "现行有效件数")))


def table2_layout(region: str) -> FormatVersion | None:
    has19, has21 = bool(_T2_2019.search(region)), bool(_T2_2021.search(region))
    if has19 != has21:
        return V2019 if has19 else V2021
    return None


def read_table2(
    region: str, version: FormatVersion
) -> tuple[dict[str, dict[str, Amount]], list[Finding], bool]:
    """Table 二 rows by label: each label's numbers follow it (up to the next label or block
    header); a one-row, one-column block whose single number sits before its label (one cell
    per line) is also read. Returns (values, notes, any number found)."""
    blocks = {row: block for block in TABLE2_BLOCKS[version] for row, _ in block.rows}
    hits: list[tuple[int, int, str]] = []
    for key, pattern in _T2_LABELS.items():
        if key not in blocks:
            continue
        m = re.search(pattern, region)
        if m:
            hits.append((m.start(), m.end(), key))
    hits.sort()
    heads = [m.start() for m in _T2_BLOCK_HEAD.finditer(region)]
    out: dict[str, dict[str, Amount]] = {}
    problems: list[str] = []
    any_number = bool(_T2_NUMBER.search(region))
    for i, (_, end, key) in enumerate(hits):
        stop = min(
            [hits[i + 1][0] if i + 1 < len(hits) else len(region)] + [h for h in heads if h >= end]
        )
        tokens = _T2_NUMBER.findall(region[end:stop])
        columns = [c for c, _ in blocks[key].columns]
        if not tokens and len(columns) == 1:
            # the block's only number may precede its label (cells one per line)
            start = max([h for h in heads if h <= end], default=0)
            after = min([h for h in heads if h >= end], default=len(region))
            labels_in_block = [h for h in hits if start <= h[0] < after]
            block_tokens = _T2_NUMBER.findall(region[start:after])
            if len(labels_in_block) == 1 and len(block_tokens) == 1:
                tokens = block_tokens
        values = _table2_values(tokens, len(columns))
        if values is None:
            if tokens:
                problems.append(f"{_T2_NAMES[key]}（“{' '.join(tokens)}”）")
            else:
                problems.append(_T2_NAMES[key])
            continue
        out[key] = dict(zip(columns, values, strict=True))
    notes: list[Finding] = []
    if problems:
        notes.append(
            _note(
                Severity.WARNING,
                "parse.table2.cells",
                "表二以下各行的数字无法确定（缺失、粘连或个数不对），已留空："
                + "、".join(problems)
                + "。",
                "table2",
            )
        )
    return out, notes, any_number


_T2_NAMES = {
    "regulations": "规章",
    "normative_documents": "规范性文件",
    "licensing": "行政许可",
    "other_services": "其他对外管理服务事项",
    "penalty": "行政处罚",
    "enforcement": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
}


def _table2_values(tokens: Sequence[str], width: int) -> list[Decimal] | None:
    try:
        if len(tokens) == width:
            return [Decimal(t) for t in tokens]
        if len(tokens) == 1 and re.fullmatch(r"\d+", tokens[0]) and len(tokens[0]) == width:
            return [Decimal(d) for d in tokens[0]]  # glued single digits: "000", "007"
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return None
    return None


# --- the whole report ------------------------------------------------------------------
_MARKDOWN = re.compile(r"(?m)^\s*(?:#{1,6}\s+\S|\|?\s*:?-{3,}:?\s*\|)")
_REPORT_WORDS = re.compile(r"年度报告|报告如下|年度工作报告")
_OLD_TABLE = re.compile(loose("政府信息公开情况统计表") + "|" + loose("指标名称"))


def detect_format(text: str) -> str:
    """ "markdown" for Markdown (headings, `|---|` table rules), else "text"."""
    return "markdown" if _MARKDOWN.search(text) else "text"


def _region(heads: Sequence[SectionHead], key: str, plain: str) -> tuple[int, int] | None:
    for i, head in enumerate(heads):
        if head.key == key:
            stop = heads[i + 1].start if i + 1 < len(heads) else len(plain)
            return head.end, stop
    return None


_VERSION_NAMES = {
    V2019: "2019年试行格式（国办公开办函〔2019〕60号）",
    V2021: "2021年格式（国办公开办函〔2021〕30号）",
}


def parse_text(text: str, source: str = "") -> ParseResult:
    """A `StatutoryReport` from plain text or Markdown, with notes on everything that could not
    be read cleanly. Cells that cannot be read stay None."""
    detected = detect_format(text)
    prepared = prepare(text)
    plain = prepared.text
    meta = extract_metadata(text, source)
    heads = section_heads(plain)
    notes: list[Finding] = []

    t2_span = _region(heads, "proactive", plain)
    t3_span = _region(heads, "requests", plain)
    t4_span = _region(heads, "appeals", plain)
    if t3_span is None:
        # no heading: a table 三 that starts with its first row label
        hits = [h for h in find_table3_labels(plain) if h.key == RECEIVED and h.exact]
        if hits:
            stop = t4_span[0] if t4_span and t4_span[0] > hits[0].start else len(plain)
            t3_span = (hits[0].start, stop)

    t3 = _Table3Reader(plain, *t3_span).read() if t3_span else Table3Reading()
    t2_layout = table2_layout(plain[t2_span[0] : t2_span[1]]) if t2_span else None
    t3_layout: FormatVersion | None = None
    if t3.layout == _LAYOUT_FULL:
        t3_layout = V2021
    elif t3.layout == _LAYOUT_COLLAPSED:
        t3_layout = V2019
    layout = t2_layout if t3_layout in (None, t2_layout) else None
    if t2_layout is None:
        layout = t3_layout
    by_year = format_for_year(meta.year) if meta.year else None
    version = by_year or layout or V2021
    if by_year and layout and layout != by_year:
        version = layout
        notes.append(
            _note(
                Severity.WARNING,
                "parse.format_mismatch",
                f"报告年度为{meta.year}年，应使用{_VERSION_NAMES[by_year]}，"
                f"但表格版式为{_VERSION_NAMES[layout]}；已按表格版式读取。",
                "format_version",
            )
        )

    if meta.year is None:
        notes.append(_note(Severity.WARNING, "parse.year", "未能识别报告年度。", "title"))
    if not meta.organization:
        notes.append(_note(Severity.WARNING, "parse.organization", "未能识别报告机关。", "title"))
    elif not meta.title:
        notes.append(
            _note(
                Severity.INFO,
                "parse.title",
                f"未找到报告标题；年度与机关（{meta.organization}）取自正文，请核对。",
                "title",
            )
        )

    report = StatutoryReport.empty(meta.year or 0, meta.organization, version)
    report.title = meta.title
    report.published_on = meta.published_on
    report.source = source
    report.sections = sections_from_heads(plain, heads)

    has_sections = sum(bool(v) for v in report.sections.values())
    reportish = bool(
        meta.title or t3.found or has_sections >= 2 or _REPORT_WORDS.search(plain[:5000])
    )
    old_format = reportish and (
        bool(meta.year and meta.year < 2019) or (not t3.found and bool(_OLD_TABLE.search(plain)))
    )
    if not reportish:
        notes.append(
            _note(
                Severity.WARNING,
                "parse.not_report",
                "文本不像政府信息公开工作年度报告：没有报告标题、法定表格或规定的各部分标题。",
            )
        )
    elif old_format:
        notes.append(
            _note(
                Severity.INFO,
                "parse.old_format",
                "这是2019年新条例施行前的旧式年度报告，没有现行格式的法定表格（表二、表三、表四），"
                "只读取了年度、机关和各部分文字。",
            )
        )

    # table 三
    if t3.found:
        table3, found = _fit_version(t3.values, t3.layout, version) if t3.layout else ({}, [])
        report.table3.update(table3)
        notes.extend(t3.notes)
        notes.extend(found)
    else:
        notes.append(_missing("table3", "三", "收到和处理政府信息公开申请情况"))

    # table 四
    t4_region = plain[t4_span[0] : t4_span[1]] if t4_span else ""
    if t4_span and re.search(
        loose("维持") + "|" + loose("纠正") + "|" + loose("尚未审结"), t4_region
    ):
        values, found = read_table4(t4_region)
        if values is not None:
            report.table4 = values
        notes.extend(found)
    elif t4_span and not old_format:
        notes.append(_empty("table4", "四", "政府信息公开行政复议、行政诉讼情况"))
    else:
        notes.append(_missing("table4", "四", "政府信息公开行政复议、行政诉讼情况"))

    # table 二
    t2_region = plain[t2_span[0] : t2_span[1]] if t2_span else ""
    if t2_span and _T2_BLOCK_HEAD.search(t2_region):
        table2, found, any_number = read_table2(t2_region, version)
        for row, cols in table2.items():
            report.table2.setdefault(row, {}).update(cols)
        if not any_number:
            notes.append(_empty("table2", "二", "主动公开政府信息情况"))
        else:
            notes.extend(found)
    elif t2_span and not old_format:
        notes.append(_empty("table2", "二", "主动公开政府信息情况"))
    else:
        notes.append(_missing("table2", "二", "主动公开政府信息情况"))

    spans = [s for s in (t2_span, t3_span, t4_span) if s]
    footers = [m for m in prepared.markers if any(a <= m <= b for a, b in spans)]
    if footers:
        notes.append(
            _note(
                Severity.INFO,
                "parse.page_footer",
                f"表格中夹有{len(footers)}处页码（如“-3-”“— 4 —”），已去除后再读取。",
            )
        )
    return ParseResult(report=report, notes=notes, detected_format=detected)


def _missing(location: str, numeral: str, title: str) -> Finding:
    return _note(
        Severity.WARNING,
        f"parse.{location}.missing",
        f"未找到表{numeral}（{title}）。",
        location,
    )


def _empty(location: str, numeral: str, title: str) -> Finding:
    return _note(
        Severity.WARNING,
        f"parse.{location}.empty",
        f"表{numeral}（{title}）只有标题或表头，没有数字，可能在转换中丢失。",
        location,
    )
