"""Attachment files: type recognised from the content, text extraction. The public copy without
metadata: core/public_copy.py; tracked changes and comments still in a file:
core/file_markup.py (`review_markup`, also importable from here).

Pure functions over bytes; services.py and tasks.py store the results. The name and the
browser's content type are never trusted: a renamed executable is not a PDF.
"""

from __future__ import annotations

import io
import re
import zipfile

from defusedxml.ElementTree import fromstring as parse_xml
from lxml import etree

from gongkai.core.file_markup import WORD_COMMENTS as _WORD_COMMENTS
from gongkai.core.file_markup import WORD_TEXT as _WORD_TEXT
from gongkai.core.file_markup import W as _W
from gongkai.core.file_markup import office_parts as _office_parts
from gongkai.core.file_markup import review_markup as review_markup  # its callers import it here
from gongkai.core.file_markup import word_kind as _word_kind
from gongkai.core.public_copy import PackageRefused, package_names, parse_part
from gongkai.publications.constants import AttachmentType

CHUNK_CHARS = 2000


class FileRejected(ValueError):
    """The upload is not an accepted file; the message is shown to the officer."""


def zip_names(data: bytes) -> list[str]:
    """The members of a zip package, after its size limits are checked (FileRejected)."""
    try:
        return package_names(data)
    except PackageRefused as exc:
        raise FileRejected(str(exc)) from exc


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
        names = zip_names(data)
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
# Where a chunk may end: a line, then a sentence or clause. Personal data (a labelled ID
# number, a spaced phone number, an address) does not run across these.
_BREAKS = ("\n", "。", "！", "？", "；")
# Characters of a number, e-mail address or other Latin token (spaces inside included, as in
# 138 1234 5678) that a chunk must not cut when there is no break to cut at.
_TOKEN_CHAR = re.compile(r"[0-9A-Za-z@._+\- ]")
# A 15-digit ID number counts only beside its label (身份证号：), which must stay with it.
_LABEL_CHARS = 8


def _chunks(text: str) -> list[str]:
    """Pieces of about CHUNK_CHARS, cut after the last line or sentence end in the second half,
    else never inside a number or address token: each piece is scanned for personal data on
    its own, so a value cut in two would go unnoticed."""
    text, out = text.strip(), []
    while len(text) > CHUNK_CHARS:
        cut = max(text.rfind(b, CHUNK_CHARS // 2, CHUNK_CHARS - 1) for b in _BREAKS) + 1
        if cut <= 0:
            cut = CHUNK_CHARS
            if _TOKEN_CHAR.match(text[cut]):  # a token starts or runs on here: cut before it,
                while cut > CHUNK_CHARS // 2 and _TOKEN_CHAR.match(text[cut - 1]):
                    cut -= 1
                cut = max(CHUNK_CHARS // 2, cut - _LABEL_CHARS)  # with the label before it
        out.append(text[:cut].strip())
        text = text[cut:].strip()
    return [*out, text] if text else out


def _pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return [(page.extract_text() or "").strip() for page in reader.pages]


_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def _chosen_branch(alternate: etree._Element) -> etree._Element | None:
    """Word writes a text box twice, in an mc:Choice (DrawingML) and an mc:Fallback (VML):
    the first branch with text is read, so the text is read once."""
    branches = [b for b in alternate if isinstance(b.tag, str)]
    for branch in branches:
        if next(branch.iter(f"{_W}t", f"{_W}delText"), None) is not None:
            return branch
    return branches[0] if branches else None


def _word_part_text(root: etree._Element) -> str:
    """Every w:t in document order, wherever it sits (tables, text boxes, content controls,
    tracked insertions), and deleted text (w:delText): what Word shows with markup on, so
    what the personal-data scan must see. Paragraphs end a line; cells are joined by tabs."""
    out: list[str] = []
    skipped: set[etree._Element] = set()
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, node in walker:
        tag = node.tag
        if event == "start":
            if node in skipped:
                walker.skip_subtree()
            elif tag in (f"{_W}t", f"{_W}delText"):
                out.append(node.text or "")
            elif tag == f"{_W}tab":
                parent = node.getparent()
                if parent is not None and parent.tag == f"{_W}r":  # not a tab stop of w:tabs
                    out.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                out.append("\n")
            elif tag == f"{_MC}AlternateContent":
                chosen = _chosen_branch(node)
                skipped.update(b for b in node if b is not chosen)
        elif tag == f"{_W}p":
            out.append("\n")
        elif tag == f"{_W}tc":
            if out and out[-1] == "\n":
                out[-1] = "\t"
            else:
                out.append("\t")
        elif tag == f"{_W}tr":
            if out and out[-1] == "\t":
                out[-1] = "\n"
            else:
                out.append("\n")
    return "".join(out)


def _docx_chunks(data: bytes) -> list[str]:
    """The text of the body, then headers, footers, footnotes, endnotes and comments, cut into
    chunks (DOCX has no pages)."""
    zip_names(data)  # size limits before anything is unpacked
    texts: dict[str, list[str]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name, content_type in _office_parts(zf):
            kind = _word_kind(content_type)
            if kind in (*_WORD_TEXT, _WORD_COMMENTS):
                root = parse_part(zf.read(name), name)
                texts.setdefault(kind, []).append(_word_part_text(root).strip())
    order = (*_WORD_TEXT, _WORD_COMMENTS)
    return _chunks("\n".join(t for kind in order for t in texts.get(kind, []) if t))


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


def pictures(data: bytes, file_type: str, min_side: int) -> int:
    """How many pictures in a DOCX or XLSX package measure at least `min_side` pixels on both
    sides (read from each image's header only)."""
    from PIL import Image, UnidentifiedImageError

    if file_type not in (AttachmentType.DOCX, AttachmentType.XLSX):
        return 0
    zip_names(data)
    found = 0
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if not re.match(r"(word|xl)/media/", name):
                continue
            try:
                with Image.open(io.BytesIO(zf.read(name))) as img:
                    width, height = img.size
            except (UnidentifiedImageError, OSError):
                continue  # EMF/WMF drawings and the like: vector art, not a scan
            if min(width, height) >= min_side:
                found += 1
    return found
