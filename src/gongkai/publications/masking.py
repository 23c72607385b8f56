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
  A removed formula also removes xl/calcChain.xml (Excel would report the workbook damaged);
  the first cell of a shared formula is refused (its formula is the others' too).
- Afterwards, every attribute and remaining text of every XML part of the package is swept
  for the raw value too (a mailto: link target, a field code), without counting as located.
  The thumbnail of the first page (docProps/thumbnail.*) is removed; a raw value still in
  the bytes of any other non-XML member (an embedded object, a picture's EMF/WMF preview) is
  refused, as it cannot be edited.
- PDF: pdfium's text search finds the value's characters on each page; it must find at least
  as many occurrences on a page as the extractor read there. Those pages alone are rasterised
  with black boxes burnt in (inforequests.redaction.burn_in), the other pages are copied as
  they are and keep their text layer. Invisible text (the OCR layer of a scan) is refused: it
  need not lie over the printed digits the box must cover.

A value that was extracted from the file but cannot be located in it raises NotLocated: the
caller refuses rather than publish a copy that still holds it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
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
    """A value to mask was read from the file but cannot be found in it to be masked.
    `reason`, when set, says in Chinese what the reviewer can do instead."""

    def __init__(self, detail: str, reason: str = "") -> None:
        super().__init__(detail)
        self.reason = reason


_EMBEDDED = "该内容位于附件内嵌入的对象或图片中，系统无法遮盖，请退回起草人更换不含该内容的文件"
_SHARED_FORMULA = "该内容所在单元格是共享公式的首个单元格，系统无法遮盖，请退回起草人更换附件"
_OCR_LAYER = "该页文字为扫描件识别层，无法准确定位，请退回起草人更换附件或说明理由"


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


def _mask_cells(
    root: etree._Element, values: dict[str, str], formulas_removed: list[str]
) -> set[str]:
    """Cells whose value is stored in <v> (numbers, formula results) rather than as a string;
    the references of cells whose formula is removed are added to `formulas_removed`."""
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
            if formula.get("t") == "shared" and formula.get("ref"):
                raise NotLocated("value in the master cell of a shared formula", _SHARED_FORMULA)
            cell.remove(formula)
            formulas_removed.append(cell.get("r", ""))
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


_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OVERRIDE = "{http://schemas.openxmlformats.org/package/2006/content-types}Override"


def _targets(rels: bytes, base: str, kind: str) -> set[str]:
    """Package names of the relationships of type …/`kind` in a .rels part of folder `base`."""
    from gongkai.core import public_copy

    names = set()
    for rel in public_copy.parse_part(rels, "_rels/.rels").iter(_REL):
        if rel.get("Type", "").endswith("/" + kind) and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            names.add(target.lstrip("/") if target.startswith("/") else base + target)
    return names


def _unlink(data: bytes, gone: dict[str, tuple[str, str]]) -> bytes:
    """The package without the parts in `gone` (name → (.rels part, relationship kind)):
    the members, their relationships and their content-type overrides."""
    from gongkai.core import public_copy

    rels_parts = {rels for rels, _ in gone.values()}
    kinds = {kind for _, kind in gone.values()}

    def edit(name: str, content: bytes) -> bytes | None:
        if name not in rels_parts and name != "[Content_Types].xml":
            return None
        root = public_copy.parse_part(content, name)
        for node in list(root.iter(_REL, _OVERRIDE)):
            if node.tag == _OVERRIDE:
                hit = node.get("PartName", "").lstrip("/") in gone
            else:
                hit = any(node.get("Type", "").endswith("/" + k) for k in kinds)
            if hit:
                node.getparent().remove(node)
        return public_copy.serialise(root)

    return public_copy.rewrite_zip(data, edit, drop=frozenset(gone))


def office(data: bytes, values: dict[str, str]) -> bytes:
    """The DOCX or XLSX with each raw value of `values` replaced by its masked form."""
    import zipfile

    from gongkai.core import public_copy
    from gongkai.publications import files

    files.zip_names(data)  # size limits before anything is unpacked
    found: set[str] = set()
    formulas_removed: list[str] = []

    def edit(name: str, content: bytes) -> bytes | None:
        if not name.lower().endswith((".xml", ".rels")):
            return None
        root = public_copy.parse_part(content, name)
        hits: set[str] = set()
        for nodes in _groups(root, (f"{_W}t", f"{_W}delText"), (f"{_W}p",)):
            hits |= _mask_nodes(nodes, values)
        for nodes in _groups(root, (f"{_S}t",), (f"{_S}si", f"{_S}is", f"{_S}rPh")):
            hits |= _mask_nodes(nodes, values)
        hits |= _mask_cells(root, values, formulas_removed)
        found.update(hits)
        swept = _sweep(root, values)
        return public_copy.serialise(root) if hits or swept else None

    out = public_copy.rewrite_zip(data, edit)
    if missing := set(values) - found:
        raise NotLocated(f"{len(missing)} value(s) not found in the package")
    with zipfile.ZipFile(io.BytesIO(out)) as zf:
        names = set(zf.namelist())
        gone = (
            {
                name: ("_rels/.rels", "thumbnail")
                for name in _targets(zf.read("_rels/.rels"), "", "thumbnail")
                if name in names
            }
            if "_rels/.rels" in names
            else {}
        )
        gone.update((n, ("_rels/.rels", "thumbnail")) for n in names if _is_thumbnail(n))
        book_rels = "xl/_rels/workbook.xml.rels"
        if formulas_removed and "xl/calcChain.xml" in names and book_rels in names:
            gone["xl/calcChain.xml"] = (book_rels, "calcChain")
        for name in sorted(names - set(gone)):
            if name.lower().endswith((".xml", ".rels")):
                continue
            content = zf.read(name)
            if any(v.encode() in content or v.encode("utf-16-le") in content for v in values):
                raise NotLocated(f"value in the non-XML member {name}", _EMBEDDED)
    return _unlink(out, gone) if gone else out


def _is_thumbnail(name: str) -> bool:
    return name.lower().startswith("docprops/thumbnail.")


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


def _invisible(textpage: pdfium.PdfTextPage, start: int, count: int) -> bool:
    """Whether any of the characters is drawn invisibly (text render mode 3: an OCR layer)."""
    import pypdfium2.raw as pdfium_c

    for index in range(start, start + count):
        obj = pdfium_c.FPDFText_GetTextObject(textpage.raw, index)
        if obj and (
            pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
        ):
            return True
    return False


def _pdf_boxes(
    source: pdfium.PdfDocument, values: Iterable[str]
) -> tuple[dict[int, list[Box]], dict[tuple[str, int], int]]:
    """Boxes per page number over every occurrence of the values; occurrences found per
    (value, page number). Raises NotLocated on a match in invisible text."""
    boxes: dict[int, list[Box]] = {}
    found: dict[tuple[str, int], int] = {}
    for index in range(len(source)):
        page = source[index]
        textpage = page.get_textpage()
        try:
            for value in values:
                searcher = textpage.search(value, match_case=True)
                try:
                    while (match := searcher.get_next()) is not None:
                        start, count = match
                        if _invisible(textpage, start, count):
                            raise NotLocated("value in invisible text", _OCR_LAYER)
                        key = (value, index + 1)
                        found[key] = found.get(key, 0) + 1
                        for r in range(textpage.count_rects(start, count)):
                            rect = textpage.get_rect(r)
                            boxes.setdefault(index + 1, []).append(_box(page, index + 1, rect))
                finally:
                    searcher.close()
        finally:
            textpage.close()
            page.close()
    return boxes, found


def pdf(data: bytes, where: dict[str, dict[int, int]], *, dpi: int) -> bytes:
    """The PDF with every occurrence of the values (`where`: raw value → page number, from 1
    → how many times the extractor read it there) burnt out. Only pages with a value are
    rasterised; a page where pdfium finds fewer occurrences than were read is refused."""
    import pypdfium2 as pdfium

    from gongkai.inforequests.redaction import burn_in

    source = pdfium.PdfDocument(data)
    try:
        boxes, found = _pdf_boxes(source, where)
    finally:
        source.close()
    short = [
        (value, page)
        for value, pages in where.items()
        for page, count in pages.items()
        if found.get((value, page), 0) < count
    ]
    if short:
        raise NotLocated(f"{len(short)} value(s) not found as often as read on their PDF page")
    return burn_in(data, [b for page in boxes.values() for b in page], dpi=dpi, pages=set(boxes))


def apply(
    data: bytes,
    file_type: str,
    where: dict[str, dict[int, int]],
    masks: dict[str, str],
    *,
    dpi: int,
) -> bytes:
    """The file with the values masked; `where`: raw value → page → occurrences read there,
    `masks`: raw value → masked form."""
    if file_type == AttachmentType.PDF:
        return pdf(data, where, dpi=dpi)
    if file_type in (AttachmentType.DOCX, AttachmentType.XLSX):
        return office(data, masks)
    raise NotLocated(f"{file_type} files cannot be masked")
