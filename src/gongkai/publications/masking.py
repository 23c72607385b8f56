"""Masking personal data inside an attachment's public copy (QUALITY.md §3.7).

The reviewer chooses values found by the scan; services passes them here as raw value →
masked form (rules.mask_value) and this module writes the masked form into the file:

- DOCX: the w:t (and w:delText) nodes of each paragraph are joined, so a value split over
  several runs is found; the masked characters are written back into the nodes that held the
  value's characters, keeping the runs' formatting. Every Word part is edited (body, headers,
  footers, footnotes, endnotes, comments, text boxes in both their DrawingML and VML forms).
- XLSX: shared strings and inline strings the same way (per string item); a numeric cell
  holding the value (an 11-digit mobile number) becomes a text cell with the masked form, and
  a formula whose cached result holds it loses the formula (it would compute the value again).
- Afterwards, every attribute and remaining text of every XML part of the package is swept
  for the raw value too (a mailto: link target, a field code), without counting as located.
- PDF: pdfium's text search finds the value's characters on each page; those pages alone are
  rasterised with black boxes burnt in (inforequests.redaction.burn_in), the other pages are
  copied as they are and keep their text layer.

A value that was extracted from the file but cannot be located in it raises NotLocated: the
caller refuses rather than publish a copy that still holds it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from lxml import etree

from gongkai.publications.constants import AttachmentType

if TYPE_CHECKING:
    import pypdfium2 as pdfium

    from gongkai.inforequests.redaction import Box

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# Space around a value's characters on a PDF page, in points: glyphs reach a little beyond
# the boxes pdfium reports (accents, descenders of a handwritten-looking font).
PDF_MARGIN = 1.0


class NotLocated(ValueError):
    """A value to mask was read from the file but cannot be found in it to be masked."""


def mask_text(text: str, values: dict[str, str]) -> str:
    """`text` with every occurrence of each raw value replaced by its masked form."""
    return _apply(list(text), _spans(text, values))[0] if values else text


def _spans(text: str, values: dict[str, str]) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences (start, end, masked), longer values first."""
    taken: list[tuple[int, int, str]] = []
    for value in sorted(values, key=len, reverse=True):
        start = text.find(value)
        while start >= 0:
            end = start + len(value)
            if not any(start < e and s < end for s, e, _ in taken):
                taken.append((start, end, values[value]))
            start = text.find(value, start + 1)
    return sorted(taken)


def _apply(chars: list[str], spans: list[tuple[int, int, str]]) -> tuple[str, list[str]]:
    """Write each masked form over its characters: one for one when the lengths agree (a
    value split over runs keeps its split), otherwise all at the first character."""
    for start, end, masked in spans:
        if len(masked) == end - start:
            chars[start:end] = list(masked)
        else:
            chars[start:end] = [masked] + [""] * (end - start - 1)
    return "".join(chars), chars


def _mask_nodes(nodes: list[etree._Element], values: dict[str, str]) -> set[str]:
    """Mask the values in the joined text of `nodes` (one paragraph or string item); the
    raw values found."""
    texts = [node.text or "" for node in nodes]
    joined = "".join(texts)
    spans = _spans(joined, values)
    if not spans:
        return set()
    _, chars = _apply(list(joined), spans)
    pos = 0
    for node, old in zip(nodes, texts, strict=True):
        new = "".join(chars[pos : pos + len(old)])
        pos += len(old)
        if new != old:
            node.text = new
    return {joined[s:e] for s, e, _ in spans}


def _groups(
    root: etree._Element, tags: tuple[str, ...], owners: tuple[str, ...]
) -> list[list[etree._Element]]:
    """Text nodes `tags` grouped by their nearest ancestor among `owners`, in document order."""
    groups: dict[etree._Element, list[etree._Element]] = {}
    for node in root.iter(*tags):
        owner = next((a for a in node.iterancestors() if a.tag in owners), root)
        groups.setdefault(owner, []).append(node)
    return list(groups.values())


def _number_text(raw: str) -> str:
    """A numeric cell as the text extractor reads it (openpyxl, then str())."""
    try:
        return str(int(raw))
    except ValueError:
        pass
    try:
        return str(float(raw))
    except ValueError:
        return raw


def _mask_cells(root: etree._Element, values: dict[str, str]) -> set[str]:
    """Cells whose value is stored in <v> (numbers, formula results) rather than as a string."""
    found: set[str] = set()
    for cell in root.iter(f"{_S}c"):
        kind = cell.get("t", "n")
        v = cell.find(f"{_S}v")
        if kind in ("s", "inlineStr", "b", "e") or v is None or not v.text:
            continue
        shown = _number_text(v.text) if kind == "n" else v.text
        spans = _spans(shown, values)
        if not spans:
            continue
        found |= {shown[s:e] for s, e, _ in spans}
        masked = _apply(list(shown), spans)[0]
        for formula in cell.findall(f"{_S}f"):
            cell.remove(formula)
        if kind == "n":  # the masked form is text: the cell becomes an inline string
            index = cell.index(v)
            cell.remove(v)
            inline = etree.Element(f"{_S}is")
            etree.SubElement(inline, f"{_S}t").text = masked
            cell.insert(index, inline)
            cell.set("t", "inlineStr")
        else:
            v.text = masked
    return found


def _sweep(root: etree._Element, values: dict[str, str]) -> bool:
    """The raw values anywhere else in the part: attributes (link targets), field codes."""
    changed = False
    for node in root.iter():
        for key, attr in node.attrib.items():
            if (new := mask_text(attr, values)) != attr:
                node.set(key, new)
                changed = True
        text = node.text if isinstance(node.tag, str) else None
        if text and (new := mask_text(text, values)) != text:
            node.text = new
            changed = True
    return changed


