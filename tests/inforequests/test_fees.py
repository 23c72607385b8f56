"""信息处理费 under 《政府信息公开信息处理费管理办法》 (国办函〔2020〕109号, RULES.md §3).

Each test names the article it checks: 第三条 (method, 超额累进, never both), 第四条 (按件计收),
第五条 (按量计收), and the 20-workday payment period of the fee notice.
"""

from __future__ import annotations

from datetime import date

import pytest
from chinese_calendar.constants import holidays as CC_HOLIDAYS
from chinese_calendar.constants import workdays as CC_WORKDAYS
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.workdays import Calendar
from gongkai.inforequests.fees import (
    FEE_QUANTUM_FEN,
    FeeMethod,
    FeeQuote,
    FeeWaiver,
    apply_waiver,
    ensure_single_method,
    fee_by_pages,
    fee_for_nth_application,
    format_yuan,
    month_total_by_items,
    payment_deadline,
    quote_by_items,
    quote_by_pages,
)

YUAN = 100  # fen per yuan
OFFICIAL = Calendar(
    known_years=frozenset(range(2004, 2027)),
    holidays=frozenset(CC_HOLIDAYS),
    makeup_workdays=frozenset(CC_WORKDAYS),
)
nths = st.integers(min_value=1, max_value=2_000)
counts = st.integers(min_value=0, max_value=2_000)
page_counts = st.integers(min_value=0, max_value=5_000)


# --- 第四条 按件计收: worked example and boundaries ------------------------------------------


def test_art4_worked_example_35_applications_cost_3000_yuan() -> None:
    """第四条, RULES.md §3: 35 applications in a month = 20×100 + 5×200 = 3,000 元."""
    assert month_total_by_items(35) == 3_000 * YUAN
    assert fee_for_nth_application(35) == 200 * YUAN


@pytest.mark.parametrize(
    ("n", "yuan"),
    [
        (1, 0),
        (10, 0),  # 10件以下（含10件）: free
        (11, 100),  # 11—30件（含30件）的部分: 100 元/件
        (30, 100),
        (31, 200),  # 31件以上的部分: first band of 10 at 200 元/件
        (40, 200),
        (41, 300),  # each further band of 10 adds 100 元/件
        (50, 300),
        (51, 400),
    ],
)
def test_art4_fee_for_nth_application_boundaries(n: int, yuan: int) -> None:
    """第四条: the rate of the n-th application in the month at each tier boundary."""
    assert fee_for_nth_application(n) == yuan * YUAN


@pytest.mark.parametrize(
    ("count", "yuan"),
    [
        (0, 0),
        (10, 0),
        (11, 100),
        (30, 2_000),
        (31, 2_200),
        (40, 4_000),
        (41, 4_300),
    ],
)
def test_art4_month_totals_at_boundaries(count: int, yuan: int) -> None:
    """第四条 with 超额累进 (第三条): the month's running total at each boundary."""
    assert month_total_by_items(count) == yuan * YUAN


@pytest.mark.parametrize("bad", [0, -1, 1.5, "3", True, None])
def test_art4_nth_must_be_a_positive_integer(bad: object) -> None:
    """第四条 counts applications from the first of the month: n ≥ 1."""
    with pytest.raises(ValueError, match="申请件次"):
        fee_for_nth_application(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="申请件次"):
        quote_by_items(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-1, 2.0, "10", False])
def test_art4_month_count_must_be_a_non_negative_integer(bad: object) -> None:
    """第四条: a month's count of applications is 0 or more."""
    with pytest.raises(ValueError, match="累计申请件数"):
        month_total_by_items(bad)  # type: ignore[arg-type]


# --- 第四条 按件计收: properties ------------------------------------------------------------


@given(counts)
def test_art4_month_total_is_the_sum_of_each_application(count: int) -> None:
    """第四条: the month's total is the sum of the fee of its 1st … n-th application."""
    assert month_total_by_items(count) == sum(
        fee_for_nth_application(k) for k in range(1, count + 1)
    )


