"""The vocabulary of 依申请公开 (条例第四章).

`Outcome` is the one outcome taxonomy: its members are exactly the leaf rows of the annual
report's table 三 (2021 format, 国办公开办函〔2021〕30号), so a closed application has one
outcome and the report counts them; nothing is mapped twice (RULES.md §1.6, §2.4).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantType(models.TextChoices):
    """The six applicant columns of table 三, in the official order."""

    NATURAL_PERSON = "natural_person", _("自然人")
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    PUBLIC_INTEREST = "public_interest", _("社会公益组织")
    LEGAL_SERVICES = "legal_services", _("法律服务机构")
    OTHER = "other", _("其他")


class Outcome(models.TextChoices):
    """Reply types, one per leaf row of table 三 (labels are the official row labels)."""

    DISCLOSED = "disclosed", _("予以公开")  # 条例第三十六条第（二）项
    PARTLY_DISCLOSED = (
        "partly_disclosed",
        _("部分公开（区分处理的，只计这一情形，不计其他情形）"),
    )  # 第三十七条
    WITHHELD_STATE_SECRET = "withheld_state_secret", _("属于国家秘密")  # 第十四条
    WITHHELD_LAW = "withheld_law", _("其他法律行政法规禁止公开")  # 第十四条
    WITHHELD_SECURITY = "withheld_security", _("危及“三安全一稳定”")  # 第十四条
    WITHHELD_THIRD_PARTY = "withheld_third_party", _("保护第三方合法权益")  # 第十五条
    WITHHELD_INTERNAL = "withheld_internal", _("属于三类内部事务信息")  # 第十六条第一款
    WITHHELD_PROCESS = "withheld_process", _("属于四类过程性信息")  # 第十六条第二款
    WITHHELD_ENFORCEMENT_FILE = "withheld_enforcement_file", _("属于行政执法案卷")  # 第十六条第二款
    WITHHELD_QUERY = "withheld_query", _("属于行政查询事项")  # 第三十六条第（七）项
    UNAVAILABLE_NOT_HELD = (
        "unavailable_not_held",
        _("本机关不掌握相关政府信息"),
    )  # 第三十六条第（四）项
    UNAVAILABLE_NEEDS_CREATION = (
        "unavailable_needs_creation",
        _("没有现成信息需要另行制作"),
    )  # 第三十八条
    UNAVAILABLE_UNCLEAR = "unavailable_unclear", _("补正后申请内容仍不明确")  # 第三十条
    NOT_PROCESSED_PETITION = "not_processed_petition", _("信访举报投诉类申请")  # 第三十九条第一款
    NOT_PROCESSED_REPEATED = "not_processed_repeated", _("重复申请")  # 第三十六条第（六）项
    NOT_PROCESSED_PUBLICATION = (
        "not_processed_publication",
        _("要求提供公开出版物"),
    )  # 第三十九条第二款
    NOT_PROCESSED_EXCESSIVE = "not_processed_excessive", _("无正当理由大量反复申请")  # 第三十五条
    NOT_PROCESSED_CONFIRMATION = (
        "not_processed_confirmation",
        _("要求行政机关确认或重新出具已获取信息"),
    )
    OTHER_NO_CORRECTION = (
        "other_no_correction",
        _("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    )  # 第三十条
    OTHER_FEE_UNPAID = (
        "other_fee_unpaid",
        _("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    )  # 国办函〔2020〕109号
    OTHER = "other", _("其他")


class IdDocument(models.TextChoices):
    """身份证明 (条例第二十九条第（一）项)."""

    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO_PERMIT = "hk_macao_permit", _("港澳居民来往内地通行证")
    TAIWAN_PERMIT = "taiwan_permit", _("台湾居民来往大陆通行证")
    OTHER_PERSONAL = "other_personal", _("其他个人身份证件")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")  # 法人或其他组织


class ProvisionForm(models.TextChoices):
    """The form the applicant wants the information in (第二十九条第（三）项, 第四十条)."""

    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子")
    INSPECTION = "inspection", _("查阅、抄录")


class DeliveryWay(models.TextChoices):
    """How the applicant wants to obtain it (第二十九条第（三）项)."""

    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    ONLINE = "online", _("网上获取")
    PICKUP = "pickup", _("当面领取")


class Status(models.TextChoices):
    """Where an application stands (条例第四十五条: 登记、审核、办理、答复、归档)."""

    REGISTERED = "registered", _("已登记")
    IN_PROGRESS = "in_progress", _("办理中")
    AWAITING_CORRECTION = "awaiting_correction", _("待补正")
    AWAITING_PAYMENT = "awaiting_payment", _("待缴费")
    CONSULTING = "consulting", _("征求意见中")
    CLOSED = "closed", _("已办结")


# The audit trail's name for an applicant who proved an application by number and tracking
# code on the portal (no account, so no user).
APPLICANT_BY_CODE = "申请人（凭查询码）"
