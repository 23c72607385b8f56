"""Render a `StatutoryReport` as a Word document (.docx) laid out in the manner of GB/T 9704
《党政机关公文格式》: A4 with the standard margins, the title in 二号小标宋, section headings in
三号黑体, body text in 三号仿宋 on a fixed 28 pt line with a two-character first-line indent, and
the three statistical tables of the national format with their merged cells (RULES.md §2.2–2.6).

Chinese font names go into `w:rFonts w:eastAsia`, which is what Word and WPS use for Chinese
text; the document's font table names a common substitute for each (仿宋_GB2312 → 仿宋,
方正小标宋简体 → 宋体 …) so that a machine without the official fonts still shows the right
kind of face. The result reads back with `gongkai.reports.parse.docx.parse_docx`.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, Mm, Pt, Twips
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

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
    FormatVersion,
)
from gongkai.reports.structure import StatutoryReport

# --- page and type (GB/T 9704) -------------------------------------------------------------
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_WIDTH_MM = 210 - 28 - 26  # 156 mm
LINE = Pt(28)  # fixed line pitch of the body: 22 lines on a page
LATIN = "Times New Roman"


@dataclass(frozen=True)
class Face:
    """A Chinese typeface as named in the document, and the face to use where it is missing."""

    name: str
    substitute: str
    panose: str
    pitch: str = "variable"
    family: str = "auto"


XIAOBIAOSONG = Face("方正小标宋简体", "宋体", "02000000000000000000")
HEITI = Face("黑体", "SimHei", "02010609060101010101", "fixed", "modern")
FANGSONG = Face("仿宋_GB2312", "仿宋", "02010609030101010101", "fixed", "modern")
KAITI = Face("楷体_GB2312", "楷体", "02010609030101010101", "fixed", "modern")
SONGTI = Face("宋体", "SimSun", "02010600030101010101")
SUBSTITUTES = (
    Face("宋体", "SimSun", SONGTI.panose),
    Face("仿宋", "FangSong", "02010609060101010101", "fixed", "modern"),
    Face("楷体", "KaiTi", "02010609060101010101", "fixed", "modern"),
)

TITLE_SIZE = Pt(22)  # 二号
HEADING_SIZE = BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(10.5)  # 五号
PAGE_NUMBER_SIZE = Pt(14)  # 四号

STYLE_TITLE = "Report Title"
STYLE_HEADING = "Report Heading"
STYLE_BODY = "Report Body"
STYLE_TABLE = "Report Table Text"

_NEWLINE = re.compile(r"\r\n|[\r\n\u2028\u2029]")
_INVALID_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A line of the parser's table transcript ("| 行政复议 | 行政诉讼 |"), not narrative.
_TABLE_LINE = re.compile(r"^\s*\|.*\|\s*$")
# A second-level heading at the start of a line: （一）主动公开方面。 — printed in 楷体.
_SUBHEADING = re.compile(r"[（(][一二三四五六七八九十]+[）)][^。！？；]*?(?:[。！？]|$)")
_SUBHEADING_MAX = 30


def render_docx(report: StatutoryReport) -> bytes:
    """The report as the bytes of a .docx file."""
    version = FormatVersion(report.format_version)
    document = docx.Document()
    _setup_document(document, report)
    _title(document, report.title or _default_title(report))
    for n, (key, heading) in enumerate(zip(SECTION_KEYS, SECTION_TITLES[version], strict=True)):
        _heading(document, heading)
        for line in _narrative(report.sections.get(key, "")):
            _body(document, line)
        if n == 1:
            _add_table(document, _table2(report, version))
        elif n == 2:
            _add_table(document, _table3(report, version))
        elif n == 3:
            _add_table(document, _table4(report))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _default_title(report: StatutoryReport) -> str:
    return f"{report.organization}{report.year}年度政府信息公开工作年度报告"


def _clean(text: str) -> str:
    return _INVALID_XML.sub("", text)


def _narrative(text: str) -> list[str]:
    """Paragraphs of a section: one per line, blank lines and table transcripts left out."""
    lines = (_clean(line).strip() for line in _NEWLINE.split(text or ""))
    return [line for line in lines if line and not _TABLE_LINE.match(line)]


# --- document setup ----------------------------------------------------------------------
def _setup_document(document: Document, report: StatutoryReport) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = Mm(15)
    # The page number sits 7 mm below the type area (GB/T 9704 §7.5).
    section.footer_distance = Mm(23)
    _defaults(document)
    _styles(document)
    _font_table(document)
    _page_number(document)
    props = document.core_properties
    props.title = report.title or _default_title(report)
    props.subject = "政府信息公开工作年度报告"
    props.author = report.organization
    props.last_modified_by = report.organization
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    now = datetime.now(UTC).replace(microsecond=0)
    props.created = props.modified = now
    # The blank template's preview picture would misrepresent the document.
    package_rels = document.part.package.rels
    for rel_id in [k for k, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package_rels[rel_id]


def _set_fonts(rpr: BaseOxmlElement, face: Face, latin: str = LATIN) -> None:
    """Name the faces of a run or style: Latin for digits and letters, `face` for Chinese, and
    ambiguous characters (quotation marks, dashes) drawn with the Chinese face."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(1 if rpr.find(qn("w:rStyle")) is not None else 0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), face.name)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def _defaults(document: Document) -> None:
    """Document defaults: 仿宋 三号, Chinese language, no theme fonts, no paragraph spacing."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert rpr is not None
    _set_fonts(rpr, FANGSONG)
    for tag in ("w:sz", "w:szCs"):
        element = rpr.find(qn(tag))
        if element is not None:
            element.set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")


def _paragraph_style(
    document: Document,
    name: str,
    face: Face,
    size: Length,
    *,
    align: WD_ALIGN_PARAGRAPH,
    line: Length | None,
    indent_chars: int = 0,
) -> ParagraphStyle:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    style.quick_style = True
    style.font.size = size
    _set_fonts(style.element.get_or_add_rPr(), face)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.space_before = fmt.space_after = Pt(0)
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing = line
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    _indent(style.element.get_or_add_pPr(), indent_chars, size)
    return style


def _indent(ppr: BaseOxmlElement, chars: int, size: Length) -> None:
    """First-line indent in characters (w:firstLineChars, which Word and WPS prefer), with the
    same distance in twips for readers that only know w:firstLine."""
    ind = ppr.get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(int(chars * size.pt * 20)))


def _styles(document: Document) -> None:
    justify, centre = WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.CENTER
    normal = document.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    normal.font.size = BODY_SIZE
    _set_fonts(normal.element.get_or_add_rPr(), FANGSONG)
    title = _paragraph_style(
        document, STYLE_TITLE, XIAOBIAOSONG, TITLE_SIZE, align=centre, line=Pt(36)
    )
    title.paragraph_format.space_after = LINE  # one blank line under the title
    heading = _paragraph_style(
        document, STYLE_HEADING, HEITI, HEADING_SIZE, align=justify, line=LINE, indent_chars=2
    )
    heading.paragraph_format.keep_with_next = True
    heading.element.get_or_add_pPr().get_or_add_outlineLvl().val = 0
    _paragraph_style(
        document, STYLE_BODY, FANGSONG, BODY_SIZE, align=justify, line=LINE, indent_chars=2
    )
    _paragraph_style(document, STYLE_TABLE, FANGSONG, TABLE_SIZE, align=centre, line=None)


def _font_table(document: Document) -> None:
    """Declare the Chinese faces with a substitute (w:altName) and GB2312 character set, so a
    machine without 仿宋_GB2312 or 方正小标宋简体 falls back to 仿宋 / 宋体 rather than to a
    Latin face."""
    part = document.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    present = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    faces = (XIAOBIAOSONG, HEITI, FANGSONG, KAITI, SONGTI, *SUBSTITUTES)
    for face in faces:
        if face.name in present:
            continue
        present.add(face.name)
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), face.name)
        for tag, value in (
            ("altName", face.substitute),
            ("panose1", face.panose),
            ("charset", "86"),
            ("family", face.family),
            ("pitch", face.pitch),
        ):
            etree.SubElement(font, qn(f"w:{tag}")).set(qn("w:val"), value)
    # A plain package part keeps its content as bytes.
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number(document: Document) -> None:
    """Footer: "— 1 —" centred, 四号宋体 (GB/T 9704 §7.5), as a PAGE field."""
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _indent(paragraph._p.get_or_add_pPr(), 0, PAGE_NUMBER_SIZE)

    def run(text: str = "") -> Run:
        r = paragraph.add_run(text)
        r.font.size = PAGE_NUMBER_SIZE
        _set_fonts(r._r.get_or_add_rPr(), SONGTI, latin=SONGTI.name)
        return r

    def field_char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run()._r.append(element)

    run("— ")
    field_char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    run()._r.append(instruction)
    field_char("separate")
    run("1")
    field_char("end")
    run(" —")


# --- text --------------------------------------------------------------------------------
def _styled_run(paragraph: Paragraph, text: str, face: Face, size: Length) -> Run:
    run = paragraph.add_run(text)
    run.font.size = size
    _set_fonts(run._r.get_or_add_rPr(), face)
    return run


def _title(document: Document, text: str) -> None:
    paragraph = document.add_paragraph(style=STYLE_TITLE)
    _styled_run(paragraph, _clean(text).strip(), XIAOBIAOSONG, TITLE_SIZE)


def _heading(document: Document, text: str) -> None:
    paragraph = document.add_paragraph(style=STYLE_HEADING)
    _styled_run(paragraph, text, HEITI, HEADING_SIZE)


def _body(document: Document, line: str) -> None:
    paragraph = document.add_paragraph(style=STYLE_BODY)
    m = _SUBHEADING.match(line)
    if m and len(m.group(0)) <= _SUBHEADING_MAX:
        _styled_run(paragraph, m.group(0), KAITI, BODY_SIZE)
        line = line[m.end() :]
    if line:
        _styled_run(paragraph, line, FANGSONG, BODY_SIZE)


# --- tables ------------------------------------------------------------------------------
LEFT, CENTRE = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER


@dataclass(frozen=True)
class _Cell:
    row: int
    col: int
    text: str
    down: int = 1  # rows covered
    across: int = 1  # columns covered
    align: WD_ALIGN_PARAGRAPH = CENTRE


@dataclass
class _Layout:
    """A table to draw: column widths (mm), its cells with their spans, the header rows."""

    rows: int
    widths: Sequence[float]
    header_rows: int = 0
    cells: list[_Cell] = field(default_factory=list)

    def put(
        self,
        row: int,
        col: int,
        text: str,
        *,
        down: int = 1,
        across: int = 1,
        align: WD_ALIGN_PARAGRAPH = CENTRE,
    ) -> None:
        self.cells.append(_Cell(row, col, text, down, across, align))


def _number(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _table3(report: StatutoryReport, version: FormatVersion) -> _Layout:
    """收到和处理政府信息公开申请情况: 3 label columns and 7 data columns under a 3-row header."""
    rows = TABLE3_ROWS[version]
    layout = _Layout(3 + len(rows), (9, 17, 46, *([12] * 7)), header_rows=3)
    layout.put(0, 0, TABLE3_BALANCE_NOTE, down=3, across=3)
    layout.put(0, 3, APPLICANTS_LABEL, across=7)
    layout.put(1, 3, TABLE3_COLUMN_LABELS[TABLE3_COLUMNS[0]], down=2)
    layout.put(1, 4, ORGANIZATIONS_LABEL, across=5)
    layout.put(1, 9, TABLE3_COLUMN_LABELS[TABLE3_COLUMNS[-1]], down=2)
    for j, key in enumerate(TABLE3_COLUMNS[1:-1], start=4):
        layout.put(2, j, TABLE3_COLUMN_LABELS[key])
    top_level = (RECEIVED, CARRIED_IN, CARRIED_OVER)
    results = [i for i, row in enumerate(rows, start=3) if row.key not in top_level]
    layout.put(results[0], 0, RESULTS_LABEL, down=len(results))
    for group in OUTCOME_GROUPS:
        members = [i for i, row in enumerate(rows, start=3) if row.group == group]
        if members:
            layout.put(members[0], 1, group, down=len(members))
    for i, row in enumerate(rows, start=3):
        if row.key in top_level:
            layout.put(i, 0, row.label, across=3, align=LEFT)
        elif row.group:
            layout.put(i, 2, row.label, align=LEFT)
        else:
            layout.put(i, 1, row.label, across=2, align=LEFT)
        values = list(report.table3.get(row.key) or [])
        values += [None] * (len(TABLE3_COLUMNS) - len(values))
        for j, value in enumerate(values[: len(TABLE3_COLUMNS)], start=3):
            layout.put(i, j, _number(value))
    return layout


def _table4(report: StatutoryReport) -> _Layout:
    """政府信息公开行政复议、行政诉讼情况: 15 data columns under a 3-level header."""
    n = len(TABLE4_RESULT_LABELS)
    layout = _Layout(4, [TEXT_WIDTH_MM / len(TABLE4_COLUMNS)] * len(TABLE4_COLUMNS), header_rows=3)
    (_, reconsideration), (_, direct), (_, after) = TABLE4_GROUPS
    layout.put(0, 0, reconsideration, across=n)
    layout.put(0, n, LITIGATION_LABEL, across=2 * n)
    layout.put(1, n, direct, across=n)
    layout.put(1, 2 * n, after, across=n)
    for j, label in enumerate(TABLE4_RESULT_LABELS):
        layout.put(1, j, label, down=2)
        layout.put(2, n + j, label)
        layout.put(2, 2 * n + j, label)
    values = list(report.table4) + [None] * (len(TABLE4_COLUMNS) - len(report.table4))
    for j, value in enumerate(values[: len(TABLE4_COLUMNS)]):
        layout.put(3, j, _number(value))
    return layout


def _table2(report: StatutoryReport, version: FormatVersion) -> _Layout:
    """主动公开政府信息情况: per block a header row across the table, a row of column headers
    and the data rows. The data area is divided so that every block's columns fit evenly (three
    columns in the 2021 format; six sub-columns in the 2019 one, which mixes three- and
    two-column blocks)."""
    blocks = TABLE2_BLOCKS[version]
    area = math.lcm(*(len(b.columns) for b in blocks))
    rows = sum(2 + len(b.rows) for b in blocks)
    label_mm = 44
    layout = _Layout(rows, (label_mm, *([(TEXT_WIDTH_MM - label_mm) / area] * area)))
    i = 0
    for block in blocks:
        span = area // len(block.columns)
        layout.put(i, 0, block.header, across=1 + area)
        layout.put(i + 1, 0, CONTENT_LABEL)
        for k, (_, label) in enumerate(block.columns):
            layout.put(i + 1, 1 + k * span, label, across=span)
        i += 2
        for key, label in block.rows:
            layout.put(i, 0, label, align=LEFT)
            values = report.table2.get(key) or {}
            for k, (column, _) in enumerate(block.columns):
                layout.put(i, 1 + k * span, _number(values.get(column)), across=span)
            i += 1
    return layout


def _add_table(document: Document, layout: _Layout) -> Table:
    """Draw a layout: widths first (a merged cell takes the sum of its columns), then the merges,
    then the text of each cell in its top-left slot. Cells are addressed through one snapshot of
    the unmerged grid: merges never overlap, so the corner elements of every merge stay in place
    (and `Table.cell`, which rescans the whole table on each call, is not needed)."""
    widths = [Twips(round(Mm(w).twips)) for w in layout.widths]
    table = document.add_table(rows=layout.rows, cols=len(widths))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_properties(table, sum(w.twips for w in widths))
    for j, width in enumerate(widths):
        table.columns[j].width = width
    style_id = document.styles[STYLE_TABLE].style_id
    grid = [row.cells for row in table.rows]
    for i, cells in enumerate(grid):
        _row_properties(table.rows[i]._tr, header=i < layout.header_rows)
        for j, cell in enumerate(cells):
            cell.width = widths[j]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            cell.paragraphs[0]._p.get_or_add_pPr().style = style_id
    for spec in layout.cells:
        if spec.down > 1 or spec.across > 1:
            corner = grid[spec.row + spec.down - 1][spec.col + spec.across - 1]
            grid[spec.row][spec.col]._tc.merge(corner._tc)
    for spec in layout.cells:
        if not spec.text:
            continue
        paragraph = grid[spec.row][spec.col].paragraphs[0]
        if spec.align != CENTRE:
            paragraph.paragraph_format.alignment = spec.align
        _styled_run(paragraph, _clean(spec.text), FANGSONG, TABLE_SIZE)
    return table


def _table_properties(table: Table, width_twips: int) -> None:
    """Width, single 0.5 pt borders on every edge (also without the Table Grid style) and narrow
    cell margins so that five-digit numbers fit the data columns."""
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(width_twips))
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        for attr, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
            line.set(qn(f"w:{attr}"), value)
        borders.append(line)
    margins = OxmlElement("w:tblCellMar")
    for edge, twips in (("top", 0), ("left", 57), ("bottom", 0), ("right", 57)):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tbl_pr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
    )
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")


def _row_properties(tr: BaseOxmlElement, *, header: bool) -> None:
    """Rows never break across pages; header rows repeat on each page the table runs onto."""
    tr_pr = tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))
