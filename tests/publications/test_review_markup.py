"""A DOCX that still carries tracked changes or comments, or an XLSX with notes, is not
published: Word and Excel show the markup to whoever opens the file, so the public would read
deleted wording and internal remarks. No reviewer can wave it through; only a new upload
without the markup can be published."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from lxml import etree

from gongkai.publications import services
from gongkai.publications.constants import PiiKind, Status
from gongkai.publications.models import Attachment, Publication
from tests.publications.conftest import docx_with, login, make_draft, reviewed, tiny_pdf
from tests.publications.test_files import W, xlsx_bytes

TEXT = "关于本区二〇二四年城乡居民最低生活保障标准调整的通知，自二〇二四年七月一日起执行。"
BLOCKER = "附件《调整通知》含修订痕迹或批注，请接受或拒绝全部修订、删除批注后重新上传"
CHANGE = {f"{W}id": "1", f"{W}author": "x", f"{W}date": "2024-03-01T00:00:00Z"}


def _docx(mark: Callable[[Any], None] = lambda document: None) -> bytes:
    return docx_with(TEXT, mark)


def tracked_deletion(document: Any) -> None:
    deleted = etree.SubElement(document.paragraphs[0]._p, f"{W}del", CHANGE)
    etree.SubElement(etree.SubElement(deleted, f"{W}r"), f"{W}delText").text = "原标准为每月"


def comment(document: Any) -> None:
    document.add_comment(document.paragraphs[0].runs, text="标准是否已经局务会通过？", author="x")


def formatting_change(document: Any) -> None:
    run_props = document.paragraphs[0].runs[0]._r.get_or_add_rPr()
    etree.SubElement(etree.SubElement(run_props, f"{W}rPrChange", CHANGE), f"{W}rPr")


def xlsx_with_note() -> bytes:
    from openpyxl import load_workbook
    from openpyxl.comments import Comment

    wb = load_workbook(io.BytesIO(xlsx_bytes([["姓名", "保障金额"], ["张某", 800]])))
    wb["名单"]["B2"].comment = Comment("金额待核", "x")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _pdf(annotation: Any | None) -> bytes:
    from pypdf import PdfReader, PdfWriter

    text = "Notice on the minimum living allowance recipients of the district for 2024"
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(tiny_pdf(text))))
    if annotation is not None:
        writer.add_annotation(page_number=0, annotation=annotation)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_note() -> bytes:
    from pypdf.annotations import Text

    return _pdf(Text(rect=(20, 150, 40, 170), text="名单是否经局务会审定？", open=False))


MARKED = {
    "tracked deletion": lambda: _docx(tracked_deletion),
    "comment": lambda: _docx(comment),
    "formatting change": lambda: _docx(formatting_change),
    "xlsx note": xlsx_with_note,
    "pdf sticky note": pdf_note,
}


def _upload(district: Any, pub: Publication, data: bytes, capture: Any) -> Attachment:
    with capture(execute=True):
        return services.attachment_add(
            actor=district.officer_a, publication=pub, data=data, name="调整通知.docx"
        )


@pytest.mark.parametrize("marked", MARKED)
def test_markup_blocks_publishing(
    marked: str, district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pub = make_draft(district)
    _upload(district, pub, MARKED[marked](), django_capture_on_commit_callbacks)
    pub = reviewed(district, pub)
    assert BLOCKER in services.publish_blockers(pub)
    with pytest.raises(ValidationError, match="含修订痕迹或批注"):
        services.publication_publish(actor=district.reviewer_a, publication=pub)


def test_a_pdf_with_a_link_only_is_not_held_back(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from pypdf.annotations import Link

    pub = make_draft(district)
    link = Link(rect=(20, 150, 120, 170), url="https://www.gov.cn/")
    _upload(district, pub, _pdf(link), django_capture_on_commit_callbacks)
    assert services.publish_blockers(reviewed(district, pub)) == []


def test_no_reviewer_can_wave_it_through_only_a_clean_upload_ends_it(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pub = make_draft(district)
    old = _upload(district, pub, _docx(tracked_deletion), django_capture_on_commit_callbacks)
    pub = reviewed(district, pub)
    finding = pub.pii_findings.get(kind=PiiKind.REVISIONS)
    for record in (
        lambda: services.pii_justify(actor=district.reviewer_a, finding=finding, justification="x"),
        lambda: services.pii_confirm_viewed(actor=district.reviewer_a, finding=finding),
        lambda: services.pii_mask(actor=district.reviewer_a, finding=finding),
    ):
        with pytest.raises(ValidationError, match="重新上传"):
            record()
    assert BLOCKER in services.publish_blockers(pub)  # still: nothing was recorded

    services.publication_return(actor=district.reviewer_a, publication=pub, opinion="请接受修订")
    services.attachment_remove(actor=district.officer_a, attachment=old)
    _upload(district, pub, _docx(), django_capture_on_commit_callbacks)
    pub = reviewed(district, pub)
    assert services.publish_blockers(pub) == []
    services.publication_publish(actor=district.reviewer_a, publication=pub)
    assert Publication.objects.get(pk=pub.pk).status == Status.PUBLISHED


def test_an_attachment_processed_before_the_check_is_checked_when_scanned(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pub = make_draft(district)
    attachment = _upload(district, pub, _docx(comment), django_capture_on_commit_callbacks)
    Attachment.objects.filter(pk=attachment.pk).update(has_markup=None)
    pub = reviewed(district, pub)
    assert BLOCKER in services.publish_blockers(pub)
    assert Attachment.objects.get(pk=attachment.pk).has_markup is True


def test_an_old_attachment_the_check_cannot_read_blocks_instead_of_failing(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Checked at scan time and unreadable now (here: the stored file is lost): the scan goes
    on and the attachment is reported as failed, instead of an error page."""
    pub = make_draft(district)
    attachment = _upload(district, pub, _docx(), django_capture_on_commit_callbacks)
    Attachment.objects.filter(pk=attachment.pk).update(has_markup=None)
    attachment.file.delete(save=False)
    pub = reviewed(district, pub)
    assert "附件文本尚未提取完成或提取失败，无法完成个人信息检查" in services.publish_blockers(pub)
    stored = Attachment.objects.get(pk=attachment.pk)
    assert stored.extraction_status == "failed" and "修订痕迹" in stored.extraction_error


# --- console ---------------------------------------------------------------------------------
def test_drafter_and_reviewer_see_it_and_no_form_records_it(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pub = make_draft(district)
    _upload(district, pub, _docx(comment), django_capture_on_commit_callbacks)
    detail = login(district.officer_a).get(reverse("console:pub_detail", args=[pub.pk]))
    assert "含修订痕迹或批注" in detail.content.decode()  # before submitting

    services.publication_submit(actor=district.officer_a, publication=pub)
    page = login(district.reviewer_a).get(reverse("console:pub_review", args=[pub.pk]))
    findings = page.content.decode().split('id="pii"')[1]
    assert BLOCKER in findings and "修订痕迹或批注" in findings
    finding = pub.pii_findings.get(kind=PiiKind.REVISIONS)
    for name in ("console:pub_pii_viewed", "console:pub_pii_justify", "console:pub_pii_mask"):
        assert reverse(name, args=[finding.pk]) not in findings
