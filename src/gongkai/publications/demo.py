"""Demo 主动公开 data for the 临江区 district: three years of catalog items in every 第二十条
category, each organisation's 政府信息公开制度, normative documents with their interpretations,
amended / repealed / expired chains, a few attachments, items kept as 依申请公开 / 不予公开 (some
due for re-assessment) and a few drafts waiting for review — one with a phone number for the PII
check.

Bulk-created (the demo must stay fast); the drafts under review go through the services."""

from __future__ import annotations

import hashlib
import io
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.core.workdays import Calendar, add_workdays, load_calendar
from gongkai.orgs.constants import OrgType, Role
from gongkai.orgs.models import Membership, Organization, User
from gongkai.publications import rules, services
from gongkai.publications.constants import (
    DisclosureAttribute,
    Genre,
    InterpretationForm,
    Kind,
    NormativeKind,
    Status,
    Validity,
)
from gongkai.publications.models import IndexSequence, Interpretation, Publication

TZ = ZoneInfo("Asia/Shanghai")

# (statutory category, topic, genre, title templates); {org} {year} {n} {month} {q} {topic}
CATALOG: list[tuple[str, str, str, list[str]]] = [
    ("20-02", "0201", Genre.OTHER, ["{org}机构职能", "{org}领导信息", "{org}办公地址、办公时间和联系方式", "{org}内设机构"]),
    ("20-03", "0301", Genre.PLAN, ["临江区{topic}专项规划（2021—2025年）", "临江区{year}年{topic}工作计划", "{org}{year}年工作要点"]),
    ("20-04", "0303", Genre.STATISTICS, ["{year}年{month}月临江区主要经济指标", "临江区{year}年国民经济和社会发展统计公报", "{year}年{month}月临江区规模以上工业生产情况"]),
    ("20-05", "0901", Genre.LIST, ["{org}{year}年第{n}批行政许可决定公示", "{org}政务服务事项办事指南（{year}年版）", "{org}{year}年{month}月行政许可办理结果"]),
    ("20-06", "1603", Genre.LIST, ["{org}行政处罚决定公示（{year}年第{n}期）", "{org}行政处罚裁量基准", "{org}{year}年{month}月行政强制执行情况"]),
    ("20-07", "0401", Genre.BUDGET, ["{org}{year}年部门预算", "{org}{year}年部门决算", "临江区{year}年一般公共预算执行情况"]),
    ("20-08", "0401", Genre.LIST, ["{org}行政事业性收费项目及标准（{year}年）", "临江区{year}年行政事业性收费目录清单"]),
    ("20-09", "0401", Genre.LIST, ["临江区{year}年政府集中采购目录及标准", "{org}{year}年政府采购意向公开（第{n}批）"]),
    ("20-10", "0306", Genre.OTHER, ["临江区{topic}建设项目（{year}年第{n}批）批准和实施情况", "临江大道改造工程项目批复（{year}年）"]),
    ("20-11", "1502", Genre.NOTICE, ["临江区{year}年城乡居民最低生活保障标准调整情况", "{year}年临江区义务教育阶段招生入学政策", "临江区{year}年就业补贴发放情况（第{n}批）", "临江区{year}年城乡居民医疗保险参保缴费通知"]),
    ("20-12", "0203", Genre.PLAN, ["临江区防汛防台专项应急预案（{year}年修订）", "临江区{year}年{month}月暴雨蓝色预警信息", "临江区突发公共卫生事件应急预案"]),
    ("20-13", "0903", Genre.BULLETIN, ["{year}年第{q}季度食品安全监督抽检信息", "临江区{year}年{month}月环境空气质量状况", "{year}年临江区安全生产监督检查情况"]),
    ("20-14", "1503", Genre.LIST, ["临江区{year}年度考试录用公务员拟录用人员公示", "临江区{year}年度公务员招录职位表"]),
    ("20-15", "0209", Genre.OTHER, ["{org}{year}年政府信息公开工作年度报告", "{org}关于{year}年人大代表建议和政协提案办理情况的报告"]),
]  # fmt: skip
LOCAL_CATALOG: list[tuple[str, str, str, list[str]]] = [
    ("21-2", "0601", Genre.LIST, ["{org}{year}年耕地地力保护补贴发放情况", "{org}{year}年宅基地审批情况公示（第{n}批）", "{org}{year}年农村土地承包经营权流转情况"]),
    ("21-1", "1703", Genre.LIST, ["{org}{year}年{month}月最低生活保障对象公示", "{org}{year}年临时救助情况公示", "{org}老旧小区改造实施情况（{year}年）"]),
]  # fmt: skip
# 政府信息公开制度: each organisation's own rules for its disclosure work (RULES.md §5.5).
DISCLOSURE_RULES = [
    ("{org}政府信息公开工作制度", "明确本机关政府信息公开工作机构、职责分工和工作流程。"),
    ("{org}政府信息公开保密审查制度", "规定拟公开政府信息的保密审查主体、程序和责任（条例第十七条）。"),
    ("{org}依申请公开政府信息办理制度", "规范政府信息公开申请的接收、登记、办理、答复和归档。"),
    ("{org}政府信息发布协调制度", "明确涉及其他机关的政府信息发布前的沟通确认程序（条例第二十三条）。"),
    ("{org}政府信息公开工作考核制度", "规定本机关政府信息公开工作的考核内容、方式和结果运用。"),
]  # fmt: skip
NORMATIVE_TITLES = [
    ("临江区{topic}管理办法", "1002"),
    ("临江区{topic}补贴实施细则", "0601"),
    ("临江区促进{topic}高质量发展若干措施", "0301"),
    ("临江区{topic}资金管理办法", "0401"),
    ("临江区义务教育阶段{topic}实施办法", "1102"),
    ("临江区城乡居民{topic}实施办法", "1502"),
]
TOPIC_WORDS = ["物业", "养老服务", "就业创业", "科技创新", "文化旅游", "生态环境", "农业", "老旧小区改造", "中小企业", "人才引进", "招生入学", "社会救助"]  # fmt: skip
WITHDRAW_REASON = "该信息内容有误，已更正后重新发布。"
BODY = (
    "<p>各有关单位：</p><p>为贯彻落实《中华人民共和国政府信息公开条例》，结合本区实际，"
    "现将有关事项公开如下。</p><p>一、适用范围。本{what}适用于临江区行政区域内的相关工作。</p>"
    "<p>二、工作要求。各单位要高度重视，明确责任分工，按照规定时限完成各项工作，并及时报送落实情况。</p>"
    "<p>三、本{what}自发布之日起施行，由{org}负责解释。</p>"
)


