"""The 政府信息公开 column (RULES.md §5.5) and its lists: standard sub-columns, the 指南 of
条例第十二条, 法定主动公开内容 by 第二十条 item, filters and pagination."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.orgs import services as org_services
from gongkai.portal import services
from gongkai.portal.column import annual_reports_url
from gongkai.portal.models import DisclosureGuide
from tests.conftest import District
from tests.portal.conftest import bulk_published

pytestmark = pytest.mark.django_db

STANDARD_SUB_COLUMNS = [
    "政府信息公开指南",
    "政府信息公开制度",
    "法定主动公开内容",
    "政府信息公开年报",
    "政策文件",
    "政策解读",
    "依申请公开",
]


def _soup(client: Client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.content, "html.parser")


def _titles(soup: BeautifulSoup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select("table.catalog tbody td:first-child a")]


def test_district_overview_links_every_organisations_column(
    client: Client, district: District
) -> None:
    bulk_published(district.dept_a, 2)
    soup = _soup(client, reverse("portal:district"))
    links = {a.get_text(strip=True): a["href"] for a in soup.select("ul.org-list a")}
    for org in (district.gov, district.dept_a, district.dept_b, district.street):
        assert links[org.name] == reverse("portal:column", args=[org.pk])
    assert "2 条信息" in soup.select_one("ul.org-list").get_text()


def test_column_has_the_standard_sub_columns_in_order(client: Client, district: District) -> None:
    soup = _soup(client, reverse("portal:column", args=[district.dept_a.pk]))
    nav = soup.select_one("nav.sub-columns")
    names = [a.get_text(strip=True) for a in nav.select("a")]
    assert names[: len(STANDARD_SUB_COLUMNS)] == STANDARD_SUB_COLUMNS
    hrefs = {a.get_text(strip=True): a["href"] for a in nav.select("a")}
    assert hrefs["依申请公开"] == f"{reverse('portal:apply')}?organization={district.dept_a.pk}"
    assert hrefs["政府信息公开年报"] == f"/gk/{district.dept_a.credit_code}/annual-reports/"
    assert annual_reports_url(district.dept_a) == hrefs["政府信息公开年报"]
    for name in STANDARD_SUB_COLUMNS:
        if name not in ("政府信息公开年报",):
            assert client.get(hrefs[name]).status_code == 200, name


def _chosen_organisation(client: Client, url: str) -> list[str]:
    soup = _soup(client, url)
    return [o["value"] for o in soup.select("select#id_organization option[selected]")]


def test_apply_link_of_a_column_preselects_the_organisation(
    client: Client, district: District
) -> None:
    """From an organisation's column, the application form opens with it as 受理机关."""
    soup = _soup(client, reverse("portal:column", args=[district.dept_b.pk]))
    link = soup.select_one("nav.sub-columns a[href^='/apply/']")["href"]
    assert _chosen_organisation(client, link) == [str(district.dept_b.pk)]
    # Without it, or with an organisation that takes no applications, nothing is chosen.
    district.street.is_active = False
    district.street.save(update_fields=["is_active"])
    apply = reverse("portal:apply")
    for query in (
        "",
        "?organization=99999",
        "?organization=abc",
        "?organization=²",  # a digit to str.isdigit(), not to int()
        f"?organization={district.street.pk}",
    ):
        assert _chosen_organisation(client, apply + query) in ([], [""]), query


def test_catalog_lists_the_index_number_of_each_item(client: Client, district: District) -> None:
    """条例第十二条: 索引 is an element of the 目录 (RULES.md §5.1)."""
    [pub] = bulk_published(district.dept_a, 1, title="甲")
    soup = _soup(client, reverse("portal:catalog", args=[district.dept_a.pk]))
    headers = [th.get_text(strip=True) for th in soup.select("table.catalog thead th")]
    assert headers[:2] == ["信息名称", "索引号"]
    row = soup.select_one("table.catalog tbody tr")
    assert row.select_one("td.index-number").get_text(strip=True) == pub.index_number
    wrap = soup.select_one("table.catalog").find_parent("div")
    assert "table-wrap" in wrap["class"] and wrap["tabindex"] == "0"


def test_inactive_or_unknown_organisation_has_no_column(client: Client, district: District) -> None:
    district.street.is_active = False
    district.street.save(update_fields=["is_active"])
    assert client.get(reverse("portal:column", args=[district.street.pk])).status_code == 404
    assert client.get(reverse("portal:guide", args=[99999])).status_code == 404


