"""The official annual-report formats: section titles and the exact labels of tables 二, 三, 四.

2019 trial format: 国办公开办函〔2019〕60号, for the 2019 and 2020 reports.
2021 format: 国办公开办函〔2021〕30号, from the 2021 report on (RULES.md §2.1–2.6).
Everything that produces or reads a report takes its labels from here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.utils import translation

from gongkai.inforequests.constants import ApplicantType, Outcome


def official(label: object) -> str:
    """The official Chinese text of a (lazily translated) label: reports print the labels of
    the national format whatever language the interface is in."""
    with translation.override("zh-hans"):
        return str(label)


class FormatVersion(enum.StrEnum):
    V2019 = "2019"
    V2021 = "2021"


def format_for_year(year: int) -> FormatVersion:
    """Reports for 2019 and 2020 use the trial format; 2021 and later the 2021 format."""
    return FormatVersion.V2019 if year <= 2020 else FormatVersion.V2021


SECTION_KEYS = ("overview", "proactive", "requests", "appeals", "problems", "other")
SECTION_TITLES: dict[FormatVersion, tuple[str, ...]] = {
    FormatVersion.V2021: (
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ),
    FormatVersion.V2019: (
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        # The Shanghai 2019 report prints the longer form; both are accepted (RULES.md §2.2).
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ),
}
SECTION_TITLE_VARIANTS: dict[str, tuple[str, ...]] = {
    "problems": ("五、政府信息公开工作存在的主要问题及改进情况",),
}

# --- table 三 ----------------------------------------------------------------------------
TOTAL = "total"
TABLE3_COLUMNS: tuple[str, ...] = (*ApplicantType.values, TOTAL)
TABLE3_COLUMN_LABELS: dict[str, str] = {
    **{t.value: official(t.label) for t in ApplicantType},
    TOTAL: "总计",
}
# Header cells of the official tables that are neither a row nor a data column of their own.
APPLICANTS_LABEL = "申请人情况"
ORGANIZATIONS_LABEL = "法人或其他组织"
LITIGATION_LABEL = "行政诉讼"
CONTENT_LABEL = "信息内容"
TABLE3_BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass(frozen=True)
class Row:
    key: str
    label: str  # as printed in the row's own cell, e.g. "1.属于国家秘密"
    group: str = ""  # the merged group cell above it, e.g. "（三）不予公开"
    leaf: bool = True  # carries numbers


RECEIVED, CARRIED_IN, OUTCOME_TOTAL, CARRIED_OVER = (
    "received",
    "carried_in",
    "outcome_total",
    "carried_over",
)
OTHER_HANDLING_2019 = "other_handling"  # the single （六）其他处理 row of the 2019 format

_W, _U, _N, _O = "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"


def _numbered(group: str, outcomes: list[Outcome]) -> list[Row]:
    return [
        Row(o.value, f"{i}.{official(o.label)}", group) for i, o in enumerate(outcomes, start=1)
    ]


_OUTCOME_ROWS_COMMON = [
    Row(Outcome.DISCLOSED.value, "（一）予以公开"),
    Row(Outcome.PARTLY_DISCLOSED.value, f"（二）{official(Outcome.PARTLY_DISCLOSED.label)}"),
    *_numbered(
        _W,
        [
            Outcome.WITHHELD_STATE_SECRET,
            Outcome.WITHHELD_LAW,
            Outcome.WITHHELD_SECURITY,
            Outcome.WITHHELD_THIRD_PARTY,
            Outcome.WITHHELD_INTERNAL,
            Outcome.WITHHELD_PROCESS,
            Outcome.WITHHELD_ENFORCEMENT_FILE,
            Outcome.WITHHELD_QUERY,
        ],
    ),
    *_numbered(
        _U,
        [
            Outcome.UNAVAILABLE_NOT_HELD,
            Outcome.UNAVAILABLE_NEEDS_CREATION,
            Outcome.UNAVAILABLE_UNCLEAR,
        ],
    ),
    *_numbered(
        _N,
        [
            Outcome.NOT_PROCESSED_PETITION,
            Outcome.NOT_PROCESSED_REPEATED,
            Outcome.NOT_PROCESSED_PUBLICATION,
            Outcome.NOT_PROCESSED_EXCESSIVE,
            Outcome.NOT_PROCESSED_CONFIRMATION,
        ],
    ),
]
_HEAD = [
    Row(RECEIVED, "一、本年新收政府信息公开申请数量"),
    Row(CARRIED_IN, "二、上年结转政府信息公开申请数量"),
]
_TAIL = [Row(OUTCOME_TOTAL, "（七）总计"), Row(CARRIED_OVER, "四、结转下年度继续办理")]

TABLE3_ROWS: dict[FormatVersion, tuple[Row, ...]] = {
    FormatVersion.V2021: (
        *_HEAD,
        *_OUTCOME_ROWS_COMMON,
        *_numbered(_O, [Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_FEE_UNPAID, Outcome.OTHER]),
        *_TAIL,
    ),
    FormatVersion.V2019: (
        *_HEAD,
        *_OUTCOME_ROWS_COMMON,
        Row(OTHER_HANDLING_2019, _O),
        *_TAIL,
    ),
}
RESULTS_LABEL = "三、本年度办理结果"
OUTCOME_GROUPS = (_W, _U, _N, _O)


def outcome_row_keys(version: FormatVersion) -> tuple[str, ...]:
    """The leaf rows that add up to （七）总计."""
    return tuple(
        r.key
        for r in TABLE3_ROWS[version]
        if r.key not in (RECEIVED, CARRIED_IN, OUTCOME_TOTAL, CARRIED_OVER)
    )


def row_for_outcome(outcome: Outcome, version: FormatVersion) -> str:
    """Where an application's outcome is counted; the 2019 format has one （六） row."""
    if version == FormatVersion.V2019 and outcome in (
        Outcome.OTHER_NO_CORRECTION,
        Outcome.OTHER_FEE_UNPAID,
        Outcome.OTHER,
    ):
        return OTHER_HANDLING_2019
    return outcome.value


