"""What keeps a masked value out of a public attachment when masking or reprocessing cannot do
it right: the copy is refused or left as it was, never rebuilt with the value in it
(QUALITY.md §3.7; personal data is not proactively disclosed, 条例第十五条)."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.publications import files, masking, services
from gongkai.publications.constants import ExtractionStatus, PiiKind, Status
from gongkai.publications.models import Attachment, Publication
from tests.publications.conftest import docx_with, login, tiny_pdf
from tests.publications.test_attachment_masking import (
    MASKED_ID,
    MOBILE,
    NOTICE,
    VALID_ID,
    _in_review,
    _pdf,
    _public,
    _split_id,
    _texts,
)

MASKED_MOBILE = "138****5678"


def _docx() -> bytes:
    return docx_with("关于城乡居民最低生活保障对象的公示，公示期为七个工作日。", _split_id)


def _published(district: Any, capture: Any) -> tuple[Publication, Attachment]:
    pub, attachment = _in_review(district, _docx(), "公示.docx", capture)
    services.pii_mask(actor=district.reviewer_a, finding=pub.pii_findings.get())
    with capture(execute=True):
        services.publication_publish(actor=district.reviewer_a, publication=pub)
    assert Publication.objects.get(pk=pub.pk).status == Status.PUBLISHED
    return pub, attachment


def _reprocess(capture: Any) -> None:
    with capture(execute=True):
        call_command("attachments", "reprocess", stdout=io.StringIO())


# --- reprocessing that no longer finds a masked value --------------------------------------
@pytest.mark.parametrize("change", ["secret key", "extractor"])
def test_reprocessing_that_cannot_find_a_masked_value_keeps_the_masked_copy(
    change: str,
    district: Any,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
    monkeypatch: Any,
) -> None:
    pub, attachment = _published(district, django_capture_on_commit_callbacks)
    before = Attachment.objects.get(pk=attachment.pk)
    public_before = _public(before)
    if change == "secret key":  # the fingerprints are keyed with it
        settings.SECRET_KEY = "another-secret-key-after-a-rotation"
    else:  # a library upgrade reads the number with a space inside
        extract = files.extract_text
        monkeypatch.setattr(
            files,
            "extract_text",
            lambda data, kind: [
                t.replace(VALID_ID, f"{VALID_ID[:6]} {VALID_ID[6:]}") for t in extract(data, kind)
            ],
        )
    _reprocess(django_capture_on_commit_callbacks)

    after = Attachment.objects.get(pk=attachment.pk)
    assert after.public_file.name == before.public_file.name
    assert _public(after) == public_before  # the masked copy stays, not one from the original
    assert VALID_ID not in _texts(after) and MASKED_ID in _texts(after)
    assert after.extraction_status == ExtractionStatus.FAILED
    assert "已遮盖的个人信息重新处理时找不到" in after.extraction_error
    event = AuditEvent.objects.filter(verb="publication.attachment_failed").get()
    assert event.after["attachment"] == attachment.pk
    page = login(district.reviewer_a).get(reverse("console:pub_detail", args=[pub.pk]))
    assert "已遮盖的个人信息重新处理时找不到" in page.content.decode()


def test_masking_again_refuses_when_an_earlier_masked_value_is_lost(
    district: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    from tests.publications.test_attachment_masking import _xlsx

    pub, attachment = _in_review(district, _xlsx(), "名单.xlsx", django_capture_on_commit_callbacks)
    services.pii_mask(actor=district.reviewer_a, finding=pub.pii_findings.get(kind=PiiKind.MOBILE))
    before = _public(attachment)
    settings.SECRET_KEY = "another-secret-key-after-a-rotation"
    services.publication_scan(pub)  # the findings now carry fingerprints under the new key
    finding = pub.pii_findings.get(kind=PiiKind.RESIDENT_ID)
    with pytest.raises(ValidationError, match="已遮盖的个人信息重新处理时找不到"):
        services.pii_mask(actor=district.reviewer_a, finding=finding)
    assert _public(attachment) == before


# --- the copy made is read again -----------------------------------------------------------
def test_a_copy_that_still_shows_the_value_is_refused(
    district: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    pub, attachment = _in_review(district, _docx(), "公示.docx", django_capture_on_commit_callbacks)
    before = _public(attachment)
    monkeypatch.setattr(masking, "apply", lambda data, *args, **kwargs: data)  # a missed spot
    with pytest.raises(ValidationError, match="找不到该内容的位置"):
        services.pii_mask(actor=district.reviewer_a, finding=pub.pii_findings.get())
    assert _public(attachment) == before
    assert Attachment.objects.get(pk=attachment.pk).masked_fingerprints == []


# --- PDF -----------------------------------------------------------------------------------
def test_pdf_page_where_pdfium_finds_fewer_occurrences_than_were_read_is_refused(
    district: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    data = _pdf(f"ID {VALID_ID} and {VALID_ID}", NOTICE)
    pub, attachment = _in_review(district, data, "list.pdf", django_capture_on_commit_callbacks)
    before = _public(attachment)
    boxes = masking._pdf_boxes

    def once(source: Any, values: Any) -> Any:  # pdfium's search sees only the first copy
        found, counts = boxes(source, values)
        return {p: b[:1] for p, b in found.items()}, dict.fromkeys(counts, 1)

    monkeypatch.setattr(masking, "_pdf_boxes", once)
    with pytest.raises(ValidationError, match="找不到该内容的位置"):
        services.pii_mask(actor=district.reviewer_a, finding=pub.pii_findings.get())
    assert _public(attachment) == before


def _ocr_pdf(text: str) -> bytes:
    """A page whose text is drawn invisibly (render mode 3), as OCR software lays it over a
    scanned image."""
    data = tiny_pdf(text)
    return data.replace(b"BT /F1 12 Tf", b"BT 3 Tr /F1 12 Tf")


def test_pdf_value_in_an_invisible_ocr_layer_is_refused(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    data = _ocr_pdf(f"Applicant ID {VALID_ID} household")
    pub, attachment = _in_review(district, data, "scan.pdf", django_capture_on_commit_callbacks)
    before = _public(attachment)
    with pytest.raises(ValidationError, match="该页文字为扫描件识别层，无法准确定位"):
        services.pii_mask(actor=district.reviewer_a, finding=pub.pii_findings.get())
    assert _public(attachment) == before


# --- Office packages -----------------------------------------------------------------------
def _with_members(
    data: bytes, members: dict[str, bytes], rel: str = "", override: str = ""
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "_rels/.rels" and rel:
                content = content.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            if info.filename == "[Content_Types].xml" and override:
                content = content.replace(b"</Types>", override.encode() + b"</Types>")
            dst.writestr(info.filename, content)
        for name, content in members.items():
            dst.writestr(name, content)
    return out.getvalue()


def _names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.namelist()


def _member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)


def test_the_first_page_thumbnail_is_removed_when_a_value_is_masked(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import docx

    data = _with_members(  # Word's files carry the thumbnail; some declare its type per part
        _docx(),
        {},
        override='<Override PartName="/docProps/thumbnail.jpeg" ContentType="image/jpeg"/>',
    )
    pub, attachment = _in_review(district, data, "公示.docx", django_capture_on_commit_callbacks)
    assert "docProps/thumbnail.jpeg" in _names(_public(attachment))
    assert b"thumbnail" in _member(_public(attachment), "_rels/.rels")
    services.pii_mask(actor=district.reviewer_a, finding=pub.pii_findings.get())
    public = _public(attachment)
    assert "docProps/thumbnail.jpeg" not in _names(public)
    assert b"thumbnail" not in _member(public, "_rels/.rels")
    assert b"thumbnail" not in _member(public, "[Content_Types].xml")
    assert MASKED_ID in "\n".join(p.text for p in docx.Document(io.BytesIO(public)).paragraphs)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le"])
def test_a_value_inside_an_embedded_object_is_refused(
    encoding: str, district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ole = b"\xd0\xcf\x11\xe0 object " + VALID_ID.encode(encoding) + b" end"
    data = _with_members(_docx(), {"word/embeddings/oleObject1.bin": ole})
    pub, attachment = _in_review(district, data, "公示.docx", django_capture_on_commit_callbacks)
    before = _public(attachment)
    with pytest.raises(ValidationError, match="嵌入的对象或图片"):
        services.pii_mask(actor=district.reviewer_a, finding=pub.pii_findings.get())
    assert _public(attachment) == before


def _xlsx_formula(formula: str) -> bytes:
    """A mobile number computed by a formula (its cached result is the number), and the
    calculation chain Excel keeps for it."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "联系电话"])
    ws.append(["张三", 0])
    ws.append(["李四", 0])
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                text = re.sub(
                    r'<c r="B2"[^>]*>.*?</c>',
                    f'<c r="B2">{formula}<v>{MOBILE}</v></c>',
                    text,
                )
                text = re.sub(r'<c r="B3"[^>]*>.*?</c>', '<c r="B3"><v>1</v></c>', text)
                content = text.encode()
            if info.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdCalc" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/>'
                    b"</Relationships>",
                )
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/calcChain.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>',
                )
            dst.writestr(info.filename, content)
        dst.writestr(
            "xl/calcChain.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<calcChain xmlns='
            '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="B2" i="1"/>'
            "</calcChain>",
        )
    return out.getvalue()


