"""行政复议 and 行政诉讼 records (条例第五十一条): the model's constraints, the services'
permissions, validation and audit, the scoped selectors, and the table 四 counting rule
(条例第五十条第（三）项, RULES.md §2.5)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from gongkai.appeals import selectors, services
from gongkai.appeals.constants import AppealResult, LitigationRoute
from gongkai.appeals.models import Litigation, Reconsideration
from gongkai.appeals.rules import (
    LITIGATION_AFTER,
    LITIGATION_DIRECT,
    RECONSIDERATION,
    result_at_year_end,
    table4_cell,
    table4_group,
)
from gongkai.audit.models import AuditEvent
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.constants import Status
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.models import Organization
from gongkai.reports.formats import TABLE4_GROUPS
from gongkai.reports.rules import TABLE4_PARTS
from tests.conftest import District

TODAY = date(2024, 6, 14)
APPLICANT = "李四"


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield


def make_request(organization: Organization, received: date = date(2024, 1, 8)) -> InfoRequest:
    return InfoRequest.objects.create(
        organization=organization,
        number=f"T-{organization.pk}-{InfoRequest.objects.count() + 1}",
        tracking_code="ABCDEFGH",
        channel=Channel.ONLINE,
        received_on=received,
        applicant_type="natural_person",
        applicant_name=APPLICANT,
        id_document="resident_id",
        id_number="11010519491231002X",
        phone="13812345678",
        subject="测试信息",
        provision_form="electronic",
        delivery_way="email",
        status=Status.IN_PROGRESS,
    )


def record_reconsideration(district: District, **kw: Any) -> Reconsideration:
    kw.setdefault("actor", district.officer_a)
    kw.setdefault("organization", district.dept_a)
    kw.setdefault("applicant_name", APPLICANT)
    kw.setdefault("body", "测试区人民政府")
    kw.setdefault("filed_on", date(2024, 3, 1))
    kw.setdefault("case_number", "测复〔2024〕1号")
    return services.reconsideration_record(**kw)


def record_litigation(district: District, **kw: Any) -> Litigation:
    kw.setdefault("actor", district.officer_a)
    kw.setdefault("organization", district.dept_a)
    kw.setdefault("applicant_name", APPLICANT)
    kw.setdefault("court", "测试区人民法院")
    kw.setdefault("route", LitigationRoute.DIRECT)
    kw.setdefault("filed_on", date(2024, 3, 1))
    kw.setdefault("case_number", "（2024）测0105行初1号")
    return services.litigation_record(**kw)


# --- the model ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decided_on", "result"),
    [
        (date(2024, 4, 1), AppealResult.PENDING),  # decided, yet 尚未审结
        (None, AppealResult.UPHELD),  # a result without a decision date
        (date(2024, 2, 1), AppealResult.CORRECTED),  # decided before it was filed
    ],
)
@pytest.mark.parametrize("model", [Reconsideration, Litigation])
def test_constraints_reject_inconsistent_decisions(
    district: District, model: type, decided_on: date | None, result: str
) -> None:
    """尚未审结 exactly when there is no decision date, and no decision before filing."""
    extra = {"body": "测试区人民政府"} if model is Reconsideration else {"court": "测试区人民法院"}
    if model is Litigation:
        extra["route"] = LitigationRoute.DIRECT
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(
            organization=district.dept_a,
            applicant_name=APPLICANT,
            filed_on=date(2024, 3, 1),
            decided_on=decided_on,
            result=result,
            **extra,
        )


def test_constraints_accept_pending_and_decided_cases(district: District) -> None:
    Reconsideration.objects.create(
        organization=district.dept_a, applicant_name=APPLICANT, body="区政府", filed_on=TODAY
    )
    Reconsideration.objects.create(
        organization=district.dept_a,
        applicant_name=APPLICANT,
        body="区政府",
        filed_on=TODAY,
        decided_on=TODAY,
        result=AppealResult.OTHER,
    )
    assert Reconsideration.objects.count() == 2


def test_direct_litigation_cannot_name_a_reconsideration(district: District) -> None:
    reconsideration = record_reconsideration(district)
    with pytest.raises(IntegrityError), transaction.atomic():
        Litigation.objects.create(
            organization=district.dept_a,
            applicant_name=APPLICANT,
            court="测试区人民法院",
            route=LitigationRoute.DIRECT,
            reconsideration=reconsideration,
            filed_on=TODAY,
        )


def test_str_does_not_show_the_applicant(district: District) -> None:
    case = record_reconsideration(district)
    assert APPLICANT not in str(case)
    assert str(case) == "测复〔2024〕1号"


# --- services: permissions ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer_b", "supervisor", "reviewer_a", "admin_a", "sysadmin"])
def test_only_officers_of_the_organisation_record_cases(district: District, who: str) -> None:
    actor = getattr(district, who)
    with pytest.raises(PermissionDenied):
        record_reconsideration(district, actor=actor)
    with pytest.raises(PermissionDenied):
        record_litigation(district, actor=actor)
    assert not Reconsideration.objects.exists()
    assert not Litigation.objects.exists()


def test_only_officers_of_the_organisation_decide(district: District) -> None:
    reconsideration = record_reconsideration(district)
    litigation = record_litigation(district)
    with pytest.raises(PermissionDenied):
        services.reconsideration_decide(
            actor=district.officer_b,
            reconsideration=reconsideration,
            result=AppealResult.UPHELD,
            decided_on=TODAY,
        )
    with pytest.raises(PermissionDenied):
        services.litigation_decide(
            actor=district.supervisor,
            litigation=litigation,
            result=AppealResult.UPHELD,
            decided_on=TODAY,
        )
    reconsideration.refresh_from_db()
    assert reconsideration.result == AppealResult.PENDING


# --- services: validation -------------------------------------------------------------------


def test_record_and_decide(district: District) -> None:
    request = make_request(district.dept_a)
    case = record_reconsideration(district, info_request=request)
    assert case.result == AppealResult.PENDING and case.decided_on is None
    case = services.reconsideration_decide(
        actor=district.officer_a,
        reconsideration=case,
        result=AppealResult.CORRECTED,
        decided_on=date(2024, 5, 10),
    )
    case.refresh_from_db()
    assert (case.result, case.decided_on) == (AppealResult.CORRECTED, date(2024, 5, 10))
    suit = record_litigation(
        district,
        route=LitigationRoute.AFTER_RECONSIDERATION,
        reconsideration=case,
        filed_on=date(2024, 5, 20),
    )
    assert suit.info_request == request  # taken over from the reconsideration
    suit = services.litigation_decide(
        actor=district.officer_a, litigation=suit, result=AppealResult.UPHELD, decided_on=TODAY
    )
    assert suit.result == AppealResult.UPHELD
    assert list(request.reconsiderations.all()) == [case]
    assert list(case.litigations.all()) == [suit]


def test_a_decided_case_can_be_entered_afterwards(district: District) -> None:
    case = record_litigation(
        district, decided_on=date(2024, 4, 2), result=AppealResult.OTHER, filed_on=date(2024, 1, 5)
    )
    assert case.result == AppealResult.OTHER


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"filed_on": date(2024, 6, 15)}, "不能晚于今天"),
        ({"decided_on": date(2024, 2, 29), "result": AppealResult.UPHELD}, "不能早于"),
        ({"decided_on": date(2024, 6, 15), "result": AppealResult.UPHELD}, "不能晚于今天"),
        ({"decided_on": date(2024, 4, 1)}, "尚未审结"),  # default result: pending
        ({"result": AppealResult.CORRECTED}, "须填写决定"),
        ({"result": "quashed"}, "结果无效"),
        ({"applicant_name": "  "}, "申请人"),
    ],
)
def test_record_validation(district: District, kw: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        record_reconsideration(district, **kw)
    with pytest.raises(ValidationError, match=message):
        record_litigation(district, **kw)
    assert not Reconsideration.objects.exists()
    assert not Litigation.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="appeals.").exists()


def test_body_and_court_are_required(district: District) -> None:
    with pytest.raises(ValidationError, match="复议机关"):
        record_reconsideration(district, body="")
    with pytest.raises(ValidationError, match="法院"):
        record_litigation(district, court=" ")


@pytest.mark.parametrize(
    ("result", "decided_on", "message"),
    [
        (AppealResult.PENDING, date(2024, 5, 1), "尚未审结"),
        (AppealResult.UPHELD, date(2024, 2, 1), "不能早于"),
        (AppealResult.UPHELD, date(2024, 7, 1), "不能晚于今天"),
    ],
)
def test_decide_validation(district: District, result: str, decided_on: date, message: str) -> None:
    reconsideration = record_reconsideration(district)
    litigation = record_litigation(district)
    with pytest.raises(ValidationError, match=message):
        services.reconsideration_decide(
            actor=district.officer_a,
            reconsideration=reconsideration,
            result=result,
            decided_on=decided_on,
        )
    with pytest.raises(ValidationError, match=message):
        services.litigation_decide(
            actor=district.officer_a, litigation=litigation, result=result, decided_on=decided_on
        )


def test_application_must_belong_to_the_organisation(district: District) -> None:
    other = make_request(district.dept_b)
    with pytest.raises(ValidationError, match="不属于该机关"):
        record_reconsideration(district, info_request=other)
    with pytest.raises(ValidationError, match="不属于该机关"):
        record_litigation(district, info_request=other)


def test_case_cannot_precede_the_application(district: District) -> None:
    request = make_request(district.dept_a, received=date(2024, 3, 5))
    with pytest.raises(ValidationError, match="收到之日"):
        record_reconsideration(district, info_request=request, filed_on=date(2024, 3, 1))


def test_linked_reconsideration_must_fit(district: District) -> None:
    """A suit after 行政复议 names a reconsideration of the same organisation, filed before it,
    about the same application; a direct suit names none."""
    theirs = services.reconsideration_record(
        actor=district.officer_b,
        organization=district.dept_b,
        applicant_name=APPLICANT,
        body="测试区人民政府",
        filed_on=date(2024, 3, 1),
    )
    with pytest.raises(ValidationError, match="不属于该机关"):
        record_litigation(
            district, route=LitigationRoute.AFTER_RECONSIDERATION, reconsideration=theirs
        )
    ours = record_reconsideration(district, info_request=make_request(district.dept_a))
    with pytest.raises(ValidationError, match="不能关联行政复议"):
        record_litigation(district, route=LitigationRoute.DIRECT, reconsideration=ours)
    with pytest.raises(ValidationError, match="不能早于"):
        record_litigation(
            district,
            route=LitigationRoute.AFTER_RECONSIDERATION,
            reconsideration=ours,
            filed_on=date(2024, 2, 1),
        )
    with pytest.raises(ValidationError, match="另一件"):
        record_litigation(
            district,
            route=LitigationRoute.AFTER_RECONSIDERATION,
            reconsideration=ours,
            info_request=make_request(district.dept_a),
        )
    with pytest.raises(ValidationError, match="起诉方式"):
        record_litigation(district, route="appeal")
    # The link is optional: a suit after a reconsideration not recorded here.
    assert record_litigation(district, route=LitigationRoute.AFTER_RECONSIDERATION).pk


# --- services: audit ------------------------------------------------------------------------


def test_audit_has_every_change_and_no_personal_data(district: District) -> None:
    request = make_request(district.dept_a)
    case = record_reconsideration(district, info_request=request, notes=f"{APPLICANT}电话138")
    services.reconsideration_decide(
        actor=district.officer_a,
        reconsideration=case,
        result=AppealResult.UPHELD,
        decided_on=TODAY,
    )
    suit = record_litigation(
        district,
        route=LitigationRoute.AFTER_RECONSIDERATION,
        reconsideration=case,
        filed_on=TODAY,
        notes=f"原告{APPLICANT}",
    )
    services.litigation_decide(
        actor=district.officer_a, litigation=suit, result=AppealResult.OTHER, decided_on=TODAY
    )
    events = list(AuditEvent.objects.filter(verb__startswith="appeals.").order_by("id"))
    assert [e.verb for e in events] == [
        "appeals.reconsideration.recorded",
        "appeals.reconsideration.decided",
        "appeals.litigation.recorded",
        "appeals.litigation.decided",
    ]
    assert all(e.organization_id == district.dept_a.pk for e in events)
    assert all(e.actor_id == district.officer_a.pk for e in events)
    assert events[1].before["result"] == AppealResult.PENDING  # type: ignore[index]
    assert events[1].after["result"] == AppealResult.UPHELD  # type: ignore[index]
    assert events[2].after["route"] == LitigationRoute.AFTER_RECONSIDERATION  # type: ignore[index]
    for event in events:
        text = json.dumps(
            [event.before, event.after, event.object_repr, event.reason, event.actor_name],
            ensure_ascii=False,
        )
        assert APPLICANT not in text
        assert "电话" not in text


# --- selectors ------------------------------------------------------------------------------


def test_officers_of_another_organisation_see_nothing(district: District) -> None:
    case = record_reconsideration(district)
    suit = record_litigation(district)
    assert list(selectors.reconsiderations(district.officer_a)) == [case]
    assert list(selectors.litigations(district.supervisor)) == [suit]  # the subtree
    assert not selectors.reconsiderations(district.officer_b).exists()
    assert not selectors.litigations(district.officer_b).exists()
    assert selectors.visible_reconsideration(district.officer_b, case.pk) is None
    assert selectors.visible_litigation(district.sysadmin, suit.pk) is None
    assert selectors.visible_litigation(district.officer_a, suit.pk) == suit


def test_cases_of_an_application(district: District) -> None:
    request = make_request(district.dept_a)
    case = record_reconsideration(district, info_request=request)
    record_reconsideration(district)  # stands alone
    recs, suits = selectors.for_request(district.officer_a, request)
    assert list(recs) == [case] and not suits.exists()
    recs, _ = selectors.for_request(district.officer_b, request)
    assert not recs.exists()


# --- the counting rule of table 四 -----------------------------------------------------------


def test_groups_and_results_are_the_columns_of_table4() -> None:
    assert {RECONSIDERATION, LITIGATION_DIRECT, LITIGATION_AFTER} == {g for g, _ in TABLE4_GROUPS}
    assert table4_group(None) == RECONSIDERATION
    assert table4_group(LitigationRoute.DIRECT) == LITIGATION_DIRECT
    assert table4_group(LitigationRoute.AFTER_RECONSIDERATION) == LITIGATION_AFTER
    assert tuple(AppealResult.values) == TABLE4_PARTS


def test_a_case_counts_in_its_year_of_filing_with_its_result_at_year_end() -> None:
    """条例第五十条第（三）项, table 四: the year of filing; the result known on 31 December."""
    upheld = AppealResult.UPHELD
    assert table4_cell(date(2024, 3, 1), date(2024, 12, 31), upheld, 2024) == upheld
    assert table4_cell(date(2024, 3, 1), None, AppealResult.PENDING, 2024) == AppealResult.PENDING
    # Decided after the year end: 尚未审结 in its year of filing ...
    assert table4_cell(date(2024, 11, 1), date(2025, 1, 2), upheld, 2024) == AppealResult.PENDING
    # ... and not counted again in the year of the decision.
    assert table4_cell(date(2024, 11, 1), date(2025, 1, 2), upheld, 2025) is None
    assert table4_cell(date(2023, 12, 31), None, AppealResult.PENDING, 2024) is None
    assert result_at_year_end(date(2025, 1, 1), AppealResult.CORRECTED, 2025) == "corrected"
