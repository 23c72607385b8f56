"""Read a report published as a Word document (.docx) with python-docx.

The body is read in order, paragraphs and tables. python-docx gives a merged cell once for
every grid slot it covers (horizontally and vertically); slots of one merged cell share the
same `<w:tc>` element, which is how merges are recognised."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from gongkai.reports.parse import ParseResult, UnreadableReport
from gongkai.reports.parse.grid import Grid, Part, grid_from_repeated, report_from_parts


def parse_docx(path: Path) -> ParseResult:
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableReport(f"无法读取 Word 文档：{path.name}") from exc
    parts: list[Part] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            parts.append(_grid(item))
        elif isinstance(item, Paragraph):
            parts.extend(line for line in item.text.splitlines() if line.strip())
    return report_from_parts(parts, source=path.name, detected_format="docx")


def _grid(table: Table) -> Grid:
    # The cells are kept until the grid is built: lxml hands out the same proxy object for an
    # element only while one is alive, and identities of `_tc` proxies mark merged cells.
    rows: list[tuple[_Cell, ...]] = [row.cells for row in table.rows]
    offsets = [row.grid_cols_before for row in table.rows]
    return grid_from_repeated(
        [[(id(cell._tc), cell.text) for cell in cells] for cells in rows], offsets
    )
