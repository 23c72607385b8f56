"""The columns of the ledger (台账) as a disclosure office keeps it, for the export, and the
columns of the import template. Headers are stored data: they stay Chinese whatever the
interface language, so that a file exported once imports again anywhere."""

from __future__ import annotations

from dataclasses import dataclass

# The export: one row per application (personal ID numbers masked).
EXPORT_HEADERS: tuple[str, ...] = (
    "编号",
    "收到申请之日",
    "申请渠道",
    "申请人类型",
    "申请人姓名或名称",
    "身份证明",
    "证件号码（已隐去部分）",
    "所需信息名称",
    "文号",
    "承办机关",
    "承办人",
    "状态",
    "答复期限",
    "办结日期",
    "办理结果",
    "法律依据",
    "是否行政复议",
    "是否行政诉讼",
)


@dataclass(frozen=True)
class ImportColumn:
    header: str
    field: str
    required: bool
    help: str


# The import template, in order. `field` names the parsed value (see importer.parse_row).
IMPORT_COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn(
        "原台账编号", "original_number", False, "原台账中的编号，导入后另行编号，原编号留存备查。"
    ),
    ImportColumn(
        "收到申请之日",
        "received_on",
        True,
        "日期，格式 2024-03-01；按第三十一条确定，不得晚于今天。",
    ),
    ImportColumn(
        "申请渠道",
        "channel",
        True,
        "当面提交、邮寄（需签收）、平信（无需签收）、互联网渠道、传真、电子邮箱、其他公布的渠道。",
    ),
    ImportColumn(
        "申请人类型",
        "applicant_type",
        True,
        "自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他。",
    ),
    ImportColumn(
        "申请人姓名或名称", "applicant_name", True, "自然人填姓名，法人或其他组织填名称。"
    ),
    ImportColumn(
        "身份证明",
        "id_document",
        True,
        "居民身份证、护照、港澳居民来往内地通行证、台湾居民来往大陆通行证、其他个人身份证件、统一社会信用代码。",
    ),
    ImportColumn(
        "证件号码",
        "id_number",
        True,
        "请设置为文本格式，以免末位被改写；居民身份证号码和统一社会信用代码将校验。",
    ),
    ImportColumn("联系电话", "phone", True, "手机号码或固定电话。"),
    ImportColumn("电子邮箱", "email", False, ""),
    ImportColumn("通信地址", "address", False, ""),
    ImportColumn("所需信息名称", "subject", True, "第二十九条第（二）项。"),
    ImportColumn("文号", "document_number", False, "如 江府办〔2023〕12号。"),
    ImportColumn("所需信息的描述", "description", False, ""),
    ImportColumn("提供形式", "provision_form", True, "纸质／电子／查阅、抄录（三选一）。"),
    ImportColumn("获取方式", "delivery_way", True, "邮寄、电子邮件、网上获取、当面领取。"),
    ImportColumn(
        "办结日期", "closed_on", False, "已办结的填写；同时须填写办理结果、法律依据和理由。"
    ),
    ImportColumn(
        "办理结果",
        "outcome",
        False,
        "年度报告表三的行名称，如 予以公开、部分公开、本机关不掌握相关政府信息、重复申请。",
    ),
    ImportColumn(
        "法律依据",
        "legal_basis",
        False,
        "如 《中华人民共和国政府信息公开条例》第三十六条第（二）项。",
    ),
    ImportColumn("理由", "reasons", False, ""),
)
IMPORT_HEADERS = tuple(c.header for c in IMPORT_COLUMNS)