def office(data: bytes, values: dict[str, str]) -> bytes:
    """The DOCX or XLSX with each raw value of `values` replaced by its masked form."""
    from gongkai.core import public_copy
    from gongkai.publications import files

    files._zip_names(data)  # size limits before anything is unpacked
    found: set[str] = set()

    def edit(name: str, content: bytes) -> bytes | None:
        if not name.lower().endswith((".xml", ".rels")):
            return None
        root = public_copy.parse_part(content, name)
        hits: set[str] = set()
        for nodes in _groups(root, (f"{_W}t", f"{_W}delText"), (f"{_W}p",)):
            hits |= _mask_nodes(nodes, values)
        for nodes in _groups(root, (f"{_S}t",), (f"{_S}si", f"{_S}is", f"{_S}rPh")):
            hits |= _mask_nodes(nodes, values)
        hits |= _mask_cells(root, values)
        found.update(hits)
        swept = _sweep(root, values)
        return public_copy._serialise(root) if hits or swept else None

    out = public_copy._rewrite_zip(data, edit)
    if missing := set(values) - found:
        raise NotLocated(f"{len(missing)} value(s) not found in the package")
    return out


# --- PDF -----------------------------------------------------------------------------------
def _box(page: pdfium.PdfPage, page_number: int, rect: tuple[float, float, float, float]) -> Box:
    """A pdfium text rectangle (points, page space) as a redaction Box (percent of the page as
    shown, from its top left), widened by PDF_MARGIN."""
    from gongkai.inforequests.redaction import Box

    left, bottom, right, top = rect
    left, bottom, right, top = (
        left - PDF_MARGIN,
        bottom - PDF_MARGIN,
        right + PDF_MARGIN,
        top + PDF_MARGIN,
    )
    x0, y0, x1, y1 = page.get_bbox()  # the crop box
    width, height = x1 - x0, y1 - y0
    rotation = page.get_rotation()
    if rotation == 90:  # turned clockwise: the left edge is on top
        box = (
            (bottom - y0) / height,
            (left - x0) / width,
            (top - bottom) / height,
            (right - left) / width,
        )
    elif rotation == 180:
        box = (
            (x1 - right) / width,
            (bottom - y0) / height,
            (right - left) / width,
            (top - bottom) / height,
        )
    elif rotation == 270:
        box = (
            (y1 - top) / height,
            (x1 - right) / width,
            (top - bottom) / height,
            (right - left) / width,
        )
    else:
        box = (
            (left - x0) / width,
            (y1 - top) / height,
            (right - left) / width,
            (top - bottom) / height,
        )
    pct = [Decimal(str(round(v * 100, 4))) for v in box]
    return Box(page=page_number, left=pct[0], top=pct[1], width=pct[2], height=pct[3])


def _pdf_boxes(
    source: pdfium.PdfDocument, values: Iterable[str]
) -> tuple[dict[int, list[Box]], set[tuple[str, int]]]:
    """Boxes per page index over every occurrence of the values; (value, page number) found."""
    boxes: dict[int, list[Box]] = {}
    found: set[tuple[str, int]] = set()
    for index in range(len(source)):
        page = source[index]
        textpage = page.get_textpage()
        try:
            for value in values:
                searcher = textpage.search(value, match_case=True)
                while (match := searcher.get_next()) is not None:
                    start, count = match
                    found.add((value, index + 1))
                    for r in range(textpage.count_rects(start, count)):
                        rect = textpage.get_rect(r)
                        boxes.setdefault(index, []).append(_box(page, index + 1, rect))
                searcher.close()
        finally:
            textpage.close()
            page.close()
    return boxes, found


def pdf(data: bytes, where: dict[str, set[int]], *, dpi: int) -> bytes:
    """The PDF with every occurrence of the values (`where`: raw value → the pages, from 1, on
    which the extractor read it) burnt out. Only pages with a value are rasterised."""
    import pypdfium2 as pdfium

    from gongkai.inforequests.redaction import burn_in

    source = pdfium.PdfDocument(data)
    target = pdfium.PdfDocument.new()
    try:
        boxes, found = _pdf_boxes(source, where)
        expected = {(value, page) for value, pages in where.items() for page in pages}
        if missing := expected - found:
            raise NotLocated(f"{len(missing)} value(s) not found on their PDF page")
        for index in range(len(source)):
            if index not in boxes:
                target.import_pages(source, pages=[index])
                continue
            single = pdfium.PdfDocument.new()
            try:
                single.import_pages(source, pages=[index])
                buf = io.BytesIO()
                single.save(buf)
            finally:
                single.close()
            page_boxes = [replace(b, page=1) for b in boxes[index]]
            burnt = pdfium.PdfDocument(burn_in(buf.getvalue(), page_boxes, dpi=dpi))
            try:
                target.import_pages(burnt)
            finally:
                burnt.close()
        out = io.BytesIO()
        target.save(out)
        return out.getvalue()
    finally:
        target.close()
        source.close()


def apply(
    data: bytes, file_type: str, where: dict[str, set[int]], masks: dict[str, str], *, dpi: int
) -> bytes:
    """The file with the values masked; `where`: raw value → pages it was read on,
    `masks`: raw value → masked form."""
    if file_type == AttachmentType.PDF:
        return pdf(data, where, dpi=dpi)
    if file_type in (AttachmentType.DOCX, AttachmentType.XLSX):
        return office(data, masks)
    raise NotLocated(f"{file_type} files cannot be masked")
