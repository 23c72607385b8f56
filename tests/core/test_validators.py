"""gongkai.core.validators: Django validators with Chinese messages people can act on."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from gongkai.core.validators import (
    validate_credit_code,
    validate_division_code,
    validate_mobile,
    validate_mobile_or_phone,
    validate_resident_id,
)

MOBILE_MESSAGE = "手机号码应为11位，以1开头，第二位为3–9"
PHONE_MESSAGE = "请填写11位手机号码或带区号的固定电话（如 021-12345678）"
DIVISION_MESSAGE = "行政区划代码应为6位或12位数字"


def rejection(validator: Callable[[str], None], value: str) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validator(value)
    return info.value


# -- 手机号码 (numbering plan of the Ministry of Industry and Information Technology) --------


@pytest.mark.parametrize(
    "value",
    [
        "12345678901",  # second digit 2
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "23812345678",  # does not start with 1
        "+8612345678901",
        "138-1234-567a",
        "13٨١٢٣٤٥٦٧٨",  # Arabic-Indic digits: NFKC does not fold them
        "",
    ],
)
def test_bad_mobile_is_rejected_with_chinese_message(value: str) -> None:
    error = rejection(validate_mobile, value)
    assert error.messages == [MOBILE_MESSAGE]
    assert error.code == "mobile"


@pytest.mark.parametrize(
    "value",
    [
        "13812345678",
        "19912345678",
        "１３８１２３４５６７８",  # full-width digits (NFKC)
        "+8613812345678",
        "8613812345678",
        "+86 138 1234 5678",
        "138-1234-5678",
        "\u300013812345678 ",
    ],
)
def test_good_mobile_is_accepted(value: str) -> None:
    validate_mobile(value)
    validate_mobile_or_phone(value)


# -- 固定电话 (area code 0 + 2–3 digits, 7–8 digit number, optional extension) ----------------


@pytest.mark.parametrize(
    "value",
    [
        "021-12345678",
        "010-87654321",
        "0571-88001234",
        "0571-88001234-123",  # extension (was rejected: normalize_code dropped its hyphen)
        "0571 8800 1234",
        "02112345678",
        "021-1234-5678",
        "０２１－１２３４５６７８",  # full-width digits and hyphen
    ],
)
def test_landline_with_area_code_is_accepted(value: str) -> None:
    validate_mobile_or_phone(value)


@pytest.mark.parametrize(
    "value",
    [
        "12345678",  # no area code
        "021-123456",  # 6-digit number
        "0571-88001234-1234567",  # 7-digit extension
        "咨询电话",
    ],
)
def test_bad_phone_is_rejected_with_chinese_message(value: str) -> None:
    error = rejection(validate_mobile_or_phone, value)
    assert error.messages == [PHONE_MESSAGE]
    assert error.code == "phone"


def test_landline_is_not_a_mobile() -> None:
    assert rejection(validate_mobile, "021-12345678").messages == [MOBILE_MESSAGE]


# -- 行政区划代码 (GB/T 2260: 6 digits; statistical division codes: 12 digits) ----------------


@pytest.mark.parametrize("value", ["110105", "330100000000", "３３０１００", "", "330 100"])
def test_division_code_of_6_or_12_digits_is_accepted(value: str) -> None:
    validate_division_code(value)


@pytest.mark.parametrize(
    "value", ["11010", "1101050", "33010000000", "3301000000001", "33010A", "٣٣٠١٠٠"]
)
def test_division_code_of_other_shape_is_rejected(value: str) -> None:
    error = rejection(validate_division_code, value)
    assert error.messages == [DIVISION_MESSAGE]
    assert error.code == "division_code"


# -- GB 32100-2015 / GB 11643-1999 through the Django validators ------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "91350100M000100Y43",
        "91350100m000100y43",
        "９１３５０１００Ｍ０００１００Ｙ４３",
        " 9135-0100-M000100Y43 ",
    ],
)
def test_credit_code_validator_normalises_before_checking(value: str) -> None:
    """GB 32100-2015: what people type (lower case, full-width, spaces, hyphens) is accepted."""
    validate_credit_code(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("91350100M000100Y44", "统一社会信用代码无效：校验码错误"),
        ("91350100M000100Y4", "统一社会信用代码无效：应为18位，实为17位"),
        (
            "91350100M000100O43",
            "统一社会信用代码无效：含有不允许的字符（不使用 I、O、S、V、Z）或第3–8位不是数字",
        ),
        (
            "913501٠0M000100Y43",
            "统一社会信用代码无效：含有不允许的字符（不使用 I、O、S、V、Z）或第3–8位不是数字",
        ),
    ],
)
def test_bad_credit_code_gives_chinese_reason(value: str, message: str) -> None:
    """GB 32100-2015; a non-ASCII digit must give a ValidationError, not a server error."""
    error = rejection(validate_credit_code, value)
    assert error.messages == [message]
    assert error.code == "credit_code"


@pytest.mark.parametrize(
    "value", ["11010519491231002X", "11010519491231002x", "110105 19491231 002X"]
)
def test_resident_id_validator_accepts_standard_example(value: str) -> None:
    """GB 11643-1999 worked example, lower-case x and spaces allowed on input."""
    validate_resident_id(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("110105194913310029", "居民身份证号码无效：出生日期无效"),
        ("110105194912310021", "居民身份证号码无效：校验码错误"),
        ("1101051949123100", "居民身份证号码无效：应为18位，实为16位"),
    ],
)
def test_bad_resident_id_gives_chinese_reason(value: str, message: str) -> None:
    error = rejection(validate_resident_id, value)
    assert error.messages == [message]
    assert error.code == "resident_id"