@dataclass
class _Item:
    org: Organization
    fields: dict[str, Any]
    repeals: list[int] = field(default_factory=list)  # positions of repealed items
    amends: int | None = None  # position of the amended item
    interprets: int | None = None  # position of the explained document
    form: str = ""


# 发文机关代字 as such bureaus commonly write them; the first character alone would give the
# 民政局 and the 民族宗教事务局 the same 文号.
_CODES = {
    "发展和改革委员会": "发改",
    "科学技术局": "科",
    "工业和信息化局": "工信",
    "民族宗教事务局": "民宗",
    "人力资源和社会保障局": "人社",
    "规划和自然资源局": "规资",
    "住房和城乡建设局": "住建",
    "文化和旅游局": "文旅",
    "卫生健康委员会": "卫健",
    "退役军人事务局": "退役",
    "应急管理局": "应急",
    "市场监督管理局": "市监",
    "医疗保障局": "医保",
    "城市管理局": "城管",
    "数据资源管理局": "数据",
    "国有资产监督管理委员会": "国资",
}


def _abbr(org: Organization, taken: dict[str, int]) -> str:
    """The organisation's 代字, never one another organisation already has."""
    if org.org_type == OrgType.GOVERNMENT:
        return "临政"
    if org.org_type == OrgType.GOVERNMENT_OFFICE:
        return "临政办"
    name = (org.short_name or org.name).removeprefix("临江区")
    for code in (_CODES.get(name, name[0]), name[:2], name[:3], f"{name[0]}{org.pk}"):
        if taken.setdefault("临" + code, org.pk) == org.pk:
            return "临" + code
    raise AssertionError("unreachable: the id makes the last code unique")


def _published_at(day: date) -> datetime:
    return datetime.combine(day, time(9, 30), tzinfo=TZ)


