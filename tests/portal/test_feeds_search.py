"""RSS per organisation and per 第二十条 category, sitemap.xml, and the search page: 繁体
queries and 文号 written with any brackets find a published document; facets filter."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from gongkai.portal import search_source
from gongkai.publications import services
from gongkai.search import api as search_api
from tests.conftest import District
from tests.portal.conftest import bulk_published
from tests.publications.conftest import draft_data, publish

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own response, not untrusted input


def _rss_titles(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = _xml(response.content)
    return [item.findtext("title") or "" for item in root.iter("item")]


def test_rss_per_organisation(client: Client, district: District, published: Any) -> None:
    doc = published()
    bulk_published(district.dept_b, 1, title="民政局的信息")
    titles = _rss_titles(client, reverse("portal:org_feed", args=[district.dept_a.pk]))
    assert titles == [doc.title]
    root = _xml(client.get(reverse("portal:org_feed", args=[district.dept_a.pk])).content)
    link = root.find("channel/item/link").text  # type: ignore[union-attr]
    assert link.endswith(reverse("portal:publication", args=[doc.pk]))


def test_rss_per_category_across_organisations(client: Client, district: District) -> None:
    bulk_published(district.dept_a, 1, title="教育局预算", statutory_category="20-07")
    bulk_published(district.dept_b, 1, title="民政局预算", statutory_category="20-07")
    bulk_published(district.dept_b, 1, title="民政局许可", statutory_category="20-05")
    titles = _rss_titles(client, reverse("portal:category_feed", args=["20-07"]))
    assert sorted(titles) == ["教育局预算", "民政局预算"]
    assert client.get(reverse("portal:category_feed", args=["99"])).status_code == 404


def test_rss_per_organisation_and_category_linked_from_its_statutory_page(
    client: Client, district: District
) -> None:
    """The feed offered next to an item of 条例第二十条 on an organisation's page holds that
    organisation's items of that item only."""
    bulk_published(district.dept_a, 1, title="教育局预算", statutory_category="20-07")
    bulk_published(district.dept_a, 1, title="教育局许可", statutory_category="20-05")
    bulk_published(district.dept_b, 1, title="民政局预算", statutory_category="20-07")
    page = BeautifulSoup(
        client.get(reverse("portal:statutory", args=[district.dept_a.pk])).content, "html.parser"
    )
    budget = next(r for r in page.select("table.catalog tbody tr") if "财政预算" in r.get_text())
    feed = budget.select("a")[-1]["href"]
    assert feed == reverse("portal:org_category_feed", args=[district.dept_a.pk, "20-07"])
    assert _rss_titles(client, feed) == ["教育局预算"]
    channel = _xml(client.get(feed).content).find("channel")
    assert channel.findtext("link").endswith(  # type: ignore[union-attr]
        reverse("portal:statutory_category", args=[district.dept_a.pk, "20-07"])
    )
    for bad in ((district.dept_a.pk, "99"), (99999, "20-07")):
        assert client.get(reverse("portal:org_category_feed", args=bad)).status_code == 404


