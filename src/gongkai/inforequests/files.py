"""Private file storage for applications, and what a file really is.

Uploads are judged by their content, never by their name or the browser's content type: a
renamed program is refused (ASVS v4.0.3 12.1–12.2, SECURITY.md §4 V12). Files live under
DATA_DIR/private/, outside anything the web server serves; the console and the progress page
hand them out through views that check permission first, as attachments.
"""

from __future__ import annotations

import hashlib
import io
import os
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image

from gongkai.core import public_copy

# Pillow refuses images above this many pixels (decompression bombs).
Image.MAX_IMAGE_PIXELS = 80_000_000
MAX_PAGES = 500


class FileRefused(ValueError):
    """The upload is not a file we accept; the message is for the officer."""


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str
    pages: int | None


PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OFD = "application/ofd"

SCAN_TYPES = frozenset({PDF, JPEG, PNG})
RELEASE_TYPES = frozenset({PDF, JPEG, PNG, DOCX, OFD})
# The format names of core.public_copy and core.file_markup.
STRIP_FORMAT = {
    PDF: public_copy.PDF,
    JPEG: public_copy.JPEG,
    PNG: public_copy.PNG,
    DOCX: public_copy.DOCX,
    OFD: public_copy.OFD,
}


def _pdf_pages(data: bytes) -> int:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise FileRefused(_("PDF 文件已损坏、加密或无法读取。")) from exc
    try:
        return len(document)
    finally:
        document.close()


def _image_ok(data: bytes, expected: str) -> None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != expected:
                raise FileRefused(_("图片内容与格式不符。"))
            image.verify()
    except (OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise FileRefused(_("图片已损坏或过大，无法读取。")) from exc


def _zip_names(data: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise FileRefused(_("文件已损坏，无法读取。")) from exc


def sniff(data: bytes) -> Sniffed:
    """What the bytes are, checked by parsing them (the magic number alone is not enough)."""
    if data.startswith(b"%PDF-"):
        return Sniffed(PDF, "pdf", _pdf_pages(data))
    if data.startswith(b"\xff\xd8\xff"):
        _image_ok(data, "JPEG")
        return Sniffed(JPEG, "jpg", 1)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        _image_ok(data, "PNG")
        return Sniffed(PNG, "png", 1)
    if data.startswith(b"PK\x03\x04"):
        names = _zip_names(data)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return Sniffed(DOCX, "docx", None)
        if "OFD.xml" in names:  # GB/T 33190-2016: the entry file at the package root
            return Sniffed(OFD, "ofd", None)
    raise FileRefused(
        _("不支持的文件类型：只接受 PDF、JPEG、PNG（提供的文件还可以是 DOCX、OFD）。")
    )


def check_upload(data: bytes, *, allowed: frozenset[str]) -> Sniffed:
    limit = settings.UPLOAD_MAX_MB * 1024 * 1024
    if len(data) > limit:
        raise FileRefused(_("文件超过 %(mb)s MB。") % {"mb": settings.UPLOAD_MAX_MB})
    if not data:
        raise FileRefused(_("文件是空的。"))
    found = sniff(data)
    if found.content_type not in allowed:
        raise FileRefused(_("申请材料扫描件只接受 PDF、JPEG、PNG。"))
    if found.pages is not None and found.pages > MAX_PAGES:
        raise FileRefused(_("PDF 超过 %(n)s 页。") % {"n": MAX_PAGES})
    return found


def safe_title(name: str) -> str:
    """The name shown to people: no folders, no control characters, at most 200 characters."""
    base = os.path.basename(name.replace("\\", "/"))
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?')
    return cleaned.strip()[:200] or "file"


def private_root() -> Path:
    return Path(settings.DATA_DIR) / "private" / "requests"


def store(data: bytes, *, request_id: int, extension: str) -> tuple[str, str]:
    """Write the bytes under a random name; returns (storage name, sha256)."""
    name = f"{request_id}/{uuid.uuid4().hex}.{extension}"
    path = private_root() / name
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_suffix(".part")
    with open(temp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    temp.chmod(0o600)
    temp.replace(path)
    return name, hashlib.sha256(data).hexdigest()


def path_of(storage_name: str) -> Path:
    root = private_root().resolve()
    path = (root / storage_name).resolve()
    if root not in path.parents:
        raise FileNotFoundError(storage_name)
    return path


def read(storage_name: str) -> bytes:
    return path_of(storage_name).read_bytes()


def remove(storage_name: str) -> None:
    """Used when the transaction that stored a file is rolled back."""
    path_of(storage_name).unlink(missing_ok=True)
