"""The report's tables as CSV with the official labels.

Table 三 comes first (a header row: 项目 and the seven column labels, then one row per
official row), then, each after a blank line, table 四 (one labelled value per line) and table 二
(条款, 信息内容, 栏目, 数值). Blank cells stay empty. The caller adds the byte-order mark
(`gongkai.reports.render.render` does) so that Excel reads the file as UTF-8.
"""

from __future__ import annotations

import csv
import io

from gongkai.reports.formats import (
    CONTENT_LABEL,
    TABLE2_BLOCKS,
    TABLE3_COLUMN_LABELS,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_COLUMN_LABELS,
    TABLE4_COLUMNS,
    Row,
)
from gongkai.reports.render.html import amount_text, count_text
from gongkai.reports.structure import StatutoryReport

ITEM_LABEL = "项目"
TABLE3_HEADER = (ITEM_LABEL, *(TABLE3_COLUMN_LABELS[key] for key in TABLE3_COLUMNS))
TABLE4_HEADER = (ITEM_LABEL, "数量")
TABLE2_HEADER = ("条款", CONTENT_LABEL, "栏目", "数值")
LABEL_SEPARATOR = "·"  # as in TABLE4_COLUMN_LABELS: 行政复议·结果维持


def full_label(row: Row) -> str:
    """A table 三 row's label with its group: （三）不予公开·1.属于国家秘密."""
    return f"{row.group}{LABEL_SEPARATOR}{row.label}" if row.group else row.label


def render_csv(report: StatutoryReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TABLE3_HEADER)
    for row in TABLE3_ROWS[report.format_version]:
        values = list(report.table3.get(row.key) or [])
        values += [None] * (len(TABLE3_COLUMNS) - len(values))
        writer.writerow([full_label(row), *(count_text(v) for v in values[: len(TABLE3_COLUMNS)])])

    writer.writerow([])
    writer.writerow(TABLE4_HEADER)
    table4 = list(report.table4) + [None] * (len(TABLE4_COLUMNS) - len(report.table4))
    for key, value in zip(TABLE4_COLUMNS, table4, strict=False):
        writer.writerow([TABLE4_COLUMN_LABELS[key], count_text(value)])

    writer.writerow([])
    writer.writerow(TABLE2_HEADER)
    for block in TABLE2_BLOCKS[report.format_version]:
        for row_key, row_label in block.rows:
            amounts = report.table2.get(row_key) or {}
            for key, column_label in block.columns:
                writer.writerow(
                    [block.header, row_label, column_label, amount_text(amounts.get(key))]
                )
    return out.getvalue()
