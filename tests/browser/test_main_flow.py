"""The first thing a person does: an officer logs in, sees the console, visits the portal and
reads it in traditional characters."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import PASSWORD, District

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_logs_in_and_reads_portal_in_traditional(
    live_server: Any, page: Any, district: District
) -> None:
    page.goto(f"{live_server.url}/console/")
    assert "/console/login/" in page.url
    page.get_by_label("用户名").fill("officer_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/console/")
    assert page.get_by_role("heading", name="工作台").is_visible()
    assert page.get_by_role("link", name=district.dept_a.name).is_visible()

    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.get_by_role("heading", name="政府信息公开", exact=True).is_visible()
    page.get_by_role("link", name="繁體").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    assert page.get_by_role("heading", name="政府信息公開", exact=True).is_visible()
    # The choice sticks on the next page, and switching back works.
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    page.get_by_role("link", name="简体").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"


def test_skip_link_is_first_and_focus_is_visible(
    live_server: Any, page: Any, district: District
) -> None:
    """GB/T 37668 / WCAG 2.4.1, 2.4.7: the first Tab reaches the skip link, which is visible."""
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "跳到主要内容"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_large_text_mode_enlarges_text(live_server: Any, page: Any, district: District) -> None:
    """适老化: the 大字版 switch makes body text larger."""
    page.goto(f"{live_server.url}/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("link", name="大字版").click()
    page.wait_for_load_state()
    large = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert large >= normal * 1.25
