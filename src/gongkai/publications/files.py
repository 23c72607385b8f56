"""Attachment files: type recognised from the content, text extraction, metadata stripping.

Pure functions over bytes; services.py and tasks.py store the results. The name and the
browser's content type are never trusted: a renamed executable is not a PDF.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree as ET

from gongkai.publications.constants import AttachmentType

CHUNK_CHARS = 2000
MAX_ZIP_MEMBERS = 5000
MAX_UNZIPPED = 200 * 1024 * 1024  # zip bombs


class FileRejected(ValueError):
    """The upload is not an accepted file; the message is shown to the officer."""


def _zip_names(data: bytes) -> list[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > MAX_UNZIPPED:
                raise FileRejected("文件解压后过大，拒绝接收")
            return [i.filename for i in infos]
    except zipfile.BadZipFile as exc:
        raise FileRejected("文件已损坏，无法识别") from exc


def detect_type(data: bytes) -> AttachmentType:
    """PDF, DOCX, XLSX, OFD, PNG or JPEG, recognised from the bytes (magic numbers, and for the
    zip-based formats the parts inside). Macro-enabled Office files are refused."""
    if data.startswith(b"%PDF-"):
        return AttachmentType.PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return AttachmentType.PNG
    if data.startswith(b"\xff\xd8\xff"):
        return AttachmentType.JPEG
    if data.startswith(b"PK\x03\x04"):
        names = _zip_names(data)
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise FileRejected("含有宏的 Office 文件不能作为附件")
        if "word/document.xml" in names:
            return AttachmentType.DOCX
        if "xl/workbook.xml" in names:
            return AttachmentType.XLSX
        if "OFD.xml" in names:
            return AttachmentType.OFD
    raise FileRejected("仅接受 PDF、DOCX、XLSX、OFD、PNG、JPEG 格式的文件（按文件内容识别）")


def check_upload(data: bytes, max_bytes: int) -> AttachmentType:
    if not data:
        raise FileRejected("文件为空")
    if len(data) > max_bytes:
        raise FileRejected(f"文件超过 {max_bytes // (1024 * 1024)} MB 的上限")
    return detect_type(data)


# --- text extraction -----------------------------------------------------------------------
def _chunks(text: str) -> list[str]:
    text = text.strip()
    return [text[i : i + CHUNK_CHARS] for i in range(0, len(text), CHUNK_CHARS)] if text else []


def _pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return [(page.extract_text() or "").strip() for page in reader.pages]


def _docx_chunks(data: bytes) -> list[str]:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return _chunks("\n".join(parts))


def _xlsx_sheets(data: bytes) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        rows = (
            "\t".join("" if v is None else str(v) for v in row)
            for row in ws.iter_rows(values_only=True)
        )
        sheets.append(f"{ws.title}\n" + "\n".join(r for r in rows if r.strip()))
    wb.close()
    return sheets


_OFD_PAGE = re.compile(r"^Doc_\d+/Pages/Page_(\d+)/Content\.xml$")


def _ofd_pages(data: bytes) -> list[str]:
    """OFD (GB/T 33190): the text is in the TextCode elements of each page's Content.xml."""
    pages: list[tuple[int, str]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            m = _OFD_PAGE.match(name)
            if not m:
                continue
            root = ET.fromstring(zf.read(name))  # noqa: S314 — DTD-less XML, size-bounded above
            text = "".join(el.text or "" for el in root.iter() if el.tag.endswith("TextCode"))
            pages.append((int(m.group(1)), text))
    return [t for _, t in sorted(pages)]


def extract_text(data: bytes, file_type: str) -> list[str]:
    """Text per page (PDF, OFD), sheet (XLSX) or chunk (DOCX); images give none (no OCR)."""
    if file_type == AttachmentType.PDF:
        return _pdf_pages(data)
    if file_type == AttachmentType.DOCX:
        return _docx_chunks(data)
    if file_type == AttachmentType.XLSX:
        return _xlsx_sheets(data)
    if file_type == AttachmentType.OFD:
        return _ofd_pages(data)
    return []


def page_count(data: bytes, file_type: str) -> int | None:
    if file_type == AttachmentType.PDF:
        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(data)).pages)
    return None


# --- metadata stripping --------------------------------------------------------------------
_EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    b'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
)
_EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"/>'
)
_EMPTY_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'custom-properties"/>'
)
_OFD_DOCINFO = re.compile(
    rb"<ofd:(Author|Creator|CreatorVersion|Company|Keywords|CustomDatas)\b.*?"
    rb"(</ofd:\1>|/>)",
    re.S,
)


def _rewrite_zip(data: bytes, replace: dict[str, bytes | None], edit: dict[str, object]) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename in replace:
                new = replace[info.filename]
                if new is None:
                    continue
                content = new
            elif info.filename in edit:
                content = edit[info.filename](content)  # type: ignore[operator]
            dst.writestr(info.filename, content)
    return out.getvalue()


def strip_metadata(data: bytes, file_type: str) -> bytes:
    """The copy the portal serves: author, company, last editor, comments' authors and
    embedded EXIF/XMP removed; content unchanged."""
    if file_type == AttachmentType.PDF:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.metadata = None
        if "/Metadata" in writer.root_object:
            del writer.root_object["/Metadata"]
        buf = io.BytesIO()
        writer.write(buf)
        return buf.getvalue()
    if file_type in (AttachmentType.DOCX, AttachmentType.XLSX):
        names = set(_zip_names(data))
        replace: dict[str, bytes | None] = {
            "docProps/core.xml": _EMPTY_CORE if "docProps/core.xml" in names else None,
            "docProps/app.xml": _EMPTY_APP if "docProps/app.xml" in names else None,
            "docProps/custom.xml": _EMPTY_CUSTOM if "docProps/custom.xml" in names else None,
        }
        return _rewrite_zip(data, replace, {})
    if file_type == AttachmentType.OFD:
        return _rewrite_zip(data, {}, {"OFD.xml": lambda b: _OFD_DOCINFO.sub(b"", b)})
    if file_type in (AttachmentType.PNG, AttachmentType.JPEG):
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            img.load()
            clean = img.copy()
            clean.info = {}  # EXIF, XMP, text chunks: nothing is written unless passed to save
            buf = io.BytesIO()
            clean.save(buf, format="PNG" if file_type == AttachmentType.PNG else "JPEG")
        return buf.getvalue()
    return data
