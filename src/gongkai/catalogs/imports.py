"""Import of an existing publication catalog (Excel): all rows or none.

Every row is read and validated first (`excel.read_catalog`, no write); only a file without a
single problem is accepted (`import_queue`) and then written by the task queue (`import_run`:
the file is read and checked once more against the data as it is then), in one transaction.
Each row becomes a publication through `publications.services.publication_create` (field
validation, audit) and is then recorded as already published on its original 发布日期. Only
items already published as 主动公开 are taken: `read_catalog` refuses a row whose file marks it
otherwise (公开属性 依申请公开 / 不予公开, 状态 other than 已发布), so nothing withheld or never
published becomes public through an import.

索引号 (docs/decisions/0009-catalogs-import-and-rate.md): an original 索引号 is kept when
present and unique (in the file and among existing items). When it has exactly the form our own
pattern gives for this organisation and year, the organisation's sequence for that year is
moved past it, so numbers allocated later never collide with it. Rows without one get a new
number from the sequence of the year of their original 发布日期.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.audit.models import Outcome
from gongkai.audit.services import audit_record
from gongkai.catalogs import excel
from gongkai.catalogs.excel import ParsedRow
from gongkai.catalogs.models import CatalogImport, ImportFailure, ImportStatus
from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization, User
from gongkai.orgs.permissions import can
from gongkai.publications import rules as pub_rules
from gongkai.publications import services as pub_services
from gongkai.publications.constants import DisclosureAttribute, Status
from gongkai.publications.models import Publication
from gongkai.publications.signals import publication_changed, saving_in_bulk

logger = logging.getLogger(__name__)

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
    # read_catalog has refused every row the file marks as not 主动公开 or not 已发布
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
    with saving_in_bulk():  # the search index takes all the rows in one go
        # Kept numbers first: they move the sequence, so allocated ones cannot collide.
        for row in sorted(rows, key=lambda r: (not r.index_number, r.row)):
            pub = pub_services.publication_create(
                actor=actor, organization=organization, data=row.data
            )
            _record_published(actor, pub, row)
            created.append(pub)
    audit_record(
        actor=actor,
        verb="catalog.imported",
        organization=organization,
        after={"rows": len(created), "file": file_name[:100]},
    )
    return created


@transaction.atomic
def import_queue(
    *, actor: User, organization: Organization, file_name: str, content: bytes, row_count: int
) -> CatalogImport:
    """Accept a file that `excel.read_catalog` found without problems; the task queue writes
    it once this transaction has committed."""
    if not may_import(actor, organization):
        raise PermissionDenied("导入目录须同时具有本单位信息员和审核员权限")
    job = CatalogImport.objects.create(
        organization=organization,
        actor=actor,
        file_name=file_name[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        row_count=row_count,
    )
    audit_record(
        actor=actor,
        verb="catalog.import_queued",
        obj=job,
        organization=organization,
        after={"file": job.file_name, "rows": row_count, "sha256": job.sha256},
    )
    from gongkai.catalogs.tasks import run_catalog_import

    pk = job.pk
    transaction.on_commit(lambda: run_catalog_import(pk))
    return job


def import_run(import_id: int) -> CatalogImport:
    """Write an accepted file (the task). A file runs once: a task delivered twice finds it
    no longer queued. Success and the imported rows commit together; on any failure nothing
    of the file is written and the reason is kept for the officer."""
    with transaction.atomic():
        job = CatalogImport.objects.select_for_update().get(pk=import_id)
        if job.status != ImportStatus.QUEUED:
            return job
        job.status = ImportStatus.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])
    errors: list[excel.RowError] = []
    try:
        with transaction.atomic():
            result = excel.read_catalog(
                bytes(job.content), today=timezone.localdate(job.created_at)
            )
            errors = result.errors
            if errors:
                raise ValidationError("rows")
            created = catalog_import(
                actor=job.actor,
                organization=job.organization,
                rows=result.rows,
                file_name=job.file_name,
            )
            _finish(job, ImportStatus.DONE, imported=len(created))
            return job
    except PermissionDenied:
        failure = ImportFailure.PERMISSION
    except excel.UploadRejected as exc:
        failure, errors = ImportFailure.ROWS, [excel.RowError(0, "", m) for m in exc.messages]
    except (ValidationError, IntegrityError):
        failure = ImportFailure.ROWS if errors else ImportFailure.CHANGED
    except Exception:
        logger.exception("catalog import %s failed", import_id)
        failure = ImportFailure.ERROR
    with transaction.atomic():
        _finish(job, ImportStatus.FAILED, failure=failure, errors=errors)
    return job


def _finish(
    job: CatalogImport,
    status: str,
    *,
    imported: int = 0,
    failure: str = "",
    errors: list[excel.RowError] | None = None,
) -> None:
    job.status = status
    job.imported = imported
    job.failure = failure
    job.errors = [{"row": e.row, "column": e.column, "message": e.message} for e in errors or []]
    job.finished_at = timezone.now()
    job.content = b""  # the rows are in the catalog now, or the officer uploads a new file
    job.save(update_fields=["status", "imported", "failure", "errors", "finished_at", "content"])
    audit_record(
        actor=job.actor,
        verb="catalog.import_finished",
        obj=job,
        organization=job.organization,
        after={"status": status, "imported": imported, "errors": len(job.errors)},
        outcome=Outcome.SUCCESS if status == ImportStatus.DONE else Outcome.FAILURE,
        reason=failure,
    )
