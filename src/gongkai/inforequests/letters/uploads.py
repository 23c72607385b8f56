"""Scans of signed delivery receipts (送达回证): checked by content, stored privately.

The file type is decided from the first bytes, never from the name or the browser's claim; only
PDF, JPEG and PNG are accepted, up to `MAX_RECEIPT_BYTES`. Files live under GONGKAI_DATA_DIR in
a directory no URL maps to; the console streams them to staff who may see the application.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError

MAX_RECEIPT_BYTES = 10 * 1024 * 1024
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


def receipts_dir() -> Path:
    return Path(settings.DATA_DIR) / "private" / "receipts"


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a PDF, JPEG or PNG file's first bytes; None otherwise."""
    for magic, content_type, ext in SIGNATURES:
        if head.startswith(magic):
            return content_type, ext
    return None


def store_receipt(upload: IO[bytes], size: int | None, folder: str) -> tuple[str, str, int]:
    """Check and store an uploaded scan; returns (relative path, content type, size)."""
    if size is not None and size > MAX_RECEIPT_BYTES:
        raise ValidationError("回执扫描件不能超过 10 MB。")
    upload.seek(0)
    head = upload.read(16)
    kind = sniff(head)
    if kind is None:
        raise ValidationError("回执扫描件须为 PDF、JPEG 或 PNG 文件。")
    content_type, ext = kind
    relative = f"{folder}/{uuid.uuid4().hex}{ext}"
    target = receipts_dir() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    upload.seek(0)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := upload.read(64 * 1024):
            written += len(chunk)
            if written > MAX_RECEIPT_BYTES:
                out.close()
                target.unlink(missing_ok=True)
                raise ValidationError("回执扫描件不能超过 10 MB。")
            out.write(chunk)
    return relative, content_type, written


def open_receipt(relative: str) -> IO[bytes]:
    base = receipts_dir().resolve()
    path = (base / relative).resolve()
    if base not in path.parents:
        raise FileNotFoundError(relative)
    return path.open("rb")
