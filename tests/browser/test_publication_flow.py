"""主动公开 end to end: an officer drafts a 行政规范性文件 with a PDF attachment and its 政策解读
(三同步), a reviewer does the 保密审查 and approves both (条例第十七条), they appear in the
organisation's 政府信息公开 column, and a citizen reading in 繁體 finds the document by search."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from gongkai.publications.models import Publication
from tests.conftest import PASSWORD, District
from tests.publications.conftest import tiny_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于印发《测试区义务教育阶段入学办法》的通知"
INTERPRETATION = "《关于印发《测试区义务教育阶段入学办法》的通知》政策解读"


@pytest.fixture(autouse=True)
def _media_and_cache(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def _login(browser: Any, live_server: Any, username: str) -> Any:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/console/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/console/")
    return page


def _submit(page: Any, live_server: Any, pk: int) -> None:
    page.goto(f"{live_server.url}/console/publications/{pk}/edit/")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_load_state()


def _approve(page: Any, live_server: Any, pk: int) -> None:
    page.goto(f"{live_server.url}/console/publications/{pk}/review/")
    page.get_by_label("已进行保密审查，不涉及国家秘密").check()
    page.get_by_label("公开属性").select_option("proactive")
    page.get_by_label("审核通过后立即发布").check()
    page.get_by_role("button", name="保存审核意见").click()
    page.wait_for_load_state()


def test_document_drafted_approved_published_and_found_in_traditional(
    live_server: Any, browser: Any, page: Any, district: District
) -> None:
    officer = _login(browser, live_server, "officer_a")
    officer.goto(f"{live_server.url}/console/publications/new/")
    officer.get_by_label("信息名称").fill(TITLE)
    officer.get_by_label("内容概述").fill("明确本区义务教育阶段入学条件和程序。")
    officer.get_by_label("成文日期").fill("2024-03-01")
    officer.get_by_label("发文字号").fill("测教发〔2024〕3号")
    officer.get_by_label("主题分类").select_option("1102")
    officer.get_by_label("体裁分类").select_option("notice")
    officer.get_by_label("法定主动公开内容").select_option("20-01")
    officer.get_by_label("规章或行政规范性文件").select_option("normative")
    officer.get_by_label("正文").fill("<p>各中小学：现将入学办法印发给你们，请遵照执行。</p>")
    officer.get_by_role("button", name="保存草稿").click()
    officer.wait_for_url("**/edit/")
    doc = Publication.objects.get(title=TITLE)

    officer.get_by_label("附件文件").set_input_files(
        {
            "name": "入学办法.pdf",
            "mimeType": "application/pdf",
            "buffer": tiny_pdf("Admission quota table of the district schools"),
        }
    )
    officer.get_by_role("button", name="上传附件").click()
    officer.wait_for_load_state()
    assert "已完成" in officer.locator("main").inner_text()  # text extracted

    officer.goto(f"{live_server.url}/console/publications/{doc.pk}/")
    officer.get_by_role("link", name="起草解读").click()
    officer.get_by_label("成文日期").fill("2024-03-01")
    officer.get_by_label("正文").fill("<p>一、起草背景。二、入学条件和程序的主要内容。</p>")
    officer.get_by_role("button", name="保存草稿").click()
    officer.wait_for_url("**/edit/")
    interpretation = Publication.objects.get(interpretation__document=doc)

    _submit(officer, live_server, doc.pk)
    _submit(officer, live_server, interpretation.pk)
    officer.context.close()

    reviewer = _login(browser, live_server, "reviewer_a")
    _approve(reviewer, live_server, doc.pk)
    _approve(reviewer, live_server, interpretation.pk)
    reviewer.context.close()
    doc.refresh_from_db()
    assert doc.status == "published", doc.status

    # The public side: the column's 政策文件 list, the page with its attachment and解读.
    page.goto(f"{live_server.url}/gk/")
    page.get_by_role("link", name=district.dept_a.name).click()
    page.get_by_role("navigation", name="政府信息公开栏目").get_by_role(
        "link", name="政策文件"
    ).click()
    page.get_by_role("link", name=TITLE).click()
    assert page.get_by_role("heading", name=TITLE, level=1).is_visible()
    assert page.get_by_role("row", name="发文字号 测教发〔2024〕3号").is_visible()
    assert page.get_by_role("link", name="入学办法", exact=True).is_visible()
    page.get_by_role("link", name=interpretation.title).click()
    assert page.get_by_role("link", name=TITLE).is_visible()  # and back to the document

    # A reader in 繁體 searches with traditional characters and a traditional 文号.
    page.get_by_role("link", name="繁體").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="信息檢索").click()
    page.get_by_label("檢索詞").fill("義務教育階段入學辦法")
    page.get_by_role("button", name="檢索", exact=True).click()
    page.wait_for_load_state()
    hits = page.locator("ol.hits h3 a")
    # The document and its interpretation both match; their order is the engine's ranking.
    assert "關於印發《測試區義務教育階段入學辦法》的通知" in hits.all_inner_texts()
    page.get_by_label("檢索詞").fill("測教發（2024）3號")
    page.get_by_role("button", name="檢索", exact=True).click()
    page.wait_for_load_state()
    hits.first.click()  # a 文号 lookup puts the document with that number first
    assert page.url.endswith(f"/gk/publications/{doc.pk}/")
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