def test_guide_is_generated_from_the_organisation_and_its_channels(
    client: Client, district: District
) -> None:
    """条例第十二条: office name, address, hours, phone, fax, internet contact, and every
    application channel the organisation has (RULES.md §1.4, §5.1)."""
    org_services.organization_update(
        actor=district.sysadmin,
        organization=district.dept_a,
        disclosure_office="测试区教育局办公室",
        address="测试区人民路1号",
        postcode="339905",
        office_hours="工作日 9:00-17:00",
        phone="0571-87654321",
        fax="0571-87654322",
        email="gk@example.gov.cn",
    )
    soup = _soup(client, reverse("portal:guide", args=[district.dept_a.pk]))
    office = {
        th.get_text(strip=True): th.find_next_sibling("td").get_text(strip=True)
        for th in soup.select("table.metadata th")
    }
    assert office["机构名称"] == "测试区教育局办公室"
    assert office["办公地址"] == "测试区人民路1号"
    assert office["办公时间"] == "工作日 9:00-17:00"
    assert office["联系电话"] == "0571-87654321"
    assert office["传真"] == "0571-87654322"
    assert office["电子邮箱"] == "gk@example.gov.cn"
    channels = [dt.get_text(strip=True) for dt in soup.select("dl.channels dt")]
    assert channels == ["网上申请", "信函申请", "当面申请", "传真申请", "电子邮件申请"]
    assert "第二十九条" in soup.select_one(".guide-text").get_text()


def test_guide_without_contact_data_offers_the_online_channel_only(
    client: Client, district: District
) -> None:
    soup = _soup(client, reverse("portal:guide", args=[district.dept_b.pk]))
    assert [dt.get_text(strip=True) for dt in soup.select("dl.channels dt")] == ["网上申请"]


