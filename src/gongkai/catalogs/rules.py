"""Pure rules of 标准目录 and of the 主动公开率."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class FiledCounts:
    """公文 of one organisation (or a sum of organisations) in one year."""

    filed: int = 0
    proactive: int = 0  # 主动公开
    on_request: int = 0  # 依申请公开
    withheld: int = 0  # 不予公开
    published: int = 0  # 主动公开 and linked to a published item

    def __add__(self, other: FiledCounts) -> FiledCounts:
        return FiledCounts(
            self.filed + other.filed,
            self.proactive + other.proactive,
            self.on_request + other.on_request,
            self.withheld + other.withheld,
            self.published + other.published,
        )

    @property
    def rate(self) -> Decimal | None:
        return proactive_rate(self.proactive, self.filed)

    @property
    def unpublished(self) -> int:
        """主动公开 公文 not yet linked to a published item: work still to do."""
        return self.proactive - self.published


def proactive_rate(proactive: int, filed: int) -> Decimal | None:
    """主动公开率 = 主动公开的公文 / 制发（备案）的公文, in per cent with one decimal rounded half
    up, as printed in annual reports ("公文主动公开率达90.2%", 2019 上海市政府办公厅 report;
    the 2020 长宁 report). None when nothing was filed: a rate of 0% would be a false alarm.

    A roll-up (a district over its departments) is the sum of the parts' counts, never the
    mean of their rates."""
    if filed < 0 or proactive < 0 or proactive > filed:
        raise ValueError("主动公开数不能大于备案公文数")
    if filed == 0:
        return None
    return (Decimal(proactive) * 100 / Decimal(filed)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