class _Builder:
    def __init__(self, today: date, rng: random.Random, cal: Calendar) -> None:
        self.today, self.rng, self.cal = today, rng, cal
        self.items: list[_Item] = []
        self.doc_numbers: dict[tuple[int, int], int] = defaultdict(int)
        self.codes: dict[str, int] = {}
        officers = Membership.objects.filter(role=Role.OFFICER).select_related("user")
        reviewers = Membership.objects.filter(role=Role.REVIEWER).select_related("user")
        self.officer = {m.organization_id: m.user for m in officers}
        self.reviewer = {m.organization_id: m.user for m in reviewers}

    def dates(self, year: int) -> tuple[date, date]:
        """成文日期 and 发布日期: most within the 20 workdays of 第二十六条, some late."""
        last = max(date(year, 1, 1), min(date(year, 12, 31), self.today - timedelta(days=3)))
        written = date(year, 1, 1) + timedelta(
            days=self.rng.randrange((last - date(year, 1, 1)).days + 1)
        )
        lag = self.rng.choice([1, 2, 3, 5, 8, 12, 15]) if self.rng.random() > 0.06 else 25
        published = add_workdays(written, lag, self.cal).value
        return written, min(published, self.today)

    def number(self, org: Organization, year: int, kind: str = "发") -> str:
        self.doc_numbers[(org.pk, year)] += 1
        return f"{_abbr(org, self.codes)}{kind}〔{year}〕{self.doc_numbers[(org.pk, year)]}号"

    def add(self, org: Organization, **fields: Any) -> int:
        written, published = fields.pop("dates")
        base = {
            "organization": org,
            "written_on": written,
            "formed_on": written,
            "published_on": published,
            "published_at": _published_at(published),
            "publish_due_on": add_workdays(written, rules.PUBLISH_LIMIT_WORKDAYS, self.cal).value,
            "status": Status.PUBLISHED,
            "secrecy_reviewed": True,
            "created_by": self.officer.get(org.pk),
            "reviewed_by": self.reviewer.get(org.pk),
            "published_by": self.reviewer.get(org.pk) or self.officer.get(org.pk),
            "source": org.name,
        }
        base.update(fields)
        base["document_number_key"] = rules.document_number_key(base.get("document_number", ""))
        self.items.append(_Item(org, base))
        return len(self.items) - 1

    def title(self, template: str, org: Organization, year: int) -> str:
        return template.format(
            org=org.name,
            year=year,
            n=self.rng.randrange(1, 12),
            month=self.rng.randrange(1, 13),
            q=self.rng.randrange(1, 5),
            topic=self.rng.choice(TOPIC_WORDS),
        )

    def catalog(self, orgs: list[Organization], years: list[int], per_org_year: int) -> None:
        for year in years:
            for org in orgs:
                # 第二十一条: 乡镇 publish rural items (second paragraph), the others the first.
                local = [
                    e for e in LOCAL_CATALOG if (e[0] == "21-2") == (org.org_type == OrgType.TOWN)
                ]
                entries = CATALOG + (
                    local if org.org_type in (OrgType.STREET, OrgType.TOWN) else []
                )
                for _ in range(per_org_year):
                    category, topic, genre, templates = self.rng.choice(entries)
                    title = self.title(self.rng.choice(templates), org, year)
                    self.add(
                        org,
                        dates=self.dates(year),
                        title=title,
                        summary=f"{title}。",
                        statutory_category=category,
                        topic=topic,
                        genre=genre,
                        keywords="、".join(self.rng.sample(TOPIC_WORDS, 2)),
                        body=rules.sanitize_body(BODY.format(what="信息", org=org.name)),
                    )

    def disclosure_rules(self, orgs: list[Organization], year: int) -> None:
        """One or two 政府信息公开制度 per organisation, issued in the first demo year."""
        for org in orgs:
            for template, summary in self.rng.sample(DISCLOSURE_RULES, self.rng.choice([1, 2])):
                title = template.format(org=org.name)
                self.add(
                    org,
                    dates=self.dates(year),
                    title=f"{org.name}关于印发《{title.removeprefix(org.name)}》的通知",
                    summary=summary,
                    document_number=self.number(org, year),
                    statutory_category="20-15",
                    topic="0201",
                    genre=Genre.DISCLOSURE_RULES,
                    keywords="政府信息公开、制度",
                    body=rules.sanitize_body(BODY.format(what="制度", org=org.name)),
                )

    def normative(self, orgs: list[Organization], years: list[int], per_org_year: int) -> None:
        """行政规范性文件 with interpretations (most within 三同步's grace period), amendments,
        a yearly 清理 decision that repeals a few, and some that expired."""
        for year in years:
            year_docs: list[int] = []
            for org in orgs:
                for _ in range(per_org_year):
                    template, topic = self.rng.choice(NORMATIVE_TITLES)
                    name = self.title(template, org, year)
                    written, published = self.dates(year)
                    expires = written + timedelta(days=365 * self.rng.choice([2, 3, 5]))
                    pos = self.add(
                        org,
                        dates=(written, published),
                        title=f"{org.name}关于印发《{name}》的通知",
                        summary=f"印发《{name}》，自{published:%Y年%m月%d日}起施行。",
                        document_number=self.number(org, year, "规"),
                        statutory_category="20-01",
                        topic=topic,
                        genre=Genre.NOTICE,
                        keywords=name[3:9],
                        normative_kind=NormativeKind.NORMATIVE,
                        effective_on=published,
                        expires_on=expires,
                        body=rules.sanitize_body(BODY.format(what="办法", org=org.name)),
                    )
                    year_docs.append(pos)
                    self.interpretation(pos)
            self.amend_and_repeal(year_docs, year)

    def interpretation(self, doc: int) -> None:
        if self.rng.random() < 0.12:
            return  # no interpretation: flagged by 三同步
        d = self.items[doc]
        published = d.fields["published_on"]
        lag = 0 if self.rng.random() < 0.8 else self.rng.choice([1, 2, 6])
        day = min(add_workdays(published, lag, self.cal).value, self.today)
        form = self.rng.choices(list(InterpretationForm), weights=[70, 20, 6, 4])[0]
        label = {"text": "解读", "graphic": "图解", "video": "视频解读", "interview": "在线访谈"}[
            form
        ]
        pos = self.add(
            d.org,
            dates=(d.fields["written_on"], day),
            kind=Kind.INTERPRETATION,
            title=f"{label}：{d.fields['title'].split('关于印发')[-1].removesuffix('的通知')}",
            summary="从出台背景、主要内容和政策亮点三个方面进行解读。",
            statutory_category="20-01",
            topic=d.fields["topic"],
            genre=Genre.INTERPRETATION,
            body=rules.sanitize_body("<p>一、出台背景</p><p>二、主要内容</p><p>三、政策亮点</p>"),
        )
        self.items[pos].interprets = doc
        self.items[pos].form = form

    def amend_and_repeal(self, docs: list[int], year: int) -> None:
        if len(docs) < 6:
            return
        chosen = self.rng.sample(docs, 6)
        for pos in chosen[:2]:  # amended by a later version
            old = self.items[pos]
            if old.fields["published_on"] + timedelta(days=60) >= self.today:
                continue
            written, published = self.dates(min(year + 1, self.today.year))
            if written <= old.fields["published_on"]:
                continue
            new = self.add(
                old.org,
                dates=(written, published),
                title=old.fields["title"].replace("》的通知", "（修订）》的通知"),
                summary=old.fields["summary"],
                document_number=self.number(old.org, written.year, "规"),
                statutory_category="20-01",
                topic=old.fields["topic"],
                genre=Genre.NOTICE,
                normative_kind=NormativeKind.NORMATIVE,
                effective_on=published,
                body=old.fields["body"],
            )
            self.items[new].amends = pos
            old.fields.update(validity=Validity.AMENDED, ceased_on=published)
            self.interpretation(new)
        repealed = chosen[2:5]
        gov_office = (
            Organization.objects.filter(org_type=OrgType.GOVERNMENT_OFFICE).first()
            or Organization.objects.filter(org_type=OrgType.GOVERNMENT).first()
        )
        written, published = date(year, 12, 10), date(year, 12, 20)
        if gov_office is None or published >= self.today:
            return
        decision = self.add(
            gov_office,
            dates=(written, published),
            title=f"临江区人民政府办公室关于公布{year}年度行政规范性文件清理结果的通知",
            summary="对本区现行行政规范性文件进行清理，废止部分文件。",
            document_number=self.number(gov_office, year),
            statutory_category="20-01",
            topic="0201",
            genre=Genre.NOTICE,
            effective_on=published,
            body=rules.sanitize_body(BODY.format(what="通知", org=gov_office.name)),
        )
        for pos in repealed:
            if self.items[pos].fields.get("validity", Validity.VALID) == Validity.VALID:
                self.items[pos].fields.update(validity=Validity.REPEALED, ceased_on=published)
                self.items[decision].repeals.append(pos)
        for pos in chosen[5:]:  # expired early (有效期 shortened by the issuing body)
            f = self.items[pos].fields
            if f.get("validity", Validity.VALID) == Validity.VALID and f["published_on"] < date(
                year, 6, 1
            ):
                f.update(expires_on=date(year, 11, 30))
        for pos in docs:
            f = self.items[pos].fields
            if f.get("validity", Validity.VALID) == Validity.VALID and f["expires_on"] < self.today:
                f.update(validity=Validity.EXPIRED, ceased_on=f["expires_on"])

    def withheld(self, orgs: list[Organization]) -> None:
        """依申请公开 and 不予公开 items (第十八条): some due for re-assessment."""
        for i, org in enumerate(orgs):
            written, _ = self.dates(self.today.year - 1)
            attribute = DisclosureAttribute.WITHHELD if i % 2 else DisclosureAttribute.ON_REQUEST
            reason = (
                "process" if attribute == DisclosureAttribute.WITHHELD else "particular_parties"
            )
            reviewed = written + timedelta(days=10)
            self.add(
                org,
                dates=(written, written),
                title=f"{org.name}关于{self.rng.choice(TOPIC_WORDS)}工作的请示",
                statutory_category="20-15",
                topic="0209",
                genre=Genre.REQUEST,
                status=Status.NOT_PUBLISHED,
                published_on=None,
                published_at=None,
                disclosure_attribute=attribute,
                withholding_reason=reason,
                withholding_basis="《中华人民共和国政府信息公开条例》第十六条第二款"
                if attribute == DisclosureAttribute.WITHHELD
                else "《中华人民共和国政府信息公开条例》第十九条",
                reassessed_on=reviewed,
                reassess_on=rules.next_reassessment(reviewed, settings.REASSESS_MONTHS),
            )

    def withdraw_some(self) -> None:
        plain = [
            item
            for item in self.items
            if item.fields["status"] == Status.PUBLISHED
            and not item.fields.get("normative_kind")
            and item.fields.get("kind", Kind.DOCUMENT) == Kind.DOCUMENT
            and not item.repeals
        ]
        for item in self.rng.sample(plain, min(4, len(plain))):
            item.fields.update(
                status=Status.WITHDRAWN,
                withdrawal_reason=WITHDRAW_REASON,
                withdrawn_at=item.fields["published_at"] + timedelta(days=2),
            )


