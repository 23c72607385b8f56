"""A supervisor of the district's disclosure office builds the consolidated annual report,
sees the finding for a narrative figure that disagrees with table 三, fixes it, publishes,
downloads the DOCX, and finds the report on the portal (条例第四十九、五十条)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD, District
from tests.reports.test_stored import _submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLACEHOLDER = re.compile(r"【请补充[^】]*】")


def test_supervisor_builds_fixes_publishes_and_finds_it_on_the_portal(
    live_server: Any, page: Any, district: District, tmp_path: Path
) -> None:
    year = timezone.localdate().year - 1
    _submit(district.dept_a, date(year, 3, 1), date(year, 3, 15), district.officer_a)
    _submit(district.dept_a, date(year, 6, 3))
    _submit(district.dept_b, date(year, 9, 9))

    page.goto(f"{live_server.url}/console/login/")
    page.get_by_label("用户名").fill("supervisor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/console/")

    page.get_by_role("link", name="年度报告").first.click()
    page.get_by_label("机关").select_option(label=district.gov.name)
    page.get_by_label("报告年度").select_option(label=f"{year}年")
    page.get_by_label("合并下属部门和街道（镇）").check()
    page.get_by_role("button", name="生成报告").click()
    page.get_by_role("button", name="开始编写合并报告").click()
    page.wait_for_load_state()
    assert page.locator("h1").count() == 1

    requests = page.get_by_role("textbox", name="三、收到和处理政府信息公开申请情况")
    draft = requests.input_value()
    assert "全年共受理政府信息公开申请3件" in draft
    # Write every placeholder out, and state a wrong total.
    for title in (
        "一、总体情况",
        "二、主动公开政府信息情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "六、其他需要报告的事项",
    ):
        field = page.get_by_role("textbox", name=title, exact=True)
        field.fill(PLACEHOLDER.sub("本年度认真落实条例要求。", field.input_value()))
    page.get_by_role("textbox", name="五、存在的主要问题及改进情况", exact=True).fill(
        "主要问题是答复文书不够规范，下一步将统一答复文书模板，并加强对各部门信息员的培训。"
    )
    page.get_by_role("textbox", name="六、其他需要报告的事项", exact=True).fill(
        "本年度未收取信息处理费。政务公开工作考核、社会评议和责任追究结果情况：全区按期完成考核。"
    )
    requests.fill(draft.replace("全年共受理政府信息公开申请3件", "全年共受理政府信息公开申请5件"))
    page.get_by_role("button", name="保存并检查").click()
    page.wait_for_load_state()
    findings = page.locator(".report-findings")
    assert "所述收到申请 5 件" in findings.inner_text()

    page.get_by_role("button", name="发布年度报告").click()
    page.wait_for_load_state()
    assert "未发布：检查发现" in page.locator(".messages").inner_text()

    page.get_by_role("textbox", name="三、收到和处理政府信息公开申请情况").fill(draft)
    page.get_by_role("button", name="保存并检查").click()
    page.wait_for_load_state()
    assert "所述收到申请" not in page.locator(".report-findings").inner_text()
    assert "错误 0 项" in page.locator(".report-findings").inner_text()

    page.get_by_role("button", name="发布年度报告").click()
    page.wait_for_load_state()
    assert "公开门户已显示" in page.locator(".messages").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Word 文档（DOCX）").click()
    target = tmp_path / "report.docx"
    download_info.value.save_as(target)
    assert target.read_bytes()[:2] == b"PK"
    assert download_info.value.suggested_filename.endswith(".docx")

    page.goto(f"{live_server.url}/gk/{district.gov.credit_code}/annual-reports/")
    title = f"{district.gov.name}{year}年政府信息公开工作年度报告"
    page.get_by_role("link", name=title).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=title, level=1).is_visible()
    assert "全年共受理政府信息公开申请3件" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Word 版（DOCX）").is_visible()


def test_year_over_year_charts_draw_under_the_content_security_policy(
    live_server: Any, page: Any, district: District
) -> None:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(f"{live_server.url}/console/login/")
    page.get_by_label("用户名").fill("officer_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/console/")
    page.goto(f"{live_server.url}/console/reports/{district.dept_a.pk}/compare/")
    page.wait_for_selector("#chart-applications canvas")
    assert page.locator(".report-chart canvas").count() >= 3
    assert page.get_by_role("table", name=re.compile("政府信息公开申请数量")).is_visible()
    assert errors == []
