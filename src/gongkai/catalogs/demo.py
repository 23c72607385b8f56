"""Demo data for 标准目录 and the register of filed 公文: adoptions by every organisation of the
demo district, links from some of this year's publications (leaving gaps for the coverage view)
and two years of filed 公文 with a realistic 主动公开率 (about 80–95 %)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.catalogs.models import Adoption, CatalogItem, FiledDocument, PublicationItem
from gongkai.orgs.constants import OrgType
from gongkai.orgs.models import Organization
from gongkai.publications.constants import DisclosureAttribute, Kind, Status
from gongkai.publications.models import Publication
from gongkai.publications.rules import document_number_key

# Which standard items (codelists/standard_items.json) each kind of organisation adopts.
BY_TYPE: dict[str, list[str]] = {
    OrgType.STREET: ["1401", "1402"],
    OrgType.TOWN: ["1401", "1402"],
}
BY_NAME = {"教育": ["1801"], "财政": ["0301"], "人力": ["2101"], "应急": ["0401"], "住": ["2601"]}
COMMON = ["0302"]  # every budget unit publishes its 部门决算


def _items_for(org: Organization, items: dict[str, CatalogItem]) -> list[CatalogItem]:
    codes = list(BY_TYPE.get(org.org_type, COMMON))
    for word, more in BY_NAME.items():
        if word in org.name:
            codes += more
    return [items[c] for c in codes if c in items]


@transaction.atomic
def build_demo_catalogs(today: date, seed: int = 2026) -> int:
    rng = random.Random(seed)
    items = {i.code: i for i in CatalogItem.objects.filter(organization__isnull=True)}
    orgs = list(Organization.objects.filter(is_active=True).order_by("path"))
    adoptions, links, filed = [], [], []
    for org in orgs:
        adopted = _items_for(org, items)
        adoptions += [Adoption(organization=org, item=i) for i in adopted]
        recent = list(
            Publication.objects.filter(
                organization=org,
                status=Status.PUBLISHED,
                kind=Kind.DOCUMENT,
                published_on__year=today.year,
            ).order_by("published_on")[: len(adopted)]
        )
        # About two in three adopted items are covered; the rest show up as gaps.
        for pub, item in zip(recent, adopted, strict=False):
            if rng.random() < 0.67:
                links.append(PublicationItem(publication=pub, item=item))
        if org.org_type in (OrgType.STREET, OrgType.TOWN):
            continue
        for year in (today.year - 1, today.year):
            filed += _filed(org, year, today, rng)
    Adoption.objects.bulk_create(adoptions)
    PublicationItem.objects.bulk_create(links)
    FiledDocument.objects.bulk_create(filed)
    audit_record(
        actor=None,
        actor_name="demo",
        verb="catalog.demo_loaded",
        after={"adoptions": len(adoptions), "links": len(links), "filed": len(filed)},
    )
    return len(filed)


def _filed(org: Organization, year: int, today: date, rng: random.Random) -> list[FiledDocument]:
    abbr = "临" + (org.short_name or org.name)[:1]
    published = list(
        Publication.objects.filter(
            organization=org, status=Status.PUBLISHED, published_on__year=year
        ).exclude(document_number="")
    )
    by_number = {p.document_number: p for p in published}
    last = today if year == today.year else date(year, 12, 31)
    out = []
    share = rng.uniform(0.8, 0.95)
    for n in range(1, rng.randint(12, 30) + 1):
        number = f"{abbr}发〔{year}〕{n}号"
        filed_on = date(year, 1, 5) + timedelta(days=rng.randint(0, (last - date(year, 1, 5)).days))
        proactive = rng.random() < share
        doc = FiledDocument(
            organization=org,
            year=year,
            document_number=number,
            document_number_key=document_number_key(number),
            title=f"{org.name}关于{rng.choice(['做好', '加强', '印发', '开展'])}相关工作的通知",
            filed_on=min(filed_on, last),
            disclosure_attribute=(
                DisclosureAttribute.PROACTIVE if proactive else DisclosureAttribute.ON_REQUEST
            ),
            withholding_reason="" if proactive else "process",
            withholding_note="" if proactive else "属于过程性信息（条例第十六条第二款）",
            publication=by_number.get(number) if proactive else None,
        )
        out.append(doc)
    # Some published documents are in the register too, linked to what made them public.
    keys = {d.document_number_key for d in out}
    for pub in published[:5]:
        key = document_number_key(pub.document_number)
        if key not in keys:
            keys.add(key)
            out.append(
                FiledDocument(
                    organization=org,
                    year=year,
                    document_number=pub.document_number,
                    document_number_key=document_number_key(pub.document_number),
                    title=pub.title[:300],
                    filed_on=pub.published_on,
                    disclosure_attribute=DisclosureAttribute.PROACTIVE,
                    publication=pub,
                )
            )
    return out
