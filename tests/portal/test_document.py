"""The public page of a catalog item: the RULES.md §5.3 metadata block as a table, the body,
the metadata-stripped attachment, the two-way link to the interpretation (国办发〔2017〕47号,
RULES.md §7), the validity banner and the QR code; withdrawn items leave the lists."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

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
    pub = published(pdf_text="Admission rules")
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
    pub = published(pdf_text="Admission rules")
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


def test_amended_document_shows_a_banner_pointing_to_the_current_version(
    client: Client, district: District, published: Any, on_commit: Any
) -> None:
    old = published()
    with on_commit():
        new = services.publication_amend(actor=district.officer_a, publication=old)
        services.publication_update(
            actor=district.officer_a,
            publication=new,
            data={
                "document_number": "测教发〔2025〕1号",
                "written_on": date(2025, 1, 2),
                "formed_on": date(2025, 1, 2),
            },
        )
        publish(district, new)
    soup = _page(client, old)
    banner = soup.select_one(".validity-banner")
    assert "本文件已修改" in banner.get_text()
    assert banner.select_one("a")["href"] == reverse("portal:publication", args=[new.pk])
    assert _metadata(soup)["有效性"] == "已修改"
    assert _page(client, new).select_one(".validity-banner") is None


def test_repealed_document_points_to_the_repealing_one(
    client: Client, district: District, published: Any, on_commit: Any
) -> None:
    old = published()
    # Record the repeal through the draft → publish path.
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
            repeals=[old],
        )
        publish(district, draft)
    banner = _page(client, old).select_one(".validity-banner")
    assert "本文件已废止" in banner.get_text()
    assert [a["href"] for a in banner.select("a")] == [
        reverse("portal:publication", args=[draft.pk])
    ]


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
