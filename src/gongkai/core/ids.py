"""Check characters of Chinese identifiers, as pure functions.

- 统一社会信用代码: GB 32100-2015 (18 characters, the last a check character over 31 symbols);
  characters 9–17 are the 组织机构代码 of GB 11714-1997 with its own check character.
- 公民身份号码: GB 11643-1999 (17 digits + ISO 7064 MOD 11-2 check character).
"""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext as _

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CREDIT_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$", re.ASCII)
_ORG_BODY_RE = re.compile(r"^[0-9A-Z]{8}$")
_ID_RE = re.compile(r"^\d{17}[\dX]$", re.ASCII)


def credit_code_check_char(first17: str) -> str:
    """GB 32100 check character for the first 17 characters."""
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """GB 11714 check character for an 8-character organisation code body."""
    total = sum(int(c, 36) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_code_problem(code: str) -> str | None:
    """None if `code` is a valid 统一社会信用代码, else why not (translated)."""
    if len(code) != 18:
        return _("应为18位，实为%(length)s位") % {"length": len(code)}
    if not _CREDIT_RE.match(code):
        return _("含有不允许的字符（不使用 I、O、S、V、Z）或第3–8位不是数字")
    if credit_code_check_char(code[:17]) != code[17]:
        return _("校验码错误")
    return None


def make_credit_code(division: str, org_body8: str, prefix: str = "11") -> str:
    """Build a valid credit code: registration authority + type (11 = 机构编制/机关), 行政区划代码,
    组织机构代码 (with its GB 11714 check) and the GB 32100 check character."""
    if not _ORG_BODY_RE.match(org_body8):
        raise ValueError("organisation code body must be 8 characters 0-9A-Z")
    first17 = prefix + division + org_body8 + org_code_check_char(org_body8)
    return first17 + credit_code_check_char(first17)


def resident_id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


def resident_id_problem(number: str) -> str | None:
    """None if `number` is a valid 18-digit 公民身份号码, else why not (translated)."""
    if len(number) != 18:
        return _("应为18位，实为%(length)s位") % {"length": len(number)}
    if not _ID_RE.match(number):
        return _("前17位应为数字，末位为数字或X")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return _("出生日期无效")
    if born.year < 1900 or born > date.today():
        return _("出生日期无效")
    if resident_id_check_char(number[:17]) != number[17]:
        return _("校验码错误")
    return None


def mask_resident_id(number: str) -> str:
    """Keep the region (first 6) and the last 4: 11010519491231002X → 110105********002X."""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
