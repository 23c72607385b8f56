"""The public page of a catalog item: the RULES.md §5.3 metadata block as a table, the body,
the metadata-stripped attachment, the two-way link to the interpretation (国办发〔2017〕47号,
RULES.md §7), the validity banner and the QR code; withdrawn items leave the lists."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.publications import services
from gongkai.publications.models import Publication
from tests.conftest import District
from tests.publications.conftest import publish

pytestmark = pytest.mark.django_db


def _soup(client: Client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.content, "html.parser")


def _metadata(soup: BeautifulSoup) -> dict[str, str]:
    table = soup.select_one("table.metadata")
    return {
        th.get_text(strip=True): th.find_next_sibling("td").get_text(strip=True)
        for th in table.select("th[scope=row]")
    }


def _page(client: Client, pub: Publication, status: int = 200) -> BeautifulSoup:
    return _soup(client, reverse("portal:publication", args=[pub.pk]), status)


def test_metadata_block_is_a_table_with_row_headers(
    client: Client, district: District, published: Any
) -> None:
    pub = published()
    soup = _page(client, pub)
    meta = _metadata(soup)
    assert meta["索引号"] == pub.index_number
    assert meta["主题分类"] == "科技、教育\\教育"
    assert meta["体裁分类"] == "通知"
    assert meta["发布机构"] == district.dept_a.name
    assert meta["成文日期"] == "2024-03-01"
    assert meta["发布日期"] == pub.published_on.isoformat()
    assert meta["发文字号"] == "测教发〔2024〕3号"
    assert meta["有效性"] == "有效"
    assert meta["关键词"] == "入学；义务教育"
    assert meta["信息名称"] == pub.title
    assert meta["内容概述"] == "明确本区义务教育阶段入学条件和程序。"
    assert soup.select_one("table.metadata caption")
    assert "现将入学办法印发给你们" in soup.select_one(".publication-body").get_text()
    assert soup.select_one(".validity-banner") is None


def test_attachment_is_the_copy_without_document_metadata(
    client: Client, district: District, published: Any
) -> None:
    pub = published(pdf_text="Admission rules of the district schools for 2024")
    soup = _page(client, pub)
    link = soup.select_one("ul.attachments a")
    assert link.get_text(strip=True) == "入学办法全文"
    response = client.get(link["href"])
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    assert b"Zhang San" not in data  # the author the officer's PDF carried
    original = pub.attachments.get().file.read()
    assert b"Zhang San" in original and data != original


def test_attachment_of_an_unpublished_item_is_not_served(
    client: Client, district: District, published: Any
) -> None:
    pub = published(pdf_text="Admission rules of the district schools for 2024")
    attachment = pub.attachments.get()
    services.publication_withdraw(actor=district.reviewer_a, publication=pub, reason="内容有误")
    url = reverse("portal:attachment", args=[pub.pk, attachment.pk])
    assert client.get(url).status_code == 404
    other = reverse("portal:attachment", args=[pub.pk + 1000, attachment.pk])
    assert client.get(other).status_code == 404


def test_document_and_interpretation_link_both_ways(
    client: Client, published: Any, interpretation_of: Any
) -> None:
    doc = published()
    interp = interpretation_of(doc)
    doc_page = _page(client, doc)
    related = doc_page.select_one("#interpretations-heading").find_parent("section")
    assert related.select_one("a")["href"] == reverse("portal:publication", args=[interp.pk])
    interp_page = _page(client, interp)
    back = interp_page.select_one("p.related a")
    assert back["href"] == reverse("portal:publication", args=[doc.pk])


def _amend(
    district: District, old: Publication, on_commit: Any, number: str, **fields: Any
) -> Publication:
    with on_commit():
        new = services.publication_amend(actor=district.officer_a, publication=old)
        services.publication_update(
            actor=district.officer_a,
            publication=new,
            data={
                "title": f"{old.title}（{number}）",
                "document_number": number,
                "written_on": date(2025, 1, 2),
                "formed_on": date(2025, 1, 2),
                **fields,
            },
        )
        publish(district, new)
    new.refresh_from_db()
    return new


def _repeal(district: District, targets: list[Publication], on_commit: Any) -> Publication:
    """A 规范性文件清理 decision that repeals `targets`, through the draft → publish path."""
    with on_commit():
        draft = services.publication_create(
            actor=district.officer_a,
            organization=district.dept_a,
            data={
                "title": "关于废止部分规范性文件的决定",
                "written_on": date(2025, 2, 1),
                "formed_on": date(2025, 2, 1),
                "document_number": "测教发〔2025〕10号",
                "topic": "1102",
                "statutory_category": "20-01",
                "normative_kind": "normative",
            },
            repeals=targets,
        )
        publish(district, draft)
    draft.refresh_from_db()
    return draft


def _url(pub: Publication) -> str:
    return reverse("portal:publication", args=[pub.pk])


def test_amended_document_points_to_the_amended_text_and_back(
    client: Client, district: District, published: Any, on_commit: Any
) -> None:
    old = published()
    new = _amend(district, old, on_commit, "测教发〔2025〕1号")
    soup = _page(client, old)
    banner = soup.select_one(".validity-banner")
    text = banner.get_text()
    assert f"本文件已于{new.published_on:%Y年%-m月%-d日}修改" in text
    assert "修改后的文件（现行文本）：" in text
    assert "现行有效的文件" not in text
    assert [a["href"] for a in banner.select("a")] == [_url(new)]
    assert _metadata(soup)["有效性"] == "已修改"
    # The new version names the version it amends and carries no banner.
    new_page = _page(client, new)
    assert new_page.select_one(".validity-banner") is None
    back = new_page.select_one("p.related.amends")
    assert "本文件修改了：" in back.get_text()
    assert back.select_one("a")["href"] == _url(old)


def test_an_amendment_taking_effect_later_is_announced_not_reported_as_done(
    client: Client, district: District, published: Any, on_commit: Any
) -> None:
    old = published()
    later = timezone.localdate() + timedelta(days=30)
    _amend(district, old, on_commit, "测教发〔2025〕1号", effective_on=later)
    text = _page(client, old).select_one(".validity-banner").get_text()
    assert f"本文件自{later:%Y年%-m月%-d日}起按修改后的文件执行" in text
    assert "已于" not in text


def test_a_title_quoted_in_the_banner_nests_its_own_title_marks(
    client: Client, district: District, published: Any, on_commit: Any
) -> None:
    old = published()  # 关于印发《测试区义务教育阶段入学办法》的通知
    new = _amend(district, old, on_commit, "测教发〔2025〕1号")
    link = _page(client, old).select_one(".validity-banner a").get_text()
    assert link == f"《{new.title.replace('《', '〈').replace('》', '〉')}》"
    assert "〈测试区义务教育阶段入学办法〉" in link


def test_twice_amended_document_names_the_next_version_and_the_text_in_force(
    client: Client, district: District, published: Any, on_commit: Any
) -> None:
    first = published()
    second = _amend(district, first, on_commit, "测教发〔2025〕1号")
    third = _amend(district, second, on_commit, "测教发〔2025〕2号")
    banner = _page(client, first).select_one(".validity-banner")
    rows = {p.get_text(strip=True).split("：")[0]: p.select_one("a") for p in banner("p")[1:]}
    assert rows["修改后的文件"]["href"] == _url(second)
    assert rows["现行文本"]["href"] == _url(third)


def test_repealed_document_names_the_decision_that_repealed_it(
    client: Client, district: District, published: Any, on_commit: Any
) -> None:
    old = published()
    decision = _repeal(district, [old], on_commit)
    banner = _page(client, old).select_one(".validity-banner")
    text = banner.get_text(strip=True)
    # The 清理 decision repealed the rule; it is not the rule's current version.
    assert text == (
        f"本文件已于{decision.published_on:%Y年%-m月%-d日}被"
        "《关于废止部分规范性文件的决定》（测教发〔2025〕10号）废止。"
    )
    assert "现行" not in text
    assert [a["href"] for a in banner.select("a")] == [_url(decision)]


def test_repealing_decision_lists_what_it_repeals(
    client: Client, district: District, published: Any, on_commit: Any
) -> None:
    first = published()
    second = published(title="测试区校外培训机构管理办法", document_number="测教发〔2024〕4号")
    decision = _repeal(district, [first, second], on_commit)
    soup = _page(client, decision)
    assert soup.select_one(".validity-banner") is None
    section = soup.select_one("#repeals-heading").find_parent("section")
    assert {a["href"] for a in section.select("ul.repeals a")} == {_url(first), _url(second)}
    assert "（测教发〔2024〕4号）" in section.get_text()


def test_validity_chain_in_the_api_both_ways(
    client: Client, district: District, published: Any, on_commit: Any
) -> None:
    old = published()
    new = _amend(district, old, on_commit, "测教发〔2025〕1号")
    decision = _repeal(district, [new], on_commit)

    def api(pub: Publication) -> dict[str, Any]:
        return json.loads(client.get(reverse("portal:api_publication", args=[pub.pk])).content)

    def ids(refs: list[dict[str, Any]]) -> list[int]:
        return [r["id"] for r in refs]

    assert ids(api(old)["amended_by"]) == [new.pk]
    assert api(new)["amends"]["id"] == old.pk
    assert ids(api(new)["repealed_by"]) == [decision.pk]
    assert ids(api(decision)["repeals"]) == [new.pk]
    assert api(decision)["amended_by"] == [] and api(old)["repeals"] == []


def test_page_carries_a_qr_code_of_its_address_without_script(
    client: Client, published: Any
) -> None:
    pub = published()
    response = client.get(reverse("portal:publication", args=[pub.pk]))
    soup = BeautifulSoup(response.content, "html.parser")
    svg = soup.select_one("aside.qr svg")
    assert svg["role"] == "img" and svg["aria-label"] == "本页二维码"
    assert svg.select_one("path")["d"]
    assert soup.find("script") is None


def test_withdrawn_item_shows_only_the_reason_and_leaves_the_lists(
    client: Client, district: District, published: Any, on_commit: Any
) -> None:
    pub = published()
    with on_commit():
        services.publication_withdraw(
            actor=district.reviewer_a, publication=pub, reason="文件内容有误，已重新发布"
        )
    soup = _page(client, pub, status=410)
    assert "文件内容有误，已重新发布" in soup.get_text()
    assert soup.select_one("table.metadata") is None
    org = district.dept_a.pk
    for url in (
        reverse("portal:catalog", args=[org]),
        reverse("portal:policies", args=[org]),
        reverse("portal:column", args=[org]),
        reverse("portal:org_feed", args=[org]),
        reverse("portal:category_feed", args=["20-01"]),
        reverse("portal:org_category_feed", args=[org, "20-01"]),
        reverse("portal:api_publications"),
        reverse("portal:search") + "?q=入学办法",
    ):
        body = client.get(url).content.decode()
        assert pub.title not in body, url
    page_url = reverse("portal:publication", args=[pub.pk])
    assert page_url not in client.get("/sitemap-publications.xml").content.decode()


def test_draft_is_not_public(client: Client, district: District) -> None:
    draft = services.publication_create(
        actor=district.officer_a,
        organization=district.dept_a,
        data={"title": "草稿中的文件"},
    )
    assert client.get(reverse("portal:publication", args=[draft.pk])).status_code == 404
