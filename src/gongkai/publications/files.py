"""Attachment files: type recognised from the content, text extraction, metadata stripping.

Pure functions over bytes; services.py and tasks.py store the results. The name and the
browser's content type are never trusted: a renamed executable is not a PDF.
"""

from __future__ import annotations

import io
import re
import zipfile

from defusedxml.ElementTree import fromstring as parse_xml

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
            root = parse_xml(zf.read(name))  # entities refused; size bounded by detect_type
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
def strip_metadata(data: bytes, file_type: str) -> bytes:
    """The copy the portal serves: the names of authors, editors, reviewers and commenters
    (document properties, comments, tracked changes, annotations) and embedded EXIF/XMP removed;
    content unchanged. What exactly goes, per format: public_copy.py."""
    from gongkai.publications import public_copy

    if file_type == AttachmentType.PDF:
        return public_copy.pdf(data)
    if file_type in (AttachmentType.DOCX, AttachmentType.XLSX):
        _zip_names(data)  # size limits before anything is unpacked
        return public_copy.office(data)
    if file_type == AttachmentType.OFD:
        _zip_names(data)
        return public_copy.ofd(data)
    if file_type in (AttachmentType.PNG, AttachmentType.JPEG):
        return public_copy.image(data, png=file_type == AttachmentType.PNG)
    return data
