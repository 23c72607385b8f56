"""Misuse and reuse (issue: 依申请公开): 重复申请 (条例第三十六条第（六）项), 大量、频繁申请
(条例第三十五条) and 转为主动公开 (条例第四十四条). The rules flag with evidence; the officer
decides, and the decision is audited."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gongkai.audit.models import AuditEvent
from gongkai.inforequests import misuse, services
from gongkai.inforequests.applicants import same_applicant
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.constants import Outcome
from gongkai.inforequests.misuse_selectors import (
    converted_suggestions_count,
    misuse_flags,
    suggestions,
)
from gongkai.inforequests.misuse_services import misuse_decide, suggestion_decide
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.models_ledger import DisclosureSuggestionDecision, MisuseDecision
from gongkai.orgs.models import Organization
from tests.conftest import APPLICANT, District
from tests.inforequests.letters_support import close_with_reply

TODAY = date(2024, 3, 20)
OTHER_IDS = ["11010519491231002X", "110101199003077777", "440524188001010014"]


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield


def _resident_id(seed: int) -> str:
    from gongkai.core.ids import resident_id_check_char

    first17 = f"110105{1950 + seed % 50:04d}0101{seed % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def submit(
    district: District,
    received: date,
    *,
    org: Organization | None = None,
    id_number: str = APPLICANT["id_number"],
    **data: Any,
) -> InfoRequest:
    info, _ = services.request_submit(
        organization=org or district.dept_a,
        data={**APPLICANT, "id_number": id_number, **data},
        channel=Channel.ONLINE,
        received_on=received,
    )
    return info


def close(
    district: District, info: InfoRequest, on: date, outcome: str = Outcome.DISCLOSED
) -> None:
    officer = district.officer_a if info.organization == district.dept_a else district.officer_b
    close_with_reply(
        actor=officer,
        request=info,
        outcome=outcome,
        legal_basis="第三十六条",
        reasons="理由",
        on=on,
    )


# --- the pure rules -------------------------------------------------------------------------


def facts(pk: int, subject: str, **kw: Any) -> misuse.RequestFacts:
    kw.setdefault("received_on", date(2024, 3, 1))
    return misuse.RequestFacts(pk=pk, number=f"N{pk}", subject=subject, **kw)


def test_subject_key_ignores_punctuation_width_and_traditional_characters() -> None:
    assert misuse.subject_key("《2023年 老舊小區改造》項目清單！") == misuse.subject_key(
        "2023年老旧小区改造项目清单"
    )


def test_document_numbers_match_whatever_the_brackets() -> None:
    assert misuse.document_number_key("江府办［2023］12号") == misuse.document_number_key(
        "江府办〔2023〕12号"
    )


@given(st.text(max_size=30), st.text(max_size=30))
def test_similarity_is_symmetric_and_between_0_and_1(a: str, b: str) -> None:
    s = misuse.subject_similarity(misuse.subject_key(a), misuse.subject_key(b))
    assert 0.0 <= s <= 1.0
    assert s == misuse.subject_similarity(misuse.subject_key(b), misuse.subject_key(a))


def test_repeat_needs_an_earlier_answer_on_the_substance() -> None:
    """第三十六条第（六）项: "已就申请人提出的政府信息公开申请作出答复" — an application that
    was stopped (逾期不补正, 逾期未缴费) was never answered, so asking again is no repeat."""
    current = facts(3, "2023年老旧小区改造项目清单", received_on=date(2024, 3, 10))
    answered = facts(
        1, "2023年老旧小区改造的项目清单", outcome=Outcome.DISCLOSED, closed_on=date(2024, 3, 5)
    )
    stopped = facts(
        2,
        "2023年老旧小区改造项目清单",
        outcome=Outcome.OTHER_NO_CORRECTION,
        closed_on=date(2024, 3, 5),
    )
    still_open = facts(4, "2023年老旧小区改造项目清单")
    later = facts(
        5, "2023年老旧小区改造项目清单", outcome=Outcome.DISCLOSED, closed_on=date(2024, 3, 11)
    )
    other_topic = facts(
        6, "2024年道路维修计划", outcome=Outcome.DISCLOSED, closed_on=date(2024, 3, 5)
    )
    hits = misuse.repeated_request_evidence(
        current, [answered, stopped, still_open, later, other_topic]
    )
    assert [h.pk for h in hits] == [1]


def test_same_document_number_is_the_same_information_whatever_the_name() -> None:
    a = facts(1, "关于印发某办法的通知", document_number="江府办〔2023〕12号")
    b = facts(2, "某办法全文", document_number="江府办[2023]12号")
    c = facts(3, "关于印发某办法的通知", document_number="江府办〔2023〕13号")
    assert misuse.same_information(a, b)
    assert not misuse.same_information(a, c)


@pytest.mark.parametrize(
    ("count", "norm", "flagged"),
    [(10, 1.0, True), (9, 1.0, False), (12, 3.0, False), (15, 3.0, True)],
)
def test_excessive_volume_needs_the_floor_and_the_factor(
    count: int, norm: float, flagged: bool
) -> None:
    """第三十五条 "数量、频次明显超过合理范围": at least 10 in 30 days and 5× the norm."""
    assert misuse.excessive_volume(count, norm, min_count=10, factor=5) is flagged


@given(st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=50))
def test_norm_is_the_mean_scaled_to_the_window(counts: list[int]) -> None:
    norm = misuse.volume_norm(counts, 365, 30)
    assert norm == pytest.approx(sum(counts) / len(counts) * 30 / 365)
    assert misuse.volume_norm(counts, 365, 365) == pytest.approx(sum(counts) / len(counts))


def test_groups_need_several_different_applicants() -> None:
    """第四十四条: "多个申请人" — one person asking three times is not several applicants."""
    same_person = [
        facts(i, "2023年老旧小区改造项目清单", outcome=Outcome.DISCLOSED, applicant=("id", "A"))
        for i in range(1, 4)
    ]
    assert misuse.same_information_groups(same_person, min_applicants=3) == []
    others = [
        facts(10 + i, "2023年老旧小区改造项目清单", outcome=Outcome.DISCLOSED, applicant=("id", x))
        for i, x in enumerate("BC")
    ]
    withheld = facts(
        20, "2023年老旧小区改造项目清单", outcome=Outcome.WITHHELD_PROCESS, applicant=("id", "D")
    )
    (group,) = misuse.same_information_groups([*same_person, *others, withheld], min_applicants=3)
    assert group.applicant_count == 3
    assert 20 not in {r.pk for r in group.requests}  # not disclosable: not evidence
    assert group.key == misuse.cluster_key(same_person[0])


# --- from the records -------------------------------------------------------------------------


def test_the_same_applicant_is_matched_by_document_not_by_name(district: District) -> None:
    info = submit(district, date(2024, 3, 1))
    submit(district, date(2024, 3, 2), applicant_name="别名")
    submit(district, date(2024, 3, 3), id_number=OTHER_IDS[1])  # same name 张三, another person
    assert same_applicant(InfoRequest.objects.all(), info).count() == 2


def test_repeated_request_is_flagged_with_the_earlier_application(district: District) -> None:
    """条例第三十六条第（六）项: the earlier, answered application is the evidence."""
    first = submit(district, date(2024, 2, 1))
    close(district, first, date(2024, 2, 20))
    again = submit(district, date(2024, 3, 4), subject="2023年 老旧小区改造项目清单。")
    other_agency = submit(district, date(2024, 3, 4), org=district.dept_b)
    someone_else = submit(district, date(2024, 3, 4), id_number=OTHER_IDS[1])
    assert [e.number for e in misuse_flags(again).repeated] == [first.number]
    assert misuse_flags(other_agency).repeated == []
    assert misuse_flags(someone_else).repeated == []
    assert misuse_flags(first).repeated == []


def test_heavy_applicant_is_flagged_with_counts_against_the_norm(district: District) -> None:
    """条例第三十五条: 12 applications in 30 days where other applicants make one a year."""
    for i in range(8):
        submit(district, date(2023, 6, 1) + timedelta(days=i), id_number=_resident_id(i))
    infos = [
        submit(district, date(2024, 3, 1) + timedelta(days=i % 15), subject=f"信息{i}")
        for i in range(12)
    ]
    evidence = misuse_flags(infos[-1]).volume
    assert evidence.applicant_count == 12
    assert evidence.norm < 1
    assert evidence.excessive
    assert dict(evidence.monthly)["2024-03"] == 12
    quiet = InfoRequest.objects.filter(id_number=_resident_id(0)).get()
    assert not misuse_flags(quiet).volume.excessive


def test_volume_thresholds_are_settings(district: District, settings: Any) -> None:
    infos = [submit(district, date(2024, 3, 1), subject=f"信息{i}") for i in range(3)]
    assert not misuse_flags(infos[-1]).volume.excessive
    settings.MISUSE_VOLUME_MIN_COUNT = 3
    settings.MISUSE_VOLUME_FACTOR = 1
    assert misuse_flags(infos[-1]).volume.excessive


def test_officer_decides_with_a_reason_and_the_decision_is_audited(district: District) -> None:
    first = submit(district, date(2024, 2, 1))
    close(district, first, date(2024, 2, 20))
    again = submit(district, date(2024, 3, 4))
    with pytest.raises(ValidationError):
        misuse_decide(
            actor=district.officer_a,
            request=again,
            kind="repeated",
            verdict="confirmed",
            reason=" ",
        )
    decision = misuse_decide(
        actor=district.officer_a,
        request=again,
        kind="repeated",
        verdict="confirmed",
        reason="与此前申请内容相同，已答复",
    )
    assert decision.evidence == {"earlier": [first.number]}
    again.refresh_from_db()
    assert again.status != "closed"  # the system never closes on its own
    event = AuditEvent.objects.get(verb="inforequest.misuse_decided")
    assert event.actor_id == district.officer_a.pk
    assert event.object_id == str(again.pk)
    assert event.reason == "与此前申请内容相同，已答复"
    assert "张三" not in str(event.after) and APPLICANT["id_number"] not in str(event.after)


def test_officer_of_another_organisation_cannot_decide(district: District) -> None:
    info = submit(district, date(2024, 3, 4))
    with pytest.raises(PermissionDenied):
        misuse_decide(
            actor=district.officer_b, request=info, kind="repeated", verdict="rejected", reason="x"
        )
    assert not MisuseDecision.objects.exists()


def _three_applicants_asked(district: District) -> list[InfoRequest]:
    infos = []
    for i, id_number in enumerate(OTHER_IDS):
        info = submit(
            district,
            date(2024, 2, 1) + timedelta(days=i),
            id_number=id_number,
            subject=[
                "2023年老旧小区改造项目清单",
                "2023年老旧小区改造的项目清单",
                "《2023年老旧小区改造项目清单》",
            ][i],
        )
        close(district, info, date(2024, 3, 1))
        infos.append(info)
    return infos


def test_suggestion_lists_the_applications_as_evidence(district: District) -> None:
    """条例第四十四条: three different applicants were given the same information."""
    infos = _three_applicants_asked(district)
    (item,) = suggestions(district.officer_a, TODAY)
    assert [r.number for r in item.requests] == [i.number for i in infos]
    assert item.organization == district.dept_a
    assert suggestions(district.officer_b, TODAY) == []


def test_suggestion_decisions_are_audited_and_hide_the_item(district: District) -> None:
    _three_applicants_asked(district)
    (item,) = suggestions(district.officer_a, TODAY)
    with pytest.raises(PermissionDenied):
        suggestion_decide(
            actor=district.officer_b,
            organization=district.dept_a,
            key=item.group.key,
            verdict="converted",
        )
    with pytest.raises(ValidationError):  # dismissing needs a reason
        suggestion_decide(
            actor=district.officer_a,
            organization=district.dept_a,
            key=item.group.key,
            verdict="dismissed",
        )
    decision = suggestion_decide(
        actor=district.officer_a,
        organization=district.dept_a,
        key=item.group.key,
        verdict="converted",
    )
    assert suggestions(district.officer_a, TODAY) == []
    assert suggestions(district.officer_a, TODAY, include_decided=True)[0].decision == decision
    assert DisclosureSuggestionDecision.objects.count() == 1
    year = decision.decided_at.year
    assert converted_suggestions_count([district.dept_a.pk], year) == {district.dept_a.pk: 1}
    event = AuditEvent.objects.get(verb="inforequest.suggestion_decided")
    assert event.organization_id == district.dept_a.pk
    assert event.after["verdict"] == "converted"
    with pytest.raises(ValidationError):
        suggestion_decide(
            actor=district.officer_a,
            organization=district.dept_a,
            key=item.group.key,
            verdict="dismissed",
            reason="again",
        )
