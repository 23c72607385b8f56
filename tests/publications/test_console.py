"""The console pages of 主动公开, used as an officer and a reviewer would."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.publications import services
from gongkai.publications.constants import Status, Validity
from gongkai.publications.models import Publication
from tests.publications.conftest import (
    login,
    make_draft,
    publish,
    published_amendment,
    tiny_pdf,
)

VALID_ID = "11010519491231002X"


def test_officer_drafts_uploads_and_submits(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(district.officer_a)
    response = client.post(
        reverse("console:pub_create"),
        {
            "organization": district.dept_a.pk,
            "title": "关于印发测试区入学办法的通知",
            "written_on": "2024-03-01",
            "document_number": "测教发〔2024〕3号",
            "topic": "1102",
            "genre": "notice",
            "statutory_category": "20-01",
            "normative_kind": "normative",
            "validity": "valid",
            "body": "<p>正文</p><script>alert(1)</script>",
        },
    )
    pub = Publication.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{pub.pk}/edit/")
    assert "script" not in pub.body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("console:pub_attachment_add", args=[pub.pk]),
            {"file": SimpleUploadedFile("办法.pdf", tiny_pdf("Rules"), "application/pdf")},
        )
    attachment = pub.attachments.get()
    assert attachment.file_type == "pdf" and attachment.extraction_status == "done"
    response = client.post(
        reverse("console:pub_attachment_add", args=[pub.pk]),
        {"file": SimpleUploadedFile("假.pdf", b"MZ\x90 not a pdf", "application/pdf")},
        follow=True,
    )
    assert "按文件内容识别" in response.content.decode()
    assert pub.attachments.count() == 1
    client.post(reverse("console:pub_submit", args=[pub.pk]))
    pub.refresh_from_db()
    assert pub.status == Status.IN_REVIEW
    for name in ("pub_list", "pub_review_queue", "pub_timeliness"):
        assert client.get(reverse(f"console:{name}")).status_code == 200
    assert client.get(reverse("console:pub_detail", args=[pub.pk])).status_code == 200
    # the officer may not review
    assert client.get(reverse("console:pub_review", args=[pub.pk])).status_code == 403


def test_reviewer_sees_pii_and_cannot_publish_until_resolved(district: Any) -> None:
    pub = make_draft(district, body=f"<p>身份证号{VALID_ID}</p>")

    services.publication_submit(actor=district.officer_a, publication=pub)
    client = login(district.reviewer_a)
    page = client.get(reverse("console:pub_review", args=[pub.pk])).content.decode()
    assert "公民身份号码" in page and "身份证号11*************02X" in page  # excerpt masked
    decision = {"secrecy_ok": "on", "disclosure_attribute": "proactive", "publish": "now"}
    response = client.post(reverse("console:pub_review", args=[pub.pk]), decision)
    assert response.status_code == 200 and "个人信息检查" in response.content.decode()
    pub.refresh_from_db()
    assert pub.status == Status.IN_REVIEW and pub.reviewed_at is None  # all or nothing
    finding = pub.pii_findings.get()
    client.post(reverse("console:pub_pii_mask", args=[finding.pk]))
    response = client.post(reverse("console:pub_review", args=[pub.pk]), decision)
    assert response.status_code == 302
    pub.refresh_from_db()
    assert pub.status == Status.PUBLISHED and pub.index_number


def test_list_filters_and_paginates(district: Any) -> None:
    publish(district, make_draft(district, title="入学办法", statutory_category="20-01"))
    make_draft(district, title="预算公开", statutory_category="20-07", normative_kind="")
    client = login(district.officer_a)
    page = client.get(reverse("console:pub_list"), {"statutory_category": "20-07"}).content.decode()
    assert "预算公开" in page and "入学办法" not in page
    page = client.get(reverse("console:pub_list"), {"q": "测教发[2024]3号"}).content.decode()
    assert "入学办法" in page
    page = client.get(reverse("console:pub_list"), {"topic": "11"}).content.decode()
    assert "入学办法" in page


def test_withdrawing_an_amendment_from_the_console_can_restore_the_old_version(
    district: Any,
) -> None:
    old, new = published_amendment(district)
    reviewer = login(district.reviewer_a)
    page = reviewer.get(reverse("console:pub_detail", args=[new.pk])).content.decode()
    assert old.title == "关于印发《测试区义务教育阶段入学办法》的通知"
    assert (
        'name="restore_ended"' in page
        and "将恢复：《关于印发〈测试区义务教育阶段入学办法〉的通知》" in page
    )
    plain = reviewer.get(reverse("console:pub_detail", args=[old.pk])).content.decode()
    assert 'name="restore_ended"' not in plain  # it amends nothing
    reviewer.post(
        reverse("console:pub_withdraw", args=[new.pk]), {"reason": "误发", "restore_ended": "on"}
    )
    old.refresh_from_db()
    assert old.validity == Validity.VALID


def test_withdraw_and_amend_from_the_detail_page(district: Any) -> None:
    pub = publish(district, make_draft(district))
    officer, reviewer = login(district.officer_a), login(district.reviewer_a)
    response = officer.post(reverse("console:pub_amend", args=[pub.pk]))
    new = Publication.objects.get(amends=pub)
    assert response["Location"].endswith(f"/{new.pk}/edit/")
    reviewer.post(reverse("console:pub_withdraw", args=[pub.pk]), {"reason": "依法撤回"})
    pub.refresh_from_db()
    assert pub.status == Status.WITHDRAWN
    assert "依法撤回" in reviewer.get(reverse("console:pub_detail", args=[pub.pk])).content.decode()
