from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from gongkai.publications import services
from gongkai.publications.models import Publication


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def draft_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "关于印发《测试区义务教育阶段入学办法》的通知",
        "summary": "明确本区义务教育阶段入学条件和程序。",
        "written_on": date(2024, 3, 1),
        "document_number": "测教发〔2024〕3号",
        "topic": "1102",
        "genre": "notice",
        "keywords": "入学；义务教育",
        "statutory_category": "20-01",
        "normative_kind": "normative",
        "body": "<p>各中小学：</p><p>现将入学办法印发给你们。</p>",
    }
    data.update(overrides)
    return data


def make_draft(district: Any, **overrides: Any) -> Publication:
    return services.publication_create(
        actor=district.officer_a, organization=district.dept_a, data=draft_data(**overrides)
    )


def reviewed(district: Any, pub: Publication) -> Publication:
    """Draft → submitted → reviewed as 主动公开, by the district's officer and reviewer."""
    services.publication_submit(actor=district.officer_a, publication=pub)
    return services.publication_review(
        actor=district.reviewer_a,
        publication=pub,
        secrecy_ok=True,
        disclosure_attribute="proactive",
    )


def publish(district: Any, pub: Publication) -> Publication:
    """Draft → submitted → reviewed → published, by the district's officer and reviewer."""
    reviewed(district, pub)
    return services.publication_publish(actor=district.reviewer_a, publication=pub)


def tiny_pdf(text: str = "Hello", *, author: str = "") -> bytes:
    """A one-page PDF with extractable text (and an optional author in its metadata)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode())
    page[NameObject("/Contents")] = writer._add_object(stream)
    if author:
        writer.add_metadata({"/Author": author})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def tiny_png() -> bytes:
    """A photo or scan: an image has no text the scan can read."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buf, format="PNG")
    return buf.getvalue()


def pdf_with_blank_pages(text: str, blank: int) -> bytes:
    """A text page followed by `blank` pages without text, as a scanned annex yields."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(tiny_pdf(text))))
    for _ in range(blank):
        writer.add_blank_page(width=200, height=200)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def published_amendment(district: Any) -> tuple[Publication, Publication]:
    """A published document and its published amendment (the old one is now 已修改)."""
    old = publish(district, make_draft(district))
    new = services.publication_amend(actor=district.officer_a, publication=old)
    services.publication_update(
        actor=district.officer_a, publication=new, data={"written_on": date(2025, 1, 2)}
    )
    return old, publish(district, new)


def login(user: Any) -> Client:
    """A console client signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def docx_with(text: str, build: Callable[[Any], None] = lambda document: None) -> bytes:
    """A DOCX whose first paragraph is `text`, then changed by `build(document)`."""
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    build(document)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
