"""The citizen's side of 依申请公开: the online application form (条例第二十九条), its date of
receipt (第三十一条第（三）项), double submissions, rate limits, the one-time confirmation and
the progress page, which never shows personal data (个人信息保护法第二十五条)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db import IntegrityError
from django.test import Client

from gongkai.core.ids import make_credit_code, resident_id_check_char
from gongkai.core.workdays import add_workdays
from gongkai.inforequests import services
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.clock_events import ClockEvent, ConsultedParty
from gongkai.inforequests.constants import Outcome, Status
from gongkai.inforequests.models import InfoRequest
from gongkai.portal import ratelimit
from gongkai.portal.apply import SESSION_DONE
from gongkai.portal.forms import organisation_choices
from tests.conftest import District, make_org
from tests.inforequests.letters_support import close_with_reply
from tests.portal.test_portal import Page

TODAY = date(2024, 3, 20)  # a Wednesday inside the seeded calendar years


def resident_id(seq: int = 1, born: str = "19800101") -> str:
    first17 = f"110105{born}{seq:03d}"
    return first17 + resident_id_check_char(first17)


VALID_ID = resident_id(1)


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


def form_data(district: District, **overrides: Any) -> dict[str, Any]:
    data = {
        "organization": str(district.dept_a.pk),
        "applicant_type": "natural_person",
        "applicant_name": "张三",
        "id_document": "resident_id",
        "id_number": VALID_ID,
        "phone": "13812345678",
        "email": "zhangsan@example.com",
        "address": "江州市临江区人民路1号",
        "postcode": "339905",
        "subject": "2023年老旧小区改造项目清单",
        "document_number": "",
        "description": "",
        "provision_form": "electronic",
        "delivery_way": "email",
        "submission_key": "k" * 32,
    }
    data.update(overrides)
    return data


def submission_key(client: Client) -> str:
    html = client.get("/apply/").content.decode()
    match = re.search(r'name="submission_key" value="([^"]+)"', html)
    assert match, "the form carries a submission key"
    return match.group(1)


def post(client: Client, data: dict[str, Any], ip: str = "203.0.113.5") -> Any:
    return client.post("/apply/", data, REMOTE_ADDR=ip)


def apply_once(client: Client, district: District, **overrides: Any) -> InfoRequest:
    overrides.setdefault("submission_key", submission_key(client))
    response = post(client, form_data(district, **overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    return InfoRequest.objects.get(submission_key=overrides["submission_key"])


def field_attrs(html: str, name: str) -> dict[str, str]:
    for tag, attrs in Page(html).tags:
        if tag in {"input", "select", "textarea"} and attrs.get("name") == name:
            return attrs
    raise AssertionError(f"no field {name}")


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


# --- the form (第二十九条) ---------------------------------------------------------------------


@pytest.mark.django_db
class TestForm:
    def test_form_asks_for_what_article_29_requires(self, client, district):
        """第二十九条第二款: 姓名或者名称、身份证明、联系方式; 名称、文号、描述; 形式要求."""
        response = client.get("/apply/")
        html = response.content.decode()
        assert response.status_code == 200
        for label in (
            "受理机关",
            "申请人类型",
            "姓名或者名称",
            "身份证明",
            "证件号码",
            "联系电话",
            "电子邮箱",
            "通信地址",
            "邮政编码",
            "所需信息名称",
            "文号",
            "所需信息的描述",
            "提供形式",
            "获取方式",
        ):
            assert label in html, label
        for kind in ("自然人", "法人或者其他组织", "商业企业", "科研机构", "社会公益组织"):
            assert kind in html
        assert "法律服务机构" in html

    def test_privacy_notice_without_consent_checkbox(self, client, district):
        """个人信息保护法第十七条、第三十五条: notice before collection; the basis is the legal
        duty (第十三条), so there is no consent check box."""
        html = client.get("/apply/").content.decode()
        assert "个人信息处理告知" in html
        for part in ("处理者", "处理目的和依据", "个人信息的种类", "保存期限", "您的权利"):
            assert part in html
        assert "第二十九条" in html
        assert not [a for t, a in Page(html).tags if t == "input" and a.get("type") == "checkbox"]

    def test_every_field_has_a_label_and_one_h1(self, client, district):
        """GB/T 37668 / ACCESSIBILITY.md §4.4: labels, one h1, no inline script or style."""
        html = client.get("/apply/").content.decode()
        page = Page(html)
        assert len(page.find("h1")) == 1
        for tag, attrs in page.tags:
            if tag not in {"input", "select", "textarea"}:
                continue
            if attrs.get("type") in {"hidden", "submit"}:
                continue
            if attrs.get("type") == "radio":
                continue  # each radio sits inside its own <label>, under a <legend>
            assert attrs.get("id") in page.label_targets, attrs
        assert not page.find("style")
        assert not any("style" in attrs for _, attrs in page.tags)
        assert all(s.get("src") for s in page.find("script"))

    def test_organisations_are_grouped_and_inactive_ones_left_out(self, district):
        closed = make_org("测试区已撤销局", district.gov, is_active=False)
        choices, by_pk = organisation_choices()
        assert closed.pk not in by_pk
        group_label, members = choices[1]
        assert group_label == district.gov.name
        assert members[0][0] == district.gov.pk
        assert {district.dept_a.pk, district.dept_b.pk, district.street.pk} <= {
            pk for pk, _ in members
        }

    def test_responses_are_not_cached(self, client, district):
        """ASVS 8.2.1: pages with personal data carry Cache-Control: no-store."""
        for url in ("/apply/", "/apply/done/", "/track/"):
            assert "no-store" in client.get(url)["Cache-Control"], url


# --- submitting ------------------------------------------------------------------------------


@pytest.mark.django_db
class TestSubmit:
    def test_valid_submission_creates_one_application_received_today(self, client, district):
        """第二十九条, 第三十一条第（三）项: an online application is received on the day the
        confirmation is shown; the RECEIVED event starts the 20-workday clock (第三十三条)."""
        key = submission_key(client)
        response = post(client, form_data(district, submission_key=key))
        assert response.status_code == 302
        assert response["Location"] == "/apply/done/"
        info = InfoRequest.objects.get()
        assert info.organization == district.dept_a
        assert info.channel == Channel.ONLINE
        assert info.received_on == TODAY
        assert info.submission_key == key
        assert list(info.events.values_list("kind", flat=True)) == [ClockEvent.RECEIVED]
        assert info.due_on == add_workdays(TODAY, 20).value
        assert info.applicant_name == "张三"
        assert info.id_number == VALID_ID

    def test_same_submission_key_twice_gives_one_application(self, client, district):
        """Double click, reload or retry: the same key gives the same application."""
        key = submission_key(client)
        first = post(client, form_data(district, submission_key=key))
        second = post(client, form_data(district, submission_key=key))
        assert first.status_code == second.status_code == 302
        assert InfoRequest.objects.count() == 1
        done = client.get("/apply/done/").content.decode()
        assert InfoRequest.objects.get().tracking_code in done

    def test_simultaneous_duplicate_gives_the_stored_application(
        self, client, district, monkeypatch
    ):
        """Two identical POSTs at the same moment: the unique key stops the second insert, and
        the second request shows the application the first one stored."""
        from gongkai.portal import apply

        real_submit = apply.request_submit

        def racing_submit(**kwargs: Any) -> Any:
            real_submit(**kwargs)  # the other request wins the race …
            raise IntegrityError("UNIQUE constraint failed: submission_key")

        monkeypatch.setattr(apply, "request_submit", racing_submit)
        key = submission_key(client)
        response = post(client, form_data(district, submission_key=key))
        assert response.status_code == 302
        assert InfoRequest.objects.count() == 1
        assert InfoRequest.objects.get().number in client.get("/apply/done/").content.decode()

    def test_each_rendering_has_a_new_key(self, client, district):
        assert submission_key(client) != submission_key(client)

    def test_missing_or_forged_key_is_refused_with_a_fresh_one(self, client, district):
        response = post(client, form_data(district, submission_key="<bad>"))
        html = response.content.decode()
        assert response.status_code == 200
        assert "页面已失效" in html
        assert not InfoRequest.objects.exists()
        assert re.search(r'name="submission_key" value="[A-Za-z0-9_-]{20,}"', html)

    def test_full_width_digits_and_spaces_are_normalised(self, client, district):
        """Citizens type with Chinese input methods: full-width digits become half-width."""
        full_width_id = VALID_ID.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        info = apply_once(
            client,
            district,
            id_number=f" {full_width_id[:6]} {full_width_id[6:]} ",
            phone="１３８ １２３４ ５６７８",
            postcode="３３９９０５",
            email="zhangsan＠example.com",
            subject="  2023年   老旧小区改造  ",
        )
        assert info.id_number == VALID_ID
        assert info.phone == "13812345678"
        assert info.postcode == "339905"
        assert info.email == "zhangsan@example.com"
        assert info.subject == "2023年 老旧小区改造"

    def test_description_alone_is_enough(self, client, district):
        """第二十九条第二款第（二）项: 名称、文号 or another description that helps find it."""
        info = apply_once(
            client, district, subject="", description="——\n区教育局2023年关于学区划分的通知\n全文"
        )
        assert info.subject == "区教育局2023年关于学区划分的通知"
        assert info.description == "——\n区教育局2023年关于学区划分的通知\n全文"

    def test_organisation_applicant_with_credit_code(self, client, district):
        """法人或者其他组织 prove their identity with the 统一社会信用代码 (GB 32100)."""
        code = make_credit_code("339905", "AB123456", prefix="91")
        info = apply_once(
            client,
            district,
            applicant_type="commercial",
            applicant_name="江州某某科技有限公司",
            id_document="credit_code",
            id_number=code.lower(),
        )
        assert info.applicant_type == "commercial"
        assert info.id_number == code


def assert_field_error(html: str, name: str, text: str) -> None:
    attrs = field_attrs(html, name)
    assert attrs.get("aria-invalid") == "true", attrs
    error_id = f"id_{name}_error"
    assert error_id in attrs.get("aria-describedby", "").split(), attrs
    match = re.search(rf'<div class="error" id="{error_id}">(.*?)</div>', html, re.S)
    assert match and text in match.group(1), (name, text)
    # The summary at the top links to the field.
    assert f'href="#id_{name}"' in html


@pytest.mark.django_db
class TestErrors:
    def test_invalid_resident_id_is_explained_and_input_kept(self, client, district):
        """GB 11643 check character; the form keeps what was typed (issue: 依申请公开)."""
        wrong = VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")
        response = post(client, form_data(district, id_number=wrong, applicant_name="李四"))
        html = response.content.decode()
        assert response.status_code == 200
        assert_field_error(html, "id_number", "居民身份证号码无效")
        assert "error-summary" in html and 'role="alert"' in html
        assert field_attrs(html, "id_number")["value"] == wrong
        assert field_attrs(html, "applicant_name")["value"] == "李四"
        assert field_attrs(html, "subject")["value"] == "2023年老旧小区改造项目清单"
        assert "<title>错误：" in html
        assert not InfoRequest.objects.exists()

    def test_invalid_phone(self, client, district):
        response = post(client, form_data(district, phone="12345"))
        assert_field_error(response.content.decode(), "phone", "手机号码")
        assert not InfoRequest.objects.exists()

    def test_email_delivery_needs_an_email_address(self, client, district):
        """第二十九条第二款第（三）项: the way of obtaining must be usable."""
        response = post(client, form_data(district, email="", delivery_way="email"))
        assert_field_error(response.content.decode(), "email", "请填写电子邮箱")
        assert not InfoRequest.objects.exists()

    def test_post_delivery_needs_an_address(self, client, district):
        response = post(client, form_data(district, address="", delivery_way="post"))
        html = response.content.decode()
        assert_field_error(html, "address", "请填写通信地址")
        assert field_attrs(html, "email")["value"] == "zhangsan@example.com"
        assert not InfoRequest.objects.exists()

    def test_invalid_email_and_postcode(self, client, district):
        response = post(client, form_data(district, email="no-at-sign", postcode="1234"))
        html = response.content.decode()
        assert_field_error(html, "email", "有效的电子邮箱")
        assert_field_error(html, "postcode", "6位数字")

    def test_information_must_be_named_or_described(self, client, district):
        """第二十九条第二款第（二）项: a name or a description that helps find it."""
        response = post(client, form_data(district, subject="……", description=" "))
        assert_field_error(response.content.decode(), "subject", "第二十九条")
        assert not InfoRequest.objects.exists()

    def test_organisation_applicant_needs_a_credit_code(self, client, district):
        """法人或者其他组织: the identity document is the 统一社会信用代码."""
        response = post(client, form_data(district, applicant_type="research"))
        assert_field_error(response.content.decode(), "id_document", "统一社会信用代码")
        response = post(
            client,
            form_data(
                district,
                applicant_type="research",
                id_document="credit_code",
                id_number="91339905AB1234567X",
            ),
        )
        assert_field_error(response.content.decode(), "id_number", "统一社会信用代码无效")
        assert not InfoRequest.objects.exists()

    def test_natural_person_cannot_use_a_credit_code(self, client, district):
        response = post(client, form_data(district, id_document="credit_code"))
        assert_field_error(response.content.decode(), "id_document", "个人身份证件")

    def test_required_fields_have_chinese_messages(self, client, district):
        response = post(client, {"submission_key": "k" * 32})
        html = response.content.decode()
        for name, text in (
            ("organization", "请选择受理机关"),
            ("applicant_name", "请填写姓名或者名称"),
            ("id_number", "请填写证件号码"),
            ("phone", "请填写联系电话"),
        ):
            assert_field_error(html, name, text)
        # Radio groups: the error is tied to the group's fieldset, the summary to its first
        # option.
        assert 'aria-describedby="id_delivery_way_error"' in html
        assert 'href="#id_delivery_way_0"' in html

    def test_inactive_organisation_is_refused(self, client, district):
        closed = make_org("测试区已撤销局", district.gov, is_active=False)
        response = post(client, form_data(district, organization=str(closed.pk)))
        assert_field_error(response.content.decode(), "organization", "请从列表中选择")


# --- rate limits -----------------------------------------------------------------------------


@pytest.mark.django_db
class TestRateLimits:
    def test_per_ip_limit(self, client, district):
        """Public forms are rate-limited per IP: the next submission gets HTTP 429 and an
        explanation in Chinese, and nothing is created."""
        for seq in range(ratelimit.SUBMIT_PER_IP.limit):
            apply_once(client, district, id_number=resident_id(seq + 1))
        assert InfoRequest.objects.count() == ratelimit.SUBMIT_PER_IP.limit
        response = post(client, form_data(district, id_number=resident_id(99)))
        assert response.status_code == 429
        assert "提交过于频繁，请稍后再试" in response.content.decode()
        assert InfoRequest.objects.count() == ratelimit.SUBMIT_PER_IP.limit
        # Another address is not affected.
        response = post(client, form_data(district, id_number=resident_id(99)), ip="198.51.100.7")
        assert response.status_code == 302

    def test_per_applicant_limit(self, client, district):
        """… and per applicant (the normalised ID number), whatever the address."""
        limit = ratelimit.SUBMIT_PER_APPLICANT.limit
        for n in range(limit):
            key = submission_key(client)
            response = post(client, form_data(district, submission_key=key), ip=f"192.0.2.{n}")
            assert response.status_code == 302
        spaced = f"{VALID_ID[:6]} {VALID_ID[6:]}"
        response = post(client, form_data(district, id_number=spaced), ip="192.0.2.200")
        assert response.status_code == 429
        assert "提交过于频繁" in response.content.decode()
        assert InfoRequest.objects.count() == limit

    def test_limit_resets_after_the_window(self, client, district):
        limit = ratelimit.SUBMIT_PER_APPLICANT.limit
        for n in range(limit):
            post(client, form_data(district, submission_key=f"{n:02d}" + "k" * 30))
        assert post(client, form_data(district)).status_code == 429
        with time_machine.travel(date(2024, 3, 21), tick=False):
            assert post(client, form_data(district)).status_code == 302

    def test_retry_of_a_stored_application_is_not_limited(self, client, district):
        """A retry with the same key returns the stored application, even when limited."""
        for n in range(ratelimit.SUBMIT_PER_APPLICANT.limit):
            post(client, form_data(district, submission_key=f"{n:02d}" + "k" * 30))
        response = post(client, form_data(district, submission_key="00" + "k" * 30))
        assert response.status_code == 302
        assert InfoRequest.objects.count() == ratelimit.SUBMIT_PER_APPLICANT.limit

    def test_cache_keys_hold_no_personal_data(self, district):
        key = ratelimit._key(ratelimit.SUBMIT_PER_APPLICANT, VALID_ID)
        assert VALID_ID not in key
        assert "203.0.113.5" not in ratelimit._key(ratelimit.SUBMIT_PER_IP, "203.0.113.5")


# --- the confirmation ------------------------------------------------------------------------


@pytest.mark.django_db
class TestConfirmation:
    def test_done_page_shows_number_and_code_once(self, client, district):
        """The code is shown once; a reload shows a generic page."""
        info = apply_once(client, district)
        first = client.get("/apply/done/").content.decode()
        assert info.number in first and info.tracking_code in first
        assert "第三十一条第（三）项" in first
        assert "答复期限" in first
        assert SESSION_DONE not in client.session
        again = client.get("/apply/done/").content.decode()
        assert info.tracking_code not in again
        assert "申请已提交" in again and "记下的申请编号和查询码" in again

    def test_done_page_without_a_submission_is_generic(self, client, district):
        html = client.get("/apply/done/").content.decode()
        assert "查询申请进度" in html


# --- the progress page -----------------------------------------------------------------------


@pytest.mark.django_db
class TestTrack:
    def test_shows_status_due_date_and_steps_not_personal_data(self, client, district):
        """The progress page shows the status, the legal due date and how it was computed,
        and never the applicant's personal data (个人信息保护法第二十五条)."""
        info = apply_once(client, district, address="江州市临江区人民路1号")
        response = client.post("/track/", {"number": info.number, "code": info.tracking_code})
        html = response.content.decode()
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "已登记" in html
        assert "答复期限" in html
        assert "2024年4月18日" in html  # 20 workdays after 2024-03-20 (第三十三条)
        assert "第1个工作日" in html
        assert "收到申请" in html
        for secret in (
            info.applicant_name,
            info.id_number,
            info.phone,
            info.email,
            info.address,
            info.subject,
        ):
            assert secret not in html, secret

    def test_get_with_parameters_and_lower_case_code(self, client, district):
        info = apply_once(client, district)
        html = client.get(
            "/track/", {"number": f" {info.number} ", "code": info.tracking_code.lower()}
        ).content.decode()
        assert "答复期限的计算" in html

    def test_number_alone_prefills_the_form(self, client, district):
        info = apply_once(client, district)
        html = client.get("/track/", {"number": info.number}).content.decode()
        assert field_attrs(html, "number")["value"] == info.number
        assert "未找到" not in html

    def test_wrong_code_and_wrong_number_get_the_same_neutral_answer(self, client, district):
        info = apply_once(client, district)
        wrong_code = client.post("/track/", {"number": info.number, "code": "AAAAAAAA"})
        wrong_number = client.post("/track/", {"number": "2024-9999-99999", "code": "AAAAAAAA"})
        assert wrong_code.status_code == wrong_number.status_code == 200
        html = wrong_code.content.decode()
        assert "未找到该申请，请核对申请编号和查询码" in html
        assert "答复期限的计算" not in html
        # Apart from the number typed, which the form keeps, the two answers are identical.
        assert without_csrf(html).replace(info.number, "N") == without_csrf(
            wrong_number.content.decode()
        ).replace("2024-9999-99999", "N")

    def test_empty_lookup_asks_for_both_fields(self, client, district):
        html = client.post("/track/", {}).content.decode()
        assert_field_error(html, "number", "请填写申请编号")
        assert_field_error(html, "code", "请填写查询码")

    def test_failed_lookups_are_rate_limited(self, client, district):
        """Against guessing codes: after the limit, even the right code gets HTTP 429."""
        info = apply_once(client, district)
        for _ in range(ratelimit.TRACK_FAILURES_PER_IP.limit):
            client.post("/track/", {"number": info.number, "code": "WRONG123"})
        response = client.post("/track/", {"number": info.number, "code": info.tracking_code})
        assert response.status_code == 429
        assert "查询过于频繁，请稍后再试" in response.content.decode()
        other = client.post(
            "/track/",
            {"number": info.number, "code": info.tracking_code},
            REMOTE_ADDR="198.51.100.9",
        )
        assert other.status_code == 200

    def test_closed_application_shows_outcome_and_closing_date(self, client, district):
        """第三十六条: the reply; the page names the outcome row and the closing date."""
        info = apply_once(client, district)
        with time_machine.travel(date(2024, 3, 29), tick=False):
            close_with_reply(
                actor=district.officer_a,
                request=info,
                outcome=Outcome.DISCLOSED,
                legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（二）项",
                reasons="予以公开",
                on=date(2024, 3, 28),
            )
            html = client.post(
                "/track/", {"number": info.number, "code": info.tracking_code}
            ).content.decode()
        info.refresh_from_db()
        assert info.status == Status.CLOSED
        assert "已办结" in html
        assert "予以公开" in html
        assert "2024年3月28日" in html
        assert "作出答复" in html
        assert "officer_a" not in html

    def test_consulted_party_is_not_named(self, client, district):
        """第三十二条: the page shows that a third party was consulted, not who; the due date
        is the console's."""
        info = apply_once(client, district)
        with time_machine.travel(date(2024, 3, 29), tick=False):
            services.request_add_event(
                actor=district.officer_a,
                request=info,
                kind=ClockEvent.CONSULTATION_SENT,
                on=date(2024, 3, 25),
                detail="江州某某房地产开发有限公司",
                party=ConsultedParty.THIRD_PARTY,
            )
            html = client.post(
                "/track/", {"number": info.number, "code": info.tracking_code}
            ).content.decode()
            due = services.request_clock(info).due_on
        assert "江州某某房地产开发有限公司" not in html
        assert "征求第三方意见期间" in html
        assert "发出征求意见" in html
        assert due is not None
        assert f"{due.year}年{due.month}月{due.day}日" in html


@pytest.mark.django_db
def test_home_links_to_the_form_and_the_progress_page(client, district):
    page = Page(client.get("/").content.decode())
    assert page.link_texts["在线申请政府信息公开"] == "/apply/"
    assert page.link_texts["查询申请进度"] == "/track/"
