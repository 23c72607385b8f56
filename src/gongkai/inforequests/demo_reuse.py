"""Demo data for the misuse and reuse pages: one item that three different people were given
(a 第四十四条 suggestion) and one applicant who asks again for what was already answered
(重复申请, 第三十六条第（六）项)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from gongkai.core.workdays import add_workdays
from gongkai.inforequests import services
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.models import Organization, User

SUBJECT = "{year}年义务教育阶段学校招生划片范围"
PEOPLE = (
    ("陈明", "110105198203150017", "13800001111"),
    ("刘芳", "110105199011230025", "13800002222"),
    ("周强", "110105197507080033", "13800003333"),
)
BASIS = "《中华人民共和国政府信息公开条例》第三十六条第（二）项"


def _data(name: str, id_number: str, phone: str, subject: str) -> dict[str, str]:
    return {
        "applicant_type": "natural_person",
        "applicant_name": name,
        "id_document": "resident_id",
        "id_number": id_number,
        "phone": phone,
        "email": "demo@example.com",
        "address": "江州市临江区人民路1号",
        "postcode": "339905",
        "subject": subject,
        "document_number": "",
        "description": "",
        "provision_form": "electronic",
        "delivery_way": "email",
    }


def build_reuse_examples(
    organization: Organization,
    officer: User,
    today: date,
    reply: Callable[[InfoRequest, date], None],
) -> int:
    """Four applications to `organization`, received in the last three months; `reply` answers
    one with an approved, delivered 予以公开 letter."""
    subject = SUBJECT.format(year=today.year)
    made = 0
    for days_ago, (name, id_number, phone) in zip((90, 80, 70), PEOPLE, strict=True):
        received = today - timedelta(days=days_ago)
        request, _ = services.request_submit(
            organization=organization,
            data=_data(name, id_number, phone, subject),
            channel=Channel.ONLINE,
            received_on=received,
        )
        services.request_assign(actor=officer, request=request, officer=officer)
        reply(request, add_workdays(received, 6).value)
        made += 1
    name, id_number, phone = PEOPLE[0]
    services.request_submit(  # the same person again, still open: flagged as a repeat
        organization=organization,
        data=_data(name, id_number, phone, f"《{subject}》"),
        channel=Channel.ONLINE,
        received_on=today - timedelta(days=3),
    )
    return made + 1