@given(counts)
def test_art4_month_total_is_monotone(count: int) -> None:
    """第四条: one more application never lowers the month's total."""
    assert month_total_by_items(count + 1) >= month_total_by_items(count)


@given(nths)
def test_art4_marginal_fee_never_decreases(n: int) -> None:
    """第三条 超额累进 / 第四条: the fee per application is progressive."""
    assert fee_for_nth_application(n + 1) >= fee_for_nth_application(n)


@given(nths)
def test_art4_rate_rises_by_100_yuan_per_band_of_ten(n: int) -> None:
    """第四条: 以10件为一档，每增加一档，收费标准提高100元/件 (from the 31st application)."""
    if n > 30:
        assert fee_for_nth_application(n + 10) - fee_for_nth_application(n) == 100 * YUAN


@given(nths, counts)
def test_art4_amounts_are_integer_fen_multiples_of_10_yuan(n: int, count: int) -> None:
    """第四条: every rate is a multiple of 10 元, so every fee and total is too."""
    for amount in (fee_for_nth_application(n), month_total_by_items(count)):
        assert isinstance(amount, int)
        assert amount % FEE_QUANTUM_FEN == 0
        assert FEE_QUANTUM_FEN == 10 * YUAN


def test_art4_large_month_uses_the_closed_form() -> None:
    """第四条: the closed form agrees with the band-by-band sum far out (e.g. 1,005 items)."""
    assert month_total_by_items(1_005) == sum(fee_for_nth_application(k) for k in range(1, 1_006))


# --- 第五条 按量计收 -----------------------------------------------------------------------


def test_art5_worked_example_150_pages_cost_1700_yuan() -> None:
    """第五条, RULES.md §3: 150 pages = 70×10 + 50×20 = 1,700 元."""
    assert fee_by_pages(150) == 1_700 * YUAN


@pytest.mark.parametrize(
    ("pages", "yuan"),
    [
        (0, 0),
        (30, 0),  # 30页以下（含30页）: free
        (31, 10),  # 31—100页的部分: 10 元/页
        (100, 700),
        (101, 720),  # 101—200页的部分: 20 元/页
        (200, 2_700),
        (201, 2_740),  # 201页以上的部分: 40 元/页
        (250, 4_700),
    ],
)
def test_art5_page_boundaries(pages: int, yuan: int) -> None:
    """第五条: the fee at each page-tier boundary."""
    assert fee_by_pages(pages) == yuan * YUAN


@pytest.mark.parametrize("bad", [-1, 3.0, "30", True])
def test_art5_pages_must_be_a_non_negative_integer(bad: object) -> None:
    """第五条 counts pages: 0 or more."""
    with pytest.raises(ValueError, match="页数"):
        fee_by_pages(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="页数"):
        quote_by_pages(bad)  # type: ignore[arg-type]


@given(page_counts)
def test_art5_fee_is_monotone(pages: int) -> None:
    """第五条: one more page never lowers the fee."""
    assert fee_by_pages(pages + 1) >= fee_by_pages(pages)


@given(page_counts)
def test_art5_marginal_fee_per_page_never_decreases(pages: int) -> None:
    """第三条 超额累进 / 第五条: the price of the next page never falls."""
    assert fee_by_pages(pages + 2) - fee_by_pages(pages + 1) >= fee_by_pages(
        pages + 1
    ) - fee_by_pages(pages)


@given(page_counts)
def test_art5_amounts_are_integer_fen_multiples_of_10_yuan(pages: int) -> None:
    """第五条: every page rate is a multiple of 10 元."""
    amount = fee_by_pages(pages)
    assert isinstance(amount, int)
    assert amount % FEE_QUANTUM_FEN == 0


# --- quotes (the contents of a 收费通知) ----------------------------------------------------


