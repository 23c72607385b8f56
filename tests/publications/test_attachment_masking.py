"""Personal data found inside a DOCX, XLSX or PDF attachment is masked by the reviewer in the
public copy and in the text search indexes; the original stays for staff. 条例 proactive
disclosure: a hit blocks publishing until the reviewer masks it or records why it is lawful
(QUALITY.md §3.7, 条例第十五条)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.publications import files, masking, services
from gongkai.publications.constants import PiiKind, Status
from gongkai.publications.models import Attachment, Publication
from gongkai.search import api as search_api
from tests.publications.conftest import docx_with, login, make_draft, reviewed
from tests.publications.test_docx_text import ID_NUMBER, PLACES
from tests.publications.test_files import ofd_bytes

VALID_ID = "11010519491231002X"  # GB 11643 example
MASKED_ID = "11*************02X"
MOBILE = "13812345678"
NOTICE = "Notice on the minimum living allowance recipients of the district for 2024"


def _upload(district: Any, pub: Publication, data: bytes, name: str, capture: Any) -> Attachment:
    with capture(execute=True):  # text extraction and the public copy run after commit
        return services.attachment_add(
            actor=district.officer_a, publication=pub, data=data, name=name
        )


def _in_review(district: Any, data: bytes, name: str, capture: Any) -> tuple[Publication, Any]:
    pub = make_draft(district)
    attachment = _upload(district, pub, data, name, capture)
    return reviewed(district, pub), attachment


def _public(attachment: Attachment) -> bytes:
    attachment.refresh_from_db()
    with attachment.public_file.open("rb") as fh:
        return fh.read()


def _original(attachment: Attachment) -> bytes:
    with attachment.file.open("rb") as fh:
        return fh.read()


def _texts(attachment: Attachment) -> str:
    return "\n".join(t.text for t in Attachment.objects.get(pk=attachment.pk).texts.all())


def _split_id(document: Any) -> None:
    """The ID number in two runs of different formatting, as Word saves an edited number."""
    paragraph = document.add_paragraph("户主张三，公民身份号码")
    paragraph.add_run(VALID_ID[:8])
    paragraph.add_run(VALID_ID[8:]).bold = True
    paragraph.add_run("，申请最低生活保障。")


def _pdf(*pages: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    from tests.publications.conftest import tiny_pdf

    writer = PdfWriter()
    for text in pages:
        writer.append(PdfReader(io.BytesIO(tiny_pdf(text))))
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _pdf_pages(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        out = []
        for page in document:
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return out
    finally:
        document.close()


# --- DOCX ----------------------------------------------------------------------------------
def test_id_number_split_over_two_runs_is_masked_in_the_public_copy(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    data = docx_with("关于城乡居民最低生活保障对象的公示，公示期为七个工作日。", _split_id)
    pub, attachment = _in_review(district, data, "公示.docx", django_capture_on_commit_callbacks)
    finding = pub.pii_findings.get(kind=PiiKind.RESIDENT_ID)
    assert finding.attachment_id == attachment.pk
    with pytest.raises(ValidationError, match="个人信息"):
        services.publication_publish(actor=district.reviewer_a, publication=pub)

    with django_capture_on_commit_callbacks(execute=True):
        services.pii_mask(actor=district.reviewer_a, finding=finding)
    public = _public(attachment)
    text = "\n".join(files.extract_text(public, "docx"))
    assert MASKED_ID in text and VALID_ID not in text
    assert VALID_ID not in _texts(attachment) and MASKED_ID in _texts(attachment)
    assert b"<w:b/>" in _zip_member(public, "word/document.xml")  # the runs keep their format
    assert VALID_ID in "".join(files.extract_text(_original(attachment), "docx"))  # staff copy
    assert not pub.pii_findings.exists()
    assert services.publish_blockers(pub) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_publish(actor=district.reviewer_a, publication=pub)
    assert Publication.objects.get(pk=pub.pk).status == Status.PUBLISHED
    # Search indexes the masked text of the attachment, never the number itself.
    assert search_api.search(MASKED_ID).total == 1
    assert search_api.search(VALID_ID).total == 0

    event = AuditEvent.objects.get(verb="publication.pii_masked")
    assert event.after["attachment"] == attachment.pk and event.after["title"] == "公示"
    assert MASKED_ID in event.after["excerpt"]
    for row in AuditEvent.objects.all():  # no audit row holds the raw value
        assert VALID_ID not in json.dumps([row.before, row.after, row.reason], ensure_ascii=False)


def _zip_member(data: bytes, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)


@pytest.mark.parametrize("place", ["footer", "text box", "content control", "footnote"])
def test_id_number_outside_the_body_is_masked_too(
    place: str, district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pub, attachment = _in_review(
        district, PLACES[place](), "公示.docx", django_capture_on_commit_callbacks
    )
    services.pii_mask(actor=district.reviewer_a, finding=pub.pii_findings.get())
    public = _public(attachment)
    assert ID_NUMBER not in "".join(files.extract_text(public, "docx"))
    assert ID_NUMBER.encode() not in b"".join(
        _zip_member(public, n) for n in _zip_names(public) if n.endswith(".xml")
    )  # not in the other branch of a text box either
    assert not pub.pii_findings.exists()


def _zip_names(data: bytes) -> list[str]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.namelist()


# --- XLSX ----------------------------------------------------------------------------------
def _xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "联系电话", "公民身份号码", "补助金额"])
    ws.append(["张三", int(MOBILE), VALID_ID, 1200])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_mobile_number_in_a_numeric_cell_and_an_id_in_a_shared_string_are_masked(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from openpyxl import load_workbook

    pub, attachment = _in_review(district, _xlsx(), "名单.xlsx", django_capture_on_commit_callbacks)
    for kind in (PiiKind.MOBILE, PiiKind.RESIDENT_ID):
        services.pii_mask(actor=district.reviewer_a, finding=pub.pii_findings.get(kind=kind))
    ws = load_workbook(io.BytesIO(_public(attachment))).active
    assert [c.value for c in ws[2]] == ["张三", "138****5678", MASKED_ID, 1200]
    assert MOBILE not in _texts(attachment) and VALID_ID not in _texts(attachment)
    assert not pub.pii_findings.exists()
    assert len(Attachment.objects.get(pk=attachment.pk).masked_fingerprints) == 2


# --- PDF -----------------------------------------------------------------------------------
def test_pdf_page_with_an_id_number_is_burnt_and_the_other_pages_keep_their_text(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    data = _pdf(f"Applicant ID {VALID_ID} household", NOTICE)
    pub, attachment = _in_review(district, data, "list.pdf", django_capture_on_commit_callbacks)
    finding = pub.pii_findings.get()
    assert finding.page == 1
    services.pii_mask(actor=district.reviewer_a, finding=finding)

    pages = _pdf_pages(_public(attachment))
    assert len(pages) == 2
    assert VALID_ID not in pages[0] and pages[0].strip() == ""  # a picture of the page
    assert NOTICE in pages[1]  # not rasterised
    # The page's text stays, masked: it does not turn into an unreadable scan.
    texts = list(Attachment.objects.get(pk=attachment.pk).texts.values_list("text", flat=True))
    assert texts[0] == f"Applicant ID {MASKED_ID} household" and NOTICE in texts[1]
    assert not pub.pii_findings.exists() and services.publish_blockers(pub) == []
    assert _black_box(_public(attachment))


def _black_box(data: bytes) -> bool:
    """Whether page 1 has a solid black area (the burnt box) where the number was."""
    return sum(_render(data).histogram()[:10]) > 100


def test_reprocessing_masks_again(district: Any, django_capture_on_commit_callbacks: Any) -> None:
    data = _pdf(f"Applicant ID {VALID_ID} household", NOTICE)
    pub, attachment = _in_review(district, data, "list.pdf", django_capture_on_commit_callbacks)
    services.pii_mask(actor=district.reviewer_a, finding=pub.pii_findings.get())
    first = Attachment.objects.get(pk=attachment.pk).public_file.name

    with django_capture_on_commit_callbacks(execute=True):
        call_command("attachments", "reprocess", stdout=io.StringIO())
    again = Attachment.objects.get(pk=attachment.pk)
    assert again.public_file.name != first
    assert not again.public_file.storage.exists(first)  # the replaced copy is deleted
    assert VALID_ID not in "".join(_pdf_pages(_public(again)))
    assert NOTICE in _pdf_pages(_public(again))[1]
    assert VALID_ID not in _texts(again) and MASKED_ID in _texts(again)
    assert not pub.pii_findings.exists()  # the re-scan in processing finds nothing


def test_value_pdfium_cannot_locate_is_refused_and_nothing_changes(
    district: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    data = _pdf(f"Applicant ID {VALID_ID} household", NOTICE)
    pub, attachment = _in_review(district, data, "list.pdf", django_capture_on_commit_callbacks)
    before = _public(attachment)
    monkeypatch.setattr(masking, "_pdf_boxes", lambda source, values: ({}, {}))
    with pytest.raises(ValidationError, match="找不到该内容的位置"):
        services.pii_mask(actor=district.reviewer_a, finding=pub.pii_findings.get())
    assert _public(attachment) == before
    assert Attachment.objects.get(pk=attachment.pk).masked_fingerprints == []
    assert VALID_ID in _texts(attachment)
    assert pub.pii_findings.filter(resolution="open").count() == 1
    assert not AuditEvent.objects.filter(verb="publication.pii_masked").exists()


# --- refusals and permissions --------------------------------------------------------------
def test_ofd_is_refused_with_the_ways_left(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    data = ofd_bytes([f"card 6225881414207430 {NOTICE}"])
    pub, _ = _in_review(district, data, "list.ofd", django_capture_on_commit_callbacks)
    finding = pub.pii_findings.get()
    with pytest.raises(ValidationError, match="OFD附件中的个人信息不能在系统中遮盖"):
        services.pii_mask(actor=district.reviewer_a, finding=finding)
    page = login(district.reviewer_a).get(reverse("console:pub_review", args=[pub.pk]))
    assert reverse("console:pub_pii_mask", args=[finding.pk]) not in page.content.decode()


def test_only_a_reviewer_of_the_organisation_masks(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    data = docx_with("关于城乡居民最低生活保障对象的公示，公示期为七个工作日。", _split_id)
    pub, attachment = _in_review(district, data, "公示.docx", django_capture_on_commit_callbacks)
    finding = pub.pii_findings.get()
    before = _public(attachment)
    for someone in (district.officer_b, district.officer_a):
        with pytest.raises(PermissionDenied):
            services.pii_mask(actor=someone, finding=finding)
    other = login(district.officer_b).post(reverse("console:pub_pii_mask", args=[finding.pk]))
    assert other.status_code in (403, 404)
    assert _public(attachment) == before

    client = login(district.reviewer_a)
    page = client.get(reverse("console:pub_review", args=[pub.pk])).content.decode()
    assert reverse("console:pub_pii_mask", args=[finding.pk]) in page  # the button is there
    client.post(reverse("console:pub_pii_mask", args=[finding.pk]))
    assert VALID_ID not in "".join(files.extract_text(_public(attachment), "docx"))
    assert not pub.pii_findings.exists()


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_box_covers_the_number_on_turned_and_cropped_pages(rotation: int) -> None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    from tests.publications.conftest import tiny_pdf

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(tiny_pdf(VALID_ID))))
    writer.pages[0].rotate(rotation)
    writer.pages[0].cropbox = RectangleObject([10, 50, 190, 180])
    buf = io.BytesIO()
    writer.write(buf)
    before = _render(buf.getvalue())
    after = _render(masking.pdf(buf.getvalue(), {VALID_ID: {1: 1}}, dpi=144))
    assert before.size == after.size
    glyphs = [(x, y) for x in range(before.width) for y in range(before.height)]
    glyphs = [xy for xy in glyphs if before.getpixel(xy) < 128]
    assert glyphs and all(after.getpixel(xy) < 40 for xy in glyphs)


def _render(data: bytes) -> Any:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return document[0].render(scale=2).to_pil().convert("L")
    finally:
        document.close()
