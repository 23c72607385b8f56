"""Import of an existing publication catalog (Excel): all rows or none.

Every row is read and validated first (`excel.read_catalog`, no write); only a file without a
single problem is written, in one transaction. Each row becomes a publication through
`publications.services.publication_create` (field validation, audit) and is then recorded as
already published on its original 发布日期.

索引号 (docs/decisions/0009-catalogs-import-and-rate.md): an original 索引号 is kept when
present and unique (in the file and among existing items). When it has exactly the form our own
pattern gives for this organisation and year, the organisation's sequence for that year is
moved past it, so numbers allocated later never collide with it. Rows without one get a new
number from the sequence of the year of their original 发布日期.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.catalogs.excel import ParsedRow
from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization, User
from gongkai.orgs.permissions import can
from gongkai.publications import rules as pub_rules
from gongkai.publications import services as pub_services
from gongkai.publications.constants import DisclosureAttribute, Status
from gongkai.publications.models import Publication
from gongkai.publications.signals import publication_changed

TRAILING_DIGITS = re.compile(r"(\d+)$")
YEAR_IN_NUMBER = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def may_import(actor: User, organization: Organization) -> bool:
    """Imported items are published at once, so the importer drafts (信息员) and approves
    (审核员) for the organisation."""
    return can(actor, Action.WORK, organization) and can(actor, Action.REVIEW, organization)


def own_sequence_number(
    organization: Organization, index_number: str, year: int
) -> tuple[int, int] | None:
    """(year, sequence number) if `index_number` is what our pattern gives for this organisation
    in `year` or in a year written in the number itself (an item numbered in December and
    published in January); None for a number from another scheme."""
    m = TRAILING_DIGITS.search(index_number)
    if m is None:
        return None
    seq = int(m.group(1))
    years = [year] + [int(y) for y in YEAR_IN_NUMBER.findall(index_number) if int(y) != year]
    for candidate in years:
        try:
            ours = pub_rules.format_index_number(
                settings.INDEX_NUMBER_PATTERN,
                credit_code=organization.credit_code,
                division_code=organization.division_code,
                org_id=organization.pk,
                year=candidate,
                seq=seq,
            )
        except pub_rules.IndexPatternError:
            return None
        if ours == index_number:
            return candidate, seq
    return None


def _record_published(actor: User, pub: Publication, row: ParsedRow) -> None:
    pub = Publication.objects.select_for_update().get(pk=pub.pk)
    now = timezone.now()
    pub.status = Status.PUBLISHED
    pub.disclosure_attribute = DisclosureAttribute.PROACTIVE
    pub.published_on = row.published_on
    pub.published_at = timezone.make_aware(datetime.combine(row.published_on, time.min))
    pub.published_by = actor
    pub.reviewed_by = actor
    pub.reviewed_at = now
    pub.secrecy_reviewed = True
    pub.validity = row.validity
    pub.ceased_on = row.ceased_on
    if row.index_number:
        own = own_sequence_number(pub.organization, row.index_number, row.published_on.year)
        pub_services.keep_index_number(pub, row.index_number, own)
    else:
        pub_services.allocate_index_number(pub, row.published_on.year)
    pub.save()
    audit_record(
        actor=actor,
        verb="publication.imported",
        obj=pub,
        organization=pub.organization,
        before={"status": Status.DRAFT},
        after={
            "status": pub.status,
            "index_number": pub.index_number,
            "index_number_kept": bool(row.index_number),
            "published_on": pub.published_on,
            "row": row.row,
        },
    )
    pk = pub.pk  # search indexes the published state once the import has committed
    transaction.on_commit(lambda: publication_changed.send(sender=Publication, publication_id=pk))


@transaction.atomic
def catalog_import(
    *, actor: User, organization: Organization, rows: list[ParsedRow], file_name: str = ""
) -> list[Publication]:
    """Write rows already validated by `excel.read_catalog` (which found no problem)."""
    if not may_import(actor, organization):
        raise PermissionDenied("导入目录须同时具有本单位信息员和审核员权限")
    created = []
    # Kept numbers first: they move the sequence, so allocated ones cannot collide with them.
    for row in sorted(rows, key=lambda r: (not r.index_number, r.row)):
        pub = pub_services.publication_create(actor=actor, organization=organization, data=row.data)
        _record_published(actor, pub, row)
        created.append(pub)
    audit_record(
        actor=actor,
        verb="catalog.imported",
        organization=organization,
        after={"rows": len(created), "file": file_name[:100]},
    )
    return created