def _sitemap_paths(client: Client) -> set[str]:
    """Every page address listed by the sections of the sitemap index."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    paths: set[str] = set()
    for section in _xml(index.content).findall("s:sitemap/s:loc", NS):
        response = client.get("/" + (section.text or "").split("://", 1)[1].split("/", 1)[1])
        assert response.status_code == 200
        for loc in _xml(response.content).findall("s:url/s:loc", NS):
            paths.add((loc.text or "").split("://", 1)[1].split("/", 1)[1])
    return paths


def test_sitemap_lists_columns_and_published_items(
    client: Client, district: District, published: Any
) -> None:
    doc = published()
    paths = _sitemap_paths(client)
    assert f"gk/publications/{doc.pk}/" in paths
    assert f"gk/{district.dept_a.pk}/guide/" in paths
    assert "gk/" in paths and "search/" in paths
    for path in sorted(paths)[:20]:
        assert client.get("/" + path).status_code == 200, path


def test_sitemap_pages_large_catalogs(client: Client, district: District) -> None:
    bulk_published(district.dept_a, 2_001)
    index = _xml(client.get("/sitemap.xml").content)
    sections = [e.text or "" for e in index.findall("s:sitemap/s:loc", NS)]
    assert sum("sitemap-publications.xml" in s for s in sections) == 2
    assert any(s.endswith("?p=2") for s in sections)


def _hit_titles(client: Client, query: str, **params: str) -> list[str]:
    response = client.get(reverse("portal:search"), {"q": query, **params})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [h.get_text(strip=True) for h in soup.select("ol.hits h3")]


def test_search_finds_a_published_document_by_a_traditional_query(
    client: Client, published: Any
) -> None:
    doc = published()
    assert _hit_titles(client, "義務教育階段入學辦法") == [doc.title]
    response = client.get(reverse("portal:search"), {"q": "入學辦法"})
    assert "<mark>入学办法</mark>" in response.content.decode()


@pytest.mark.parametrize(
    "query", ["测教发〔2024〕3号", "测教发[2024]3号", "測教發（2024）3號", "测教发【2024】3号"]
)
def test_search_finds_a_document_by_any_form_of_its_document_number(
    client: Client, published: Any, query: str
) -> None:
    doc = published()
    published(title="另一份文件", document_number="测教发〔2024〕31号")
    assert _hit_titles(client, query)[0] == doc.title


def test_search_reads_the_body_as_text_not_as_html(client: Client, published: Any) -> None:
    """Entities pasted from Word are text, and paragraphs do not run into each other."""
    doc = published(body="<p>第一条&nbsp;为了规范招生工作</p><p>第二条 R&amp;D 经费</p>")
    soup = BeautifulSoup(
        client.get(reverse("portal:search"), {"q": "规范招生"}).content, "html.parser"
    )
    assert [h.get_text(strip=True) for h in soup.select("ol.hits h3")] == [doc.title]
    snippet = str(soup.select_one("ol.hits"))
    assert "nbsp" not in snippet and "&amp;amp;" not in snippet
    assert _hit_titles(client, "r&d") == [doc.title]
    assert _hit_titles(client, "工作第二条") == []  # two paragraphs, not one sentence


def test_search_finds_text_in_an_attachment(client: Client, published: Any) -> None:
    doc = published(pdf_text="Admission quota table of the district schools")
    response = client.get(reverse("portal:search"), {"q": "quota"})
    soup = BeautifulSoup(response.content, "html.parser")
    assert [h.get_text(strip=True) for h in soup.select("ol.hits h3")] == [doc.title]
    assert "附件1 入学办法全文 第1页" in soup.select_one("ol.hits").get_text()


def test_facets_are_filter_links(client: Client, district: District, published: Any) -> None:
    published()
    published(
        title="入学补助发放办法",
        document_number="测教发〔2024〕8号",
        statutory_category="20-11",
        normative_kind="",
    )
    response = client.get(reverse("portal:search"), {"q": "入学"})
    soup = BeautifulSoup(response.content, "html.parser")
    facets = soup.select_one("nav.facets")
    assert district.dept_a.name in facets.get_text()
    link = next(a for a in facets.select("a") if a.get_text(strip=True).startswith("（十一）"))
    filtered = client.get(reverse("portal:search") + link["href"])
    titles = [
        h.get_text(strip=True)
        for h in BeautifulSoup(filtered.content, "html.parser").select("ol.hits h3")
    ]
    assert titles == ["入学补助发放办法"]
    assert "取消筛选" in filtered.content.decode()


def test_withdrawn_document_disappears_from_search(
    client: Client, district: District, published: Any, on_commit: Any
) -> None:
    doc = published()
    assert _hit_titles(client, "入学办法") == [doc.title]
    with on_commit():
        services.publication_withdraw(actor=district.reviewer_a, publication=doc, reason="内容有误")
    assert _hit_titles(client, "入学办法") == []
    assert _hit_titles(client, "测教发〔2024〕3号") == []


def test_reindex_rebuilds_publications_from_the_source(district: District, published: Any) -> None:
    doc = published()
    assert "publication" in search_api.registered_kinds()
    search_api.remove_documents([search_source.key_for(doc.pk)])
    assert search_api.search("入学办法").total == 0
    assert search_api.rebuild(kind="publication") == 1
    assert [h.key for h in search_api.search("入学办法").hits] == [search_source.key_for(doc.pk)]


def test_empty_search_page_renders_the_form_only(client: Client) -> None:
    response = client.get(reverse("portal:search"))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("form[role=search] input[name=q]")
    assert soup.select_one("ol.hits") is None


def test_items_saved_in_bulk_are_indexed_together_as_the_database_has_them_at_the_end(
    district: District, on_commit: Any, index_tasks: list[int]
) -> None:
    from django.db import transaction

    from gongkai.publications.signals import saving_in_bulk

    drafts = [
        services.publication_create(
            actor=district.officer_a, organization=district.dept_a, data=draft_data(title=title)
        )
        for title in ("甲办法", "乙办法", "丙办法")
    ]
    with on_commit(), saving_in_bulk():
        publish(district, drafts[0])
        with pytest.raises(RuntimeError), transaction.atomic():
            publish(district, drafts[1])
            raise RuntimeError("this row is rolled back")
        publish(district, drafts[2])
    assert index_tasks == [2]  # one task for the block, without the rolled-back row
    hits = {h.key for h in search_api.search("办法").hits}
    assert hits == {search_source.key_for(drafts[0].pk), search_source.key_for(drafts[2].pk)}


def test_a_failed_bulk_block_keeps_nothing_it_saved(district: District, on_commit: Any) -> None:
    from gongkai.publications.models import Publication
    from gongkai.publications.signals import saving_in_bulk

    draft = services.publication_create(
        actor=district.officer_a, organization=district.dept_a, data=draft_data(title="丁办法")
    )
    with on_commit():
        with pytest.raises(RuntimeError), saving_in_bulk():
            publish(district, draft)
            raise RuntimeError("the import failed after this row")
        # The caller went on (and would commit): the row is not left published and unindexed.
        assert Publication.objects.get(pk=draft.pk).status != "published"
    assert search_api.search("丁办法").total == 0
