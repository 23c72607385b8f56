"""Letter templates: the defaults shipped in code, the placeholders a template may use, and the
check that refuses a broken template before it is stored.

Templates use Django template syntax restricted to a few tags (`ALLOWED_TAGS`) and to the
documented placeholders of their kind (`PLACEHOLDERS`); no `{% load %}`, `{% include %}` or
other tag that reaches outside the letter. The output is plain text: one paragraph per line.
An organisation's override (`LetterTemplate`) replaces the default for that organisation only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, Node, NodeList, TemplateSyntaxError, Variable
from django.template.base import FilterExpression, Lexer, TokenType
from django.template.defaulttags import ForNode, TemplateLiteral, WithNode
from django.template.smartif import TokenBase
from django.utils.translation import gettext as _

from gongkai.inforequests.constants import Outcome
from gongkai.inforequests.letters.constants import LetterKind

MAX_BODY = 10_000
ALLOWED_TAGS = frozenset(
    {"if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith", "comment",
     "endcomment", "firstof"}
)  # fmt: skip

ENGINE = Engine(
    dirs=[],
    app_dirs=False,
    libraries={},
    builtins=["django.template.defaulttags", "django.template.defaultfilters"],
    autoescape=False,  # plain text: the DOCX writer and the HTML of the PDF escape it
)


@dataclass(frozen=True)
class Placeholder:
    name: str
    label: str
    sample: str


COMMON = (
    Placeholder("applicant_name", "申请人姓名或者名称", "张三"),
    Placeholder("request_number", "申请编号", "2024-0001-00012"),
    Placeholder("received_on", "收到申请之日", "2024年2月7日"),
    Placeholder("subject", "所需信息名称", "2023年老旧小区改造项目清单"),
    Placeholder("document_number", "所需信息的文号（可能为空）", ""),
    Placeholder("provision_form", "申请的提供形式", "电子"),
    Placeholder("delivery_way", "申请的获取方式", "电子邮件"),
    Placeholder("organization", "本机关名称", "测试区教育局"),
    Placeholder("today", "起草日期", "2024年3月1日"),
)
BY_KIND: dict[str, tuple[Placeholder, ...]] = {
    LetterKind.REPLY: (
        Placeholder("outcome", "办理结果", "予以公开"),
        Placeholder("legal_basis", "法律依据", "《中华人民共和国政府信息公开条例》第三十六条"),
        Placeholder("reasons", "理由（可能为空）", "经审查，该信息属于可以公开的政府信息。"),
        Placeholder("withheld", "不予公开的部分及理由（部分公开）", "第3页涉及个人隐私的内容"),
        Placeholder("responsible_agency", "负责公开该信息的机关及联系方式", "测试区民政局"),
        Placeholder("remedies", "救济途径（行政复议、行政诉讼及期限）", "如对本答复不服……"),
    ),
    LetterKind.CORRECTION: (
        Placeholder("correction_items", "需要补正的事项", "请明确所需信息的名称、文号。"),
        Placeholder("correction_period", "补正期限（工作日）", "10"),
        Placeholder("correction_deadline", "补正期限届满之日", "2024年3月15日"),
    ),
    LetterKind.EXTENSION: (
        Placeholder("extension_reason", "延期理由", "所需信息涉及多个部门，需要协调"),
        Placeholder("original_due_on", "原答复期限", "2024年3月6日"),
        Placeholder("extended_due_on", "延长后的答复期限", "2024年4月3日"),
        Placeholder("extension_workdays", "延长的工作日数", "20"),
    ),
    LetterKind.FEE: (
        Placeholder("fee_method", "计收方式", "按件计收"),
        Placeholder("fee_basis", "收费依据", "《政府信息公开信息处理费管理办法》"),
        Placeholder("fee_standard", "收费标准", "11—30件的部分，每件100元"),
        Placeholder("fee_amount", "应缴金额", "100元"),
        Placeholder("fee_breakdown", "计算过程", "第11件：100元"),
        Placeholder("payment_deadline", "缴费期限", "2024年3月29日"),
        Placeholder("payment_instructions", "缴费方式", "请通过非税收入缴款码缴纳。"),
    ),
}
# What each kind's text must contain, so that an edit cannot drop what the law requires.
REQUIRED: dict[str, tuple[str, ...]] = {
    LetterKind.REPLY: ("legal_basis", "remedies"),  # 第三十六条; 第五十一条
    LetterKind.CORRECTION: ("correction_items", "correction_period"),  # 第三十条: 一次性告知
    LetterKind.EXTENSION: ("extended_due_on",),  # 第三十三条第二款
    LetterKind.FEE: ("fee_basis", "fee_standard", "fee_amount", "payment_instructions"),
}


def placeholders(kind: str) -> tuple[Placeholder, ...]:
    return COMMON + BY_KIND[LetterKind(kind)]


def sample_context(kind: str) -> dict[str, str]:
    return {p.name: p.sample for p in placeholders(kind)}


# --- the defaults ---------------------------------------------------------------------------
TITLES = {
    LetterKind.REPLY: "政府信息公开申请答复书",
    LetterKind.CORRECTION: "政府信息公开申请补正告知书",
    LetterKind.EXTENSION: "延长政府信息公开申请答复期限告知书",
    LetterKind.FEE: "政府信息公开信息处理费缴费通知书",
}
_OPENING = (
    "本机关于{{ received_on }}收到您提出的政府信息公开申请（申请编号：{{ request_number }}），"
    "申请获取“{{ subject }}”{% if document_number %}（文号：{{ document_number }}）{% endif %}。"
)
_REPLY_CLOSING = (
    "{% if reasons %}理由：{{ reasons }}\n{% endif %}"
    "根据{{ legal_basis }}的规定，特此答复。\n"
    "{{ remedies }}"
)
# The decision sentence of each outcome (条例第三十六条至第三十九条).
_DECISIONS: dict[Outcome, str] = {
    Outcome.DISCLOSED: "经审查，您申请获取的政府信息属于可以公开的政府信息，本机关予以公开，"
    "现以{{ provision_form }}形式向您提供。",
    Outcome.PARTLY_DISCLOSED: "经审查，您申请获取的政府信息中含有不应当公开的内容，但能够作区分"
    "处理，本机关决定部分公开：向您提供可以公开的部分，现以{{ provision_form }}形式提供。"
    "\n不予公开的部分及理由：{{ withheld }}",
    Outcome.WITHHELD_STATE_SECRET: "经审查，您申请获取的政府信息属于国家秘密，依法不予公开。",
    Outcome.WITHHELD_LAW: "经审查，您申请获取的政府信息属于法律、行政法规禁止公开的政府信息，"
    "依法不予公开。",
    Outcome.WITHHELD_SECURITY: "经审查，您申请获取的政府信息公开后可能危及国家安全、公共安全、"
    "经济安全、社会稳定，依法不予公开。",
    Outcome.WITHHELD_THIRD_PARTY: "经审查，您申请获取的政府信息涉及第三方合法权益，公开会对第三方"
    "合法权益造成损害，依法不予公开。",
    Outcome.WITHHELD_INTERNAL: "经审查，您申请获取的政府信息属于人事管理、后勤管理、内部工作流程"
    "等内部事务信息，依法可以不予公开。",
    Outcome.WITHHELD_PROCESS: "经审查，您申请获取的政府信息属于行政机关在履行行政管理职能过程中"
    "形成的过程性信息，依法可以不予公开。",
    Outcome.WITHHELD_ENFORCEMENT_FILE: "经审查，您申请获取的政府信息属于行政执法案卷信息，"
    "依法可以不予公开。",
    Outcome.WITHHELD_QUERY: "经审查，您申请获取的信息属于法律、行政法规对信息的获取有特别规定的"
    "情形，请您按照有关法律、行政法规的规定办理。",
    Outcome.UNAVAILABLE_NOT_HELD: "经检索查找，本机关未制作或者获取您申请的政府信息。"
    "{% if responsible_agency %}经了解，负责公开该政府信息的机关为{{ responsible_agency }}，"
    "您可以向其提出申请。{% endif %}",
    Outcome.UNAVAILABLE_NEEDS_CREATION: "经审查，本机关没有您申请的现成信息，提供该信息需要对现有"
    "政府信息进行加工、分析，本机关依法不予提供。",
    Outcome.UNAVAILABLE_UNCLEAR: "本机关已告知您补正申请，补正后您的申请内容仍不明确，本机关无法"
    "确定您所需的政府信息，无法提供。",
    Outcome.NOT_PROCESSED_PETITION: "经审查，您提出的申请属于信访、投诉、举报等诉求，不作为政府"
    "信息公开申请处理，您可以通过相应渠道提出。",
    Outcome.NOT_PROCESSED_REPEATED: "本机关已就您的同一政府信息公开申请作出答复，您重复申请，"
    "本机关不予重复处理。",
    Outcome.NOT_PROCESSED_PUBLICATION: "您申请获取的信息属于公开出版物，请您通过公开出版物的发行"
    "渠道获取。",
    Outcome.NOT_PROCESSED_EXCESSIVE: "您申请公开政府信息的数量、频次明显超过合理范围，经要求说明"
    "理由，本机关认为理由不合理，不予处理。",
    Outcome.NOT_PROCESSED_CONFIRMATION: "您要求本机关确认或者重新出具已获取的信息，不属于政府"
    "信息公开申请的处理范围，本机关不予处理。",
    Outcome.OTHER_NO_CORRECTION: "本机关已告知您补正申请，您无正当理由逾期未补正，视为放弃申请，"
    "本机关不再处理该政府信息公开申请。",
    Outcome.OTHER_FEE_UNPAID: "本机关已向您发出收费通知，您逾期未按收费通知的要求缴纳费用，"
    "本机关不再处理该政府信息公开申请。",
    Outcome.OTHER: "经审查，本机关对您的申请处理如下：{{ reasons }}",
}
_NOTICES: dict[LetterKind, str] = {
    LetterKind.CORRECTION: _OPENING + "\n经审查，您的申请内容不明确，根据"
    "《中华人民共和国政府信息公开条例》第三十条的规定，现一次性告知您需要补正的事项："
    "\n{{ correction_items }}\n请您自收到本告知书之日起{{ correction_period }}个工作日内"
    "（即{{ correction_deadline }}前）补正。答复期限自本机关收到补正的申请之日起计算。"
    "无正当理由逾期不补正的，视为放弃申请，本机关将不再处理该政府信息公开申请。",
    LetterKind.EXTENSION: _OPENING
    + "\n{% if extension_reason %}因{{ extension_reason }}，{% endif %}"
    "本机关不能在法定期限内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，"
    "经政府信息公开工作机构负责人同意，答复期限延长{{ extension_workdays }}个工作日，"
    "本机关将于{{ extended_due_on }}前作出答复。",
    LetterKind.FEE: _OPENING + "\n根据{{ fee_basis }}，您的申请应当缴纳信息处理费。"
    "\n计收方式：{{ fee_method }}。\n收费标准：{{ fee_standard }}。"
    "{% if fee_breakdown %}\n计算过程：{{ fee_breakdown }}。{% endif %}"
    "\n应缴金额：{{ fee_amount }}。\n缴费方式：{{ payment_instructions }}"
    "\n请您自收到本通知之次日起20个工作日内（即{{ payment_deadline }}前）缴纳。"
    "逾期未缴纳的，视为放弃申请，本机关将不再处理该政府信息公开申请。",
}


def reply_key(outcome: str) -> str:
    return f"reply.{Outcome(outcome).value}"


def key_for(kind: str, outcome: str = "") -> str:
    return reply_key(outcome) if kind == LetterKind.REPLY else LetterKind(kind).value


def kind_of(key: str) -> LetterKind:
    if key.startswith("reply."):
        Outcome(key.removeprefix("reply."))  # ValueError for an unknown outcome
        return LetterKind.REPLY
    kind = LetterKind(key)
    if kind == LetterKind.REPLY:
        raise ValueError(key)
    return kind


def default_template(key: str) -> tuple[str, str]:
    """(title, body) of the template shipped in code."""
    kind = kind_of(key)
    if kind == LetterKind.REPLY:
        outcome = Outcome(key.removeprefix("reply."))
        body = _OPENING + "\n" + _DECISIONS[outcome] + "\n" + _REPLY_CLOSING
        return TITLES[kind], body
    return TITLES[kind], _NOTICES[kind]


def all_keys() -> list[str]:
    return [reply_key(o) for o in Outcome] + [k.value for k in LetterKind if k != LetterKind.REPLY]


def key_label(key: str) -> str:
    kind = kind_of(key)
    if kind == LetterKind.REPLY:
        return _("答复书：%(outcome)s") % {"outcome": Outcome(key.removeprefix("reply.")).label}
    return str(kind.label)


# --- checking and rendering -----------------------------------------------------------------
def _scan(obj: Any, used: set[str]) -> None:
    if isinstance(obj, FilterExpression):
        if isinstance(obj.var, Variable) and obj.var.lookups:
            used.add(obj.var.lookups[0])
        for _func, args in obj.filters:
            for is_lookup, arg in args:
                if is_lookup and isinstance(arg, Variable) and arg.lookups:
                    used.add(arg.lookups[0])
    elif isinstance(obj, TemplateLiteral):
        _scan(obj.value, used)
    elif isinstance(obj, TokenBase):
        for attr in ("first", "second", "value"):
            if hasattr(obj, attr):
                _scan(getattr(obj, attr), used)
    elif isinstance(obj, list | tuple):
        for item in obj:
            _scan(item, used)
    elif isinstance(obj, dict):
        for item in obj.values():
            _scan(item, used)


def _names(nodelist: NodeList | Iterable[Node], used: set[str], defined: set[str]) -> None:
    for node in nodelist:
        if isinstance(node, ForNode):
            defined.update(node.loopvars)
        if isinstance(node, WithNode):
            defined.update(node.extra_context)
        for value in vars(node).values():
            if not isinstance(value, NodeList):
                _scan(value, used)
        for attr in node.child_nodelists:
            child = getattr(node, attr, None)
            if child:
                _names(child, used, defined)


_TAG = re.compile(r"\S+")


def validate(kind: str, title: str, body: str) -> list[str]:
    """Why a template cannot be used ([] when it can): syntax, tags, unknown placeholders,
    required placeholders, a trial render with the sample values."""
    errors: list[str] = []
    if not title.strip():
        errors.append(_("请填写标题。"))
    elif "{" in title or "}" in title:
        errors.append(_("标题不能使用占位符或模板标签。"))
    if not body.strip():
        errors.append(_("请填写正文模板。"))
        return errors
    if len(body) > MAX_BODY:
        errors.append(_("正文模板过长（最多 %(n)s 个字符）。") % {"n": MAX_BODY})
        return errors
    for token in Lexer(body).tokenize():
        if token.token_type == TokenType.BLOCK:
            match = _TAG.match(token.contents)
            name = match.group(0) if match else ""
            if name not in ALLOWED_TAGS:
                errors.append(
                    _("第 %(line)s 行：不允许使用模板标签“%(tag)s”。")
                    % {"line": token.lineno, "tag": name}
                )
    if errors:
        return errors
    try:
        template = ENGINE.from_string(body)
    except TemplateSyntaxError as exc:
        return [_("模板语法错误：%(error)s") % {"error": exc}]
    used: set[str] = set()
    defined: set[str] = {"forloop"}
    _names(template.nodelist, used, defined)
    known = {p.name for p in placeholders(kind)}
    unknown = sorted(used - known - defined)
    if unknown:
        errors.append(
            _("未知的占位符：%(names)s。可用的占位符见页面下方的说明。")
            % {"names": "、".join(unknown)}
        )
    missing = [name for name in REQUIRED[LetterKind(kind)] if name not in used]
    if missing:
        errors.append(
            _("正文模板必须包含以下占位符：%(names)s。")
            % {"names": "、".join("{{ " + name + " }}" for name in missing)}
        )
    if not errors:
        try:
            render_text(body, sample_context(kind))
        except Exception as exc:  # a filter that fails on real values must not reach officers
            errors.append(_("模板无法生成文书：%(error)s") % {"error": exc})
    return errors


_BLANK_LINES = re.compile(r"\n{2,}")


def render_text(body: str, context: Mapping[str, Any]) -> str:
    """The letter's text: one paragraph per line, surrounding spaces and empty lines dropped."""
    text = ENGINE.from_string(body).render(Context(dict(context)))
    lines = (line.strip() for line in text.replace("\r\n", "\n").split("\n"))
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line))


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
