"""A letter as DOCX and PDF, laid out in the manner of GB/T 9704《党政机关公文格式》: title in
二号小标宋, 文号 under it, the addressee flush left, the text in 三号仿宋 with a two-character
indent on a fixed 28 pt line, then the issuing organisation and the date on the right with room
for the seal (印章) over them.

The type faces, page set-up and font fallbacks are those of the annual report's DOCX writer
(仿宋_GB2312 → 仿宋, 方正小标宋简体 → 宋体; 黑体); the PDF is printed by WeasyPrint like the report's,
naming the official faces first and falling back to Noto CJK.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import docx
from django.template.loader import render_to_string
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Pt, RGBColor

from gongkai.reports.render import RenderUnavailable
from gongkai.reports.render.docx import (
    BODY_SIZE,
    FANGSONG,
    HEITI,
    LINE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TITLE_SIZE,
    XIAOBIAOSONG,
    Face,
    _clean,
    _defaults,
    _font_table,
    _indent,
    _page_number,
    _set_fonts,
)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
DRAFT_MARK = "草稿（未经法制审核，不得送达）"


@dataclass(frozen=True)
class LetterDocument:
    """Everything printed on a letter, already decided (no database access while rendering)."""

    title: str
    number: str
    addressee: str
    paragraphs: tuple[str, ...]
    organization: str
    dated: str  # e.g. 2024年3月1日
    draft: bool = False


def _run(paragraph: Any, text: str, face: Face, size: Any) -> Any:
    run = paragraph.add_run(_clean(text))
    run.font.size = size
    _set_fonts(run._r.get_or_add_rPr(), face)
    return run


def _paragraph(
    document: Any,
    text: str,
    *,
    face: Face = FANGSONG,
    size: Any = BODY_SIZE,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent_chars: int = 0,
    right_chars: int = 0,
) -> Any:
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = LINE
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    _indent(paragraph._p.get_or_add_pPr(), indent_chars, size)
    if right_chars:
        fmt.right_indent = Pt(size.pt * right_chars)
    if text:
        _run(paragraph, text, face, size)
    return paragraph


def render_docx(letter: LetterDocument) -> bytes:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    _defaults(document)
    _font_table(document)
    _page_number(document)
    props = document.core_properties
    props.title, props.author = letter.title, letter.organization
    props.last_modified_by, props.comments = letter.organization, ""
    centre, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    if letter.draft:
        mark = _paragraph(document, "", align=centre)
        _run(mark, DRAFT_MARK, HEITI, Pt(14)).font.color.rgb = RGBColor(0xC0, 0, 0)
    title = _paragraph(document, letter.title, face=XIAOBIAOSONG, size=TITLE_SIZE, align=centre)
    title.paragraph_format.line_spacing = Pt(36)
    if letter.number:
        _paragraph(document, letter.number, align=centre)
    _paragraph(document, "")
    _paragraph(document, f"{letter.addressee}：")
    for text in letter.paragraphs:
        _paragraph(document, text, indent_chars=2)
    for _blank in range(3):  # room for the seal, which overlaps the signature (GB/T 9704 7.3.5)
        _paragraph(document, "")
    _paragraph(document, letter.organization, align=right, right_chars=2)
    _paragraph(document, letter.dated, align=right, right_chars=4)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render_html(letter: LetterDocument) -> str:
    return render_to_string(
        "inforequests/letters/letter.html", {"letter": letter, "draft_mark": DRAFT_MARK}
    )


def render_pdf(letter: LetterDocument) -> bytes:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango or another system library missing
        raise RenderUnavailable(
            f"无法生成 PDF：服务器未安装 WeasyPrint 或其所需的系统库（Pango 等）。（{exc}）"
        ) from exc
    pdf = weasyprint.HTML(string=render_html(letter)).write_pdf()
    if not isinstance(pdf, bytes):  # pragma: no cover - only when writing to a target
        raise RenderUnavailable("无法生成 PDF：WeasyPrint 未返回文件内容。")
    return pdf


RENDERERS = {"pdf": (render_pdf, PDF_TYPE), "docx": (render_docx, DOCX_TYPE)}
