"""Letters in the console: the officer drafts and sends, the legal reviewer approves or
returns, the org admin edits templates; other organisations see nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.inforequests import services
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.constants import Outcome, Status
from gongkai.inforequests.letters.constants import LetterStatus
from gongkai.inforequests.letters.models import LetterTemplate
from gongkai.inforequests.models import InfoRequest, Letter
from gongkai.orgs.models import User
from tests.conftest import APPLICANT, District
from tests.inforequests.letters_support import legal_reviewer

TODAY = date(2024, 3, 20)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def application(district: District) -> InfoRequest:
    request, _ = services.request_submit(
        organization=district.dept_a,
        data=APPLICANT,
        channel=Channel.ONLINE,
        received_on=date(2024, 3, 1),
    )
    return request


def test_officer_drafts_reviewer_approves_officer_sends(
    district: District, application: InfoRequest
) -> None:
    officer = _as(district.officer_a)
    detail = reverse("console:request_detail", kwargs={"pk": application.pk})
    html = officer.get(detail).content.decode()
    assert "答复书与告知书" in html and "起草文书" in html

    # 部分公开 without saying what was withheld: drafted, but review is refused with the reason.
    response = officer.post(
        reverse("console:letter_create", kwargs={"pk": application.pk}),
        {"kind": "reply", "outcome": Outcome.PARTLY_DISCLOSED},
    )
    letter = Letter.objects.get()
    assert response.status_code == 302
    page = reverse("console:letter_detail", kwargs={"pk": letter.pk})
    assert "第三十七条" in officer.get(page).content.decode()
    officer.post(reverse("console:letter_submit", kwargs={"pk": letter.pk}))
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT

    response = officer.post(
        page,
        {
            "addressee": "张三",
            "outcome": Outcome.PARTLY_DISCLOSED,
            "legal_basis": letter.legal_basis,
            "reasons": "",
            "withheld": "第5页第三方的联系方式",
            "body": "",
            "regenerate": "1",
        },
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert "第5页第三方的联系方式" in letter.body
    officer.post(reverse("console:letter_submit", kwargs={"pk": letter.pk}))
    letter.refresh_from_db()
    assert letter.status == LetterStatus.IN_REVIEW

    # The officer cannot review; the legal reviewer sees the review form and approves.
    review = reverse("console:letter_review", kwargs={"pk": letter.pk})
    assert officer.post(review, {"approve": "1"}).status_code == 403
    reviewer = _as(legal_reviewer(district.dept_a))
    assert "审核通过" in reviewer.get(page).content.decode()
    response = reviewer.post(review, {"return": "1", "comment": ""})
    assert response.status_code == 200 and "退回修改时请填写审核意见" in response.content.decode()
    assert reviewer.post(review, {"approve": "1", "comment": "同意"}).status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.APPROVED and letter.number

    # Downloads for staff who may see the application; the officer sends, which closes it.
    pdf = officer.get(reverse("console:letter_download", kwargs={"pk": letter.pk, "fmt": "pdf"}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("attachment")
    send = reverse("console:letter_send", kwargs={"pk": letter.pk})
    response = officer.post(send, {"method": "post", "delivered_on": "2024-03-20"})
    assert "邮寄送达请填写邮件单号" in response.content.decode()
    response = officer.post(
        send, {"method": "post", "delivered_on": "2024-03-20", "tracking_number": "EMS1"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.CLOSED
    assert application.outcome == Outcome.PARTLY_DISCLOSED

    # The signed receipt: a PDF goes in; something else is refused by content.
    upload = reverse("console:letter_receipt_upload", kwargs={"pk": letter.pk})
    fake = SimpleUploadedFile("回证.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = officer.post(upload, {"receipt": fake})
    assert "PDF、JPEG 或 PNG" in response.content.decode()
    scan = SimpleUploadedFile("回证.pdf", b"%PDF-1.4\n%scan\n", "application/pdf")
    assert officer.post(upload, {"receipt": scan}).status_code == 302
    file = officer.get(reverse("console:letter_receipt", kwargs={"pk": letter.pk}))
    assert file.status_code == 200 and b"".join(file.streaming_content).startswith(b"%PDF")
    # Another organisation's officer: nothing.
    other = _as(district.officer_b)
    assert other.get(page).status_code == 404
    assert other.get(reverse("console:letter_receipt", kwargs={"pk": letter.pk})).status_code == 404


def test_template_pages_for_the_org_admin(district: District) -> None:
    admin = _as(district.admin_a)
    html = admin.get(reverse("console:letter_templates")).content.decode()
    assert "答复书：予以公开" in html and "收费通知书" in html
    url = reverse(
        "console:letter_template_edit", kwargs={"org_pk": district.dept_a.pk, "key": "fee"}
    )
    html = admin.get(url).content.decode()
    assert "fee_amount" in html and "payment_instructions" in html
    response = admin.post(url, {"title": "收费通知书", "body": "{{ fee_amount }}"})
    assert response.status_code == 200
    assert "正文模板必须包含以下占位符" in response.content.decode()
    assert not LetterTemplate.objects.exists()
    body = "{{ fee_basis }}{{ fee_standard }}{{ fee_amount }}{{ payment_instructions }}"
    assert admin.post(url, {"title": "收费通知书", "body": body}).status_code == 302
    assert LetterTemplate.objects.get().body == body
    # An officer may read the list page but edits nothing.
    officer = _as(district.officer_a)
    assert (
        "没有可以管理的文书模板"
        in officer.get(reverse("console:letter_templates")).content.decode()
    )
    assert officer.post(url, {"title": "x", "body": body}).status_code == 403