def test_org_admin_edits_the_guide_text_and_it_is_audited(district: District) -> None:
    client = Client()
    client.force_login(district.admin_a)
    url = reverse("console:guide_edit", args=[district.dept_a.pk])
    assert (
        url in client.get(reverse("console:org_detail", args=[district.dept_a.pk])).content.decode()
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "第二十九条" in page.content.decode()  # starts from the generated text
    response = client.post(url, {"text": "本机关的指南正文。\n\n第二段。"})
    assert response.status_code == 302
    guide = DisclosureGuide.objects.get(organization=district.dept_a)
    assert guide.text == "本机关的指南正文。\n\n第二段。"
    assert AuditEvent.objects.filter(verb="guide.updated").count() == 1
    public = _soup(Client(), reverse("portal:guide", args=[district.dept_a.pk]))
    assert (
        public.select_one(".guide-text").get_text("\n", strip=True)
        == "本机关的指南正文。\n第二段。"
    )
    # Emptying it goes back to the generated text.
    client.post(url, {"text": ""})
    assert not DisclosureGuide.objects.exists()
    assert AuditEvent.objects.filter(verb="guide.reset").count() == 1


def test_only_the_organisations_admin_may_edit_its_guide(district: District) -> None:
    for user in (district.officer_a, district.reviewer_a):
        client = Client()
        client.force_login(user)
        url = reverse("console:guide_edit", args=[district.dept_a.pk])
        assert client.post(url, {"text": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.guide_save(actor=district.admin_a, organization=district.dept_b, text="x")
    assert not DisclosureGuide.objects.exists()


def test_statutory_content_is_arranged_by_the_items_of_article_20(
    client: Client, district: District
) -> None:
    """条例第二十条 (一)～(十五) and 第二十一条, each with its count and its own list."""
    bulk_published(district.dept_a, 3, statutory_category="20-07")
    bulk_published(district.dept_b, 2, statutory_category="20-07")
    soup = _soup(client, reverse("portal:statutory", args=[district.dept_a.pk]))
    rows = soup.select("table.catalog tbody tr")
    assert len(rows) == 17
    budget = next(r for r in rows if "财政预算、决算信息" in r.get_text())
    assert budget.select("td")[1].get_text(strip=True) == "3"
    listing = _soup(client, budget.select_one("a")["href"])
    assert len(_titles(listing)) == 3  # department B's items are in its own column
    assert (
        client.get(
            reverse("portal:statutory_category", args=[district.dept_a.pk, "99"])
        ).status_code
        == 404
    )


def test_policy_documents_and_interpretations_columns(
    client: Client, district: District, published: Any, interpretation_of: Any
) -> None:
    doc = published()
    interp = interpretation_of(doc)
    bulk_published(district.dept_a, 1, title="招生工作动态", statutory_category="20-11")
    policies = _titles(_soup(client, reverse("portal:policies", args=[district.dept_a.pk])))
    assert policies == [doc.title]
    interpretations = _titles(
        _soup(client, reverse("portal:interpretations", args=[district.dept_a.pk]))
    )
    assert interpretations == [interp.title]


def test_system_column_lists_the_disclosure_rules_not_other_open_government_items(
    client: Client, district: District
) -> None:
    """政府信息公开制度 (RULES.md §5.5) holds the organisation's rules for its disclosure work,
    marked by their 体裁分类; a 第二十条第（二）项 item under the same 主题分类 政务公开 is not one."""
    bulk_published(
        district.dept_a,
        1,
        title="测试区教育局政府信息公开保密审查制度",
        topic="0201",
        genre="disclosure_rules",
    )
    bulk_published(
        district.dept_a, 1, title="测试区教育局内设机构", topic="0201", statutory_category="20-02"
    )
    bulk_published(
        district.dept_b, 1, title="测试区民政局依申请公开办理制度", genre="disclosure_rules"
    )
    bulk_published(district.dept_a, 1, title="招生工作动态")
    titles = _titles(_soup(client, reverse("portal:system", args=[district.dept_a.pk])))
    assert titles == ["测试区教育局政府信息公开保密审查制度"]


def test_catalog_filters_by_category_topic_year_and_validity(
    client: Client, district: District
) -> None:
    org = district.dept_a
    bulk_published(org, 1, title="甲", statutory_category="20-01", normative_kind="normative")
    bulk_published(org, 1, title="乙", statutory_category="20-07", topic="0401")
    bulk_published(org, 1, title="丙", published_on=date(2023, 5, 1))
    bulk_published(
        org,
        1,
        title="丁",
        statutory_category="20-01",
        normative_kind="normative",
        validity="repealed",
    )
    url = reverse("portal:catalog", args=[org.pk])
    assert sorted(_titles(_soup(client, f"{url}?category=20-01"))) == ["丁", "甲"]
    assert _titles(_soup(client, f"{url}?topic=04")) == ["乙"]  # a class finds its sub-classes
    assert _titles(_soup(client, f"{url}?year=2023")) == ["丙"]
    assert _titles(_soup(client, f"{url}?validity=repealed")) == ["丁"]
    soup = _soup(client, f"{url}?year=2023")
    assert [o["value"] for o in soup.select("#id_year option")] == ["", "2024", "2023"]
    # A value that is not offered is ignored rather than failing the page.
    assert len(_titles(_soup(client, f"{url}?category=bogus&year=1900"))) == 4


def test_lists_are_paginated_and_keep_the_filters(client: Client, district: District) -> None:
    bulk_published(district.dept_a, 45, statutory_category="20-05")
    url = reverse("portal:catalog", args=[district.dept_a.pk]) + "?category=20-05"
    first = _soup(client, url)
    assert len(_titles(first)) == 20
    nxt = first.select_one("nav.pagination a[rel=next]")["href"]
    assert "category=20-05" in nxt and "page=2" in nxt
    last = _soup(
        client, reverse("portal:catalog", args=[district.dept_a.pk]) + "?category=20-05&page=3"
    )
    assert len(_titles(last)) == 5
    assert "第 3 / 3 页，共 45 条" in last.select_one("nav.pagination").get_text()


def test_column_pages_follow_the_reading_preferences(
    client: Client, district: District, published: Any
) -> None:
    """适老化 (ACCESSIBILITY.md §2): the 繁體 view and 大字版 apply to the new pages too, and they
    need no script."""
    from gongkai.portal.preferences import SCRIPT_COOKIE, TEXT_COOKIE

    pub = published()
    client.cookies[SCRIPT_COOKIE] = "hant"
    client.cookies[TEXT_COOKIE] = "large"
    for url in (
        reverse("portal:district"),
        reverse("portal:guide", args=[district.dept_a.pk]),
        reverse("portal:catalog", args=[district.dept_a.pk]),
        reverse("portal:publication", args=[pub.pk]),
        reverse("portal:search") + "?q=入学",
    ):
        soup = _soup(client, url)
        assert soup.html["lang"] == "zh-Hant", url
        assert "large-text" in soup.body["class"], url
        assert soup.find("script") is None, url
    page = _soup(client, reverse("portal:publication", args=[pub.pk]))
    assert page.h1.get_text(strip=True) == "關於印發《測試區義務教育階段入學辦法》的通知"


def test_topic_filter_offers_only_the_classes_the_list_holds(
    client: Client, district: District
) -> None:
    bulk_published(district.dept_a, 1, topic="0401")
    bulk_published(district.dept_a, 1, topic="1102")
    soup = _soup(client, reverse("portal:catalog", args=[district.dept_a.pk]))
    offered = [o["value"] for o in soup.select("#id_topic option")]
    assert offered == ["", "04", "0401", "11", "1102"]
