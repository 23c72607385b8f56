"""Messages raised by validators, parsers and services follow the active language.

The msgids are the Chinese text, so the default language shows them unchanged and English
comes from the committed catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from gongkai.core.ids import make_credit_code
from gongkai.core.services import arrangement_save
from gongkai.core.validators import validate_credit_code, validate_mobile, validate_resident_id
from gongkai.core.workdays import parse_day_lines, provisional_warning

HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Start from the default language and leave it that way for later tests."""
    translation.deactivate()
    yield
    translation.deactivate()


def bad_credit_code() -> str:
    code = make_credit_code("110105", "12345678")
    return code[:17] + ("0" if code[17] != "0" else "1")


def messages(call: Callable[[], object]) -> list[str]:
    with pytest.raises(ValidationError) as info:
        call()
    return info.value.messages


class TestDefaultLanguage:
    def test_credit_code(self):
        assert messages(lambda: validate_credit_code(bad_credit_code())) == [
            "统一社会信用代码无效：校验码错误"
        ]

    def test_credit_code_length(self):
        assert messages(lambda: validate_credit_code("123")) == [
            "统一社会信用代码无效：应为18位，实为3位"
        ]

    def test_mobile(self):
        assert messages(lambda: validate_mobile("12345678901")) == [
            "手机号码应为11位，以1开头，第二位为3–9"
        ]

    def test_bad_date_line(self):
        assert messages(lambda: parse_day_lines("2027-13-01 x")) == [
            "第1行：“2027-13-01 x”中的日期无效。"
        ]

    def test_unreadable_line(self):
        assert messages(lambda: parse_day_lines("x")) == [
            "第1行：无法识别“x”，应为“2027-02-06 春节”或“2027-02-06 至 2027-02-13 春节”。"
        ]

    def test_provisional_warning(self):
        assert provisional_warning([2028, 2027]) == (
            "2027年、2028年的节假日安排尚未录入，结果为暂定：仅按周末和固定日期节日推算。"
        )

    @pytest.mark.django_db
    def test_arrangement_errors(self):
        errors = messages(
            lambda: arrangement_save(
                actor=None,
                year=2027,
                title="",
                holidays=[(date(2026, 12, 31), "元旦")],
                makeup_workdays=[(date(2027, 2, 8), "春节")],
            )
        )
        assert errors == [
            "2026-12-31（星期四） 不在 2027 年内。",
            "调休上班日 2027-02-08（星期一） 不是星期六或星期日。",
        ]


class TestEnglish:
    @pytest.fixture(autouse=True)
    def _english(self) -> Iterator[None]:
        with translation.override("en"):
            yield

    def test_credit_code(self):
        assert messages(lambda: validate_credit_code(bad_credit_code())) == [
            "Invalid unified social credit code: wrong check character"
        ]

    def test_credit_code_length(self):
        assert messages(lambda: validate_credit_code("123")) == [
            "Invalid unified social credit code: should have 18 characters, but has 3"
        ]

    def test_resident_id(self):
        (message,) = messages(lambda: validate_resident_id("11010519491231002"))
        assert message.startswith("Invalid resident identity card number: ")
        assert not HAN.search(message)

    def test_mobile(self):
        assert messages(lambda: validate_mobile("12345678901")) == [
            "A mobile number has 11 digits, starting with 1 followed by 3–9"
        ]

    def test_bad_date_line(self):
        assert messages(lambda: parse_day_lines("2027-13-01 x")) == [
            "Line 1: Invalid date in “2027-13-01 x”."
        ]

    def test_unreadable_line(self):
        (message,) = messages(lambda: parse_day_lines("x"))
        assert message.startswith("Line 1: Cannot read “x”: expected “2027-02-06 春节”")

    def test_provisional_warning(self):
        assert provisional_warning([2028, 2027]) == (
            "The holiday arrangements for 2027, 2028 have not been entered yet, so the result "
            "is provisional: only weekends and fixed-date holidays are taken into account."
        )

    @pytest.mark.django_db
    def test_arrangement_errors(self):
        errors = messages(
            lambda: arrangement_save(
                actor=None,
                year=2027,
                title="",
                holidays=[(date(2026, 12, 31), "元旦")],
                makeup_workdays=[(date(2027, 2, 8), "春节")],
            )
        )
        assert errors == [
            "2026-12-31 (Thu) is not in 2027.",
            "The make-up workday 2027-02-08 (Mon) is not a Saturday or Sunday.",
        ]
