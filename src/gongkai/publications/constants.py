"""The vocabulary of 主动公开 (条例第三章; RULES.md §1.3, §5.3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Where a publication is in the publishing workflow."""

    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("待审核")
    SCHEDULED = "scheduled", _("定时发布")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")
    # Reviewed as 依申请公开 or 不予公开: kept in the catalog, re-assessed under 第十八条.
    NOT_PUBLISHED = "not_published", _("不主动公开")


class Kind(models.TextChoices):
    DOCUMENT = "document", _("政府信息")
    INTERPRETATION = "interpretation", _("政策解读")


class DisclosureAttribute(models.TextChoices):
    """公开属性 (条例第十三条至第十六条)."""

    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    WITHHELD = "withheld", _("不予公开")


class WithholdingReason(models.TextChoices):
    """Why an item is not proactively disclosed; the grounds of 条例第十四条至第十六条, plus the
    case of information that concerns only particular people (依申请公开, 第二十七条)."""

    STATE_SECRET = "state_secret", _("属于国家秘密（第十四条）")
    LAW_PROHIBITED = "law_prohibited", _("法律、行政法规禁止公开（第十四条）")
    SECURITY = "security", _("危及“三安全一稳定”（第十四条）")
    THIRD_PARTY = "third_party", _("涉及商业秘密、个人隐私等第三方合法权益（第十五条）")
    INTERNAL = "internal", _("属于三类内部事务信息（第十六条第一款）")
    PROCESS = "process", _("属于四类过程性信息（第十六条第二款）")
    ENFORCEMENT_FILE = "enforcement_file", _("属于行政执法案卷（第十六条第二款）")
    PARTICULAR_PARTIES = "particular_parties", _("仅涉及特定对象，不属于主动公开范围（第十九条）")
    OTHER = "other", _("其他")


class StatutoryCategory(models.TextChoices):
    """法定主动公开内容: the fifteen items of 条例第二十条 and the extra items of 第二十一条.

    The value names the article and item so that a catalog row can be traced to the law."""

    A20_01 = "20-01", _("（一）行政法规、规章和规范性文件")
    A20_02 = "20-02", _("（二）机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名")
    A20_03 = "20-03", _("（三）国民经济和社会发展规划、专项规划、区域规划及相关政策")
    A20_04 = "20-04", _("（四）国民经济和社会发展统计信息")
    A20_05 = "20-05", _("（五）办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果")
    A20_06 = (
        "20-06",
        _(
            "（六）实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定"
        ),
    )
    A20_07 = "20-07", _("（七）财政预算、决算信息")
    A20_08 = "20-08", _("（八）行政事业性收费项目及其依据、标准")
    A20_09 = "20-09", _("（九）政府集中采购项目的目录、标准及实施情况")
    A20_10 = "20-10", _("（十）重大建设项目的批准和实施情况")
    A20_11 = (
        "20-11",
        _("（十一）扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况"),
    )
    A20_12 = "20-12", _("（十二）突发公共事件的应急预案、预警信息及应对情况")
    A20_13 = (
        "20-13",
        _("（十三）环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"),
    )
    A20_14 = "20-14", _("（十四）公务员招考的职位、名额、报考条件等事项以及录用结果")
    A20_15 = "20-15", _("（十五）法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息")
    # 第二十一条第一款: 设区的市级、县级人民政府及其部门
    A21_CITY = (
        "21-1",
        _(
            "第二十一条：市政建设、公共服务、公益事业、土地征收、房屋征收、治安管理、社会救助等方面的政府信息"
        ),
    )
    # 第二十一条第二款: 乡（镇）人民政府
    A21_TOWN = (
        "21-2",
        _(
            "第二十一条：农业农村政策、农田水利工程、土地承包经营权流转、宅基地使用、土地征收、房屋征收、筹资筹劳、社会救助等方面的政府信息"
        ),
    )


