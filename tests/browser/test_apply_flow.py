"""A citizen applies online (条例第二十九条), notes the number and tracking code shown once,
and follows the application on the progress page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from gongkai.inforequests.models import InfoRequest
from tests.conftest import District

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VALID_ID = "11010519491231002X"


@pytest.fixture(autouse=True)
def _clean_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def test_citizen_applies_and_tracks_the_application(
    live_server: Any, page: Any, district: District
) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="在线申请政府信息公开").click()
    page.wait_for_url(f"{live_server.url}/apply/")
    assert page.get_by_role("heading", name="个人信息处理告知").is_visible()

    page.get_by_label("受理机关").select_option(label=district.dept_a.name)
    page.get_by_label("申请人类型").select_option(label="自然人")
    page.get_by_label("姓名或者名称").fill("张三")
    page.get_by_label("身份证明").select_option(label="居民身份证")
    page.get_by_label("证件号码").fill(VALID_ID)
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("所需信息名称").fill("2023年老旧小区改造项目清单")
    page.get_by_role("group", name="提供形式").get_by_label("电子").check()
    # E-mail delivery without an address: the form says so next to the field and keeps the
    # rest of what was typed.
    page.get_by_role("group", name="获取方式").get_by_label("电子邮件").check()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="申请未能提交，请修改以下内容：").is_visible()
    email = page.get_by_label("电子邮箱")
    assert email.get_attribute("aria-invalid") == "true"
    assert "选择以电子邮件获取的，请填写电子邮箱" in page.locator("#id_email_error").inner_text()
    assert page.get_by_label("姓名或者名称").input_value() == "张三"
    assert not InfoRequest.objects.exists()

    email.fill("zhangsan@example.com")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(f"{live_server.url}/apply/done/")
    number = page.locator("#application-number").inner_text().strip()
    code = page.locator("#tracking-code").inner_text().strip()
    info = InfoRequest.objects.get()
    assert (number, code) == (info.number, info.tracking_code)

    # Shown once: a reload no longer shows the code.
    page.reload()
    assert code not in page.content()

    page.get_by_role("link", name="查询申请进度").first.click()
    page.get_by_label("申请编号").fill(number)
    page.get_by_label("查询码").fill(code.lower())
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state()
    assert page.get_by_text("答复期限", exact=True).is_visible()
    assert page.get_by_role("heading", name="答复期限的计算").is_visible()
    body = page.content()
    assert "张三" not in body
    assert VALID_ID not in body
    assert "13812345678" not in body
