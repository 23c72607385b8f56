"""The whole life of an application with its reply letter (条例第二十九条至第三十七条、第五十一条):
a citizen applies online → the officer asks for a correction → the corrected application
restarts the clock → the officer drafts a 部分公开 reply, a legal reviewer approves it, the
officer sends it, which closes the application → the citizen downloads the letter from the
progress page with the tracking code."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader

from gongkai.core.workdays import add_workdays
from gongkai.inforequests.constants import Outcome, Status
from gongkai.inforequests.models import InfoRequest, Letter
from tests.conftest import PASSWORD, District, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WITHHELD = "第3页中第三方个人的联系方式（条例第十五条）"


@pytest.fixture(autouse=True)
def _clean_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def _login(browser: Any, base: str, username: str) -> Any:
    page = browser.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/console/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/console/")
    return page


def _apply(page: Any, base: str, district: District) -> tuple[str, str]:
    page.goto(f"{base}/apply/")
    page.get_by_label("受理机关").select_option(label=district.dept_a.name)
    page.get_by_label("申请人类型").select_option(label="自然人")
    page.get_by_label("姓名或者名称").fill("张三")
    page.get_by_label("身份证明").select_option(label="居民身份证")
    page.get_by_label("证件号码").fill("11010519491231002X")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("电子邮箱").fill("zhangsan@example.com")
    page.get_by_label("所需信息名称").fill("2023年老旧小区改造项目清单")
    page.get_by_role("group", name="提供形式").get_by_label("电子").check()
    page.get_by_role("group", name="获取方式").get_by_label("网上获取").check()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(f"{base}/apply/done/")
    number = page.locator("#application-number").inner_text().strip()
    code = page.locator("#tracking-code").inner_text().strip()
    return number, code


def _record_event(page: Any, kind_label: str, period: str = "") -> None:
    page.locator("#event_kind").select_option(label=kind_label)
    page.locator("#event_on").fill(timezone.localdate().isoformat())
    if period:
        page.locator("#event_period_workdays").fill(period)
    page.locator("section[aria-labelledby=event-heading]").get_by_role(
        "button", name="登记"
    ).click()
    page.wait_for_load_state()
    assert page.get_by_text(f"已登记：{kind_label}").is_visible()


def test_citizen_gets_the_reviewed_reply_letter(
    live_server: Any, browser: Any, page: Any, district: District, tmp_path: Path
) -> None:
    base = live_server.url
    make_user("legal_a", legal_reviewer=district.dept_a)
    number, code = _apply(page, base, district)
    info = InfoRequest.objects.get(number=number)

    # The officer asks for a correction (第三十条), then records the corrected application.
    officer = _login(browser, base, "officer_a")
    officer.goto(f"{base}/console/requests/{info.pk}/")
    _record_event(officer, "告知补正", period="10")
    info.refresh_from_db()
    assert info.status == Status.AWAITING_CORRECTION and info.due_on is None
    _record_event(officer, "收到补正申请")
    info.refresh_from_db()
    # The 20 workdays start again from the corrected application (第三十条、第三十三条).
    assert info.due_on == add_workdays(timezone.localdate(), 20).value
    assert info.status == Status.IN_PROGRESS or info.status == Status.REGISTERED

    # The officer drafts the 部分公开 reply and submits it for legal review.
    officer.get_by_text("起草文书", exact=True).click()
    officer.locator("#letter_kind").select_option(value="reply")
    officer.locator("#letter_outcome").select_option(value=Outcome.PARTLY_DISCLOSED)
    officer.locator("#letter_withheld").fill(WITHHELD)
    officer.get_by_role("button", name="起草", exact=True).click()
    officer.wait_for_url(re.compile(r"/console/letters/\d+/$"))
    assert officer.get_by_text(WITHHELD).first.is_visible()
    officer.get_by_role("button", name="提交法制审核").click()
    officer.wait_for_load_state()
    assert officer.locator("#letter-status").inner_text() == "待法制审核"
    letter = Letter.objects.get(request=info)
    # Closing is not possible before the legal review approved the reply.
    officer.goto(f"{base}/console/requests/{info.pk}/")
    officer.locator("#close_outcome").select_option(value=Outcome.PARTLY_DISCLOSED)
    officer.locator("#close_legal_basis").fill("《中华人民共和国政府信息公开条例》第三十七条")
    officer.locator("#close_reasons").fill(WITHHELD)
    officer.locator("#close_on").fill(timezone.localdate().isoformat())
    officer.get_by_role("button", name="办结", exact=True).click()
    officer.wait_for_load_state()
    assert officer.get_by_text("办结前须起草答复书并经法制审核通过", exact=False).is_visible()
    info.refresh_from_db()
    assert info.status != Status.CLOSED

    # The legal reviewer approves.
    reviewer = _login(browser, base, "legal_a")
    reviewer.goto(f"{base}/console/letters/{letter.pk}/")
    reviewer.get_by_label("审核意见").fill("同意。")
    reviewer.get_by_role("button", name="审核通过").click()
    reviewer.wait_for_load_state()
    assert reviewer.locator("#letter-status").inner_text() == "审核通过"
    letter.refresh_from_db()
    assert letter.number

    # The officer sends it online; the application closes with the letter's outcome.
    officer.goto(f"{base}/console/letters/{letter.pk}/")
    officer.get_by_label("送达方式").select_option(label="网上送达")
    officer.get_by_role("button", name="登记送达").click()
    officer.wait_for_load_state()
    assert officer.get_by_text("已登记送达，申请已办结。").is_visible()
    info.refresh_from_db()
    assert info.status == Status.CLOSED and info.outcome == Outcome.PARTLY_DISCLOSED

    # The citizen downloads the letter with the number and tracking code.
    page.goto(f"{base}/track/")
    page.get_by_label("申请编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="答复书和告知书").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载政府信息公开申请答复书（PDF）").click()
    target = tmp_path / "reply.pdf"
    download_info.value.save_as(target)
    text = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in PdfReader(target).pages))
    assert "政府信息公开申请答复书" in text and letter.number in text
    assert "部分公开" in text and re.sub(r"\s+", "", WITHHELD) in text
    assert "行政复议" in text and "行政诉讼" in text
    assert target.read_bytes().startswith(b"%PDF")
