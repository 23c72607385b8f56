"""An attachment the personal-data scan cannot read (an image, a scanned PDF or scanned pages)
blocks publishing until a reviewer records having looked at it; a new upload is looked at
again."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.publications import services
from gongkai.publications.constants import PiiKind, PiiResolution, Status
from gongkai.publications.models import Attachment, Publication
from tests.publications.conftest import (
    login,
    make_draft,
    pdf_with_blank_pages,
    reviewed,
    tiny_pdf,
    tiny_png,
)

NOTICE = (  # about 100 characters: a readable text page
    "Notice on the minimum living allowance recipients of the district for 2024, "
    "published under Article 20 of the Regulations"
)
BLOCKER = "附件《公示名单》无法提取文字（图片或扫描件），系统无法检查其中的个人信息"


def _upload(district: Any, pub: Publication, data: bytes, capture: Any) -> Attachment:
    with capture(execute=True):  # text extraction runs after commit
        return services.attachment_add(
            actor=district.officer_a, publication=pub, data=data, name="公示名单.png"
        )


def _unreadable(pub: Publication) -> Any:
    return pub.pii_findings.get(kind=PiiKind.UNREADABLE)


def test_image_blocks_publishing_until_the_reviewer_has_looked_at_it(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pub = make_draft(district)
    _upload(district, pub, tiny_png(), django_capture_on_commit_callbacks)
    pub = reviewed(district, pub)
    assert BLOCKER in "；".join(services.publish_blockers(pub))
    with pytest.raises(ValidationError, match="无法提取文字"):
        services.publication_publish(actor=district.reviewer_a, publication=pub)

    finding = _unreadable(pub)
    with pytest.raises(PermissionDenied):  # the drafter cannot vouch for the file
        services.pii_confirm_viewed(actor=district.officer_a, finding=finding)
    with pytest.raises(ValidationError, match="人工查看"):  # "lawful" is no substitute for looking
        services.pii_justify(actor=district.reviewer_a, finding=finding, justification="公示需要")
    services.pii_confirm_viewed(
        actor=district.reviewer_a, finding=finding, remark="名单已逐页查看，身份证号已遮盖"
    )
    services.publication_publish(actor=district.reviewer_a, publication=pub)  # re-scans

    assert Publication.objects.get(pk=pub.pk).status == Status.PUBLISHED
    finding.refresh_from_db()
    assert finding.resolution == PiiResolution.VIEWED
    assert finding.resolved_by == district.reviewer_a and finding.resolved_at is not None
    event = AuditEvent.objects.get(verb="publication.attachment_viewed")
    assert event.actor == district.reviewer_a
    assert event.reason == "名单已逐页查看，身份证号已遮盖"


def test_remark_is_optional(district: Any, django_capture_on_commit_callbacks: Any) -> None:
    pub = make_draft(district)
    _upload(district, pub, tiny_png(), django_capture_on_commit_callbacks)
    pub = reviewed(district, pub)
    services.pii_confirm_viewed(actor=district.reviewer_a, finding=_unreadable(pub))
    assert services.publish_blockers(pub) == []


def test_a_new_upload_drops_the_confirmation(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pub = make_draft(district)
    old = _upload(district, pub, tiny_png(), django_capture_on_commit_callbacks)
    pub = reviewed(district, pub)
    services.pii_confirm_viewed(actor=district.reviewer_a, finding=_unreadable(pub))
    services.publication_return(actor=district.reviewer_a, publication=pub, opinion="请换名单")
    services.attachment_remove(actor=district.officer_a, attachment=old)
    _upload(district, pub, tiny_png(), django_capture_on_commit_callbacks)  # even the same bytes
    pub = reviewed(district, pub)
    assert _unreadable(pub).resolution == PiiResolution.OPEN
    assert BLOCKER in "；".join(services.publish_blockers(pub))


def test_scanned_pages_of_a_text_pdf_are_named(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pub = make_draft(district)
    _upload(district, pub, pdf_with_blank_pages(NOTICE, 3), django_capture_on_commit_callbacks)
    pub = reviewed(district, pub)
    finding = _unreadable(pub)
    assert finding.excerpt == "第2–4页无可提取的文字" and finding.page == 2
    assert "附件《公示名单》第2–4页无法提取文字" in "；".join(services.publish_blockers(pub))


def test_a_pdf_with_text_on_every_page_passes(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pub = make_draft(district)
    _upload(district, pub, tiny_pdf(NOTICE), django_capture_on_commit_callbacks)
    pub = reviewed(district, pub)
    assert not pub.pii_findings.exists()
    services.publication_publish(actor=district.reviewer_a, publication=pub)


def test_text_extracted_after_submission_is_scanned_at_once(district: Any) -> None:
    pub = make_draft(district)
    attachment = services.attachment_add(  # on_commit does not run: extraction still pending
        actor=district.officer_a, publication=pub, data=tiny_png(), name="公示名单.png"
    )
    pub = reviewed(district, pub)
    assert not pub.pii_findings.exists()
    services.attachment_process(attachment.pk)
    # The reviewer can look at it now, without a publish attempt to find out.
    assert _unreadable(pub).resolution == PiiResolution.OPEN


def test_a_personal_data_finding_cannot_be_waved_through_as_viewed(district: Any) -> None:
    pub = reviewed(district, make_draft(district, body="<p>联系电话13812345678</p>"))
    with pytest.raises(ValidationError, match="遮盖"):
        services.pii_confirm_viewed(actor=district.reviewer_a, finding=pub.pii_findings.get())


# --- console ---------------------------------------------------------------------------------
def test_review_page_shows_the_blocker_and_records_the_check(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pub = make_draft(district)
    _upload(district, pub, tiny_png(), django_capture_on_commit_callbacks)
    services.publication_submit(actor=district.officer_a, publication=pub)
    reviewer = login(district.reviewer_a)
    review = reverse("console:pub_review", args=[pub.pk])
    page = reviewer.get(review).content.decode()
    finding = _unreadable(pub)
    viewed = reverse("console:pub_pii_viewed", args=[finding.pk])
    assert BLOCKER in page and f'action="{viewed}"' in page

    # the officer cannot record it; the form works without JavaScript
    assert login(district.officer_a).post(viewed, {"remark": ""}).status_code == 403
    reviewer.post(viewed, {"remark": "长" * 501})  # refused, not recorded without the remark
    assert _unreadable(pub).resolution == PiiResolution.OPEN
    response = reviewer.post(viewed, {"remark": "已逐页查看"})
    assert response.status_code == 302 and response["Location"] == review
    page = reviewer.get(review).content.decode()
    assert BLOCKER not in page and "已人工查看" in page and "已逐页查看" in page
    assert district.reviewer_a.display_name in page

    decision = {"secrecy_ok": "on", "disclosure_attribute": "proactive", "publish": "now"}
    assert reviewer.post(review, decision).status_code == 302
    assert Publication.objects.get(pk=pub.pk).status == Status.PUBLISHED


def test_review_page_shows_an_address_masked(district: Any) -> None:
    pub = make_draft(district, body="<p>户主王某，家住幸福小区5栋302室，家庭人口3人。</p>")
    services.publication_submit(actor=district.officer_a, publication=pub)
    page = login(district.reviewer_a).get(reverse("console:pub_review", args=[pub.pk]))
    findings = page.content.decode().split('id="pii"')[1]  # the body above is shown as is
    assert "详细住址" in findings and "幸福小区*栋***室" in findings
    assert "5栋302室" not in findings


def test_a_refused_publish_leaves_the_findings_it_found_to_act_on(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """An item submitted before this check existed (no finding stored yet): the publish its
    scan refuses must still leave the reviewer the row and the form."""
    pub = make_draft(district)
    _upload(district, pub, tiny_png(), django_capture_on_commit_callbacks)
    services.publication_submit(actor=district.officer_a, publication=pub)
    pub.pii_findings.all().delete()
    reviewer = login(district.reviewer_a)
    review = reverse("console:pub_review", args=[pub.pk])
    decision = {"secrecy_ok": "on", "disclosure_attribute": "proactive", "publish": "now"}
    page = reviewer.post(review, decision).content.decode()
    assert BLOCKER in page
    assert Publication.objects.get(pk=pub.pk).status == Status.IN_REVIEW
    viewed = reverse("console:pub_pii_viewed", args=[_unreadable(pub).pk])
    assert f'action="{viewed}"' in reviewer.get(review).content.decode()


def _docx_with_picture(side: int) -> bytes:
    import docx
    from PIL import Image

    document = docx.Document()
    document.add_paragraph("关于公布2024年度城乡低保对象名单的通知，名单见下图，公示期七天。")
    picture = io.BytesIO()
    Image.new("RGB", (side, side), "white").save(picture, "PNG")
    picture.seek(0)
    document.add_picture(picture)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_pasted_picture_in_a_word_file_is_looked_at_a_logo_is_not(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A list or an ID card pasted as a picture into a document whose own text was read."""
    pub = make_draft(district)
    _upload(district, pub, _docx_with_picture(800), django_capture_on_commit_callbacks)
    pub = reviewed(district, pub)
    assert (
        "附件《公示名单》含图片1张，图中文字无法检查，系统无法检查其中的个人信息：请人工查看后登记"
        in services.publish_blockers(pub)
    )
    services.pii_confirm_viewed(actor=district.reviewer_a, finding=_unreadable(pub))
    assert services.publish_blockers(pub) == []

    logo = make_draft(district)
    _upload(district, logo, _docx_with_picture(120), django_capture_on_commit_callbacks)
    assert services.publish_blockers(reviewed(district, logo)) == []
