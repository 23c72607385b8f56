"""An officer marks a box by dragging on the page image (the optional script fills in the
percent fields), gives the legal ground, and sees it in the redaction log (条例第三十七条)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from gongkai.inforequests.file_services import attachment_add
from gongkai.inforequests.services import request_submit
from tests.conftest import APPLICANT, PASSWORD, District
from tests.inforequests.pdfs import SAMPLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_drags_a_box_on_the_page_and_records_its_ground(
    live_server: Any, page: Any, district: District
) -> None:
    info, _ = request_submit(
        organization=district.dept_a,
        data=dict(APPLICANT),
        channel="online",
        received_on=timezone.localdate(),
    )
    attachment = attachment_add(
        actor=district.officer_a, request=info, data=SAMPLE, title="预算表.pdf", kind="release"
    )
    page.goto(f"{live_server.url}/console/login/")
    page.get_by_label("用户名").fill("officer_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/console/")

    page.goto(f"{live_server.url}/console/files/{attachment.pk}/redact/")
    image = page.locator("[data-redact-image]")
    image.wait_for()
    page.wait_for_function("document.querySelector('[data-redact-image]').complete")
    box = image.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.05)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.12, steps=5)
    page.mouse.up()
    left = float(page.get_by_label("左边距（%）").input_value())
    width = float(page.get_by_label("宽度（%）").input_value())
    assert 9 <= left <= 11 and 49 <= width <= 51
    page.get_by_label("不予公开的理由").select_option("personal_privacy")
    page.get_by_label("遮盖内容说明").fill("第三人姓名")
    page.get_by_role("button", name="标记", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("cell", name="第三人姓名").is_visible()
    assert page.get_by_role("cell", name="个人隐私（第十五条）").is_visible()
