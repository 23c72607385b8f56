"""Django validators over core.ids, with messages users can act on."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai.core.ids import credit_code_problem, resident_id_problem
from gongkai.core.text import normalize_code

MOBILE_RE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$", re.ASCII)
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$", re.ASCII)
DIVISION_RE = re.compile(r"^\d{6}(?:\d{6})?$", re.ASCII)


def validate_credit_code(value: str) -> None:
    problem = credit_code_problem(normalize_code(value))
    if problem:
        raise ValidationError(
            _("统一社会信用代码无效：%(p)s"), code="credit_code", params={"p": problem}
        )


def validate_resident_id(value: str) -> None:
    problem = resident_id_problem(normalize_code(value))
    if problem:
        raise ValidationError(
            _("居民身份证号码无效：%(p)s"), code="resident_id", params={"p": problem}
        )


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(normalize_code(value)):
        raise ValidationError(_("手机号码应为11位，以1开头，第二位为3–9"), code="mobile")


def validate_mobile_or_phone(value: str) -> None:
    code = normalize_code(value)
    # normalize_code drops hyphens, and with them the one that separates an extension.
    phone = re.sub(r"\s", "", unicodedata.normalize("NFKC", value or ""))
    if not (MOBILE_RE.match(code) or LANDLINE_RE.match(code) or LANDLINE_RE.match(phone)):
        raise ValidationError(
            _("请填写11位手机号码或带区号的固定电话（如 021-12345678）"), code="phone"
        )


def validate_division_code(value: str) -> None:
    if value and not DIVISION_RE.match(normalize_code(value)):
        raise ValidationError(_("行政区划代码应为6位或12位数字"), code="division_code")
