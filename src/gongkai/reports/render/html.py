"""A report as accessible HTML in the official layout (RULES.md §2.2–2.6).

Tables 二, 三 and 四 keep the merged cells of the national format. Every header cell is a
`<th>` with an `id` and a `scope`, and every data cell lists its row and column headers in
`headers`, so a screen reader announces a number with all of its labels (table 四 has no row
header at all, and tables 三/二 have up to three levels of row headers).

The fragment (`standalone=False`) goes inside a site page: it uses classes only, never inline
styles (the site's CSP forbids them). `standalone=True` is a whole document with embedded print
CSS, used for downloads and the PDF.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string

from gongkai.reports.formats import (
    APPLICANTS_LABEL,
    CARRIED_IN,
    CARRIED_OVER,
    CONTENT_LABEL,
    LITIGATION_LABEL,
    ORGANIZATIONS_LABEL,
    OUTCOME_GROUPS,
    RECEIVED,
    RESULTS_LABEL,
    SECTION_KEYS,
    SECTION_TITLES,
    TABLE2_BLOCKS,
    TABLE3_BALANCE_NOTE,
    TABLE3_COLUMN_LABELS,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TABLE4_RESULT_LABELS,
    TOTAL,
)
from gongkai.reports.structure import StatutoryReport

RECONSIDERATION = TABLE4_GROUPS[0][0]  # the group not under 行政诉讼

# Captions: the section titles without their numbering.
TABLE2_CAPTION = "主动公开政府信息情况"
TABLE3_CAPTION = "收到和处理政府信息公开申请情况"
TABLE4_CAPTION = "政府信息公开行政复议、行政诉讼情况"

_TABLE_LINE = re.compile(r"^\|.*\|$")  # a table as text, as the parser keeps it in sections
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class CellView:
    """One `<th>`/`<td>` as the templates print it."""

    text: str
    header: bool = False
    id: str = ""
    scope: str = ""  # col, colgroup, row, rowgroup
    headers: str = ""  # ids of the header cells, space-separated
    rowspan: int = 1
    colspan: int = 1
    css: str = ""

    @property
    def tag(self) -> str:
        return "th" if self.header else "td"


Rows = list[list[CellView]]


def report_title(report: StatutoryReport) -> str:
    return report.title or f"{report.organization}{report.year}年政府信息公开工作年度报告"


def render_html(
    report: StatutoryReport,
    *,
    standalone: bool = False,
    id_prefix: str = "",
    heading_level: int = 1,
) -> str:
    """The report as HTML. `id_prefix` keeps element ids unique when several reports share a
    page (default: derived from the year). `heading_level` is the level of the report's title
    (sections one below), so that a page that has its own h1 keeps one h1."""
    if not 1 <= heading_level <= 5:
        raise ValueError("heading_level must be 1–5")
    prefix = _ID_UNSAFE.sub("-", id_prefix) if id_prefix else f"report-{report.year}"
    context = {
        "report": report,
        "title": report_title(report),
        "prefix": prefix,
        "title_level": heading_level,
        "section_level": heading_level + 1,
        "sections": _sections(report, prefix),
        "table2": _table2(report, prefix),
        "table3": _table3(report, prefix),
        "table4": _table4(report, prefix),
    }
    template = "reports/report_document.html" if standalone else "reports/report.html"
    return render_to_string(template, context)


# --- narrative ---------------------------------------------------------------------------
def paragraphs(text: str) -> list[str]:
    """Non-empty lines of a section, without the text copies of tables that parsed reports
    carry (the tables are printed from the data)."""
    lines = (line.strip() for line in (text or "").splitlines())
    return [line for line in lines if line and not _TABLE_LINE.match(line)]


def _sections(report: StatutoryReport, prefix: str) -> list[dict[str, object]]:
    titles = SECTION_TITLES[report.format_version]
    return [
        {
            "key": key,
            "id": f"{prefix}-{key}",
            "title": title,
            "paragraphs": paragraphs(report.sections.get(key, "")),
        }
        for key, title in zip(SECTION_KEYS, titles, strict=True)
    ]


# --- values ------------------------------------------------------------------------------
def count_text(value: object) -> str:
    """A table 三/四 cell: blank for None, the number as it is otherwise."""
    return "" if value is None else str(value)


def amount_text(value: Decimal | None) -> str:
    """A table 二 cell, in plain notation (never 1E+3)."""
    return "" if value is None else format(value, "f")


# --- table 三 ----------------------------------------------------------------------------
_ORG_COLUMNS = TABLE3_COLUMNS[1:-1]


def _table3(report: StatutoryReport, prefix: str) -> dict[str, object]:
    p = f"{prefix}-t3"
    ids = {
        "applicants": f"{p}-applicants",
        "organizations": f"{p}-organizations",
        "results": f"{p}-results",
        **{key: f"{p}-c-{key}" for key in TABLE3_COLUMNS},
    }
    column_headers = {
        key: " ".join(
            [ids["applicants"], *([ids["organizations"]] if key in _ORG_COLUMNS else []), ids[key]]
        )
        for key in TABLE3_COLUMNS
    }
    rows = TABLE3_ROWS[report.format_version]
    outside = (RECEIVED, CARRIED_IN, CARRIED_OVER)
    results_span = sum(1 for r in rows if r.key not in outside)
    group_spans = {g: sum(1 for r in rows if r.group == g) for g in OUTCOME_GROUPS}
    group_ids = {g: f"{p}-g{n}" for n, g in enumerate(OUTCOME_GROUPS, start=3)}

    body: Rows = []
    results_printed = False
    groups_printed: set[str] = set()
    for row in rows:
        row_id = f"{p}-r-{row.key}"
        cells: list[CellView] = []
        row_headers: list[str] = []
        if row.key in outside:
            cells.append(_row_header(row.label, row_id, colspan=3, css="label-top"))
        else:
            if not results_printed:
                cells.append(
                    _row_header(RESULTS_LABEL, ids["results"], rowspan=results_span, css="label-1")
                )
                results_printed = True
            row_headers.append(ids["results"])
            if row.group:
                group_id = group_ids[row.group]
                if row.group not in groups_printed:
                    cells.append(
                        _row_header(
                            row.group, group_id, rowspan=group_spans[row.group], css="label-2"
                        )
                    )
                    groups_printed.add(row.group)
                row_headers.append(group_id)
                cells.append(_row_header(row.label, row_id, css="label-3"))
            else:
                cells.append(_row_header(row.label, row_id, colspan=2, css="label-2"))
        row_headers.append(row_id)
        values = list(report.table3.get(row.key) or [])
        values += [None] * (len(TABLE3_COLUMNS) - len(values))
        for key, value in zip(TABLE3_COLUMNS, values, strict=False):
            headers = " ".join([*row_headers, column_headers[key]])
            cells.append(CellView(count_text(value), headers=headers, css="num"))
        body.append(cells)

    return {
        "caption": TABLE3_CAPTION,
        "note": TABLE3_BALANCE_NOTE,
        "ids": ids,
        "labels": {
            "applicants": APPLICANTS_LABEL,
            "organizations": ORGANIZATIONS_LABEL,
            "natural_person": TABLE3_COLUMN_LABELS[TABLE3_COLUMNS[0]],
            "total": TABLE3_COLUMN_LABELS[TOTAL],
        },
        "first_column": {"id": ids[TABLE3_COLUMNS[0]]},
        "organization_columns": [
            {"id": ids[key], "label": TABLE3_COLUMN_LABELS[key]} for key in _ORG_COLUMNS
        ],
        "body": body,
        "results_span": results_span,
    }


def _row_header(
    text: str, id: str, *, rowspan: int = 1, colspan: int = 1, css: str = ""
) -> CellView:
    return CellView(
        text, header=True, id=id, scope="row", rowspan=rowspan, colspan=colspan, css=css
    )


# --- table 四 ----------------------------------------------------------------------------
def _table4(report: StatutoryReport, prefix: str) -> dict[str, object]:
    p = f"{prefix}-t4"
    litigation_id = f"{p}-litigation"
    groups = []
    data: list[CellView] = []
    values = list(report.table4) + [None] * (len(TABLE4_COLUMNS) - len(report.table4))
    n = 0
    for key, label in TABLE4_GROUPS:
        group_id = f"{p}-g-{key}"
        columns = []
        for result in TABLE4_RESULT_LABELS:
            column = TABLE4_COLUMNS[n]
            column_id = f"{p}-c-{column}"
            columns.append({"id": column_id, "label": result})
            parents = [group_id] if key == RECONSIDERATION else [litigation_id, group_id]
            headers = " ".join([*parents, column_id])
            data.append(CellView(count_text(values[n]), headers=headers, css="num"))
            n += 1
        groups.append({"key": key, "id": group_id, "label": label, "columns": columns})
    return {
        "caption": TABLE4_CAPTION,
        "reconsideration": groups[0],
        "litigation": {"id": litigation_id, "label": LITIGATION_LABEL, "groups": groups[1:]},
        "data_rows": [data],
    }


# --- table 二 ----------------------------------------------------------------------------
def _table2(report: StatutoryReport, prefix: str) -> dict[str, object]:
    """One table of blocks. The data area is as many grid columns as every block can share
    evenly: 3 in the 2021 format (a single data column spans 3), 6 in the 2019 format, which
    also has blocks of two columns."""
    p = f"{prefix}-t2"
    blocks = TABLE2_BLOCKS[report.format_version]
    units = math.lcm(*(len(b.columns) for b in blocks))
    out: list[Rows] = []
    for n, block in enumerate(blocks, start=1):
        block_id = f"{p}-b{n}"
        content_id = f"{block_id}-content"
        span = units // len(block.columns)
        rows: Rows = [
            [
                CellView(
                    block.header,
                    header=True,
                    id=block_id,
                    scope="rowgroup",
                    colspan=units + 1,
                    css="block",
                )
            ],
            [
                CellView(CONTENT_LABEL, header=True, id=content_id, scope="col"),
                *(
                    CellView(
                        label, header=True, id=f"{block_id}-c-{key}", scope="col", colspan=span
                    )
                    for key, label in block.columns
                ),
            ],
        ]
        for row_key, row_label in block.rows:
            row_id = f"{block_id}-r-{row_key}"
            values = report.table2.get(row_key) or {}
            cells = [
                CellView(
                    row_label,
                    header=True,
                    id=row_id,
                    scope="row",
                    headers=f"{block_id} {content_id}",
                )
            ]
            for key, _ in block.columns:
                headers = f"{block_id} {row_id} {block_id}-c-{key}"
                cells.append(
                    CellView(amount_text(values.get(key)), headers=headers, colspan=span, css="num")
                )
            rows.append(cells)
        out.append(rows)
    return {"caption": TABLE2_CAPTION, "blocks": out, "width": units + 1}