def test_removing_a_formula_removes_the_calculation_chain(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from openpyxl import load_workbook

    data = _xlsx_formula('<f>"1381234"&amp;"5678"</f>')
    pub, attachment = _in_review(district, data, "名单.xlsx", django_capture_on_commit_callbacks)
    services.pii_mask(actor=district.reviewer_a, finding=pub.pii_findings.get())
    public = _public(attachment)
    assert "xl/calcChain.xml" not in _names(public)
    assert b"calcChain" not in _member(public, "xl/_rels/workbook.xml.rels")
    assert b"calcChain" not in _member(public, "[Content_Types].xml")
    ws = load_workbook(io.BytesIO(public)).active
    assert ws["B2"].value == MASKED_MOBILE
    assert MOBILE not in _texts(attachment)


def test_the_first_cell_of_a_shared_formula_is_refused(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    data = _xlsx_formula('<f t="shared" ref="B2:B3" si="0">"1381234"&amp;"5678"</f>')
    pub, attachment = _in_review(district, data, "名单.xlsx", django_capture_on_commit_callbacks)
    before = _public(attachment)
    with pytest.raises(ValidationError, match="共享公式"):
        services.pii_mask(actor=district.reviewer_a, finding=pub.pii_findings.get())
    assert _public(attachment) == before


# --- the database is not held while the file is processed ---------------------------------
def test_the_file_is_masked_outside_the_transaction(
    district: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    pub, attachment = _in_review(district, _docx(), "公示.docx", django_capture_on_commit_callbacks)
    outer = len(connection.atomic_blocks)  # the test's own
    depth: list[int] = []
    apply = masking.apply

    def watched(*args: Any, **kwargs: Any) -> bytes:
        depth.append(len(connection.atomic_blocks))
        return apply(*args, **kwargs)

    monkeypatch.setattr(masking, "apply", watched)
    services.pii_mask(actor=district.reviewer_a, finding=pub.pii_findings.get())
    assert depth == [outer]
    assert MASKED_ID in _texts(attachment)


def test_a_mask_made_meanwhile_refuses_and_leaves_no_file(
    district: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    pub, attachment = _in_review(district, _docx(), "公示.docx", django_capture_on_commit_callbacks)
    before = _public(attachment)
    files_before = _public_files(attachment)
    apply = masking.apply

    def another_reviewer(*args: Any, **kwargs: Any) -> bytes:
        Attachment.objects.filter(pk=attachment.pk).update(masked_fingerprints=["other"])
        return apply(*args, **kwargs)

    monkeypatch.setattr(masking, "apply", another_reviewer)
    with pytest.raises(ValidationError, match="请刷新页面后重试"):
        services.pii_mask(actor=district.reviewer_a, finding=pub.pii_findings.get())
    assert _public(attachment) == before
    assert _public_files(attachment) == files_before  # the copy made is deleted
    assert not AuditEvent.objects.filter(verb="publication.pii_masked").exists()


def _public_files(attachment: Attachment) -> set[str]:
    """Every public copy in storage (each is saved in a folder of its own)."""
    storage = attachment.public_file.storage
    root = "publications/public"
    out: set[str] = set()
    if not storage.exists(root):
        return out
    for folder in storage.listdir(root)[0]:
        out |= {f"{root}/{folder}/{name}" for name in storage.listdir(f"{root}/{folder}")[1]}
    return out


# --- search --------------------------------------------------------------------------------
def test_new_attachment_text_of_a_published_item_reaches_search(
    district: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    from gongkai.search import api as search_api

    pub, _ = _published(district, django_capture_on_commit_callbacks)
    assert search_api.search(MASKED_ID).total == 1
    assert search_api.search(VALID_ID).total == 0
    extract = files.extract_text
    monkeypatch.setattr(  # a better extractor reads a line it missed before
        files, "extract_text", lambda data, kind: [*extract(data, kind), "低保复核补充说明"]
    )
    _reprocess(django_capture_on_commit_callbacks)
    assert [h.url for h in search_api.search("低保复核补充说明").hits] == [
        reverse("portal:publication", kwargs={"pk": pub.pk})
    ]
    assert search_api.search(VALID_ID).total == 0


def test_processing_is_made_again_when_a_value_was_masked_meanwhile(
    district: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    from tests.publications.test_attachment_masking import _xlsx

    pub, attachment = _in_review(district, _xlsx(), "名单.xlsx", django_capture_on_commit_callbacks)
    services.pii_mask(actor=district.reviewer_a, finding=pub.pii_findings.get(kind=PiiKind.MOBILE))
    files_before = _public_files(attachment)
    apply = masking.apply
    calls: list[int] = []

    def reviewer_masks_the_id(*args: Any, **kwargs: Any) -> bytes:
        calls.append(1)
        if len(calls) == 1:  # the reviewer's mask lands while the first run is working
            services.pii_mask(
                actor=district.reviewer_a, finding=pub.pii_findings.get(kind=PiiKind.RESIDENT_ID)
            )
        return apply(*args, **kwargs)

    monkeypatch.setattr(masking, "apply", reviewer_masks_the_id)
    _reprocess(django_capture_on_commit_callbacks)
    after = Attachment.objects.get(pk=attachment.pk)
    assert after.extraction_status == ExtractionStatus.DONE and len(after.masked_fingerprints) == 2
    assert MOBILE not in _texts(after) and VALID_ID not in _texts(after)
    # Only the copy recorded is left; the first run's copy and the one it replaces are gone.
    assert _public_files(after) - files_before == {after.public_file.name}
    assert len(_public_files(after)) == len(files_before)


def test_processing_an_attachment_removed_meanwhile_leaves_no_file(
    district: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    from gongkai.core import public_copy
    from gongkai.publications.tasks import process_attachment
    from tests.publications.conftest import make_draft

    pub = make_draft(district)
    attachment = services.attachment_add(  # processed below, not on commit
        actor=district.officer_a, publication=pub, data=_docx(), name="公示.docx"
    )
    strip = public_copy.strip_metadata

    def officer_removes_it(data: bytes, kind: str) -> bytes:
        services.attachment_remove(actor=district.officer_a, attachment=attachment)
        return strip(data, kind)

    monkeypatch.setattr(public_copy, "strip_metadata", officer_removes_it)
    files_before = _public_files(attachment)
    process_attachment(attachment.pk)
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert _public_files(attachment) == files_before
