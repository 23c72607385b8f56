"""The publishing workflow: draft → review (第十七条) → publish; permissions between roles and
organisations; every step audited; PII blocks publishing."""

from __future__ import annotations

import importlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.publications import migrations, services
from gongkai.publications.constants import PiiResolution, Status
from gongkai.publications.models import Publication
from tests.publications.conftest import draft_data, make_draft, publish, reviewed, tiny_pdf
from tests.publications.test_files import ofd_bytes

VALID_ID = "11010519491231002X"


def verbs(pub: Publication) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="publications.publication", object_id=str(pub.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


def test_draft_to_published_allocates_index_number_and_audits_each_step(district: Any) -> None:
    pub = publish(district, make_draft(district))
    pub.refresh_from_db()
    year = timezone.localdate().year
    assert pub.status == Status.PUBLISHED
    assert pub.index_number == f"{district.dept_a.credit_code}/{year}-00001"
    assert pub.published_on == timezone.localdate()
    assert pub.document_number_key == "测教发[2024]3号"
    assert pub.formed_on == date(2024, 3, 1)  # from 成文日期 when not given
    assert pub.publish_due_on is not None and pub.reviewed_by == district.reviewer_a
    assert verbs(pub) == [
        "publication.created",
        "publication.submitted",
        "publication.reviewed",
        "publication.published",
    ]


def test_body_is_sanitised_on_save(district: Any) -> None:
    pub = make_draft(district, body='<p>正文<script>alert("x")</script></p><img src=x onerror=y>')
    assert "script" not in pub.body and "onerror" not in pub.body
    assert pub.body.startswith("<p>正文")


def test_officer_of_another_organisation_cannot_touch_the_draft(district: Any) -> None:
    pub = make_draft(district)
    with pytest.raises(PermissionDenied):
        services.publication_update(actor=district.officer_b, publication=pub, data={"title": "x"})
    with pytest.raises(PermissionDenied):
        services.publication_create(
            actor=district.officer_b, organization=district.dept_a, data=draft_data()
        )


def test_only_a_reviewer_reviews_and_publishes(district: Any) -> None:
    pub = make_draft(district)
    services.publication_submit(actor=district.officer_a, publication=pub)
    with pytest.raises(PermissionDenied):
        services.publication_review(
            actor=district.officer_a,
            publication=pub,
            secrecy_ok=True,
            disclosure_attribute="proactive",
        )
    with pytest.raises(PermissionDenied):  # the supervisor sees but does not decide
        services.publication_publish(actor=district.supervisor, publication=pub)
    with pytest.raises(PermissionDenied):  # a reviewer does not draft
        services.publication_create(
            actor=district.reviewer_a, organization=district.dept_a, data=draft_data()
        )


def test_publishing_needs_the_secrecy_review(district: Any) -> None:
    """条例第十七条: no publication without the 保密审查."""
    pub = make_draft(district)
    services.publication_submit(actor=district.officer_a, publication=pub)
    with pytest.raises(ValidationError, match="保密审查"):
        services.publication_publish(actor=district.reviewer_a, publication=pub)
    with pytest.raises(ValidationError):
        services.publication_review(
            actor=district.reviewer_a,
            publication=pub,
            secrecy_ok=False,
            disclosure_attribute="proactive",
        )


def test_submission_needs_the_catalog_fields(district: Any) -> None:
    pub = make_draft(district, statutory_category="", topic="")
    with pytest.raises(ValidationError, match="法定主动公开内容"):
        services.publication_submit(actor=district.officer_a, publication=pub)


def test_only_drafts_are_edited_and_return_sends_back(district: Any) -> None:
    pub = make_draft(district)
    services.publication_submit(actor=district.officer_a, publication=pub)
    with pytest.raises(ValidationError):
        services.publication_update(actor=district.officer_a, publication=pub, data={"title": "x"})
    services.publication_return(actor=district.reviewer_a, publication=pub, opinion="请补充附件")
    pub.refresh_from_db()
    assert pub.status == Status.DRAFT and pub.review_opinion == "请补充附件"
    services.publication_update(actor=district.officer_a, publication=pub, data={"title": "新标题"})


# --- personal data blocks publishing -----------------------------------------------------
def test_valid_id_number_blocks_publishing_until_masked(district: Any) -> None:
    pub = reviewed(district, make_draft(district, body=f"<p>户主张三，身份证号{VALID_ID}。</p>"))
    with pytest.raises(ValidationError, match="个人信息"):
        services.publication_publish(actor=district.reviewer_a, publication=pub)
    finding = pub.pii_findings.get()
    assert VALID_ID not in finding.excerpt
    services.pii_mask(actor=district.reviewer_a, finding=finding)
    pub.refresh_from_db()
    assert VALID_ID not in pub.body and "11*************02X" in pub.body
    assert not pub.pii_findings.exists()
    services.publication_publish(actor=district.reviewer_a, publication=pub)
    assert "publication.pii_masked" in verbs(pub)


def test_no_stored_excerpt_shows_a_neighbouring_value(district: Any) -> None:
    """Each finding's excerpt masks the other values in its context too: the excerpt is kept
    with the reviewer's decision, and the promise is that no raw value is stored."""
    body = f"<p>户主张三，身份证号{VALID_ID}，电话13912345678。</p>"
    pub = reviewed(district, make_draft(district, body=body))
    services.publication_rescan(pub)
    excerpts = list(pub.pii_findings.values_list("excerpt", flat=True))
    assert len(excerpts) == 2
    for shown in excerpts:
        assert VALID_ID[2:-3] not in shown and "2345678" not in shown


def _mask_old_excerpts() -> Any:
    (path,) = Path(migrations.__file__).parent.glob("*_mask_values_in_old_excerpts.py")
    return importlib.import_module(f"gongkai.publications.migrations.{path.stem}")


def test_the_migration_masks_numbers_left_in_old_excerpts(district: Any) -> None:
    pub = make_draft(district)
    old = pub.pii_findings.create(
        kind="mobile",
        excerpt=f"101199003077512，电话139****5678，邮箱wang.li@example.cn，{VALID_ID}",
        fingerprint="x",
        resolution=PiiResolution.JUSTIFIED,
        justification="公示需要",
    )
    _mask_old_excerpts().mask_old_excerpts(apps, None)
    old.refresh_from_db()
    assert old.excerpt == "***************，电话139****5678，邮箱w***@example.cn，" + "*" * 18
    spaced = pub.pii_findings.create(
        kind="bank_card",
        excerpt="卡号6222********7894，电话138 1234 5678，另138-1234-5678，成文2024年3月1日，尾号3051",
        fingerprint="y",
    )
    _mask_old_excerpts().mask_old_excerpts(apps, None)
    spaced.refresh_from_db()
    assert spaced.excerpt == (
        "卡号6222********7894，电话*** **** ****，另***-****-****，成文2024年3月1日，尾号****"
    )


def test_invalid_checksum_id_does_not_block(district: Any) -> None:
    wrong = VALID_ID[:-1] + "1"
    pub = reviewed(district, make_draft(district, body=f"<p>编号{wrong}</p>"))
    assert publish is not None
    services.publication_publish(actor=district.reviewer_a, publication=pub)
    assert Publication.objects.get(pk=pub.pk).status == Status.PUBLISHED


def test_justified_finding_unblocks_and_survives_a_rescan(district: Any) -> None:
    pub = reviewed(district, make_draft(district, body="<p>举报电话13812345678</p>"))
    finding = pub.pii_findings.get()
    with pytest.raises(ValidationError):
        services.pii_justify(actor=district.reviewer_a, finding=finding, justification=" ")
    with pytest.raises(PermissionDenied):
        services.pii_justify(actor=district.officer_a, finding=finding, justification="公开热线")
    services.pii_justify(
        actor=district.reviewer_a, finding=finding, justification="本单位公布的举报热线"
    )
    services.publication_publish(actor=district.reviewer_a, publication=pub)
    finding.refresh_from_db()
    assert finding.resolution == PiiResolution.JUSTIFIED


def test_pii_in_an_ofd_attachment_blocks_and_cannot_be_masked(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pub = make_draft(district)
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_add(
            actor=district.officer_a,
            publication=pub,
            data=ofd_bytes(["card 6225881414207430 on the list of recipients"]),
            name="list.ofd",
        )
    pub = reviewed(district, pub)
    finding = pub.pii_findings.get()
    assert finding.attachment is not None and finding.page == 1 and finding.kind == "bank_card"
    with pytest.raises(ValidationError, match="附件"):
        services.pii_mask(actor=district.reviewer_a, finding=finding)
    with pytest.raises(ValidationError):
        services.publication_publish(actor=district.reviewer_a, publication=pub)


def test_unprocessed_attachment_blocks_publishing(district: Any) -> None:
    pub = make_draft(district)
    services.attachment_add(  # on_commit never runs here: text not extracted
        actor=district.officer_a, publication=pub, data=tiny_pdf(), name="a.pdf"
    )
    pub = reviewed(district, pub)
    with pytest.raises(ValidationError, match="附件文本"):
        services.publication_publish(actor=district.reviewer_a, publication=pub)


def test_upload_checked_by_content(district: Any) -> None:
    pub = make_draft(district)
    with pytest.raises(ValidationError, match="按文件内容识别"):
        services.attachment_add(
            actor=district.officer_a, publication=pub, data=b"MZ\x90\x00", name="report.pdf"
        )
    assert not pub.attachments.exists()


# --- scheduling, withdrawal ----------------------------------------------------------------
def test_scheduled_item_is_published_by_the_task(district: Any) -> None:
    pub = reviewed(district, make_draft(district))
    at = timezone.now() + timedelta(hours=2)
    services.publication_publish(actor=district.reviewer_a, publication=pub, at=at)
    pub.refresh_from_db()
    assert pub.status == Status.SCHEDULED and pub.index_number is None
    assert services.publish_scheduled(now=timezone.now()) == 0
    assert services.publish_scheduled(now=at + timedelta(minutes=1)) == 1
    pub.refresh_from_db()
    assert pub.status == Status.PUBLISHED and pub.index_number


def test_withdrawal_needs_a_public_reason(district: Any) -> None:
    pub = publish(district, make_draft(district))
    with pytest.raises(ValidationError):
        services.publication_withdraw(actor=district.reviewer_a, publication=pub, reason="")
    services.publication_withdraw(
        actor=district.reviewer_a, publication=pub, reason="内容有误，更正后重新发布"
    )
    pub.refresh_from_db()
    assert pub.status == Status.WITHDRAWN and pub.withdrawal_reason.startswith("内容有误")
    assert "publication.withdrawn" in verbs(pub)


# --- 第十八条 ------------------------------------------------------------------------------
def test_withheld_item_is_reassessed_and_conversion_is_counted(district: Any) -> None:
    from gongkai.publications import selectors

    pub = make_draft(district, normative_kind="", statutory_category="20-15")
    services.publication_submit(actor=district.officer_a, publication=pub)
    with pytest.raises(ValidationError):
        services.publication_review(
            actor=district.reviewer_a,
            publication=pub,
            secrecy_ok=True,
            disclosure_attribute="on_request",
        )
    services.publication_review(
        actor=district.reviewer_a,
        publication=pub,
        secrecy_ok=True,
        disclosure_attribute="withheld",
        withholding_reason="process",
        withholding_basis="《政府信息公开条例》第十六条第二款",
    )
    pub.refresh_from_db()
    today = timezone.localdate()
    assert pub.status == Status.NOT_PUBLISHED and pub.reassess_on and pub.reassess_on > today
    assert not selectors.reassessment_queue(district.reviewer_a, today).exists()
    later = pub.reassess_on
    assert list(selectors.reassessment_queue(district.reviewer_a, later)) == [pub]
    assert not selectors.reassessment_queue(district.officer_b, later).exists()

    services.publication_convert_to_proactive(
        actor=district.reviewer_a, publication=pub, opinion="情况变化，可以公开"
    )
    services.publication_publish(actor=district.reviewer_a, publication=pub)
    pub.refresh_from_db()
    assert pub.status == Status.PUBLISHED and pub.converted_to_proactive_on == today
    assert selectors.conversions_count([district.dept_a.pk], today.year) == {district.dept_a.pk: 1}
    # The supervising office sees the figure per organisation on the 公开时效 page.
    client = Client()
    client.force_login(district.reviewer_a)
    page = client.get(reverse("console:pub_timeliness"), {"year": today.year})
    soup = BeautifulSoup(page.content, "html.parser")
    headers = [th.get_text(strip=True) for th in soup.select("table")[0].select("thead th")]
    row = next(
        [td.get_text(strip=True) for td in tr.select("td")]
        for tr in soup.select("table")[0].select("tbody tr")
        if tr.td and tr.td.get_text(strip=True) == district.dept_a.name
    )
    assert row[headers.index("依申请转主动（第十八条评估）")] == "1"


def test_changes_are_signalled_after_commit(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Search indexing listens to publication_changed; it must fire only after commit."""
    from gongkai.publications.signals import publication_changed

    seen: list[int] = []

    def receiver(sender: Any, publication_id: int, **kwargs: Any) -> None:
        seen.append(publication_id)

    publication_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            pub = make_draft(district)
        assert seen == [] and callbacks
        for callback in callbacks:
            callback()
        assert seen == [pub.pk]
    finally:
        publication_changed.disconnect(receiver)
