"""信息处理费: the fee schedule of 《政府信息公开信息处理费管理办法》 (国办函〔2020〕109号).

This module is the one implementation of the schedule (RULES.md §3); everything else that
needs a fee (fee notices, the annual report's plausibility check, the CLI) calls it.

- 第三条: the agency charges either 按件计收 or 按量计收, both 超额累进, and never both for one
  application (`ensure_single_method`).
- 第四条 按件计收: cumulative applications of one applicant in one calendar month; 10件以下
  （含10件） free, 11—30件（含30件）的部分 100 元/件, 31件以上的部分 rising by 100 元/件 for each
  band of 10 (31—40 at 200, 41—50 at 300, …) (`fee_for_nth_application`,
  `month_total_by_items`, `quote_by_items`).
- 第五条 按量计收: per application by pages; 30页以下（含30页） free, 31—100 at 10 元/页,
  101—200 at 20 元/页, 201 up at 40 元/页 (`fee_by_pages`, `quote_by_pages`).
- Payment within 20 workdays from the day after the notice is received (`payment_deadline`).
- Waivers are an approved action with a recorded reason (`FeeWaiver`, `apply_waiver`); the
  national text on reductions could not be confirmed, so it is modelled as a decision, not a rule.

All amounts are integer 分 (fen). Pure functions: only `payment_deadline` without a calendar
reads the database (through `gongkai.core.workdays`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext as _

from gongkai.core.workdays import Calendar, WorkdayResult, add_workdays

FEN_PER_YUAN = 100

# 第四条 按件计收
ITEMS_FREE_UP_TO = 10  # 10件以下（含10件）不收费
ITEMS_FIRST_BAND_UP_TO = 30  # 11—30件（含30件）的部分
ITEMS_FIRST_RATE_FEN = 100 * FEN_PER_YUAN  # 100 元/件
ITEMS_BAND_SIZE = 10  # 31件以上的部分以10件为一档
ITEMS_BAND_STEP_FEN = 100 * FEN_PER_YUAN  # 每增加一档，收费标准提高100元/件

# 第五条 按量计收: (last page of the tier or None for "and up", rate per page in fen).
PAGE_TIERS: tuple[tuple[int | None, int], ...] = (
    (30, 0),
    (100, 10 * FEN_PER_YUAN),
    (200, 20 * FEN_PER_YUAN),
    (None, 40 * FEN_PER_YUAN),
)

# Every rate of 第四条 and 第五条 is a multiple of 10 元, so every fee and every sum of fees is.
FEE_QUANTUM_FEN = 10 * FEN_PER_YUAN

PAYMENT_PERIOD_WORKDAYS = 20

MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


class FeeMethod(StrEnum):
    """第三条: the two ways of charging; one application uses exactly one of them."""

    BY_ITEMS = "by_items"
    BY_PAGES = "by_pages"

    @property
    def label(self) -> str:
        if self is FeeMethod.BY_ITEMS:
            return _("按件计收")
        return _("按量计收")


@dataclass(frozen=True)
class FeeWaiver:
    """A decision to waive the fee: why, and who approved it (both required)."""

    reason: str
    approver: str

    def __post_init__(self) -> None:
        reason = self.reason.strip() if isinstance(self.reason, str) else ""
        approver = self.approver.strip() if isinstance(self.approver, str) else ""
        if not reason:
            raise ValueError(_("减免信息处理费必须说明理由。"))
        if not approver:
            raise ValueError(_("减免信息处理费必须写明批准人。"))
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "approver", approver)


@dataclass(frozen=True)
class FeeQuote:
    """What a 收费通知 states (第三条 and the notice requirements): method, amount, basis
    (依据), standard (标准) and how the amount was reached.

    `quantity` is the application's position in the month (按件) or its page count (按量).
    `month_total_fen` is the applicant's running total for the month (按件 only).
    `waived_fen` is the amount a waiver removed (0 without waiver).
    """

    method: FeeMethod
    amount_fen: int
    basis: str
    standard: str
    breakdown: tuple[str, ...]
    quantity: int
    month_total_fen: int | None = None
    waiver: FeeWaiver | None = None
    waived_fen: int = 0


# --- validation and formatting ---------------------------------------------------------------


def _whole(value: object, minimum: int, message: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(message)
    return value


def _check_nth(n: object) -> int:
    return _whole(n, 1, _("申请件次应为不小于1的整数（当月第1件起算）。"))


def _check_count(count: object) -> int:
    return _whole(count, 0, _("当月累计申请件数应为不小于0的整数。"))


def _check_pages(pages: object) -> int:
    return _whole(pages, 0, _("页数应为不小于0的整数。"))


def format_yuan(fen: int) -> str:
    """An amount in 分 as 元 with thousands separators and two decimals: 170000 → "1,700.00元"."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise ValueError(_("金额应以“分”为单位的整数表示。"))
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return _("%(amount)s元") % {"amount": f"{sign}{whole:,}.{cents:02d}"}


