"""Burning redactions into a PDF (条例第三十七条 区分处理).

Every page is rasterised and the boxes are painted black into the pixels; the copy holds
images only. Drawing a black rectangle over a PDF leaves the text underneath selectable and
searchable, which is how redactions leak, so nothing of the original page structure (text,
fonts, annotations, metadata, attachments, scripts) is carried over. Pages without boxes are
rasterised too: a text layer anywhere would betray the document's structure and is not
needed by an applicant who asked for the information, not the file.
"""

from __future__ import annotations

import io
import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

JPEG_QUALITY = 85


@dataclass(frozen=True)
class Box:
    """A rectangle in percent of the page, from the top left corner; `page` counts from 1."""

    page: int
    left: Decimal
    top: Decimal
    width: Decimal
    height: Decimal

    def pixels(self, size: tuple[int, int]) -> tuple[int, int, int, int]:
        """Rounded outwards, so the box covers at least what was marked."""
        w, h = size
        x0 = math.floor(float(self.left) / 100 * w)
        y0 = math.floor(float(self.top) / 100 * h)
        x1 = math.ceil(float(self.left + self.width) / 100 * w)
        y1 = math.ceil(float(self.top + self.height) / 100 * h)
        return max(0, x0), max(0, y0), min(w, x1) - 1, min(h, y1) - 1


def _render(page: pdfium.PdfPage, dpi: int) -> Image.Image:
    bitmap = page.render(scale=dpi / 72, may_draw_forms=True)
    try:
        return bitmap.to_pil().convert("RGB")
    finally:
        bitmap.close()


def burn_in(
    pdf: bytes, boxes: Iterable[Box], *, dpi: int, pages: Collection[int] | None = None
) -> bytes:
    """A new PDF of page images with the boxes painted black. With `pages` (numbers from 1),
    only those pages become images; the others are copied as they are, text layer and all."""
    by_page: dict[int, list[Box]] = {}
    for box in boxes:
        by_page.setdefault(box.page, []).append(box)
    source = pdfium.PdfDocument(pdf)
    target = pdfium.PdfDocument.new()
    try:
        if any(p < 1 or p > len(source) for p in by_page):
            raise ValueError("box on a page the document does not have")
        for index in range(len(source)):
            if pages is not None and index + 1 not in pages:
                target.import_pages(source, pages=[index])
                continue
            page = source[index]
            try:
                image = _render(page, dpi)
            finally:
                page.close()
            draw = ImageDraw.Draw(image)
            for box in by_page.get(index + 1, []):
                draw.rectangle(box.pixels(image.size), fill=(0, 0, 0))
            single = io.BytesIO()
            image.save(single, format="PDF", resolution=dpi, quality=JPEG_QUALITY)
            image.close()
            one = pdfium.PdfDocument(single.getvalue())
            try:
                target.import_pages(one)
            finally:
                one.close()
        out = io.BytesIO()
        target.save(out)
        return out.getvalue()
    finally:
        target.close()
        source.close()


def page_preview(pdf: bytes, page_number: int, *, width: int = 900) -> bytes:
    """One page as PNG for marking boxes in the console (`page_number` counts from 1)."""
    document = pdfium.PdfDocument(pdf)
    try:
        if not 1 <= page_number <= len(document):
            raise IndexError(page_number)
        page = document[page_number - 1]
        try:
            scale = width / page.get_width()
            bitmap = page.render(scale=scale)
            image = bitmap.to_pil()
            bitmap.close()
        finally:
            page.close()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