def test_art4_quote_for_the_35th_application() -> None:
    """第四条: the 35th application costs 200 元; the breakdown reaches the month's 3,000 元."""
    quote = quote_by_items(35)
    assert quote.method is FeeMethod.BY_ITEMS
    assert quote.amount_fen == 200 * YUAN
    assert quote.month_total_fen == 3_000 * YUAN
    assert quote.quantity == 35
    assert quote.breakdown == (
        "第1—10件：10件，免费",
        "第11—30件：20件×100元＝2,000元",
        "第31—35件：5件×200元＝1,000元",
        "本月累计：3,000元",
        "本件（第35件）：200元",
    )
    assert "第四条" in quote.basis
    assert "国办函〔2020〕109号" in quote.basis
    assert "第31—40件档" in quote.standard
    assert "200元/件" in quote.standard


@pytest.mark.parametrize(
    ("n", "phrase"),
    [(10, "10件以下（含10件）的，不收费"), (11, "11—30件（含30件）的部分"), (41, "第41—50件档")],
)
def test_art4_quote_standard_names_the_tier_applied(n: int, phrase: str) -> None:
    """第四条: the notice's standard (标准) describes the tier of this application."""
    assert phrase in quote_by_items(n).standard


def test_art4_quote_single_item_tier_line() -> None:
    """第四条: the 11th application opens the 100 元 tier: a one-item line."""
    assert "第11件：1件×100元＝100元" in quote_by_items(11).breakdown


def test_art5_quote_for_150_pages() -> None:
    """第五条: 150 pages → one line per tier reached, 1,700 元 in all."""
    quote = quote_by_pages(150)
    assert quote.method is FeeMethod.BY_PAGES
    assert quote.amount_fen == 1_700 * YUAN
    assert quote.month_total_fen is None
    assert quote.breakdown == (
        "第1—30页：30页，免费",
        "第31—100页：70页×10元＝700元",
        "第101—150页：50页×20元＝1,000元",
        "合计：1,700元",
    )
    assert "第五条" in quote.basis
    assert "101—200页的部分20元/页" in quote.standard
    assert "201页以上" not in quote.standard


def test_art5_quote_for_free_pages_names_only_the_free_tier() -> None:
    """第五条: 30页以下（含30页）不收费; a free quote names only that tier."""
    quote = quote_by_pages(12)
    assert quote.amount_fen == 0
    assert "30页以下（含30页）不收费" in quote.standard
    assert "31—100页" not in quote.standard


@given(nths)
def test_art4_quote_agrees_with_the_functions(n: int) -> None:
    """第四条: a quote's amount and month total are those of the fee functions."""
    quote = quote_by_items(n)
    assert quote.amount_fen == fee_for_nth_application(n)
    assert quote.month_total_fen == month_total_by_items(n)


@given(page_counts)
def test_art5_quote_agrees_with_fee_by_pages(pages: int) -> None:
    """第五条: a quote's amount is fee_by_pages."""
    assert quote_by_pages(pages).amount_fen == fee_by_pages(pages)


# --- 第三条: one method per application ------------------------------------------------------


def test_art3_both_methods_for_one_application_are_refused() -> None:
    """第三条: 不得同时按件和按量收费."""
    with pytest.raises(ValueError, match="不得同时按件和按量"):
        ensure_single_method([FeeMethod.BY_ITEMS, FeeMethod.BY_PAGES])
    with pytest.raises(ValueError, match="第三条"):
        ensure_single_method(q.method for q in (quote_by_items(20), quote_by_pages(50)))


def test_art3_one_method_or_none() -> None:
    """第三条: one method (possibly named twice) is fine; no method means no fee."""
    assert ensure_single_method([FeeMethod.BY_PAGES]) is FeeMethod.BY_PAGES
    assert ensure_single_method(["by_items", FeeMethod.BY_ITEMS]) is FeeMethod.BY_ITEMS
    assert ensure_single_method([]) is None