def _save(builder: _Builder) -> list[Publication]:
    """Allocate 索引号 in publication order per organisation and year, then bulk insert."""
    order = sorted(
        range(len(builder.items)),
        key=lambda i: (builder.items[i].fields["published_on"] or date.max, i),
    )
    seqs: dict[tuple[int, int], int] = defaultdict(int)
    pattern = settings.INDEX_NUMBER_PATTERN
    for i in order:
        f = builder.items[i].fields
        if f["status"] in (Status.PUBLISHED, Status.WITHDRAWN):
            org = builder.items[i].org
            year = f["published_on"].year
            seqs[(org.pk, year)] += 1
            f.update(
                index_year=year,
                index_seq=seqs[(org.pk, year)],
                index_number=rules.format_index_number(
                    pattern,
                    credit_code=org.credit_code,
                    division_code=org.division_code,
                    org_id=org.pk,
                    year=year,
                    seq=seqs[(org.pk, year)],
                ),
            )
    pubs = Publication.objects.bulk_create(
        [Publication(**item.fields) for item in builder.items], batch_size=500
    )
    IndexSequence.objects.bulk_create(
        IndexSequence(organization_id=org, year=year, last=last)
        for (org, year), last in seqs.items()
    )
    amended = []
    for item, pub in zip(builder.items, pubs, strict=True):
        if item.amends is not None:
            pub.amends = pubs[item.amends]
            amended.append(pub)
    Publication.objects.bulk_update(amended, ["amends"])
    Through = Publication.repeals.through
    Through.objects.bulk_create(
        Through(from_publication_id=pub.pk, to_publication_id=pubs[r].pk)
        for item, pub in zip(builder.items, pubs, strict=True)
        for r in item.repeals
    )
    Interpretation.objects.bulk_create(
        Interpretation(publication=pub, document=pubs[item.interprets], form=item.form)
        for item, pub in zip(builder.items, pubs, strict=True)
        if item.interprets is not None
    )
    return pubs