def _yuan_short(fen: int) -> str:
    """Whole 元 without decimals ("1,000元"), for rates and breakdown lines."""
    if fen % FEN_PER_YUAN:
        return format_yuan(fen)
    return _("%(amount)s元") % {"amount": f"{fen // FEN_PER_YUAN:,}"}


# --- 第四条 按件计收 -------------------------------------------------------------------------


def _item_rate(n: int) -> int:
    if n <= ITEMS_FREE_UP_TO:
        return 0
    if n <= ITEMS_FIRST_BAND_UP_TO:
        return ITEMS_FIRST_RATE_FEN
    band = (n - ITEMS_FIRST_BAND_UP_TO - 1) // ITEMS_BAND_SIZE + 1
    return ITEMS_FIRST_RATE_FEN + band * ITEMS_BAND_STEP_FEN


def fee_for_nth_application(n: int) -> int:
    """按件计收 (国办函〔2020〕109号 第四条): the fee in 分 for the applicant's n-th application
    in one calendar month.

    1—10: free (10件以下（含10件）); 11—30: 100 元 (11—30件（含30件）的部分); from 31 the rate
    rises by 100 元 for each band of 10 (以10件为一档，每增加一档，收费标准提高100元/件):
    31—40 → 200 元, 41—50 → 300 元, … (RULES.md §3, our reading of the last tier).
    """
    return _item_rate(_check_nth(n))


def month_total_by_items(count: int) -> int:
    """按件计收 (国办函〔2020〕109号 第四条, 超额累进 per 第三条): the total in 分 for `count`
    applications of one applicant in one calendar month, i.e. the sum of
    `fee_for_nth_application(1..count)`; 0 for no application.

    Closed form, so large counts cost nothing. E.g. 35 → 20×100 + 5×200 = 3,000 元.
    """
    count = _check_count(count)
    if count <= ITEMS_FREE_UP_TO:
        return 0
    first_band = min(count, ITEMS_FIRST_BAND_UP_TO) - ITEMS_FREE_UP_TO
    total = first_band * ITEMS_FIRST_RATE_FEN
    if count <= ITEMS_FIRST_BAND_UP_TO:
        return total
    full_bands, rest = divmod(count - ITEMS_FIRST_BAND_UP_TO, ITEMS_BAND_SIZE)
    # Band k (k = 1, 2, …) costs FIRST_RATE + k × STEP per item.
    total += ITEMS_BAND_SIZE * (
        full_bands * ITEMS_FIRST_RATE_FEN + ITEMS_BAND_STEP_FEN * full_bands * (full_bands + 1) // 2
    )
    total += rest * (ITEMS_FIRST_RATE_FEN + (full_bands + 1) * ITEMS_BAND_STEP_FEN)
    return total


def _item_tiers(count: int) -> Iterator[tuple[int, int, int]]:
    """(first, last, rate in fen) of each tier of 第四条 reached by `count` applications."""
    first = 1
    while first <= count:
        if first <= ITEMS_FREE_UP_TO:
            last = ITEMS_FREE_UP_TO
        elif first <= ITEMS_FIRST_BAND_UP_TO:
            last = ITEMS_FIRST_BAND_UP_TO
        else:
            last = first + ITEMS_BAND_SIZE - 1
        yield first, min(last, count), _item_rate(first)
        first = last + 1