def test_art3_unknown_method_is_refused() -> None:
    """第三条 knows only 按件 and 按量."""
    with pytest.raises(ValueError, match="未知的收费方式"):
        ensure_single_method(["by_weight"])


def test_art3_method_labels() -> None:
    """第三条: the two methods' names."""
    assert FeeMethod.BY_ITEMS.label == "按件计收"
    assert FeeMethod.BY_PAGES.label == "按量计收"


# --- waiver --------------------------------------------------------------------------------


def test_waiver_sets_the_amount_to_zero_and_records_why() -> None:
    """RULES.md §3 (exemptions): a waiver is an approved action with a recorded reason."""
    waiver = FeeWaiver(reason=" 申请人生活困难 ", approver="张三")
    quote = apply_waiver(quote_by_pages(150), waiver)
    assert quote.amount_fen == 0
    assert quote.waived_fen == 1_700 * YUAN
    assert quote.waiver == FeeWaiver("申请人生活困难", "张三")
    assert quote.breakdown[-1] == "减免：1,700元，理由：申请人生活困难，批准人：张三"
    assert quote.breakdown[:-1] == quote_by_pages(150).breakdown
    assert quote.basis == quote_by_pages(150).basis


def test_waiver_requires_reason_and_approver() -> None:
    """RULES.md §3 (exemptions): no waiver without a reason and an approver."""
    with pytest.raises(ValueError, match="理由"):
        FeeWaiver(reason="  ", approver="张三")
    with pytest.raises(ValueError, match="批准人"):
        FeeWaiver(reason="困难", approver="")


def test_waiver_is_applied_once() -> None:
    """A quote is waived at most once, so the waived amount is never lost."""
    quote = apply_waiver(quote_by_items(35), FeeWaiver("困难", "张三"))
    with pytest.raises(ValueError, match="重复减免"):
        apply_waiver(quote, FeeWaiver("其他", "李四"))


def test_quote_is_immutable() -> None:
    quote: FeeQuote = quote_by_items(12)
    with pytest.raises(AttributeError):
        quote.amount_fen = 0  # type: ignore[misc]


# --- payment period and formatting ---------------------------------------------------------


def test_payment_deadline_counts_20_workdays_from_the_next_day() -> None:
    """收费通知: pay within 20 workdays from the day after receipt; 国庆 2024 is skipped and the
    make-up Sundays 9/29 and 10/12 count."""
    result = payment_deadline(date(2024, 9, 27), OFFICIAL)
    assert result.value == date(2024, 10, 30)
    assert not result.provisional


def test_payment_deadline_day_of_receipt_does_not_count() -> None:
    """次日起: received Monday 2024-03-04 → day 1 is Tuesday 3-5, day 20 is Monday 4-1;
    received Friday 2024-03-01 → day 1 is Monday 3-4, day 20 is Friday 3-29."""
    assert payment_deadline(date(2024, 3, 4), OFFICIAL).value == date(2024, 4, 1)
    assert payment_deadline(date(2024, 3, 1), OFFICIAL).value == date(2024, 3, 29)


def test_payment_deadline_into_unknown_year_is_provisional() -> None:
    """No holiday arrangement for 2027: the deadline is provisional."""
    result = payment_deadline(date(2026, 12, 20), OFFICIAL)
    assert result.provisional
    assert result.missing_years == (2027,)


@pytest.mark.parametrize(
    ("fen", "text"),
    [(0, "0.00元"), (5, "0.05元"), (170_000, "1,700.00元"), (123_456_789, "1,234,567.89元")],
)
def test_format_yuan(fen: int, text: str) -> None:
    assert format_yuan(fen) == text


def test_format_yuan_refuses_non_integers() -> None:
    with pytest.raises(ValueError, match="分"):
        format_yuan(1.5)  # type: ignore[arg-type]
