"""A year of applications for the demo district: every channel and applicant type, corrections,
consultations, extensions, most outcomes, and some still open."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from gongkai.appeals import services as appeals
from gongkai.appeals.constants import AppealResult, LitigationRoute
from gongkai.core.ids import resident_id_check_char
from gongkai.core.workdays import add_workdays
from gongkai.inforequests import services
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.clock_events import ClockEvent, ConsultedParty
from gongkai.inforequests.constants import ApplicantType, Outcome
from gongkai.inforequests.demo_reuse import build_reuse_examples
from gongkai.inforequests.letters import services as letters
from gongkai.inforequests.letters.constants import DeliveryMethod, LetterKind
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs import services as orgs_services
from gongkai.orgs.constants import Role
from gongkai.orgs.models import Membership, Organization, User

SUBJECTS = [
    "{year}年老旧小区改造项目清单",
    "{year}年度部门预算及“三公”经费",
    "某地块土地征收补偿方案",
    "辖区学校学区划分文件",
    "{year}年重大建设项目批准文件",
    "某路段道路拓宽工程环评批复",
    "城市更新单元规划",
    "养老服务补贴发放情况",
    "某企业行政处罚决定书",
    "违法建筑拆除决定及依据",
]
NAMES = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄海涛"]
COMPANIES = ["江州某建筑工程有限公司", "临江某律师事务所", "江州某研究院", "某公益基金会"]
# A realistic mix: most disclosed, many 无法提供, a few of everything else.
OUTCOME_WEIGHTS = {
    Outcome.DISCLOSED: 30,
    Outcome.PARTLY_DISCLOSED: 8,
    Outcome.UNAVAILABLE_NOT_HELD: 15,
    Outcome.UNAVAILABLE_NEEDS_CREATION: 4,
    Outcome.WITHHELD_PROCESS: 3,
    Outcome.WITHHELD_THIRD_PARTY: 2,
    Outcome.WITHHELD_INTERNAL: 2,
    Outcome.NOT_PROCESSED_PETITION: 4,
    Outcome.NOT_PROCESSED_REPEATED: 3,
    Outcome.OTHER_NO_CORRECTION: 2,
    Outcome.OTHER: 1,
}
BASIS = "《中华人民共和国政府信息公开条例》第三十六条"
WITHHELD = "材料中涉及第三方个人信息的内容（条例第十五条），已作区分处理。"


def _demo_resident_id(phone: str) -> str:
    first17 = f"110105{1950 + int(phone[-2:]) % 50}0101{phone[-3:]}"
    return first17 + resident_id_check_char(first17)


def _applicant(rng: random.Random) -> dict[str, str]:
    kind = rng.choices(list(ApplicantType), weights=[70, 12, 3, 3, 8, 4])[0]
    person = kind == ApplicantType.NATURAL_PERSON
    name = rng.choice(NAMES) if person else rng.choice(COMPANIES)
    phone = f"138{rng.randrange(10**8):08d}"
    return {
        "applicant_type": kind,
        "applicant_name": name,
        "id_document": "resident_id" if person else "credit_code",
        # Each person their own (valid) number, derived from the phone number so that the
        # random sequence, and with it the rest of the demo, stays as it was.
        "id_number": _demo_resident_id(phone) if person else "91350100M000100Y43",
        "phone": phone,
        "email": "demo@example.com",
        "address": "江州市临江区人民路1号",
        "postcode": "339905",
        "document_number": "",
        "description": "",
        "provision_form": "electronic",
        "delivery_way": "email",
    }


@transaction.atomic
def build_demo_requests(today: date, count: int = 80, seed: int = 2026) -> int:
    rng = random.Random(seed)
    officers = {
        m.organization_id: m.user
        for m in Membership.objects.filter(role=Role.OFFICER).select_related("user")
    }
    busy = list(Organization.objects.filter(depth=2).order_by("path")[:8])
    busy += list(Organization.objects.filter(depth=1))
    # The education bureau (jyj.* accounts in the README) gets a steady share of the work.
    busy += list(Organization.objects.filter(name__endswith="教育局")) * 3
    reviewers = _legal_reviewers(busy)
    made = 0
    for i in range(count):
        org = rng.choice(busy)
        officer = officers[org.pk]
        # The first dozen arrived in the last six weeks and are still being handled (some close
        # to or past their due date); the rest are spread over the past year.
        recent = i < 12
        received = today - timedelta(days=rng.randrange(1, 42) if recent else rng.randrange(5, 420))
        data = _applicant(rng)
        data["subject"] = rng.choice(SUBJECTS).format(year=received.year)
        channel = rng.choices(list(Channel), weights=[10, 8, 2, 50, 3, 10, 1])[0]
        request, _ = services.request_submit(
            organization=org,
            data=data,
            channel=channel,
            received_on=received,
            actor=officer if channel != Channel.ONLINE else None,
        )
        made += 1
        services.request_assign(actor=officer, request=request, officer=officer)
        day = received
        if (
            not recent and i % 9 == 0
        ):  # correction asked and answered: the clock restarts (第三十条)
            day = add_workdays(received, 3).value
            services.request_add_event(
                actor=officer,
                request=request,
                kind=ClockEvent.CORRECTION_REQUESTED,
                on=day,
                period_workdays=10,
            )
            day = add_workdays(day, 4).value
            services.request_add_event(
                actor=officer, request=request, kind=ClockEvent.CORRECTION_RECEIVED, on=day
            )
        if not recent and i % 11 == 0:  # third party consulted (第三十二条)
            sent = add_workdays(day, 5).value
            services.request_add_event(
                actor=officer,
                request=request,
                kind=ClockEvent.CONSULTATION_SENT,
                on=sent,
                party=ConsultedParty.THIRD_PARTY,
                detail="利害关系人",
            )
            day = add_workdays(sent, 8).value
            services.request_add_event(
                actor=officer,
                request=request,
                kind=ClockEvent.CONSULTATION_ANSWERED,
                on=day,
                party=ConsultedParty.THIRD_PARTY,
                detail="利害关系人",
            )
        if not recent and i % 13 == 0:  # extension approved (第三十三条)
            services.request_add_event(
                actor=officer,
                request=request,
                kind=ClockEvent.EXTENSION_APPROVED,
                on=add_workdays(day, 15).value,
            )
        reply = add_workdays(day, rng.randrange(5, 19)).value
        if recent or reply >= today or rng.random() < 0.05:
            continue  # still open
        outcome = rng.choices(list(OUTCOME_WEIGHTS), weights=list(OUTCOME_WEIGHTS.values()))[0]
        _reply(officer, reviewers[org.pk], request, outcome, reply)
        if outcome != Outcome.DISCLOSED and i % 7 == 0:
            _appeal(rng, officer, request, reply, today)
    education = Organization.objects.filter(name__endswith="教育局").first()
    if education is not None:
        officer, reviewer = officers[education.pk], reviewers[education.pk]
        made += build_reuse_examples(
            education,
            officer,
            today,
            reply=lambda request, on: _reply(officer, reviewer, request, Outcome.DISCLOSED, on),
        )
    return made


def _legal_reviewers(organizations: list[Organization]) -> dict[int, User]:
    """Each organisation's 法制审核员; where it has none, the district's reviewer (区司法局派驻)
    reviews its letters too."""
    reviewers = {
        m.organization_id: m.user
        for m in Membership.objects.filter(role=Role.LEGAL_REVIEWER).select_related("user")
    }
    fallback = next(iter(reviewers.values()), None)
    for org in set(organizations):
        if org.pk not in reviewers and fallback is not None:
            orgs_services.membership_grant(
                actor=None, user=fallback, organization=org, role=Role.LEGAL_REVIEWER
            )
            reviewers[org.pk] = fallback
    return reviewers


def _reply(officer: User, reviewer: User, request: InfoRequest, outcome: str, on: date) -> None:
    """The reply letter, approved and delivered the same day; sending it closes the application."""
    letter = letters.letter_create(
        actor=officer,
        request=request,
        kind=LetterKind.REPLY,
        outcome=outcome,
        legal_basis=BASIS,
        reasons="依法作出答复。",
        withheld=WITHHELD if outcome == Outcome.PARTLY_DISCLOSED else "",
    )
    letters.letter_submit(actor=officer, letter=letter)
    letters.letter_approve(actor=reviewer, letter=letter, on=on)
    letters.letter_mark_sent(
        actor=officer, letter=letter, method=DeliveryMethod.ELECTRONIC, delivered_on=on
    )


def _appeal(
    rng: random.Random, officer: User, request: InfoRequest, reply: date, today: date
) -> None:
    """Some refused applicants seek 行政复议 within 60 days, a few then sue (复议后起诉)."""
    filed = reply + timedelta(days=rng.randrange(10, 50))
    if filed >= today:
        return
    decided = filed + timedelta(days=rng.randrange(30, 60))
    result = rng.choice([AppealResult.UPHELD, AppealResult.UPHELD, AppealResult.CORRECTED])
    reconsideration = appeals.reconsideration_record(
        actor=officer,
        organization=request.organization,
        info_request=request,
        applicant_name=request.applicant_name,
        body="江州市人民政府",
        filed_on=filed,
        case_number=f"江府复〔{filed.year}〕{rng.randrange(1, 300)}号",
        decided_on=decided if decided < today else None,
        result=result if decided < today else AppealResult.PENDING,
    )
    if decided < today and result == AppealResult.UPHELD and rng.random() < 0.5:
        sued = decided + timedelta(days=rng.randrange(5, 14))
        if sued < today:
            appeals.litigation_record(
                actor=officer,
                organization=request.organization,
                info_request=request,
                applicant_name=request.applicant_name,
                court="江州市临江区人民法院",
                route=LitigationRoute.AFTER_RECONSIDERATION,
                reconsideration=reconsideration,
                filed_on=sued,
                case_number=f"（{sued.year}）临行初{rng.randrange(1, 200)}号",
            )