def _item_tier_bounds(n: int) -> tuple[int, int | None]:
    if n <= ITEMS_FREE_UP_TO:
        return 1, ITEMS_FREE_UP_TO
    if n <= ITEMS_FIRST_BAND_UP_TO:
        return ITEMS_FREE_UP_TO + 1, ITEMS_FIRST_BAND_UP_TO
    band = (n - ITEMS_FIRST_BAND_UP_TO - 1) // ITEMS_BAND_SIZE
    first = ITEMS_FIRST_BAND_UP_TO + 1 + band * ITEMS_BAND_SIZE
    return first, first + ITEMS_BAND_SIZE - 1


def _range_label(first: int, last: int, unit: str) -> str:
    if first == last:
        return _("第%(n)s%(unit)s") % {"n": first, "unit": unit}
    return _("第%(first)s—%(last)s%(unit)s") % {"first": first, "last": last, "unit": unit}


def _tier_line(first: int, last: int, rate: int, unit: str) -> str:
    label = _range_label(first, last, unit)
    quantity = last - first + 1
    if rate == 0:
        return _("%(range)s：%(quantity)s%(unit)s，免费") % {
            "range": label,
            "quantity": quantity,
            "unit": unit,
        }
    return _("%(range)s：%(quantity)s%(unit)s×%(rate)s＝%(amount)s") % {
        "range": label,
        "quantity": quantity,
        "unit": unit,
        "rate": _yuan_short(rate),
        "amount": _yuan_short(quantity * rate),
    }


def quote_by_items(nth: int) -> FeeQuote:
    """按件计收 (国办函〔2020〕109号 第四条): the quote for the applicant's `nth` application in
    one calendar month. The amount is this application's fee; the breakdown shows how the
    month's running total is reached, tier by tier, then this application's line.
    """
    nth = _check_nth(nth)
    unit = _("件")
    rate = _item_rate(nth)
    total = month_total_by_items(nth)
    first, last = _item_tier_bounds(nth)
    if rate == 0:
        standard = _(
            "同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；本件为本月第%(n)s件。"
        ) % {"n": nth}
    elif nth <= ITEMS_FIRST_BAND_UP_TO:
        standard = _(
            "同一申请人一个自然月内累计申请11—30件（含30件）的部分，按%(rate)s/件收取；"
            "本件为本月第%(n)s件。"
        ) % {"rate": _yuan_short(rate), "n": nth}
    else:
        standard = _(
            "同一申请人一个自然月内累计申请31件以上的部分，以10件为一档，每增加一档，"
            "收费标准提高100元/件；本件为本月第%(n)s件，适用第%(first)s—%(last)s件档，"
            "按%(rate)s/件收取。"
        ) % {"n": nth, "first": first, "last": last, "rate": _yuan_short(rate)}
    lines = [_tier_line(a, b, r, unit) for a, b, r in _item_tiers(nth)]
    lines.append(_("本月累计：%(total)s") % {"total": _yuan_short(total)})
    lines.append(_("本件（第%(n)s件）：%(amount)s") % {"n": nth, "amount": _yuan_short(rate)})
    basis = _("%(measures)s第三条、第四条：按件计收，超额累进。") % {"measures": MEASURES}
    return FeeQuote(
        method=FeeMethod.BY_ITEMS,
        amount_fen=rate,
        basis=basis,
        standard=standard,
        breakdown=tuple(lines),
        quantity=nth,
        month_total_fen=total,
    )


# --- 第五条 按量计收 -------------------------------------------------------------------------


def _page_tiers(pages: int) -> Iterator[tuple[int, int, int]]:
    """(first, last, rate in fen) of each tier of 第五条 reached by `pages` pages."""
    lower = 0
    for upper, rate in PAGE_TIERS:
        top = pages if upper is None else min(pages, upper)
        if top > lower:
            yield lower + 1, top, rate
        if upper is None or pages <= upper:
            return
        lower = upper


def fee_by_pages(pages: int) -> int:
    """按量计收 (国办函〔2020〕109号 第五条, 超额累进 per 第三条): the fee in 分 for one
    application of `pages` pages.

    30页以下（含30页） free; 31—100 at 10 元/页; 101—200 at 20 元/页; 201 up at 40 元/页.
    E.g. 150 → 70×10 + 50×20 = 1,700 元.
    """
    pages = _check_pages(pages)
    return sum((last - first + 1) * rate for first, last, rate in _page_tiers(pages))


