"""gongkai fee items N | pages N [--explain] — the 信息处理费 of 国办函〔2020〕109号 from the console.

`items N`: the fee for an applicant's N-th application in one calendar month (按件计收, 第四条)
and the month's running total. `pages N`: the fee for one application of N pages (按量计收,
第五条). `--explain` adds the tier-by-tier breakdown, the standard applied and the legal basis.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.core.text import normalize
from gongkai.inforequests.fees import (
    FeeQuote,
    format_yuan,
    quote_by_items,
    quote_by_pages,
)

# Guards against typos; far above anything a month or an application can reach.
MAX_ITEMS = 10_000
MAX_PAGES = 1_000_000


def _number(value: str, minimum: int, maximum: int, what: str) -> int:
    try:
        n = int(normalize(value))
    except ValueError:
        n = minimum - 1
    if n < minimum:
        raise CommandError(
            _("%(what)s“%(value)s”无效，应为不小于%(minimum)s的整数。")
            % {"what": what, "value": value, "minimum": minimum}
        )
    if n > maximum:
        raise CommandError(
            _("%(what)s“%(value)s”过大，最多为%(maximum)s。")
            % {"what": what, "value": value, "maximum": maximum}
        )
    return n


class Command(BaseCommand):
    help = "按《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）计算信息处理费。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="method", required=True)
        items = sub.add_parser(
            "items", help="按件计收：申请人一个自然月内第 N 件申请的收费及本月累计（第四条）"
        )
        items.add_argument("n", help="本月第几件申请（从1起）")
        pages = sub.add_parser("pages", help="按量计收：一件申请共 N 页的收费（第五条）")
        pages.add_argument("n", help="页数（0或正整数）")
        for p in (items, pages):
            p.add_argument("--explain", action="store_true", help="列出分档计算过程、标准和依据")

    def handle(self, *args: Any, **options: Any) -> None:
        quote: FeeQuote
        if options["method"] == "items":
            nth = _number(options["n"], 1, MAX_ITEMS, _("申请件次"))
            quote = quote_by_items(nth)
            self.stdout.write(
                _("第%(n)s件：%(amount)s") % {"n": nth, "amount": format_yuan(quote.amount_fen)}
            )
            self.stdout.write(
                _("本月累计：%(amount)s") % {"amount": format_yuan(quote.month_total_fen or 0)}
            )
        else:
            quote = quote_by_pages(_number(options["n"], 0, MAX_PAGES, _("页数")))
            self.stdout.write(format_yuan(quote.amount_fen))
        if options["explain"]:
            self.stdout.write("")
            for line in quote.breakdown:
                self.stdout.write(line)
            self.stdout.write(_("收费标准：%(standard)s") % {"standard": quote.standard})
            self.stdout.write(_("收费依据：%(basis)s") % {"basis": quote.basis})
