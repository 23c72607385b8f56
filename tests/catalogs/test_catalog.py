"""标准目录 (RULES.md §4; 国办发〔2019〕54号): the 26 areas, items, adoption, links, coverage."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.audit.models import AuditEvent
from gongkai.catalogs import selectors, services
from gongkai.catalogs.models import Adoption, Domain, PublicationItem
from gongkai.publications.models import Publication
from tests.catalogs.conftest import domain, published, standard_item
from tests.publications.conftest import make_draft

# RULES.md §4, in its order.
THE_26 = [
    "重大建设项目", "公共资源交易", "财政预决算", "安全生产", "税收管理", "城乡规划", "征地补偿",
    "国有土地上房屋征收与补偿", "农村危房改造", "环境保护", "公共文化服务", "扶贫", "救灾",
    "社会救助", "养老服务", "户籍管理", "涉农补贴", "义务教育", "医疗卫生", "市政服务", "就业",
    "社会保险", "食品药品监管", "公共法律服务", "城市综合执法", "保障性住房",
]  # fmt: skip


@pytest.mark.django_db
def test_code_list_has_the_26_pilot_areas_of_guo_ban_fa_2019_54() -> None:
    standard = Domain.objects.filter(is_standard=True).order_by("code")
    assert [d.name for d in standard] == THE_26
    assert [d.code for d in standard] == [f"{n:02d}" for n in range(1, 27)]
    # The example standard items load with every column of a published catalogue filled.
    for item in standard_item("1401").domain.items.all():
        assert item.content and item.basis and item.time_limit and item.subject and item.channels


def test_a_locality_adds_an_area(district: Any) -> None:
    new = services.domain_create(actor=district.sysadmin, code="27", name="统计")
    assert not new.is_standard
    assert AuditEvent.objects.filter(verb="catalog.domain_created", object_id=str(new.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.domain_create(actor=district.officer_a, code="28", name="交通运输")
    with pytest.raises(ValidationError):  # codes and names stay unique
        services.domain_create(actor=district.sysadmin, code="28", name="统计")


def _item_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "domain": domain("18"),
        "item": "学校招生",
        "sub_item": "学区划分",
        "content": "划片范围",
        "basis": "《中华人民共和国义务教育法》",
        "time_limit": "招生前",
        "subject": "区教育局",
        "channels": ["website", "notice_board"],
        "audience_public": True,
        "method_proactive": True,
        "level_county": True,
    }
    data.update(overrides)
    return data


def test_local_item_needs_the_catalogue_columns(district: Any) -> None:
    item = services.catalog_item_create(
        actor=district.officer_a, organization=district.dept_a, data=_item_data()
    )
    assert item.channel_display == "政府网站、社区/企事业单位/村公示栏（电子屏）"
    with pytest.raises(ValidationError, match="公开对象"):
        services.catalog_item_create(
            actor=district.officer_a,
            organization=district.dept_a,
            data=_item_data(audience_public=False),
        )
    with pytest.raises(ValidationError, match="渠道"):
        services.catalog_item_create(
            actor=district.officer_a,
            organization=district.dept_a,
            data=_item_data(channels=["carrier_pigeon"]),
        )
    with pytest.raises(PermissionDenied):
        services.catalog_item_create(
            actor=district.officer_b, organization=district.dept_a, data=_item_data()
        )


def test_adopt_and_unadopt_are_audited_and_idempotent(district: Any) -> None:
    item = standard_item("1801")
    services.item_adopt(actor=district.officer_a, organization=district.dept_a, item=item)
    services.item_adopt(actor=district.officer_a, organization=district.dept_a, item=item)
    assert Adoption.objects.filter(organization=district.dept_a).count() == 1
    assert AuditEvent.objects.filter(verb="catalog.item_adopted").count() == 1
    services.item_unadopt(actor=district.officer_a, organization=district.dept_a, item=item)
    assert not Adoption.objects.exists()
    event = AuditEvent.objects.get(verb="catalog.item_unadopted")
    assert event.organization_id == district.dept_a.pk
    assert event.actor_id == district.officer_a.pk


def test_another_organisations_officer_changes_nothing(district: Any) -> None:
    item = standard_item("1801")
    with pytest.raises(PermissionDenied):
        services.item_adopt(actor=district.officer_b, organization=district.dept_a, item=item)
    services.item_adopt(actor=district.officer_a, organization=district.dept_a, item=item)
    with pytest.raises(PermissionDenied):
        services.item_unadopt(actor=district.officer_b, organization=district.dept_a, item=item)
    local = services.catalog_item_create(
        actor=district.officer_a, organization=district.dept_a, data=_item_data()
    )
    # B may not adopt A's local item, nor see it.
    with pytest.raises(PermissionDenied):
        services.item_adopt(actor=district.officer_b, organization=district.dept_b, item=local)
    assert local not in selectors.visible_items(district.officer_b)
    assert local in selectors.visible_items(district.officer_a)
    # The supervisor (reads the subtree) may not act.
    with pytest.raises(PermissionDenied):
        services.item_unadopt(actor=district.supervisor, organization=district.dept_a, item=item)
    assert Adoption.objects.filter(organization=district.dept_a).count() == 1


def test_publication_links_only_adopted_items(district: Any) -> None:
    item, other = standard_item("1801"), standard_item("1401")
    pub = make_draft(district)
    with pytest.raises(ValidationError, match="已采用"):
        services.publication_items_set(actor=district.officer_a, publication=pub, items=[item])
    services.item_adopt(actor=district.officer_a, organization=district.dept_a, item=item)
    services.publication_items_set(actor=district.officer_a, publication=pub, items=[item])
    assert list(PublicationItem.objects.values_list("item_id", flat=True)) == [item.pk]
    event = AuditEvent.objects.get(verb="catalog.publication_items_set")
    assert event.after == {"items": [item.pk]}
    with pytest.raises(PermissionDenied):
        services.publication_items_set(actor=district.officer_b, publication=pub, items=[])
    with pytest.raises(ValidationError):
        services.publication_items_set(actor=district.officer_a, publication=pub, items=[other])
    # Unadopting removes the links (they stay in the audit log).
    services.item_unadopt(actor=district.officer_a, organization=district.dept_a, item=item)
    assert not PublicationItem.objects.exists()
    unadopted = AuditEvent.objects.get(verb="catalog.item_unadopted")
    assert unadopted.before is not None and unadopted.before["linked_publications"] == [pub.pk]


def test_coverage_shows_adopted_items_with_nothing_published_this_year(district: Any) -> None:
    budget, enrolment, jobs = standard_item("0301"), standard_item("1801"), standard_item("2101")
    for item in (budget, enrolment, jobs):
        services.item_adopt(actor=district.officer_a, organization=district.dept_a, item=item)
    this_year = date.today().year
    # Enrolment: published this year. Budget: only a draft and an item published last year.
    pub = published(district)
    services.publication_items_set(actor=district.officer_a, publication=pub, items=[enrolment])
    draft = make_draft(district, title="草稿")
    old = published(district, title="去年的预算")
    Publication.objects.filter(pk=old.pk).update(published_on=date(this_year - 1, 6, 1))
    for p in (draft, old):
        services.publication_items_set(actor=district.officer_a, publication=p, items=[budget])
    rows = {i.pk: i.published_count for i in selectors.coverage(district.dept_a, this_year)}
    assert rows == {budget.pk: 0, enrolment.pk: 1, jobs.pk: 0}
    gaps = [i for i in selectors.coverage(district.dept_a, this_year) if not i.published_count]
    assert {i.pk for i in gaps} == {budget.pk, jobs.pk}
    # Last year the budget item was covered.
    last = {i.pk: i.published_count for i in selectors.coverage(district.dept_a, this_year - 1)}
    assert last[budget.pk] == 1
    # Department B adopted nothing: its coverage is empty, A's links do not count for it.
    assert list(selectors.coverage(district.dept_b, this_year)) == []