def _page_tier_text(upper: int | None, lower: int, rate: int) -> str:
    if rate == 0:
        return _("%(upper)s页以下（含%(upper)s页）不收费") % {"upper": upper}
    if upper is None:
        return _("%(first)s页以上的部分%(rate)s/页") % {
            "first": lower + 1,
            "rate": _yuan_short(rate),
        }
    return _("%(first)s—%(last)s页的部分%(rate)s/页") % {
        "first": lower + 1,
        "last": upper,
        "rate": _yuan_short(rate),
    }


def quote_by_pages(pages: int) -> FeeQuote:
    """按量计收 (国办函〔2020〕109号 第五条): the quote for one application of `pages` pages;
    the standard names every tier applied, the breakdown gives one line per tier."""
    pages = _check_pages(pages)
    unit = _("页")
    applied: list[str] = []
    lower = 0
    for upper, rate in PAGE_TIERS:
        if pages <= lower and applied:
            break
        applied.append(_page_tier_text(upper, lower, rate))
        if upper is None:
            break
        lower = upper
    # Translators: the separator between the tiers of the fee standard.
    separator = _("，")
    standard = _("超额累进，%(tiers)s；本件共%(pages)s页。") % {
        "tiers": separator.join(applied),
        "pages": pages,
    }
    lines = [_tier_line(a, b, r, unit) for a, b, r in _page_tiers(pages)]
    amount = fee_by_pages(pages)
    lines.append(_("合计：%(amount)s") % {"amount": _yuan_short(amount)})
    basis = _("%(measures)s第三条、第五条：按量计收，超额累进。") % {"measures": MEASURES}
    return FeeQuote(
        method=FeeMethod.BY_PAGES,
        amount_fen=amount,
        basis=basis,
        standard=standard,
        breakdown=tuple(lines),
        quantity=pages,
    )


# --- 第三条: one method per application -------------------------------------------------------


def ensure_single_method(methods: Iterable[FeeMethod | str]) -> FeeMethod | None:
    """The one method charged for an application, None when no fee is charged.

    国办函〔2020〕109号 第三条: for each application the agency charges either 按件 or 按量 and
    must not charge under both (不得同时按件和按量收费). Raises ValueError when both are asked
    for, or for an unknown method. The same method named twice is still one method.
    """
    chosen: set[FeeMethod] = set()
    for method in methods:
        try:
            chosen.add(FeeMethod(method))
        except ValueError as exc:
            raise ValueError(_("未知的收费方式“%(method)s”。") % {"method": method}) from exc
    if len(chosen) > 1:
        raise ValueError(
            _(
                "同一申请不得同时按件和按量收取信息处理费"
                "（《政府信息公开信息处理费管理办法》第三条），请只选择一种收费方式。"
            )
        )
    return next(iter(chosen), None)


# --- waiver and payment -------------------------------------------------------------------


def apply_waiver(quote: FeeQuote, waiver: FeeWaiver) -> FeeQuote:
    """The quote after an approved waiver: amount 0, the waived amount, reason and approver
    recorded in the breakdown. A quote is waived at most once."""
    if quote.waiver is not None:
        raise ValueError(_("该收费已经减免，不能重复减免。"))
    line = _("减免：%(amount)s，理由：%(reason)s，批准人：%(approver)s") % {
        "amount": _yuan_short(quote.amount_fen),
        "reason": waiver.reason,
        "approver": waiver.approver,
    }
    return replace(
        quote,
        amount_fen=0,
        breakdown=(*quote.breakdown, line),
        waiver=waiver,
        waived_fen=quote.amount_fen,
    )


def payment_deadline(notice_on: date, calendar: Calendar | None = None) -> WorkdayResult:
    """The last day to pay: the 20th workday counted from the day after the notice.

    The applicant pays 自收到收费通知的次日起20个工作日内 (RULES.md §3, 国办函〔2020〕109号 as
    repeated by the Sichuan implementing notice); unpaid → the application is treated as
    abandoned (report row 其他处理 2). `notice_on` is the day the applicant received the notice.

    `add_workdays(notice_on, 20)` counts day 1 as the first workday after `notice_on`, which is
    exactly "次日起": the day of receipt never counts, and a weekend or holiday after it is
    skipped. With `calendar=None` the holiday arrangements are read from the database; the
    result is provisional when a year it touches has none loaded.
    """
    return add_workdays(notice_on, PAYMENT_PERIOD_WORKDAYS, calendar)
