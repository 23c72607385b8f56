"""Rules for files released to an applicant, their redaction and transfers, as pure functions
and tables (条例第十四至十六条、第三十一条、第三十六条、第三十七条)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.inforequests.constants import Outcome


class AttachmentKind(models.TextChoices):
    SCAN = "scan", _("申请材料（扫描件）")  # the letter, form or fax as received
    RELEASE = "release", _("拟提供的政府信息")
    REDACTED = "redacted", _("遮盖后的文件")


class RedactionGround(models.TextChoices):
    """Why a part of a released document is blacked out. Each ground is one of the exemptions
    of 条例第十四至十六条 (RULES.md §1.2), or 第三十七条 for content that is not government
    information; the label names the article because the reply must give the reasons."""

    PERSONAL_PRIVACY = "personal_privacy", _("个人隐私（第十五条）")
    TRADE_SECRET = "trade_secret", _("商业秘密（第十五条）")
    STATE_SECRET = "state_secret", _("国家秘密（第十四条）")
    LAW_PROHIBITED = "law_prohibited", _("法律、行政法规禁止公开（第十四条）")
    SECURITY = "security", _("危及国家安全、公共安全、经济安全、社会稳定（第十四条）")
    INTERNAL_AFFAIRS = "internal_affairs", _("内部事务信息（第十六条第一款）")
    PROCESS = "process", _("过程性信息（第十六条第二款）")
    ENFORCEMENT_FILE = "enforcement_file", _("行政执法案卷信息（第十六条第二款）")
    NOT_GOVERNMENT_INFO = "not_government_info", _("不属于政府信息（第三十七条）")


# The article each ground rests on, as printed in the redaction log and the reply.
GROUND_ARTICLE: dict[str, str] = {
    RedactionGround.PERSONAL_PRIVACY: "第十五条",
    RedactionGround.TRADE_SECRET: "第十五条",
    RedactionGround.STATE_SECRET: "第十四条",
    RedactionGround.LAW_PROHIBITED: "第十四条",
    RedactionGround.SECURITY: "第十四条",
    RedactionGround.INTERNAL_AFFAIRS: "第十六条第一款",
    RedactionGround.PROCESS: "第十六条第二款",
    RedactionGround.ENFORCEMENT_FILE: "第十六条第二款",
    RedactionGround.NOT_GOVERNMENT_INFO: "第三十七条",
}

# Outcomes under which files are provided to the applicant (第三十六条第（二）项, 第三十七条).
PROVIDING_OUTCOMES = frozenset({Outcome.DISCLOSED, Outcome.PARTLY_DISCLOSED})


def applicant_may_download(*, kind: str, released: bool, closed: bool, outcome: str) -> bool:
    """A file reaches the applicant only when an officer released it, it is not a scan of the
    application, and the reply that provides it has been made (第三十六条第（二）项: provide the
    information; 第三十七条: provide the disclosable part)."""
    return (
        released
        and kind in (AttachmentKind.RELEASE, AttachmentKind.REDACTED)
        and closed
        and outcome in PROVIDING_OUTCOMES
    )


def redaction_outcome_warning(*, redacted_released: bool, outcome: str) -> str | None:
    """第三十七条: providing a document with parts withheld is 部分公开, which the annual report
    counts in its own row (区分处理的，只计这一情形)."""
    if redacted_released and outcome and outcome != Outcome.PARTLY_DISCLOSED:
        return str(_("提供的文件中有遮盖内容，办理结果应为“部分公开”（第三十七条）。"))
    return None


@dataclass(frozen=True)
class OrgLink:
    """One organisation on the way from the root of the tree: id and whether it is a
    people's government (人民政府, including 乡镇)."""

    pk: int
    is_government: bool


def government_of(chain: Sequence[OrgLink]) -> int | None:
    """The people's government an organisation belongs to: itself if it is one, else the
    nearest government above it (its departments and 街道办事处 belong to it)."""
    for link in reversed(chain):
        if link.is_government:
            return link.pk
    return None


def transfer_allowed(source: Sequence[OrgLink], target: Sequence[OrgLink]) -> bool:
    """An application may be transferred inside the system only to another organisation of the
    same people's government. Anything else is answered under 第三十六条第（五）项: tell the
    applicant the information is not this organisation's to disclose and, where it can be
    determined, name the responsible organisation and how to reach it."""
    mine, theirs = government_of(source), government_of(target)
    return mine is not None and mine == theirs and source[-1].pk != target[-1].pk


def transfer_keeps_receipt_date() -> bool:
    """A transfer inside the same people's government is not a new receipt: the 20 workdays of
    第三十三条 keep running from the date the application was first received (第三十一条).

    The 条例 has no article on transfers; 第三十一条 fixes the date of receipt by how the
    application reached the government's disclosure channels, and the applicant did nothing
    new. Restarting the clock at the receiving organisation would lengthen the applicant's
    wait for an internal routing step, so we do not (our reading, UNCONFIRMED; see
    docs/decisions/0003-redaction-files-transfer.md). Replying earlier is always lawful."""
    return True