def _simple_pdf(lines: list[str]) -> bytes:
    """A one-page PDF (Latin text: the core fonts have no CJK glyphs)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    text = " ".join(
        f"BT /F1 11 Tf 60 {780 - 18 * i} Td ({line}) Tj ET" for i, line in enumerate(lines)
    )
    stream = DecodedStreamObject()
    stream.set_data(text.encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _attach(pub: Publication, name: str, data: bytes) -> None:
    from django.core.files.base import ContentFile

    from gongkai.publications import files
    from gongkai.publications.models import Attachment

    attachment = Attachment(
        publication=pub,
        position=pub.attachments.count() + 1,
        title=name.rsplit(".", 1)[0],
        original_name=name,
        file_type=files.detect_type(data),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=pub.created_by,
    )
    attachment.file.save("upload", ContentFile(data), save=False)
    attachment.save()
    services.attachment_process(attachment.pk)


def _attachments(pubs: list[Publication]) -> int:
    docs = [p for p in pubs if p.normative_kind and p.status == Status.PUBLISHED][:3]
    budgets = [p for p in pubs if p.genre == Genre.BUDGET and p.status == Status.PUBLISHED][:2]
    for p in docs:
        _attach(
            p,
            "办法全文.docx",
            _docx(
                [
                    p.title,
                    "第一条 为规范相关工作，制定本办法。",
                    "第二条 本办法适用于临江区行政区域。",
                ]
            ),
        )
    for p in budgets:
        _attach(
            p,
            "预算表.xlsx",
            _xlsx([["项目", "金额（万元）"], ["基本支出", 1234.5], ["项目支出", 678.9]]),
        )
        _attach(
            p,
            "budget-summary.pdf",
            _simple_pdf(["Linjiang District", f"Budget {p.written_on:%Y}", "Total 1913.4"]),
        )
    return len(docs) + 2 * len(budgets)


def _drafts_under_review(today: date) -> int:
    """A few items the demo accounts can review (jyj.reviewer): one with a phone number."""
    jyj = Organization.objects.filter(name__endswith="教育局").first()
    if jyj is None:
        return 0
    officer: User = Membership.objects.get(organization=jyj, role=Role.OFFICER).user
    made = 0
    for title, body in [
        ("临江区2026年义务教育阶段学校招生入学工作实施意见", "<p>咨询电话：0571-81234567。</p>"),
        (
            "关于2026年学生资助资金拟发放名单的公示",
            "<p>如有异议请联系经办人王老师，手机13957112345。</p>",
        ),
        ("临江区教育局2026年部门预算", "<p>详见附件。</p>"),
    ]:
        written = today - timedelta(days=5 + made * 7)
        pub = services.publication_create(
            actor=officer,
            organization=jyj,
            data={
                "title": title,
                "summary": title,
                "written_on": written,
                "statutory_category": "20-11" if made < 2 else "20-07",
                "topic": "1102",
                "genre": Genre.NOTICE,
                "body": body,
            },
        )
        if made < 2:
            services.publication_submit(actor=officer, publication=pub)
        made += 1
    return made


@transaction.atomic
def build_demo_publications(today: date, seed: int = 2026, per_org_year: int = 15) -> int:
    """About 2,000 items for the demo district over the current and the two previous years."""
    rng = random.Random(seed)
    years = [today.year - 2, today.year - 1, today.year]
    cal = load_calendar(range(years[0], today.year + 2))
    builder = _Builder(today, rng, cal)
    orgs = list(Organization.objects.filter(is_active=True).order_by("path"))
    builder.catalog(orgs, years, per_org_year)
    builder.disclosure_rules(orgs, years[0])
    issuers = [o for o in orgs if o.org_type in (OrgType.GOVERNMENT, OrgType.GOVERNMENT_OFFICE)]
    issuers += [o for o in orgs if o.org_type == OrgType.DEPARTMENT][:12]
    builder.normative(issuers, years, 2)
    builder.withheld(orgs[:8])
    builder.withdraw_some()
    pubs = _save(builder)
    attached = _attachments(pubs)
    drafts = _drafts_under_review(today)
    audit_record(
        actor=None,
        actor_name="demo",
        verb="publication.demo_loaded",
        after={"publications": len(pubs), "attachments": attached, "drafts": drafts},
    )
    return len(pubs) + drafts
