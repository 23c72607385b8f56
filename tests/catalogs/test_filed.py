"""Register of filed 公文 and the 主动公开率 (published / filed; 2020 长宁 and 2019 上海市政府办公厅
annual reports: "公文主动公开率达90.2%")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gongkai.audit.models import AuditEvent
from gongkai.catalogs import selectors, services
from gongkai.catalogs.models import FiledDocument
from gongkai.catalogs.rules import FiledCounts, proactive_rate
from tests.catalogs.conftest import published
from tests.publications.conftest import make_draft


def test_rate_as_printed_in_annual_reports() -> None:
    assert proactive_rate(902, 1000) == Decimal("90.2")
    assert proactive_rate(2, 3) == Decimal("66.7")  # half up
    assert proactive_rate(1, 8) == Decimal("12.5")
    assert proactive_rate(0, 0) is None  # nothing filed: no rate, not 0%
    with pytest.raises(ValueError):
        proactive_rate(3, 2)


@given(filed=st.integers(1, 10**6), data=st.data())
def test_rate_is_a_rounded_percentage(filed: int, data: Any) -> None:
    proactive = data.draw(st.integers(0, filed))
    rate = proactive_rate(proactive, filed)
    assert rate is not None
    assert Decimal(0) <= rate <= Decimal(100)
    assert abs(rate - Decimal(proactive) * 100 / filed) <= Decimal("0.05")
    assert rate == rate.quantize(Decimal("0.1"))
    if proactive == filed:
        assert rate == 100
    if proactive == 0:
        assert rate == 0


counts = st.builds(
    lambda p, r, w, pub: FiledCounts(p + r + w, p, r, w, min(pub, p)),
    st.integers(0, 500),
    st.integers(0, 500),
    st.integers(0, 500),
    st.integers(0, 500),
)


@given(parts=st.lists(counts, min_size=1, max_size=8))
def test_roll_up_is_the_sum_of_counts_not_the_mean_of_rates(parts: list[FiledCounts]) -> None:
    total = sum(parts, FiledCounts())
    assert total.filed == sum(p.filed for p in parts)
    assert total.filed == total.proactive + total.on_request + total.withheld
    assert total.rate == proactive_rate(sum(p.proactive for p in parts), total.filed)
    rates = [p.rate for p in parts if p.rate is not None]
    if rates:  # a weighted mean lies between the smallest and the largest part
        assert total.rate is not None
        assert min(rates) - Decimal("0.1") <= total.rate <= max(rates) + Decimal("0.1")


def _doc(district: Any, number: str, attribute: str = "proactive", **extra: Any) -> FiledDocument:
    data = {"year": 2024, "document_number": number, "title": f"关于{number}的通知"}
    data["disclosure_attribute"] = attribute
    if attribute != "proactive":
        data.setdefault("withholding_reason", "process")
        data.setdefault("withholding_note", "属于过程性信息（第十六条第二款）")
    data.update(extra)
    return services.filed_document_create(
        actor=district.officer_a, organization=extra.pop("org", district.dept_a), data=data
    )


def test_withheld_needs_a_reason_and_numbers_are_unique(district: Any) -> None:
    with pytest.raises(ValidationError, match="理由"):
        services.filed_document_create(
            actor=district.officer_a,
            organization=district.dept_a,
            data={
                "year": 2024,
                "document_number": "测教发〔2024〕9号",
                "title": "内部请示",
                "disclosure_attribute": "withheld",
            },
        )
    _doc(district, "测教发〔2024〕1号")
    with pytest.raises(ValidationError):  # the same 文号 with other brackets
        _doc(district, "测教发[2024]1号")
    with pytest.raises(ValidationError, match="年度"):
        _doc(district, "测教发〔2024〕2号", filed_on=date(2023, 12, 31))


def test_rates_per_organisation_and_district_roll_up(district: Any) -> None:
    pub = published(district)
    _doc(district, "测教发〔2024〕1号", publication=pub)
    _doc(district, "测教发〔2024〕2号")
    _doc(district, "测教发〔2024〕3号", "on_request")
    _doc(district, "测教发〔2024〕4号", "withheld")
    services.filed_document_create(
        actor=district.officer_b,
        organization=district.dept_b,
        data={
            "year": 2024,
            "document_number": "测民发〔2024〕1号",
            "title": "通知",
            "disclosure_attribute": "proactive",
        },
    )
    got = selectors.filed_counts([district.dept_a.pk, district.dept_b.pk], 2024)
    assert got[district.dept_a.pk] == FiledCounts(4, 2, 1, 1, 1)
    assert got[district.dept_a.pk].rate == Decimal("50.0")
    assert got[district.dept_a.pk].unpublished == 1
    assert got[district.dept_b.pk].rate == Decimal("100.0")
    # The district supervisor sees both and the roll-up: 3 of 5.
    per_org, rollups = selectors.rate_table(district.supervisor, 2024)
    assert [(o.pk, t.rate, n) for o, t, n in rollups] == [(district.gov.pk, Decimal("60.0"), 4)]
    # An officer of B sees only B, and no roll-up.
    per_org, rollups = selectors.rate_table(district.officer_b, 2024)
    assert [o.pk for o, _ in per_org] == [district.dept_b.pk] and rollups == []
    assert selectors.filed_counts([district.dept_a.pk], 2023) == {}


def test_link_only_own_publication_and_only_for_proactive(district: Any) -> None:
    draft = make_draft(district)
    with pytest.raises(ValidationError, match="主动公开"):
        _doc(district, "测教发〔2024〕5号", "withheld", publication=draft)
    with pytest.raises(ValidationError, match="本单位"):
        services.filed_document_create(
            actor=district.officer_b,
            organization=district.dept_b,
            data={
                "year": 2024,
                "document_number": "测民发〔2024〕1号",
                "title": "通知",
                "disclosure_attribute": "proactive",
                "publication": draft,
            },
        )


def test_register_is_audited_and_closed_to_other_organisations(district: Any) -> None:
    doc = _doc(district, "测教发〔2024〕1号")
    with pytest.raises(PermissionDenied):
        services.filed_document_update(
            actor=district.officer_b, document=doc, data={"disclosure_attribute": "withheld"}
        )
    with pytest.raises(PermissionDenied):
        services.filed_document_delete(actor=district.officer_b, document=doc, reason="x")
    assert not selectors.filed_documents(district.officer_b).exists()
    services.filed_document_update(
        actor=district.officer_a,
        document=doc,
        data={
            "disclosure_attribute": "on_request",
            "withholding_reason": "particular_parties",
            "withholding_note": "仅涉及特定对象",
        },
    )
    services.filed_document_delete(actor=district.officer_a, document=doc, reason="重复登记")
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="filed_document.")
        .order_by("id")
        .values_list("verb", "actor_id", "organization_id")
    )
    a = district.officer_a.pk, district.dept_a.pk
    assert verbs == [
        ("filed_document.created", *a),
        ("filed_document.updated", *a),
        ("filed_document.deleted", *a),
    ]
    assert AuditEvent.objects.get(verb="filed_document.deleted").reason == "重复登记"
