"""Reply letters and notices: one template per outcome, rendered as DOCX and PDF with the
legal basis and the remedies (条例第三十六条、第五十一条), the legal-review workflow, its
permissions and audit, delivery (送达) and receipt scans."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import settings as settings_hypothesis
from hypothesis import strategies as st
from pypdf import PdfReader

from gongkai.audit.models import AuditEvent
from gongkai.inforequests import services
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.constants import Outcome, Status
from gongkai.inforequests.letters import rules, templating
from gongkai.inforequests.letters import services as letters
from gongkai.inforequests.letters.constants import DeliveryMethod, LetterKind, LetterStatus
from gongkai.inforequests.letters.render import LetterDocument, render_docx, render_pdf
from gongkai.inforequests.letters.selectors import format_date, letter_document, visible_letter
from gongkai.inforequests.models import InfoRequest, Letter
from tests.conftest import APPLICANT, District, make_user
from tests.inforequests.letters_support import legal_reviewer

TODAY = date(2024, 3, 20)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def application(district: District) -> InfoRequest:
    request, _ = services.request_submit(
        organization=district.dept_a,
        data=APPLICANT,
        channel=Channel.ONLINE,
        received_on=date(2024, 3, 1),
    )
    return request


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def _draft(district: District, application: InfoRequest, outcome: str, **kw: Any) -> Letter:
    kw.setdefault("reasons", "经审查依法答复。")
    if outcome == Outcome.PARTLY_DISCLOSED:
        kw.setdefault("withheld", "第3页中涉及个人隐私的内容（条例第十五条）")
    return letters.letter_create(
        actor=district.officer_a,
        request=application,
        kind=LetterKind.REPLY,
        outcome=outcome,
        **kw,
    )


def _approve(district: District, letter: Letter) -> Letter:
    letters.letter_submit(actor=district.officer_a, letter=letter)
    return letters.letter_approve(actor=legal_reviewer(district.dept_a), letter=letter)


# --- one template per outcome, in both formats ------------------------------------------
@pytest.mark.parametrize("outcome", list(Outcome))
def test_each_outcome_renders_docx_and_pdf_with_basis_and_remedies(
    district: District, application: InfoRequest, outcome: Outcome
) -> None:
    """第三十六条: a reply states its basis; 第五十一条: it says how to challenge it —
    行政复议 within 60 days, 行政诉讼 within 6 months."""
    letter = _approve(district, _draft(district, application, outcome))
    basis = rules.default_legal_basis(outcome)
    assert letter.legal_basis == basis
    document = letter_document(letter)
    assert not document.draft
    for text in (_docx_text(render_docx(document)), _pdf_text(render_pdf(document))):
        flat = _compact(text)
        assert _compact(basis) in flat
        assert "60日内依法申请行政复议" in flat
        assert "6个月内依法向人民法院提起行政诉讼" in flat
        assert letter.number in flat and "政府信息公开申请答复书" in flat
        assert district.dept_a.name in flat and "2024年3月20日" in flat
        assert APPLICANT["applicant_name"] in flat
        assert "草稿" not in flat


def test_every_outcome_and_notice_has_a_valid_default_template() -> None:
    keys = templating.all_keys()
    assert len(keys) == len(Outcome) + 3
    for key in keys:
        title, body = templating.default_template(key)
        assert templating.validate(templating.kind_of(key), title, body) == []


def test_docx_names_official_faces_with_fallbacks(
    district: District, application: InfoRequest
) -> None:
    """GB/T 9704 faces: 仿宋_GB2312 for text, 小标宋 for the title; the font table names a
    substitute so that a machine without them falls back to 仿宋 / 宋体."""
    letter = _draft(district, application, Outcome.DISCLOSED)
    content = render_docx(letter_document(letter))
    document = docx.Document(io.BytesIO(content))
    xml = document.part.blob.decode()
    assert 'w:eastAsia="仿宋_GB2312"' in xml and 'w:eastAsia="方正小标宋简体"' in xml
    fonts = document.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
    ).blob.decode()
    assert 'w:name="仿宋_GB2312"' in fonts and 'w:altName w:val="仿宋"' in fonts
    # An unapproved letter says so on its face.
    assert "草稿" in _docx_text(content)


def test_partly_disclosed_letter_says_what_was_withheld(
    district: District, application: InfoRequest
) -> None:
    """第三十七条: the separable part is provided; the rest is named with the reasons."""
    letter = _draft(district, application, Outcome.PARTLY_DISCLOSED)
    assert "第3页中涉及个人隐私的内容" in letter.body
    letter.withheld = ""
    letter.save()
    with pytest.raises(ValidationError, match="第三十七条"):
        letters.letter_submit(actor=district.officer_a, letter=letter)


def test_not_held_letter_names_the_responsible_agency(
    district: District, application: InfoRequest
) -> None:
    """第三十六条第（五）项: the agency responsible, where it can be identified."""
    letter = _draft(
        district,
        application,
        Outcome.UNAVAILABLE_NOT_HELD,
        responsible_agency="测试区民政局（电话 0000-12345678）",
    )
    assert "负责公开该政府信息的机关为测试区民政局（电话 0000-12345678）" in letter.body


def test_remedies_cannot_be_edited_away(district: District, application: InfoRequest) -> None:
    """第五十一条: a reply without the remedies does not go to review."""
    letter = _draft(district, application, Outcome.DISCLOSED)
    body = "\n".join(line for line in letter.body.splitlines() if "行政复议" not in line)
    letters.letter_update(actor=district.officer_a, letter=letter, addressee="张三", body=body)
    with pytest.raises(ValidationError, match="第五十一条"):
        letters.letter_submit(actor=district.officer_a, letter=letter)
    letters.letter_update(
        actor=district.officer_a, letter=letter, addressee="张三", body="", regenerate=True
    )
    assert "行政复议" in letter.body
    letters.letter_submit(actor=district.officer_a, letter=letter)


# --- notices ---------------------------------------------------------------------------------
def test_correction_notice_tells_everything_at_once_with_the_period(
    district: District, application: InfoRequest
) -> None:
    """第三十条: 一次性告知 what to correct, and a reasonable period."""
    details = letters.correction_details("请写明所需信息的文号。", 10, TODAY)
    letter = letters.letter_create(
        actor=district.officer_a,
        request=application,
        kind=LetterKind.CORRECTION,
        details=details,
    )
    letter = _approve(district, letter)
    text = _compact(_pdf_text(render_pdf(letter_document(letter))))
    assert "政府信息公开申请补正告知书" in text
    assert "请写明所需信息的文号。" in text and "10个工作日" in text
    assert details["correction_deadline"] in text


def test_extension_notice_states_the_new_due_date(
    district: District, application: InfoRequest
) -> None:
    """第三十三条第二款: at most 20 more workdays, with notice to the applicant."""
    application.refresh_from_db()
    details = letters.extension_details(application, "需要调取档案")
    letter = letters.letter_create(
        actor=district.officer_a,
        request=application,
        kind=LetterKind.EXTENSION,
        details=details,
    )
    assert details["extension_workdays"] == "20"
    assert f"本机关将于{details['extended_due_on']}前作出答复" in letter.body
    assert "第三十三条第二款" in letter.body


def test_fee_notice_states_basis_standard_amount_and_how_to_pay(
    district: District, application: InfoRequest
) -> None:
    """国办函〔2020〕109号: the notice names basis, standard, amount and how to pay."""
    details = letters.fee_details("by_pages", 120, "请使用非税缴款码缴纳。", TODAY)
    letter = letters.letter_create(
        actor=district.officer_a, request=application, kind=LetterKind.FEE, details=details
    )
    letter = _approve(district, letter)
    text = _compact(_docx_text(render_docx(letter_document(letter))))
    assert "按量计收" in text
    assert "《政府信息公开信息处理费管理办法》" in text
    assert _compact(details["fee_standard"]) in text
    # 31–100 at 10 元 (700) + 101–120 at 20 元 (400) = 1100 元 (第五条)
    assert details["fee_amount"] == "1,100.00元" and "应缴金额：1,100.00元" in text
    assert "请使用非税缴款码缴纳。" in text


def _deliver(district: District, letter: Letter) -> Letter:
    return letters.letter_mark_sent(
        actor=district.officer_a,
        letter=_approve(district, letter),
        method="online",
        delivered_on=TODAY,
    )


def test_delivered_notices_move_the_clock(district: District, application: InfoRequest) -> None:
    """Sending a notice is the step it announces: 补正 stops the clock with the period given
    (第三十条), 延期 moves the due date to the one the notice states (第三十三条第二款)."""
    application.refresh_from_db()
    details = letters.extension_details(application, "需要调取档案")
    extension = letters.letter_create(
        actor=district.officer_a, request=application, kind=LetterKind.EXTENSION, details=details
    )
    _deliver(district, extension)
    clock = services.request_clock(application)
    assert clock.due_on is not None
    assert format_date(clock.due_on) == details["extended_due_on"]
    (event,) = application.events.filter(kind="extension_approved")
    assert event.on == TODAY and extension.number in event.detail

    correction = letters.letter_create(
        actor=district.officer_a,
        request=application,
        kind=LetterKind.CORRECTION,
        details=letters.correction_details("请写明文号。", 10, TODAY),
    )
    _deliver(district, correction)
    (event,) = application.events.filter(kind="correction_requested")
    assert (event.on, event.period_workdays) == (TODAY, 10)
    assert services.request_clock(application).due_on is None  # waiting for the correction


def test_a_step_recorded_by_hand_is_not_recorded_twice(
    district: District, application: InfoRequest
) -> None:
    fee = letters.letter_create(
        actor=district.officer_a,
        request=application,
        kind=LetterKind.FEE,
        details=letters.fee_details("by_pages", 120, "请使用非税缴款码缴纳。", TODAY),
    )
    fee = _approve(district, fee)
    services.request_add_event(
        actor=district.officer_a, request=application, kind="fee_notice_sent", on=TODAY
    )
    letters.letter_mark_sent(
        actor=district.officer_a, letter=fee, method="online", delivered_on=TODAY
    )
    assert application.events.filter(kind="fee_notice_sent").count() == 1


# --- workflow, permissions, audit ------------------------------------------------------------
def _verbs(letter: Letter) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="inforequests.letter", object_id=str(letter.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


def test_review_workflow_numbers_and_audits_each_step(
    district: District, application: InfoRequest
) -> None:
    reviewer = legal_reviewer(district.dept_a)
    letter = _draft(district, application, Outcome.DISCLOSED)
    assert letter.status == LetterStatus.DRAFT and letter.number == ""
    letters.letter_submit(actor=district.officer_a, letter=letter)
    with pytest.raises(ValidationError):  # nothing to change while in review
        letters.letter_update(actor=district.officer_a, letter=letter, addressee="x", body="y")
    with pytest.raises(ValidationError, match="审核意见"):
        letters.letter_return(actor=reviewer, letter=letter, comment=" ")
    letters.letter_return(actor=reviewer, letter=letter, comment="请补充理由。")
    assert letter.status == LetterStatus.RETURNED and letter.review_comment == "请补充理由。"
    letters.letter_update(
        actor=district.officer_a,
        letter=letter,
        addressee="张三",
        body="",
        reasons="该信息已制作完成，可以公开。",
        regenerate=True,
    )
    letters.letter_submit(actor=district.officer_a, letter=letter)
    letters.letter_approve(actor=reviewer, letter=letter)
    assert letter.status == LetterStatus.APPROVED
    assert letter.number == f"{district.dept_a.name}依申〔2024〕1号"
    assert letter.issued_on == TODAY
    with pytest.raises(ValidationError):  # frozen once approved
        letters.letter_update(actor=district.officer_a, letter=letter, addressee="x", body="y")

    second = _approve(district, _draft_other(district))
    assert second.number == f"{district.dept_a.name}依申〔2024〕2号"

    letters.letter_mark_sent(
        actor=district.officer_a,
        letter=letter,
        method=DeliveryMethod.ONLINE,
        delivered_on=TODAY,
    )
    assert _verbs(letter) == [
        "inforequest.letter.drafted",
        "inforequest.letter.submitted",
        "inforequest.letter.returned",
        "inforequest.letter.edited",
        "inforequest.letter.submitted",
        "inforequest.letter.approved",
        "inforequest.letter.sent",
    ]
    audit = AuditEvent.objects.get(verb="inforequest.letter.approved", object_id=str(letter.pk))
    assert audit.actor_id == reviewer.pk and audit.organization_id == district.dept_a.pk


def _draft_other(district: District) -> Letter:
    other, _ = services.request_submit(
        organization=district.dept_a,
        data=APPLICANT,
        channel=Channel.ONLINE,
        received_on=date(2024, 3, 4),
    )
    return _draft(district, other, Outcome.DISCLOSED)


def test_sending_the_approved_reply_closes_the_application(
    district: District, application: InfoRequest
) -> None:
    letter = _approve(district, _draft(district, application, Outcome.PARTLY_DISCLOSED))
    with pytest.raises(ValidationError, match="邮件单号"):
        letters.letter_mark_sent(
            actor=district.officer_a, letter=letter, method="post", delivered_on=TODAY
        )
    letters.letter_mark_sent(
        actor=district.officer_a,
        letter=letter,
        method=DeliveryMethod.POST,
        delivered_on=TODAY,
        tracking_number="EMS1234567890CN",
    )
    application.refresh_from_db()
    assert application.status == Status.CLOSED
    assert application.outcome == Outcome.PARTLY_DISCLOSED
    assert application.legal_basis == letter.legal_basis and application.closed_on == TODAY
    assert letter.delivery.tracking_number == "EMS1234567890CN"
    with pytest.raises(ValidationError):  # no new letters on a closed application
        _draft(district, application, Outcome.DISCLOSED)


def test_closing_without_a_letter_only_with_a_recorded_reason(
    district: District, application: InfoRequest
) -> None:
    kw = {
        "actor": district.officer_a,
        "request": application,
        "outcome": Outcome.DISCLOSED,
        "legal_basis": "第三十六条",
        "reasons": "公开",
        "on": TODAY,
    }
    with pytest.raises(ValidationError, match="法制审核"):
        services.request_close(**kw)
    services.request_close(**kw, without_letter="2023年纸质台账导入")
    event = AuditEvent.objects.get(verb="inforequest.closed", object_id=str(application.pk))
    assert "2023年纸质台账导入" in event.reason


def test_permissions_between_roles_and_organisations(
    district: District, application: InfoRequest
) -> None:
    letter = _draft(district, application, Outcome.DISCLOSED)
    # An officer of another organisation sees nothing and can do nothing.
    assert visible_letter(district.officer_b, letter.pk) is None
    with pytest.raises(PermissionDenied):
        _draft_as(district.officer_b, application)
    with pytest.raises(PermissionDenied):
        letters.letter_submit(actor=district.officer_b, letter=letter)
    letters.letter_submit(actor=district.officer_a, letter=letter)
    # Only a legal reviewer of the organisation approves, never the author, never another
    # organisation's reviewer.
    with pytest.raises(PermissionDenied):
        letters.letter_approve(actor=district.officer_a, letter=letter)
    with pytest.raises(PermissionDenied):
        letters.letter_approve(actor=district.reviewer_a, letter=letter)  # 审核员 ≠ 法制审核员
    with pytest.raises(PermissionDenied):
        letters.letter_approve(actor=legal_reviewer(district.dept_b), letter=letter)
    both = make_user("both_a", officer=district.dept_a, legal_reviewer=district.dept_a)
    own = _draft_as(both, _other_application(district))
    letters.letter_submit(actor=both, letter=own)
    with pytest.raises(ValidationError, match="本人起草"):
        letters.letter_approve(actor=both, letter=own)
    # A legal reviewer cannot send.
    reviewer = legal_reviewer(district.dept_a)
    letters.letter_approve(actor=reviewer, letter=letter)
    with pytest.raises(PermissionDenied):
        letters.letter_mark_sent(actor=reviewer, letter=letter, method="online", delivered_on=TODAY)
    assert visible_letter(reviewer, letter.pk) == letter
    assert visible_letter(district.supervisor, letter.pk) == letter


def _other_application(district: District) -> InfoRequest:
    request, _ = services.request_submit(
        organization=district.dept_a,
        data=APPLICANT,
        channel=Channel.ONLINE,
        received_on=date(2024, 3, 5),
    )
    return request


def _draft_as(user: Any, application: InfoRequest) -> Letter:
    return letters.letter_create(
        actor=user, request=application, kind=LetterKind.REPLY, outcome=Outcome.DISCLOSED
    )


def test_one_open_reply_letter_at_a_time(district: District, application: InfoRequest) -> None:
    _draft(district, application, Outcome.DISCLOSED)
    with pytest.raises(ValidationError, match="尚未送达的答复书"):
        _draft(district, application, Outcome.WITHHELD_PROCESS)


# --- receipts --------------------------------------------------------------------------------
def _sent(district: District, application: InfoRequest) -> Letter:
    letter = _approve(district, _draft(district, application, Outcome.DISCLOSED))
    return letters.letter_mark_sent(
        actor=district.officer_a, letter=letter, method="in_person", delivered_on=TODAY
    )


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_receipt_scan_is_checked_by_content_and_stored_privately(
    district: District, application: InfoRequest
) -> None:
    letter = _sent(district, application)
    with pytest.raises(ValidationError, match="PDF、JPEG 或 PNG"):
        letters.delivery_attach_receipt(
            actor=district.officer_a, letter=letter, upload=io.BytesIO(b"MZ\x90\x00 not a scan")
        )
    with pytest.raises(ValidationError, match="10 MB"):
        letters.delivery_attach_receipt(
            actor=district.officer_a,
            letter=letter,
            upload=io.BytesIO(b"%PDF-1.4" + b"0" * (10 * 1024 * 1024)),
        )
    with pytest.raises(PermissionDenied):
        letters.delivery_attach_receipt(
            actor=district.officer_b, letter=letter, upload=io.BytesIO(PNG)
        )
    delivery = letters.delivery_attach_receipt(
        actor=district.officer_a, letter=letter, upload=io.BytesIO(PNG)
    )
    assert delivery.receipt_content_type == "image/png"
    stored = Path(settings.DATA_DIR) / "private" / "receipts" / delivery.receipt_path
    assert stored.read_bytes() == PNG
    assert Path(settings.STATIC_ROOT) not in stored.parents
    assert (stored.stat().st_mode & 0o077) == 0  # readable by the service account only
    assert AuditEvent.objects.filter(verb="inforequest.letter.receipt_attached").count() == 1


# --- templates -------------------------------------------------------------------------------
def test_org_admin_edits_a_template_and_broken_ones_are_refused(
    district: District, application: InfoRequest
) -> None:
    key = templating.reply_key(Outcome.DISCLOSED)
    title, body = templating.default_template(key)
    with pytest.raises(PermissionDenied):
        letters.letter_template_save(
            actor=district.officer_a, organization=district.dept_a, key=key, title=title,
            body=body,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        letters.letter_template_save(
            actor=district.admin_a, organization=district.dept_b, key=key, title=title,
            body=body,
        )  # fmt: skip
    broken = {
        "{% if legal_basis %}{{ remedies }}": "模板语法错误",
        "{% load static %}{{ legal_basis }}{{ remedies }}": "不允许使用模板标签“load”",
        "{% include 'x.html' %}{{ legal_basis }}{{ remedies }}": "不允许使用模板标签“include”",
        "{{ legal_basis }}{{ remedies }}{{ applicant_id_number }}": "未知的占位符：applicant_id_number",
        "{{ legal_basis }}，特此答复。": "必须包含以下占位符：{{ remedies }}",
    }  # fmt: skip
    for text, message in broken.items():
        with pytest.raises(ValidationError) as caught:
            letters.letter_template_save(
                actor=district.admin_a, organization=district.dept_a, key=key, title=title,
                body=text,
            )  # fmt: skip
        assert any(message in m for m in caught.value.messages), (text, caught.value.messages)
    own = body.replace("特此答复。", "特此答复，感谢您对本机关工作的关注。")
    letters.letter_template_save(
        actor=district.admin_a, organization=district.dept_a, key=key, title=title, body=own
    )
    letter = _draft(district, application, Outcome.DISCLOSED)
    assert "感谢您对本机关工作的关注" in letter.body
    letters.letter_template_reset(actor=district.admin_a, organization=district.dept_a, key=key)
    assert AuditEvent.objects.filter(verb="inforequest.letter_template.saved").count() == 1
    assert AuditEvent.objects.filter(verb="inforequest.letter_template.reset").count() == 1


@settings_hypothesis(max_examples=25, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=60), min_size=1, max_size=5))
def test_any_typed_text_gives_a_readable_docx(paragraphs: list[str]) -> None:
    """Whatever an officer types (control characters, surrogates of other scripts, odd
    spaces), the letter still opens: characters XML cannot hold are dropped, the rest kept."""
    document = LetterDocument(
        title="政府信息公开申请答复书",
        number="测试局依申〔2024〕1号",
        addressee="张三",
        paragraphs=tuple(templating.paragraphs("\n".join(paragraphs))),
        organization="测试局",
        dated="2024年3月20日",
    )
    text = _docx_text(render_docx(document))
    for paragraph in document.paragraphs:
        kept = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", paragraph)
        assert kept.strip() in text


def test_a_notice_needs_its_statutory_content(district: District, application: InfoRequest) -> None:
    """A fee notice without amount and basis is no notice (国办函〔2020〕109号)."""
    with pytest.raises(ValidationError, match="fee_amount"):
        letters.letter_create(
            actor=district.officer_a, request=application, kind=LetterKind.FEE, details={}
        )
