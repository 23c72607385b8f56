"""The pure rules of 主动公开: 文号 key, sanitising, the PII scan, 第二十六条, 三同步, 第十八条."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.ids import resident_id_check_char
from gongkai.core.workdays import Calendar, add_workdays
from gongkai.publications import rules
from gongkai.publications.constants import PiiKind

VALID_ID = "11010519491231002X"  # GB 11643 example
# National Day 2024: 1–7 October off, Sunday 29 September and Saturday 12 October worked.
CAL_2024 = Calendar(
    known_years=frozenset({2024}),
    holidays=frozenset(date(2024, 10, d) for d in range(1, 8)),
    makeup_workdays=frozenset({date(2024, 9, 29), date(2024, 10, 12)}),
)


@pytest.mark.parametrize(
    "variant",
    ["长府办〔2020〕12号", "长府办[2020]12号", "长府办【2020】12号", "长府办（2020）12号",
     "長府辦〔2020〕12號", " 长府办 (2020) 12号 ", "长府办［２０２０］１２号"],
)  # fmt: skip
def test_document_number_variants_share_one_key(variant: str) -> None:
    assert rules.document_number_key(variant) == rules.document_number_key("长府办〔2020〕12号")


def test_sanitize_strips_script_handlers_and_javascript_links() -> None:
    dirty = (
        '<p onclick="steal()">通知<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">链接</a><img src=x onerror="alert(1)">'
        '<style>p{}</style><table><tr><td colspan="2">表</td></tr></table>'
    )
    clean = rules.sanitize_body(dirty)
    assert "<script" not in clean and "alert" not in clean
    assert "onclick" not in clean and "onerror" not in clean and "<style" not in clean
    assert "<p>通知</p>" in clean
    assert 'colspan="2"' in clean


def test_plain_text_keeps_blocks_apart() -> None:
    assert rules.plain_text("<p>第一段</p><p>第二段&amp;</p>") == "第一段\n第二段&"


# --- personal data (QUALITY.md §3) -------------------------------------------------------
def kinds(text: str, **kw: object) -> list[str]:
    return [h.kind for h in rules.scan_pii(text, **kw)]  # type: ignore[arg-type]


def test_valid_resident_id_is_found_and_a_wrong_check_character_is_not() -> None:
    assert kinds(f"申请人身份证号{VALID_ID}。") == [PiiKind.RESIDENT_ID]
    wrong = VALID_ID[:-1] + "1"
    assert kinds(f"编号{wrong}。") == []


@given(st.integers(min_value=0, max_value=999))
def test_any_valid_id_is_found(seq: int) -> None:
    first17 = f"32010219850614{seq:03d}"
    number = first17 + resident_id_check_char(first17)
    assert kinds(f"身份证：{number}") == [PiiKind.RESIDENT_ID]


def test_numbers_inside_longer_codes_are_not_ids() -> None:
    assert kinds(f"索引号 A{VALID_ID}/2024-00001") == []


def test_mobile_numbers_in_common_forms() -> None:
    assert kinds("联系电话13812345678") == [PiiKind.MOBILE]
    assert kinds("电话 +86 138-1234-5678") == [PiiKind.MOBILE]
    assert kinds("办公电话021-62345678") == []


def test_bank_card_needs_luhn() -> None:
    assert rules.luhn_ok("6225881414207430")
    assert kinds("卡号 6225881414207430") == [PiiKind.BANK_CARD]
    assert kinds("卡号 6225881414207431") == []
    assert kinds("开户账号 4111 1111 1111 1111") == [PiiKind.BANK_CARD]


def test_email_except_the_organisations_published_mailboxes() -> None:
    assert kinds("请联系 zhang.san@example.com") == [PiiKind.EMAIL]
    assert kinds("邮箱 xxgk@test.gov.cn") == []
    assert (
        kinds("邮箱 office@edu-bureau.cn", allowed_emails=frozenset({"office@edu-bureau.cn"})) == []
    )


def test_detailed_address_down_to_the_room() -> None:
    assert kinds("住在人民路88号3栋502室") == [PiiKind.ADDRESS]
    assert kinds("李家村3组农户") == [PiiKind.ADDRESS]
    assert kinds("办公地址：人民路88号") == []  # an office address may be published


def test_masked_values_do_not_match_again() -> None:
    for kind, value in [
        (PiiKind.RESIDENT_ID, VALID_ID),
        (PiiKind.MOBILE, "13812345678"),
        (PiiKind.BANK_CARD, "6225881414207430"),
        (PiiKind.ADDRESS, "人民路88号3栋502室"),
    ]:
        assert kinds(rules.mask_value(kind, value)) == [], kind
    assert rules.mask_value(PiiKind.MOBILE, "13812345678") == "138****5678"
    assert rules.mask_value(PiiKind.RESIDENT_ID, VALID_ID) == "11*************02X"


def test_excerpt_never_contains_the_value() -> None:
    text = f"张三，身份证号{VALID_ID}，住址不详"
    hit = rules.scan_pii(text)[0]
    assert VALID_ID not in rules.excerpt(text, hit)


# --- 第二十六条 ------------------------------------------------------------------------------
def test_article_26_counts_workdays_with_the_holiday_arrangement() -> None:
    """条例第二十六条: 20 working days, 调休 Sunday counted, the National Day week not."""
    formed = date(2024, 9, 27)
    assert rules.publish_due_on(formed, CAL_2024) == date(2024, 10, 30)
    on_time = rules.timeliness(formed, date(2024, 10, 30), date(2024, 11, 5), CAL_2024)
    assert on_time.on_time and on_time.due_on == date(2024, 10, 30) and not on_time.provisional
    late = rules.timeliness(formed, date(2024, 11, 1), date(2024, 11, 5), CAL_2024)
    assert late.workdays_late == 2 and not late.on_time


def test_article_26_pending_item_is_late_by_today() -> None:
    t = rules.timeliness(date(2024, 9, 27), None, date(2024, 10, 31), CAL_2024)
    assert t.workdays_late == 1


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 12, 1)))
def test_article_26_due_date_is_the_twentieth_workday(formed: date) -> None:
    due = rules.publish_due_on(formed, CAL_2024)
    assert CAL_2024.is_workday(due)
    assert rules.timeliness(formed, due, due, CAL_2024).on_time
    next_workday = add_workdays(due, 1, CAL_2024).value
    assert rules.timeliness(formed, next_workday, next_workday, CAL_2024).workdays_late == 1


# --- 三同步 and 第十八条 --------------------------------------------------------------------------
def test_interpretation_missing_after_the_grace_period() -> None:
    published = date(2024, 9, 27)
    assert not rules.interpretation_missing(
        published, date(2024, 9, 30), date(2024, 12, 1), 3, CAL_2024
    )
    # 3 workdays: 29 Sep (调休), 30 Sep, 8 Oct.
    assert not rules.interpretation_missing(
        published, date(2024, 10, 8), date(2024, 12, 1), 3, CAL_2024
    )
    assert rules.interpretation_missing(
        published, date(2024, 10, 9), date(2024, 12, 1), 3, CAL_2024
    )
    assert not rules.interpretation_missing(published, None, date(2024, 10, 8), 3, CAL_2024)
    assert rules.interpretation_missing(published, None, date(2024, 10, 9), 3, CAL_2024)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(1, 36))
def test_article_18_next_reassessment_is_months_later(day: date, months: int) -> None:
    nxt = rules.next_reassessment(day, months)
    assert (nxt.year - day.year) * 12 + nxt.month - day.month == months
    assert nxt.day <= day.day and nxt > day
    assert nxt - timedelta(days=31 * months + 1) < day


def test_index_number_pattern() -> None:
    kw = {"credit_code": "11339905TT0000017X", "division_code": "339905", "org_id": 7}
    assert rules.format_index_number("{credit_code}/{yyyy}-{seq:05d}", year=2024, seq=12, **kw) == (
        "11339905TT0000017X/2024-00012"
    )
    assert rules.format_index_number(
        "{division_code}-{org_id:03d}-{yyyy}-{seq}", year=2024, seq=3, **kw
    ) == ("339905-007-2024-3")
    with pytest.raises(rules.IndexPatternError):
        rules.format_index_number("{credit_code}", year=2024, seq=1, **kw)
    with pytest.raises(rules.IndexPatternError):
        rules.format_index_number("{yyyy}-{seq}-{nope}", year=2024, seq=1, **kw)
    # Sequences run per organisation: without {credit_code} or {org_id} two departments of
    # one district would both get 339905-2024-1.
    with pytest.raises(rules.IndexPatternError):
        rules.format_index_number("{division_code}-{yyyy}-{seq}", year=2024, seq=1, **kw)


@pytest.mark.parametrize(
    ("pattern", "fails"),
    [
        ("{credit_code}/{yyyy}-{seq:05d}", False),
        ("{org_id}-{yyyy}-{seq}", False),
        ("{division_code}-{yyyy}-{seq}", True),
        ("{credit_code}-{yyyy}-{seq:05x}", False),
        ("{credit_code}-{yyyy}-{seq:s}", True),
        ("{credit_code}-{yyyy}-{seq}-{nope}", True),
        ("{credit_code}-{yyyy}-{seq", True),
    ],
)
def test_a_bad_index_number_pattern_stops_start_up(
    settings: Any, pattern: str, fails: bool
) -> None:
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.INDEX_NUMBER_PATTERN = pattern
    if fails:
        with pytest.raises(SystemCheckError, match=r"gongkai\.E003"):
            call_command("check")
    else:
        call_command("check")