# --- table 四 ----------------------------------------------------------------------------
_RESULTS = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    (TOTAL, "总计"),
)
TABLE4_GROUPS = (
    ("reconsideration", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after", "复议后起诉"),
)
TABLE4_COLUMNS: tuple[str, ...] = tuple(f"{g}_{r}" for g, _ in TABLE4_GROUPS for r, _ in _RESULTS)
TABLE4_COLUMN_LABELS: dict[str, str] = {
    f"{g}_{r}": f"{glabel}·{rlabel}" for g, glabel in TABLE4_GROUPS for r, rlabel in _RESULTS
}
TABLE4_RESULT_LABELS = tuple(label for _, label in _RESULTS)


# --- table 二 ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Block:
    header: str  # e.g. 第二十条第（一）项
    columns: tuple[tuple[str, str], ...]  # (key, label) of the data columns
    rows: tuple[tuple[str, str], ...]  # (key, label)


TABLE2_BLOCKS: dict[FormatVersion, tuple[Block, ...]] = {
    FormatVersion.V2021: (
        Block(
            "第二十条第（一）项",
            (
                ("issued", "本年制发件数"),
                ("repealed", "本年废止件数"),
                ("in_force", "现行有效件数"),
            ),
            (("regulations", "规章"), ("normative_documents", "行政规范性文件")),
        ),
        Block(
            "第二十条第（五）项", (("decisions", "本年处理决定数量"),), (("licensing", "行政许可"),)
        ),
        Block(
            "第二十条第（六）项",
            (("decisions", "本年处理决定数量"),),
            (("penalty", "行政处罚"), ("enforcement", "行政强制")),
        ),
        Block(
            "第二十条第（八）项",
            (("amount", "本年收费金额（单位：万元）"),),
            (("fees", "行政事业性收费"),),
        ),
    ),
    FormatVersion.V2019: (
        Block(
            "第二十条第（一）项",
            (
                ("made", "本年新制作数量"),
                ("published", "本年新公开数量"),
                ("total_public", "对外公开总数量"),
            ),
            (("regulations", "规章"), ("normative_documents", "规范性文件")),
        ),
        Block(
            "第二十条第（五）项",
            (
                ("previous_items", "上一年项目数量"),
                ("change", "本年增/减"),
                ("decisions", "处理决定数量"),
            ),
            (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")),
        ),
        Block(
            "第二十条第（六）项",
            (
                ("previous_items", "上一年项目数量"),
                ("change", "本年增/减"),
                ("decisions", "处理决定数量"),
            ),
            (("penalty", "行政处罚"), ("enforcement", "行政强制")),
        ),
        Block(
            "第二十条第（八）项",
            (("previous_items", "上一年项目数量"), ("change", "本年增/减")),
            (("fees", "行政事业性收费"),),
        ),
        Block(
            "第二十条第（九）项",
            (("projects", "采购项目数量"), ("amount", "采购总金额")),
            (("procurement", "政府集中采购"),),
        ),
    ),
}
