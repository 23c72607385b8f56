"""What the law requires a letter to say.

- Every reply tells the applicant how to challenge it (条例第五十一条): 行政复议 within 60 days
  (《中华人民共和国行政复议法》（2023年修订）第二十条第一款: 自知道或者应当知道该行政行为之日起
  六十日内) and 行政诉讼 within 6 months (《中华人民共和国行政诉讼法》第四十六条第一款: 自知道或者
  应当知道作出行政行为之日起六个月内).
- Every reply names its legal basis; `DEFAULT_LEGAL_BASIS` proposes the article of each outcome
  (RULES.md §1.6), which the officer may refine.
- 部分公开 says what was withheld and why (第三十七条).
"""

from __future__ import annotations

from gongkai.inforequests.constants import Outcome

REGULATIONS = "《中华人民共和国政府信息公开条例》"
RECONSIDERATION_DAYS = 60  # 行政复议法第二十条第一款
LITIGATION_MONTHS = 6  # 行政诉讼法第四十六条第一款

# Words every reply must contain so that the remedies cannot be edited away (第五十一条).
REMEDY_MARKERS = ("行政复议", "行政诉讼")


def remedies_text() -> str:
    """The remedies paragraph of a reply (条例第五十一条; 行政复议法第二十条; 行政诉讼法第四十六条)."""
    return (
        f"如对本答复不服，可以自收到本答复之日起{RECONSIDERATION_DAYS}日内依法申请行政复议，"
        f"或者自收到本答复之日起{LITIGATION_MONTHS}个月内依法向人民法院提起行政诉讼。"
    )


def _article(text: str) -> str:
    return f"{REGULATIONS}{text}"


DEFAULT_LEGAL_BASIS: dict[Outcome, str] = {
    Outcome.DISCLOSED: _article("第三十六条第（二）项"),
    Outcome.PARTLY_DISCLOSED: _article("第三十七条"),
    Outcome.WITHHELD_STATE_SECRET: _article("第十四条、第三十六条第（三）项"),
    Outcome.WITHHELD_LAW: _article("第十四条、第三十六条第（三）项"),
    Outcome.WITHHELD_SECURITY: _article("第十四条、第三十六条第（三）项"),
    Outcome.WITHHELD_THIRD_PARTY: _article("第十五条、第三十二条、第三十六条第（三）项"),
    Outcome.WITHHELD_INTERNAL: _article("第十六条第一款、第三十六条第（三）项"),
    Outcome.WITHHELD_PROCESS: _article("第十六条第二款、第三十六条第（三）项"),
    Outcome.WITHHELD_ENFORCEMENT_FILE: _article("第十六条第二款、第三十六条第（三）项"),
    Outcome.WITHHELD_QUERY: _article("第三十六条第（七）项"),
    Outcome.UNAVAILABLE_NOT_HELD: _article("第三十六条第（四）项、第（五）项"),
    Outcome.UNAVAILABLE_NEEDS_CREATION: _article("第三十八条"),
    Outcome.UNAVAILABLE_UNCLEAR: _article("第三十条"),
    Outcome.NOT_PROCESSED_PETITION: _article("第三十九条第一款"),
    Outcome.NOT_PROCESSED_REPEATED: _article("第三十六条第（六）项"),
    Outcome.NOT_PROCESSED_PUBLICATION: _article("第三十九条第二款"),
    Outcome.NOT_PROCESSED_EXCESSIVE: _article("第三十五条"),
    # No article names this row; the reply rests on the definition of government information.
    Outcome.NOT_PROCESSED_CONFIRMATION: _article("第二条、第三十六条"),
    Outcome.OTHER_NO_CORRECTION: _article("第三十条"),
    Outcome.OTHER_FEE_UNPAID: _article("第四十二条")
    + "、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    Outcome.OTHER: _article("第三十六条"),
}


def default_legal_basis(outcome: str) -> str:
    return DEFAULT_LEGAL_BASIS[Outcome(outcome)]


def missing_remedies(body: str) -> list[str]:
    """The remedies a reply's text fails to mention (条例第五十一条)."""
    return [marker for marker in REMEDY_MARKERS if marker not in body]


def needs_withheld(outcome: str) -> bool:
    """部分公开 must say what was withheld and why (第三十七条)."""
    return outcome == Outcome.PARTLY_DISCLOSED


def letter_number(organization_short: str, year: int, n: int) -> str:
    """文号 in the usual 机关代字〔年份〕序号号 form (GB/T 9704 §7.2.4: 六角括号, no leading zeros)."""
    return f"{organization_short}依申〔{year}〕{n}号"
