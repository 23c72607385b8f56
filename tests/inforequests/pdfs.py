"""Small real files for the upload and redaction tests, made here (no binary fixtures)."""

from __future__ import annotations

import io
import zipfile

from PIL import Image

PAGE_W, PAGE_H = 595, 842  # A4 in points


def text_pdf(pages: list[list[tuple[float, float, str]]]) -> bytes:
    """A PDF whose pages show Helvetica text at (x, y-from-bottom) in points."""
    objects: list[bytes] = []
    kids = []
    font_id = 3
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"")  # pages, filled below
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for lines in pages:
        stream = b"".join(
            b"BT /F1 14 Tf %.1f %.1f Td (%s) Tj ET\n" % (x, y, text.encode("latin-1"))
            for x, y, text in lines
        )
        content_id = len(objects) + 1
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        page_id = len(objects) + 1
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (PAGE_W, PAGE_H, content_id, font_id)
        )
        kids.append(page_id)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def image(fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(out, format=fmt)
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def windows_program() -> bytes:
    """The start of a Windows executable (MZ header, PE signature)."""
    return b"MZ\x90\x00\x03" + b"\x00" * 55 + b"\x80\x00\x00\x00" + b"\x00" * 64 + b"PE\x00\x00"


SECRET = "SECRETNAME 11010519491231002X"
PUBLIC = "PUBLIC BUDGET TABLE"
# The secret line sits 72 pt below the top edge; the public line in the middle of the page.
SAMPLE = text_pdf([[(72, PAGE_H - 72, SECRET), (72, 420, PUBLIC)], [(72, 600, "PAGE TWO TEXT")]])