class Genre(models.TextChoices):
    """体裁分类: the fifteen kinds of 公文 (《党政机关公文处理工作条例》第八条) and the other kinds
    of information a disclosure catalog carries."""

    RESOLUTION = "resolution", _("决议")
    DECISION = "decision", _("决定")
    ORDER = "order", _("命令（令）")
    COMMUNIQUE = "communique", _("公报")
    ANNOUNCEMENT = "announcement", _("公告")
    PUBLIC_NOTICE = "public_notice", _("通告")
    OPINION = "opinion", _("意见")
    NOTICE = "notice", _("通知")
    BULLETIN = "bulletin", _("通报")
    REPORT = "report", _("报告")
    REQUEST = "request", _("请示")
    REPLY = "reply", _("批复")
    MOTION = "motion", _("议案")
    LETTER = "letter", _("函")
    MINUTES = "minutes", _("纪要")
    PLAN = "plan", _("规划、计划")
    STATISTICS = "statistics", _("统计信息")
    BUDGET = "budget", _("预算、决算")
    LIST = "list", _("名录、目录、公示")
    INTERPRETATION = "interpretation", _("解读")
    # The organisation's own rules for its disclosure work (保密审查, 依申请公开办理, 发布协调,
    # 考核…): what the portal's 政府信息公开制度 sub-column lists (RULES.md §5.5).
    DISCLOSURE_RULES = "disclosure_rules", _("政府信息公开制度")
    OTHER = "other", _("其他")


class NormativeKind(models.TextChoices):
    """Counted in table 二 of the annual report (第二十条第（一）项, RULES.md §2.3)."""

    NONE = "", _("否")
    RULE = "rule", _("规章")
    NORMATIVE = "normative", _("行政规范性文件")


class Validity(models.TextChoices):
    """有效性 of a 规范性文件 (RULES.md §5.3)."""

    VALID = "valid", _("有效")
    AMENDED = "amended", _("已修改")
    REPEALED = "repealed", _("已废止")
    EXPIRED = "expired", _("已失效")


class InterpretationForm(models.TextChoices):
    TEXT = "text", _("文字解读")
    GRAPHIC = "graphic", _("图解")
    VIDEO = "video", _("视频解读")
    INTERVIEW = "interview", _("在线访谈")


class AttachmentType(models.TextChoices):
    """Accepted file types, recognised from the content, not the name."""

    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", "XLSX"
    OFD = "ofd", "OFD"
    PNG = "png", "PNG"
    JPEG = "jpeg", "JPEG"


# Types in whose public copy a reviewer can mask a value the scan found (masking.py); OFD and
# images are replaced or justified instead.
MASKABLE_TYPES = (AttachmentType.DOCX, AttachmentType.XLSX, AttachmentType.PDF)


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class PiiKind(models.TextChoices):
    """Personal data the pre-publication scan looks for (QUALITY.md §3); the attachments or
    pages it cannot read (images, scans: no OCR), which a reviewer must look at instead; and
    Office attachments that still carry tracked changes or comments, which must be uploaded
    again without them."""

    RESIDENT_ID = "resident_id", _("公民身份号码")
    MOBILE = "mobile", _("手机号码")
    BANK_CARD = "bank_card", _("银行卡号")
    EMAIL = "email", _("电子邮箱")
    ADDRESS = "address", _("详细住址")
    UNREADABLE = "unreadable", _("无法检查（图片或扫描件）")
    REVISIONS = "revisions", _("修订痕迹或批注")


class TextGapKind(models.TextChoices):
    """What an UNREADABLE finding could not read (rules.TextGap): the whole attachment, some
    pages of it, or the pictures inside a DOCX or XLSX whose own text was read."""

    WHOLE = "whole", _("全文")
    PAGES = "pages", _("部分页面")
    PICTURES = "pictures", _("文中图片")


class PiiResolution(models.TextChoices):
    OPEN = "open", _("待处理")
    MASKED = "masked", _("已遮盖")
    JUSTIFIED = "justified", _("依法公开（已说明理由）")
    VIEWED = "viewed", _("已人工查看")
