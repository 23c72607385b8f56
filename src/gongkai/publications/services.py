"""Every write of 主动公开: atomic, permission-checked, audited.

Workflow: draft (officer) → submit → review by a reviewer (保密审查 and 公开属性, 条例第十七条)
→ publish now or at a time → amend (a new version) / withdraw (with a public reason).
Items reviewed as 依申请公开 or 不予公开 are kept and re-assessed periodically (第十八条).
Publishing is refused while the personal-data scan has open findings (masked, in the body or
in a DOCX, XLSX or PDF attachment's public copy, or justified), including attachments
it cannot read (images, scans) until a reviewer records having looked at them, and Office
attachments that still carry tracked changes or comments until they are uploaded again without
them.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.core import public_copy
from gongkai.core.text import quote_title
from gongkai.core.workdays import load_calendar
from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization, User
from gongkai.orgs.permissions import can
from gongkai.publications import files, masking, rules
from gongkai.publications.constants import (
    AttachmentType,
    DisclosureAttribute,
    ExtractionStatus,
    Kind,
    PiiKind,
    PiiResolution,
    Status,
    TextGapKind,
    Validity,
)
from gongkai.publications.models import (
    Attachment,
    IndexSequence,
    Interpretation,
    PiiFinding,
    Publication,
)
from gongkai.publications.signals import publication_changed

# Fields an officer edits on a draft (the rest is set by the workflow).
EDITABLE_FIELDS = (
    "title",
    "summary",
    "written_on",
    "formed_on",
    "document_number",
    "topic",
    "genre",
    "keywords",
    "statutory_category",
    "source",
    "normative_kind",
    "effective_on",
    "expires_on",
    "body",
)
EDITABLE_STATUSES = (Status.DRAFT,)
# How a 政策解读 is given (its own row, edited with the draft).
INTERPRETATION_FIELDS = ("form", "media_url", "speaker")


class WorkflowError(ValidationError):
    """A step not allowed in the item's current state; the message is shown as is."""


# --- helpers ---------------------------------------------------------------------------------
def _require(actor: User, action: str, organization: Organization, message: str) -> None:
    if not can(actor, action, organization):
        raise PermissionDenied(message)


def _require_work(actor: User, publication: Publication) -> None:
    _require(actor, Action.WORK, publication.organization, "没有编辑该信息的权限")


def _require_review(actor: User, publication: Publication) -> None:
    _require(actor, Action.REVIEW, publication.organization, "只有本单位审核员可以审核")


def _lock(publication: Publication) -> Publication:
    """Re-read the row under a lock so two people cannot move it at once."""
    return Publication.objects.select_for_update().get(pk=publication.pk)


def _state(pub: Publication) -> dict[str, Any]:
    return {"status": pub.status, "validity": pub.validity, "index_number": pub.index_number}


def _changed(pub_id: int) -> None:
    """Tell search and caches, once the transaction has committed."""
    transaction.on_commit(
        lambda: publication_changed.send(sender=Publication, publication_id=pub_id)
    )


def _today() -> date:
    return timezone.localdate()


def _refresh_due(pub: Publication) -> None:
    """Cache of the 第二十六条 deadline (derived from formed_on, never typed)."""
    pub.publish_due_on = rules.publish_due_on(pub.formed_on) if pub.formed_on else None


def refresh_publish_due(year: int) -> int:
    """Compute the cached 第二十六条 deadline again for items formed late enough in the year
    before or in `year` for its 节假日安排 to matter; returns how many changed."""
    window = (date(year - 1, 10, 1), date(year, 12, 31))  # 20 workdays < 3 months
    rows = Publication.objects.filter(formed_on__range=window).values_list(
        "pk", "formed_on", "publish_due_on"
    )
    cal = load_calendar(range(year - 1, year + 2))
    changed = 0
    for pk, formed_on, cached in rows.iterator(chunk_size=1000):
        due = rules.publish_due_on(formed_on, cal) if formed_on else None
        if due != cached:
            # Only if 成文/形成日期 is still the one read: an edit in between wrote its own.
            changed += Publication.objects.filter(pk=pk, formed_on=formed_on).update(
                publish_due_on=due
            )
    return changed


def _apply(pub: Publication, data: dict[str, Any]) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    for field in EDITABLE_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field == "body":
            value = rules.sanitize_body(value)
        if value is None and field in ("title", "summary", "document_number", "body"):
            value = ""
        if getattr(pub, field) != value:
            setattr(pub, field, value)
            changed[field] = value if field != "body" else "…"
    pub.document_number_key = rules.document_number_key(pub.document_number)
    if pub.formed_on is None and pub.written_on is not None:
        pub.formed_on = pub.written_on
    _refresh_due(pub)
    return changed


def _set_repeals(actor: User, pub: Publication, repeals: list[Publication] | None) -> None:
    if repeals is None:
        return
    for target in repeals:
        if target.pk == pub.pk or target.status != Status.PUBLISHED:
            raise WorkflowError("只能废止已发布的其他文件")
        _require(actor, Action.VIEW, target.organization, "没有查看被废止文件的权限")
    pub.repeals.set(repeals)


# --- drafts ----------------------------------------------------------------------------------
@transaction.atomic
def publication_create(
    *,
    actor: User,
    organization: Organization,
    data: dict[str, Any],
    repeals: list[Publication] | None = None,
    kind: str = Kind.DOCUMENT,
) -> Publication:
    _require(actor, Action.WORK, organization, "没有在该单位起草信息的权限")
    pub = Publication(organization=organization, kind=kind, created_by=actor, status=Status.DRAFT)
    _apply(pub, data)
    pub.full_clean(exclude=["index_number"])
    pub.save()
    _set_repeals(actor, pub, repeals)
    audit_record(
        actor=actor,
        verb="publication.created",
        obj=pub,
        organization=organization,
        after={"title": pub.title, "kind": kind},
    )
    _changed(pub.pk)
    return pub


@transaction.atomic
def publication_update(
    *,
    actor: User,
    publication: Publication,
    data: dict[str, Any],
    repeals: list[Publication] | None = None,
) -> Publication:
    _require_work(actor, publication)
    pub = _lock(publication)
    if pub.status not in EDITABLE_STATUSES:
        raise WorkflowError("只有草稿可以修改；已提交的信息请由审核员退回后再改")
    changed = _apply(pub, data)
    pub.full_clean(exclude=["index_number"])
    pub.save()
    _set_repeals(actor, pub, repeals)
    audit_record(
        actor=actor,
        verb="publication.updated",
        obj=pub,
        organization=pub.organization,
        after=changed,
    )
    _changed(pub.pk)
    return pub


@transaction.atomic
def interpretation_create(
    *,
    actor: User,
    document: Publication,
    organization: Organization,
    form: str,
    data: dict[str, Any],
    media_url: str = "",
    speaker: str = "",
) -> Interpretation:
    """A 政策解读 of `document`: a publication of its own (own 索引号 and review) linked to it."""
    _require(actor, Action.VIEW, document.organization, "没有查看被解读文件的权限")
    if document.kind != Kind.DOCUMENT:
        raise WorkflowError("解读只能关联政策文件")
    pub = publication_create(
        actor=actor, organization=organization, data=data, kind=Kind.INTERPRETATION
    )
    interpretation = Interpretation(
        publication=pub, document=document, form=form, media_url=media_url, speaker=speaker
    )
    interpretation.full_clean()
    interpretation.save()
    audit_record(
        actor=actor,
        verb="publication.interpretation_linked",
        obj=pub,
        organization=organization,
        after={"document": document.pk, "form": form},
    )
    return interpretation


@transaction.atomic
def interpretation_update(
    *, actor: User, publication: Publication, form: str, media_url: str, speaker: str
) -> Interpretation:
    """Change how a draft 政策解读 is given: its form, the video or interview address and the
    speaker (解读人 / 出席嘉宾). Like the rest of the draft, only before it is submitted."""
    _require_work(actor, publication)
    pub = _lock(publication)
    if pub.status not in EDITABLE_STATUSES:
        raise WorkflowError("只有草稿可以修改；已提交的信息请由审核员退回后再改")
    interpretation = Interpretation.objects.select_for_update().get(publication=pub)
    before = {f: getattr(interpretation, f) for f in INTERPRETATION_FIELDS}
    interpretation.form, interpretation.media_url, interpretation.speaker = form, media_url, speaker
    interpretation.full_clean()
    changed = {f: getattr(interpretation, f) for f in INTERPRETATION_FIELDS}
    changed = {f: v for f, v in changed.items() if v != before[f]}
    if not changed:
        return interpretation
    interpretation.save(update_fields=list(changed))
    audit_record(
        actor=actor,
        verb="publication.interpretation_updated",
        obj=pub,
        organization=pub.organization,
        before={f: before[f] for f in changed},
        after=changed,
    )
    _changed(pub.pk)
    return interpretation


# --- attachments -----------------------------------------------------------------------------
@transaction.atomic
def attachment_add(
    *, actor: User, publication: Publication, data: bytes, name: str, title: str = ""
) -> Attachment:
    """Accept a file after checking its type by content and its size; text extraction and the
    metadata-free public copy are made in the task queue after commit."""
    _require_work(actor, publication)
    pub = _lock(publication)
    if pub.status not in EDITABLE_STATUSES:
        raise WorkflowError("只有草稿可以添加附件")
    try:
        file_type = files.check_upload(data, settings.ATTACHMENT_MAX_MB * 1024 * 1024)
    except files.FileRejected as exc:
        raise ValidationError(str(exc)) from exc
    position = pub.attachments.count() + 1
    attachment = Attachment(
        publication=pub,
        position=position,
        title=(title or name.rsplit(".", 1)[0])[:200],
        original_name=name[:255],
        file_type=file_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    attachment.file.save("upload", ContentFile(data), save=False)
    attachment.save()
    audit_record(
        actor=actor,
        verb="publication.attachment_added",
        obj=pub,
        organization=pub.organization,
        after={"attachment": attachment.pk, "type": file_type, "size": len(data)},
    )
    from gongkai.publications.tasks import process_attachment

    pk = attachment.pk
    transaction.on_commit(lambda: process_attachment(pk))
    _changed(pub.pk)
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    pub = attachment.publication
    _require_work(actor, pub)
    pub = _lock(pub)
    if pub.status not in EDITABLE_STATUSES:
        raise WorkflowError("只有草稿可以删除附件")
    audit_record(
        actor=actor,
        verb="publication.attachment_removed",
        obj=pub,
        organization=pub.organization,
        before={"attachment": attachment.pk, "title": attachment.title},
    )
    stored = [(f.storage, f.name) for f in (attachment.file, attachment.public_file) if f.name]
    attachment.delete()

    def delete_files() -> None:
        for storage, name in stored:
            storage.delete(name)

    transaction.on_commit(delete_files, robust=True)
    _changed(pub.pk)


@dataclass
class _Processed:
    """What processing makes of an attachment's original: the texts and the public copy,
    both with the values the reviewer chose to mask already masked."""

    texts: list[str]
    public: bytes
    page_count: int | None
    has_markup: bool
    pictures: int
    masked: set[str]  # fingerprints of the values masked


class MaskLost(ValueError):
    """A value the reviewer masked is no longer found in the file's text (the secret key or
    the text extractor changed): a copy made now would show it unmasked."""

    def __init__(self) -> None:
        super().__init__(
            "附件中已遮盖的个人信息重新处理时找不到（密钥或文字提取方式可能已变化），"
            "公开文件和文字保持原样、未更新：请审核人员核对附件"
        )


def _masked_values(
    pages: list[str], fingerprints: set[str]
) -> tuple[dict[str, dict[int, int]], dict[str, str], set[str]]:
    """The raw values in `pages` whose fingerprint the reviewer chose to mask: how often each
    was read on each page, its masked form, and the fingerprints found. Held only in memory."""
    where: dict[str, dict[int, int]] = {}
    masks: dict[str, str] = {}
    found: set[str] = set()
    if not fingerprints:
        return where, masks, found
    for number, text in enumerate(pages, 1):
        for hit in rules.scan_pii(text):
            fp = _fingerprint(hit.kind, hit.value)
            if fp in fingerprints:
                on_page = where.setdefault(hit.value, {})
                on_page[number] = on_page.get(number, 0) + 1
                masks[hit.value] = rules.mask_value(hit.kind, hit.value)
                found.add(fp)
    return where, masks, found


def _process(data: bytes, file_type: str, fingerprints: list[str]) -> _Processed:
    """Always from the original, so a re-run (reprocessing) masks the same values again.
    Raises MaskLost when a masked value is no longer read from the file, masking.NotLocated
    when a value cannot be found in the file or is still read from the copy made."""
    pages = files.extract_text(data, file_type)
    where, masks, found = _masked_values(pages, set(fingerprints))
    if set(fingerprints) - found:
        raise MaskLost()
    source = data
    if masks:
        source = masking.apply(data, file_type, where, masks, dpi=settings.REDACTION_DPI)
    public = public_copy.strip_metadata(source, file_type)
    if masks:  # read the copy as the public would, with the same extractor and scan
        _, _, left = _masked_values(files.extract_text(public, file_type), set(fingerprints))
        if left:
            raise masking.NotLocated(f"{len(left)} masked value(s) still read from the copy")
    return _Processed(
        texts=[masking.mask_text(t, masks) for t in pages],
        public=public,
        page_count=files.page_count(data, file_type),
        has_markup=files.review_markup(data, file_type),
        pictures=_count_pictures(data, file_type),
        masked=found,
    )


def _write_public(attachment: Attachment, processed: _Processed) -> str:
    """Save the new public copy under a fresh name, before the transaction that records it
    (no file is written while the database is locked); the caller deletes it on failure."""
    ext = attachment.file_type if attachment.file_type != "jpeg" else "jpg"
    field = attachment.public_file
    name = field.field.generate_filename(attachment, f"{attachment.position}.{ext}")
    return field.storage.save(name, ContentFile(processed.public), max_length=200)


def _delete_file(attachment: Attachment, name: str) -> None:
    attachment.public_file.storage.delete(name)


def _store(attachment: Attachment, processed: _Processed, public_name: str) -> bool:
    """Record the texts and the public copy written by _write_public; the copy it replaces is
    deleted after commit (it may hold a value now masked). Call on the attachment row read
    under the publication's lock. Whether the texts changed."""
    from gongkai.publications.models import AttachmentText

    before = list(attachment.texts.order_by("page").values_list("text", flat=True))
    attachment.texts.all().delete()
    AttachmentText.objects.bulk_create(
        AttachmentText(attachment=attachment, page=i, text=text)
        for i, text in enumerate(processed.texts, 1)
    )
    old = attachment.public_file.name
    storage = attachment.public_file.storage
    attachment.public_file.name = public_name
    if old and old != public_name:
        transaction.on_commit(lambda: storage.delete(old), robust=True)
    attachment.page_count = processed.page_count or len(processed.texts) or None
    attachment.extraction_status = ExtractionStatus.DONE
    attachment.extraction_error = ""
    attachment.has_markup = processed.has_markup
    attachment.pictures = processed.pictures
    attachment.save(
        update_fields=[
            "public_file",
            "page_count",
            "extraction_status",
            "extraction_error",
            "has_markup",
            "pictures",
            "masked_fingerprints",
        ]
    )
    return before != processed.texts


def _reindex(pub: Publication) -> None:
    """A published item whose attachment texts changed: saving it queues the search index
    update (portal.search_source listens to its post_save) and moves its updated_at."""
    if pub.published_at is not None:
        pub.save(update_fields=["updated_at"])


# Tries before processing gives up because reviewers keep masking the same attachment.
_PROCESS_TRIES = 3


def attachment_process(attachment_id: int) -> None:
    """Run by the task queue: extract the text per page/chunk and write the public copy, with
    the values the reviewer masked masked again. A system step (no actor); failures are
    recorded on the attachment, not raised. The file work runs outside any transaction; the
    rows are locked only to record the result, and the work is redone if a reviewer masked
    another value meanwhile."""
    for _ in range(_PROCESS_TRIES):
        attachment = Attachment.objects.select_related("publication").get(pk=attachment_id)
        with attachment.file.open("rb") as fh:
            data = fh.read()
        try:
            processed = _process(data, attachment.file_type, attachment.masked_fingerprints)
        except Exception as exc:  # any parser failure is a property of the file, not a bug
            _record_failure(attachment, exc)
            return
        name = _write_public(attachment, processed)
        try:
            stored = _record_processed(attachment, processed, name)
        except BaseException:
            _delete_file(attachment, name)
            raise
        if stored:
            return
        _delete_file(attachment, name)
        if stored is None:  # the attachment was removed meanwhile
            return
        # Otherwise a reviewer masked meanwhile: made again from the new set.
    _record_failure(attachment, ValueError("附件正被同时遮盖，请稍后重新处理"))


def _record_processed(attachment: Attachment, processed: _Processed, name: str) -> bool | None:
    """Store a processing result unless the masked values changed since it was made (False)
    or the attachment was removed (None)."""
    with transaction.atomic():
        pub = _lock(attachment.publication)  # first, as every service that changes it does
        current = Attachment.objects.select_for_update().filter(pk=attachment.pk).first()
        if current is None:
            return None
        if current.masked_fingerprints != attachment.masked_fingerprints:
            return False
        changed = _store(current, processed, name)
        _changed(pub.pk)
        audit_record(
            actor=None,
            actor_name="system",
            verb="publication.attachment_processed",
            obj=pub,
            organization=pub.organization,
            after={
                "attachment": current.pk,
                "pages": len(processed.texts),
                "masked": len(processed.masked),
            },
        )
        if changed:
            _reindex(pub)
        # Submitted before the text was ready: scan now, so that the reviewer sees what
        # the file holds (or that it cannot be read) before trying to publish.
        if pub.status in (Status.IN_REVIEW, Status.SCHEDULED):
            publication_scan(pub)
    return True


def _record_failure(attachment: Attachment, exc: Exception) -> None:
    with transaction.atomic():
        Attachment.objects.filter(pk=attachment.pk).update(
            extraction_status=ExtractionStatus.FAILED, extraction_error=str(exc)[:200]
        )
        audit_record(
            actor=None,
            actor_name="system",
            verb="publication.attachment_failed",
            obj=attachment.publication,
            organization=attachment.publication.organization,
            after={"attachment": attachment.pk, "error": str(exc)[:200]},
        )


# --- personal-data scan ----------------------------------------------------------------------
def _fingerprint(kind: str, value: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


# Resolutions a re-scan keeps: each records a reviewer's decision about that value or file.
_KEPT = (PiiResolution.JUSTIFIED, PiiResolution.VIEWED)


def _texts(pub: Publication) -> list[tuple[Attachment | None, int | None, str]]:
    out: list[tuple[Attachment | None, int | None, str]] = [
        (None, None, "\n".join([pub.title, pub.summary, rules.plain_text(pub.body)]))
    ]
    for attachment in pub.attachments.prefetch_related("texts"):
        out.extend((attachment, t.page, t.text) for t in attachment.texts.all())
    return out


def _text_gaps(pub: Publication) -> list[tuple[Attachment, rules.TextGap]]:
    """Extracted attachments the scan could not read (wholly or some pages). One still being
    extracted is not judged: it blocks publishing on its own."""
    gaps = []
    done = pub.attachments.filter(extraction_status=ExtractionStatus.DONE)
    for attachment in done.prefetch_related("texts"):
        texts = [t.text for t in attachment.texts.all()]
        gap = rules.text_gap(attachment.file_type, texts, _pictures(attachment))
        if gap is not None:
            gaps.append((attachment, gap))
    return gaps


def _count_pictures(data: bytes, file_type: str) -> int:
    try:
        return files.pictures(data, file_type, rules.PICTURE_MIN_SIDE)
    except Exception:  # pictures that cannot be measured are not counted, as before
        return 0


def _pictures(attachment: Attachment) -> int:
    """The count stored when the file was processed. One processed before the count existed
    is counted now, once."""
    if attachment.pictures is not None:
        return attachment.pictures
    if attachment.file_type not in (AttachmentType.DOCX, AttachmentType.XLSX):
        return 0
    try:
        with attachment.file.open("rb") as fh:
            data = fh.read()
    except Exception:  # a file that cannot be read now is reported by _marked_up
        return 0
    attachment.pictures = _count_pictures(data, attachment.file_type)
    attachment.save(update_fields=["pictures"])
    return attachment.pictures


# Shown with the finding; the blocker names the attachment (publish_blockers).
MARKUP_EXCERPT = "含修订痕迹或批注：须接受或拒绝全部修订、删除批注后重新上传"


def _marked_up(pub: Publication) -> list[Attachment]:
    """Extracted DOCX/XLSX/PDF attachments that still carry tracked changes or comments. One
    processed before this check existed is checked now, once."""
    marked = []
    checked = (AttachmentType.DOCX, AttachmentType.XLSX, AttachmentType.PDF)
    done = pub.attachments.filter(extraction_status=ExtractionStatus.DONE, file_type__in=checked)
    for attachment in done:
        if attachment.has_markup is None:
            try:
                with attachment.file.open("rb") as fh:
                    attachment.has_markup = files.review_markup(fh.read(), attachment.file_type)
            except Exception as exc:  # unreadable now (a DTD, a lost file): not publishable
                attachment.extraction_status = ExtractionStatus.FAILED
                attachment.extraction_error = f"无法检查修订痕迹或批注：{exc}"[:200]
                attachment.save(update_fields=["extraction_status", "extraction_error"])
                continue
            attachment.save(update_fields=["has_markup"])
        if attachment.has_markup:
            marked.append(attachment)
    return marked


def publication_scan(pub: Publication) -> list[PiiFinding]:
    """Re-scan title, summary, body and attachment text, and note the attachments without
    text to scan. Findings already justified or viewed (same value or file, same place) keep
    their resolution; the others are replaced by the new scan. Call inside the transaction of
    the step that needs it."""
    org = pub.organization
    allowed = frozenset(e for e in (org.email,) if e)
    kept = {
        (f.attachment_id, f.fingerprint): f for f in pub.pii_findings.filter(resolution__in=_KEPT)
    }
    pub.pii_findings.exclude(resolution__in=_KEPT).delete()
    seen: set[tuple[int | None, str]] = set()
    for unread, gap in _text_gaps(pub):
        # Bound to this upload: a new file is a new attachment and is looked at again.
        fp = _fingerprint(PiiKind.UNREADABLE, f"{unread.sha256}:{gap.pages}")
        key: tuple[int | None, str] = (unread.pk, fp)
        seen.add(key)
        if key not in kept:
            PiiFinding.objects.create(
                publication=pub,
                attachment=unread,
                page=gap.pages[0] if gap.pages else None,
                kind=PiiKind.UNREADABLE,
                gap=gap.kind,
                excerpt=gap.describe()[:200],
                fingerprint=fp,
            )
    # Never resolved, so never kept: only a new upload without the markup ends it.
    for marked in _marked_up(pub):
        fp = _fingerprint(PiiKind.REVISIONS, marked.sha256)
        seen.add((marked.pk, fp))
        PiiFinding.objects.create(
            publication=pub,
            attachment=marked,
            kind=PiiKind.REVISIONS,
            excerpt=MARKUP_EXCERPT,
            fingerprint=fp,
        )
    for attachment, page, text in _texts(pub):
        hits = rules.scan_pii(text, allowed_emails=allowed)
        for hit in hits:
            fp = _fingerprint(hit.kind, hit.value)
            key = (attachment.pk if attachment else None, fp)
            if key in kept or key in seen:
                seen.add(key)
                continue
            seen.add(key)
            PiiFinding.objects.create(
                publication=pub,
                attachment=attachment,
                page=page,
                kind=hit.kind,
                excerpt=rules.excerpt(text, hit, hits),
                fingerprint=fp,
            )
    # A justification for a value that is no longer there is dropped with it.
    for key, finding in kept.items():
        if key not in seen:
            finding.delete()
    return list(pub.pii_findings.all())


@transaction.atomic
def publication_rescan(publication: Publication) -> list[PiiFinding]:
    """Scan again on its own: a publish refused for what its scan found rolls that scan back,
    and the reviewer needs those findings as rows to act on."""
    return publication_scan(_lock(publication))


def _require_new_upload(finding: PiiFinding) -> None:
    """Tracked changes and comments are not personal data a reviewer may vouch for: the public
    would read the deleted wording and internal remarks, whatever the reason recorded."""
    if finding.kind == PiiKind.REVISIONS:
        raise WorkflowError(
            "含修订痕迹或批注的附件不能登记后发布：请退回起草人，接受或拒绝全部修订、"
            "删除批注后重新上传"
        )


def pii_mask(*, actor: User, finding: PiiFinding) -> PiiFinding:
    """Mask a value found in the body, title or summary, or in a DOCX, XLSX or PDF attachment
    (QUALITY.md §3.7), and re-scan. In an attachment only the public copy and the extracted
    texts change; the original stays for staff. OFD and images cannot be masked: replace the
    file or record a justification."""
    pub = finding.publication
    _require_review(actor, pub)
    _require_new_upload(finding)
    if finding.attachment_id is not None:
        return _mask_in_attachment(actor, pub, finding, finding.attachment_id)
    with transaction.atomic():
        pub = _lock(pub)
        _require_masking(pub)
        changed = False
        for field in ("title", "summary", "body"):
            text = getattr(pub, field)
            masks = {
                hit.value: rules.mask_value(hit.kind, hit.value)
                for hit in rules.scan_pii(text)
                if _fingerprint(hit.kind, hit.value) == finding.fingerprint
            }
            if masks:
                setattr(pub, field, masking.mask_text(text, masks))
                changed = True
        if not changed:
            raise WorkflowError("正文中已找不到该内容")
        pub.body = rules.sanitize_body(pub.body)
        pub.save(update_fields=["title", "summary", "body", "updated_at"])
        audit_record(
            actor=actor,
            verb="publication.pii_masked",
            obj=pub,
            organization=pub.organization,
            after={"kind": finding.kind, "excerpt": finding.excerpt},
        )
        publication_scan(pub)
        _changed(pub.pk)
    finding.resolution = PiiResolution.MASKED
    return finding


def _require_masking(pub: Publication) -> None:
    if pub.status != Status.IN_REVIEW:
        raise WorkflowError("只有审核中的信息可以遮盖个人信息")


# Shown when a value in an attachment cannot be masked; the other two ways stay open.
_OTHER_WAYS = "请退回起草人更换附件，或说明依法公开的理由"


def _maskable(attachment: Attachment, finding: PiiFinding) -> None:
    if finding.kind == PiiKind.UNREADABLE:
        raise WorkflowError("无法提取文字的附件须人工查看后登记")
    if not attachment.maskable:
        raise WorkflowError(
            f"{attachment.get_file_type_display()}附件中的个人信息不能在系统中遮盖：{_OTHER_WAYS}"
        )
    if attachment.extraction_status != ExtractionStatus.DONE:
        raise WorkflowError("附件尚未处理完成，请稍后再遮盖")


def _mask_in_attachment(
    actor: User, pub: Publication, finding: PiiFinding, attachment_id: int
) -> PiiFinding:
    """Add the finding's fingerprint to the attachment's masked set and make the public copy
    and the texts again from the original (attachment_process does the same on every run).
    The file work runs before the transaction, so that the database is not locked while a
    PDF is rasterised; under the lock the state it started from is checked again."""
    _require_masking(pub)
    attachment = Attachment.objects.get(pk=attachment_id)
    _maskable(attachment, finding)
    fingerprints = [*attachment.masked_fingerprints]
    if finding.fingerprint not in fingerprints:
        fingerprints.append(finding.fingerprint)
    with attachment.file.open("rb") as fh:
        data = fh.read()
    quoted = quote_title(attachment.title)
    try:
        processed = _process(data, attachment.file_type, fingerprints)
    except MaskLost as exc:
        if set(attachment.masked_fingerprints) <= _found_in(data, attachment.file_type):
            raise WorkflowError(f"附件{quoted}中已找不到该内容") from exc
        raise WorkflowError(f"附件{quoted}：{exc}") from exc
    except masking.NotLocated as exc:
        raise WorkflowError(
            f"在附件{quoted}的文件中找不到该内容的位置，系统无法遮盖："
            f"{exc.reason or _OTHER_WAYS}"
        ) from exc
    except Exception as exc:  # the file no longer reads as it did when it was processed
        raise WorkflowError(f"附件{quoted}无法处理，系统无法遮盖：{exc}") from exc
    name = _write_public(attachment, processed)
    try:
        with transaction.atomic():
            pub = _lock(pub)
            _require_masking(pub)
            current = Attachment.objects.select_for_update().filter(pk=attachment_id).first()
            if (
                current is None
                or current.masked_fingerprints != attachment.masked_fingerprints
                or current.extraction_status != ExtractionStatus.DONE
                or current.file.name != attachment.file.name
                or not PiiFinding.objects.filter(pk=finding.pk).exists()
            ):
                raise WorkflowError("附件刚被其他人处理或遮盖，请刷新页面后重试")
            current.masked_fingerprints = fingerprints
            _store(current, processed, name)
            audit_record(
                actor=actor,
                verb="publication.pii_masked",
                obj=pub,
                organization=pub.organization,
                after={
                    "kind": finding.kind,
                    "excerpt": finding.excerpt,
                    "attachment": current.pk,
                    "title": current.title,
                    "page": finding.page,
                },
            )
            publication_scan(pub)
            _changed(pub.pk)
    except BaseException:
        _delete_file(attachment, name)
        raise
    finding.resolution = PiiResolution.MASKED
    return finding


def _found_in(data: bytes, file_type: str) -> set[str]:
    """Fingerprints of every personal-data value read from the file."""
    return {
        _fingerprint(hit.kind, hit.value)
        for text in files.extract_text(data, file_type)
        for hit in rules.scan_pii(text)
    }


def _resolve(finding: PiiFinding, resolution: str, text: str, actor: User) -> None:
    finding.resolution = resolution
    finding.justification = text
    finding.resolved_by = actor
    finding.resolved_at = timezone.now()
    finding.save()


@transaction.atomic
def pii_justify(*, actor: User, finding: PiiFinding, justification: str) -> PiiFinding:
    """Record why publishing this personal data is lawful (e.g. a published official's work
    number, 条例第十五条 consent or overriding public interest)."""
    _require_review(actor, finding.publication)
    _require_new_upload(finding)
    if finding.kind == PiiKind.UNREADABLE:
        raise WorkflowError("无法提取文字的附件须人工查看后登记，不能直接说明公开理由")
    justification = justification.strip()
    if not justification:
        raise ValidationError("请说明依法公开的理由")
    finding = PiiFinding.objects.select_for_update().get(pk=finding.pk)
    _resolve(finding, PiiResolution.JUSTIFIED, justification, actor)
    audit_record(
        actor=actor,
        verb="publication.pii_justified",
        obj=finding.publication,
        organization=finding.publication.organization,
        after={"kind": finding.kind, "excerpt": finding.excerpt},
        reason=justification,
    )
    return finding


@transaction.atomic
def pii_confirm_viewed(*, actor: User, finding: PiiFinding, remark: str = "") -> PiiFinding:
    """Record that the reviewer looked at an attachment (or its pages) the scan could not read
    and found nothing that may not be published; the remark is optional. A new upload is a new
    attachment and needs its own confirmation."""
    _require_review(actor, finding.publication)
    finding = PiiFinding.objects.select_for_update().get(pk=finding.pk)
    _require_new_upload(finding)
    if finding.kind != PiiKind.UNREADABLE:
        raise WorkflowError("检查到的个人信息须遮盖或说明依法公开的理由")
    _resolve(finding, PiiResolution.VIEWED, remark.strip(), actor)
    audit_record(
        actor=actor,
        verb="publication.attachment_viewed",
        obj=finding.publication,
        organization=finding.publication.organization,
        after={
            "attachment": finding.attachment_id,
            "title": finding.attachment.title if finding.attachment else "",
            "excerpt": finding.excerpt,
        },
        reason=finding.justification,
    )
    return finding


def publish_blockers(pub: Publication) -> list[str]:
    """Why `pub` cannot be published now (empty: it can)."""
    problems = []
    if pub.disclosure_attribute != DisclosureAttribute.PROACTIVE:
        problems.append("公开属性不是主动公开")
    if not pub.secrecy_reviewed or pub.reviewed_at is None:
        problems.append("尚未通过保密审查")
    if pub.attachments.exclude(extraction_status=ExtractionStatus.DONE).exists():
        problems.append("附件文本尚未提取完成或提取失败，无法完成个人信息检查")
    open_findings = pub.pii_findings.filter(resolution=PiiResolution.OPEN)
    for f in open_findings.filter(kind=PiiKind.UNREADABLE).select_related("attachment"):
        where = "附件" + quote_title(f.attachment.title if f.attachment else "")
        if f.gap == TextGapKind.PICTURES:  # a document read, with pictures in it
            what = rules.pictures_unread(f.attachment.pictures if f.attachment else None)
        elif f.gap == TextGapKind.PAGES:  # only some pages: the excerpt names them
            what = f.excerpt.removesuffix(rules.NO_TEXT) + "无法提取文字（图片或扫描件）"
        else:
            what = "无法提取文字（图片或扫描件）"
        problems.append(f"{where}{what}，系统无法检查其中的个人信息：请人工查看后登记")
    for f in open_findings.filter(kind=PiiKind.REVISIONS).select_related("attachment"):
        title = f.attachment.title if f.attachment else ""
        problems.append(
            f"附件{quote_title(title)}含修订痕迹或批注，请接受或拒绝全部修订、删除批注后重新上传"
        )
    open_count = open_findings.exclude(kind__in=(PiiKind.UNREADABLE, PiiKind.REVISIONS)).count()
    if open_count:
        problems.append(f"个人信息检查有 {open_count} 处待处理：请遮盖或说明依法公开的理由")
    return problems


# --- review ----------------------------------------------------------------------------------
def _require_complete(pub: Publication) -> None:
    missing = [
        label
        for label, value in (
            ("信息名称", pub.title),
            ("成文日期", pub.written_on),
            ("信息形成或变更日期", pub.formed_on),
            ("法定主动公开内容", pub.statutory_category),
            ("主题分类", pub.topic),
        )
        if not value
    ]
    if missing:
        raise WorkflowError("请先填写：" + "、".join(missing))


@transaction.atomic
def publication_submit(*, actor: User, publication: Publication) -> Publication:
    _require_work(actor, publication)
    pub = _lock(publication)
    if pub.status != Status.DRAFT:
        raise WorkflowError("只有草稿可以提交审核")
    _require_complete(pub)
    pub.status = Status.IN_REVIEW
    pub.submitted_at = timezone.now()
    pub.reviewed_at = None
    pub.secrecy_reviewed = False
    pub.save()
    findings = publication_scan(pub)
    audit_record(
        actor=actor,
        verb="publication.submitted",
        obj=pub,
        organization=pub.organization,
        after={"pii_findings": len(findings)},
    )
    _changed(pub.pk)
    return pub


@transaction.atomic
def publication_return(*, actor: User, publication: Publication, opinion: str) -> Publication:
    """Send back to the drafter with the reviewer's opinion."""
    _require_review(actor, publication)
    pub = _lock(publication)
    if pub.status not in (Status.IN_REVIEW, Status.SCHEDULED):
        raise WorkflowError("只有审核中或定时发布的信息可以退回")
    if not opinion.strip():
        raise ValidationError("请填写退回意见")
    before = _state(pub)
    pub.status = Status.DRAFT
    pub.review_opinion = opinion.strip()
    pub.reviewed_at = None
    pub.secrecy_reviewed = False
    pub.scheduled_for = None
    pub.save()
    audit_record(
        actor=actor,
        verb="publication.returned",
        obj=pub,
        organization=pub.organization,
        before=before,
        after=_state(pub),
        reason=pub.review_opinion,
    )
    _changed(pub.pk)
    return pub


@transaction.atomic
def publication_review(
    *,
    actor: User,
    publication: Publication,
    secrecy_ok: bool,
    disclosure_attribute: str,
    withholding_reason: str = "",
    withholding_basis: str = "",
    opinion: str = "",
) -> Publication:
    """条例第十七条: the reviewer's 保密审查 and decision on the 公开属性. Proactive items then wait
    for publishing; 依申请公开 / 不予公开 items are kept with a re-assessment date (第十八条)."""
    _require_review(actor, publication)
    pub = _lock(publication)
    if pub.status != Status.IN_REVIEW:
        raise WorkflowError("只有待审核的信息可以审核")
    if not secrecy_ok:
        raise WorkflowError("未通过保密审查的信息不能公开：请退回并说明意见")
    if disclosure_attribute not in DisclosureAttribute.values:
        raise ValidationError("公开属性无效")
    proactive = disclosure_attribute == DisclosureAttribute.PROACTIVE
    if not proactive and (not withholding_reason or not withholding_basis.strip()):
        raise ValidationError("依申请公开或不予公开须写明理由和法律依据")
    if (
        not proactive
        and Publication.objects.filter(pk=pub.pk, suggestion_link__isnull=False).exists()
    ):
        # It is counted as a 第四十四条 conversion: that must not stand for an item kept back.
        raise ValidationError(
            "该信息已作为第四十四条转为主动公开建议的依据，不能审核为依申请公开或不予公开；"
            "如确需改变，请先在“建议转为主动公开”页面取消关联"
        )
    before = _state(pub)
    pub.secrecy_reviewed = True
    pub.disclosure_attribute = disclosure_attribute
    pub.withholding_reason = "" if proactive else withholding_reason
    pub.withholding_basis = "" if proactive else withholding_basis.strip()
    pub.review_opinion = opinion.strip()
    pub.reviewed_by = actor
    pub.reviewed_at = timezone.now()
    if not proactive:
        pub.status = Status.NOT_PUBLISHED
        pub.reassessed_on = _today()
        pub.reassess_on = rules.next_reassessment(_today(), settings.REASSESS_MONTHS)
    pub.save()
    audit_record(
        actor=actor,
        verb="publication.reviewed",
        obj=pub,
        organization=pub.organization,
        before=before,
        after={**_state(pub), "disclosure_attribute": disclosure_attribute},
        reason=pub.review_opinion,
    )
    _changed(pub.pk)
    return pub


# --- publishing ------------------------------------------------------------------------------
def allocate_index_number(pub: Publication, year: int) -> None:
    """Gap-free per organisation and year: the sequence row stays locked until commit."""
    org = pub.organization
    IndexSequence.objects.get_or_create(organization=org, year=year)
    seq = IndexSequence.objects.select_for_update().get(organization=org, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    pub.index_year, pub.index_seq = year, seq.last
    pub.index_number = rules.format_index_number(
        settings.INDEX_NUMBER_PATTERN,
        credit_code=org.credit_code,
        division_code=org.division_code,
        org_id=org.pk,
        year=year,
        seq=seq.last,
    )


def keep_index_number(pub: Publication, index_number: str, own: tuple[int, int] | None) -> None:
    """Keep a 索引号 given before this system (an imported catalog). When it follows our own
    pattern (`own` = its year and sequence number), the sequence moves past it, so that no later
    allocation repeats it; the sequence row stays locked until commit."""
    pub.index_number = index_number
    if own is None:
        return
    year, number = own
    IndexSequence.objects.get_or_create(organization=pub.organization, year=year)
    seq = IndexSequence.objects.select_for_update().get(organization=pub.organization, year=year)
    if seq.last < number:
        seq.last = number
        seq.save(update_fields=["last"])
    pub.index_year, pub.index_seq = year, number


def _set_validity(pub: Publication, validity: str, ceased_on: date | None) -> None:
    """Every change of 有效性 goes through here: the day it stopped being in force (none
    while in force) moves with it, and search and caches are told."""
    pub.validity = validity
    pub.ceased_on = ceased_on
    pub.save(update_fields=["validity", "ceased_on", "updated_at"])
    _changed(pub.pk)


def _set_validity_audited(
    actor: User, pub: Publication, validity: str, ceased_on: date | None, reason: str
) -> None:
    before = _state(pub)
    _set_validity(pub, validity, ceased_on)
    audit_record(
        actor=actor,
        verb="publication.validity_changed",
        obj=pub,
        organization=pub.organization,
        before=before,
        after={**_state(pub), "ceased_on": pub.ceased_on},
        reason=reason,
    )


def _publish_now(pub: Publication, actor: User | None) -> None:
    now = timezone.now()
    pub.published_at = now
    pub.published_on = timezone.localdate(now)
    pub.published_by = actor
    pub.status = Status.PUBLISHED
    pub.scheduled_for = None
    allocate_index_number(pub, pub.published_on.year)
    pub.save()
    # The validity chain: what this document replaces or repeals stops being in force.
    start = pub.effective_on or pub.published_on
    if pub.amends_id:
        old = Publication.objects.select_for_update().get(pk=pub.amends_id)
        _set_validity(old, Validity.AMENDED, start)
    for old in pub.repeals.select_for_update():
        _set_validity(old, Validity.REPEALED, start)


@transaction.atomic
def publication_publish(
    *, actor: User, publication: Publication, at: datetime | None = None
) -> Publication:
    """Publish now (allocating the 索引号) or schedule for `at`. Refused while the PII scan has
    open findings, the 保密审查 is missing, or attachment text is not yet extracted."""
    _require(actor, Action.REVIEW, publication.organization, "只有本单位审核员可以发布")
    pub = _lock(publication)
    if pub.status not in (Status.IN_REVIEW, Status.SCHEDULED):
        raise WorkflowError("只有审核通过的信息可以发布")
    publication_scan(pub)
    problems = publish_blockers(pub)
    if problems:
        raise WorkflowError("不能发布：" + "；".join(problems))
    before = _state(pub)
    if at is not None and at > timezone.now():
        pub.status = Status.SCHEDULED
        pub.scheduled_for = at
        pub.save()
        verb = "publication.scheduled"
    else:
        _publish_now(pub, actor)
        verb = "publication.published"
    audit_record(
        actor=actor,
        verb=verb,
        obj=pub,
        organization=pub.organization,
        before=before,
        after={**_state(pub), "scheduled_for": pub.scheduled_for},
    )
    _changed(pub.pk)
    return pub


def publish_scheduled(now: datetime | None = None) -> int:
    """Run by the task queue: publish what is due. Each item in its own transaction, re-checked
    (a finding that appeared since scheduling keeps it back)."""
    now = now or timezone.now()
    done = 0
    due = Publication.objects.filter(status=Status.SCHEDULED, scheduled_for__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            pub = Publication.objects.select_for_update().get(pk=pk)
            if pub.status != Status.SCHEDULED:
                continue
            publication_scan(pub)
            problems = publish_blockers(pub)
            if problems:
                audit_record(
                    actor=None,
                    actor_name="system",
                    verb="publication.schedule_blocked",
                    obj=pub,
                    organization=pub.organization,
                    reason="；".join(problems),
                )
                continue
            publisher = pub.reviewed_by
            _publish_now(pub, publisher)
            _changed(pub.pk)
            audit_record(
                actor=None,
                actor_name="system",
                verb="publication.published",
                obj=pub,
                organization=pub.organization,
                after=_state(pub),
            )
            done += 1
    return done


def ended_only_by(pub: Publication) -> list[Publication]:
    """The documents this one put out of force (已修改 / 已废止) that no other published
    document amends or repeals: what withdrawing it may restore to 有效. A document itself no
    longer in force (amended or repealed since) restores nothing: its successor stands."""
    if pub.status != Status.PUBLISHED or pub.validity != Validity.VALID:
        return []
    candidates = list(pub.repeals.filter(validity=Validity.REPEALED))
    if pub.amends_id and pub.amends and pub.amends.validity == Validity.AMENDED:
        candidates.append(pub.amends)
    others = Publication.objects.exclude(pk=pub.pk).filter(status=Status.PUBLISHED)
    return [
        old
        for old in candidates
        if old.status == Status.PUBLISHED
        and not others.filter(Q(amends=old) | Q(repeals=old)).exists()
    ]


def _restore_in_force(actor: User, old: Publication, withdrawn: Publication) -> None:
    reason = f"修改或废止它的{quote_title(withdrawn.title)}已撤回"
    _set_validity_audited(actor, old, Validity.VALID, None, reason)


@transaction.atomic
def publication_withdraw(
    *, actor: User, publication: Publication, reason: str, restore_ended: bool = False
) -> Publication:
    """Take a published item off the portal; the public sees the reason in its place. With
    `restore_ended`, the documents it had amended or repealed are in force again (an amendment
    published by mistake); without, they stay as they are (the decision itself still stands)."""
    _require_review(actor, publication)
    pub = _lock(publication)
    if pub.status not in (Status.PUBLISHED, Status.SCHEDULED):
        raise WorkflowError("只有已发布或定时发布的信息可以撤回")
    if not reason.strip():
        raise ValidationError("请填写撤回理由，该理由将公开")
    before = _state(pub)
    ended = ended_only_by(pub) if restore_ended else []
    if pub.status == Status.SCHEDULED:  # never published: back to review, no public notice
        pub.status = Status.IN_REVIEW
        pub.scheduled_for = None
    else:
        pub.status = Status.WITHDRAWN
        pub.withdrawn_at = timezone.now()
        pub.withdrawal_reason = reason.strip()
    pub.save()
    audit_record(
        actor=actor,
        verb="publication.withdrawn",
        obj=pub,
        organization=pub.organization,
        before=before,
        after=_state(pub),
        reason=reason.strip(),
    )
    for old in ended:
        old = Publication.objects.select_for_update().get(pk=old.pk)
        if old.validity in (Validity.AMENDED, Validity.REPEALED):  # unchanged since read
            _restore_in_force(actor, old, pub)
    _changed(pub.pk)
    return pub


@transaction.atomic
def publication_amend(*, actor: User, publication: Publication) -> Publication:
    """Start a new version of a published document: a draft copy that `amends` it. The old
    version becomes 已修改 when the new one is published."""
    _require_work(actor, publication)
    old = _lock(publication)
    if old.status != Status.PUBLISHED or old.kind != Kind.DOCUMENT:
        raise WorkflowError("只有已发布的文件可以修订")
    if old.validity != Validity.VALID:
        raise WorkflowError("该文件已不在有效期内，不能修订")
    if old.amended_by.exclude(status=Status.WITHDRAWN).exists():
        raise WorkflowError("该文件已有修订稿")
    data = {f: getattr(old, f) for f in EDITABLE_FIELDS}
    data.update(document_number="", written_on=None, formed_on=None, effective_on=None)
    new = Publication(organization=old.organization, kind=old.kind, created_by=actor, amends=old)
    _apply(new, data)
    new.save()
    audit_record(
        actor=actor,
        verb="publication.amendment_started",
        obj=new,
        organization=new.organization,
        after={"amends": old.pk, "title": new.title},
    )
    _changed(new.pk)
    return new


def validity_settable(pub: Publication) -> bool:
    """A 规章/规范性文件 any time; another document only to be restored, when an amendment or
    repeal put it out of force by mistake."""
    return pub.is_normative or pub.validity != Validity.VALID


@transaction.atomic
def publication_set_validity(
    *, actor: User, publication: Publication, validity: str, on: date, reason: str
) -> Publication:
    """Record that a published document was repealed or expired by a decision not published
    here (e.g. a 规范性文件清理 result), or restore it to 有效 after a mistake."""
    _require_review(actor, publication)
    pub = _lock(publication)
    if pub.status != Status.PUBLISHED or not validity_settable(pub):
        raise WorkflowError("只有已发布的规章或规范性文件可以变更有效性；其他文件只能恢复为有效")
    if validity not in Validity.values or not reason.strip():
        raise ValidationError("请选择有效性并说明依据")
    if not pub.is_normative and validity != Validity.VALID:
        raise WorkflowError("其他文件只能恢复为有效")
    ceased_on = None if validity == Validity.VALID else on
    _set_validity_audited(actor, pub, validity, ceased_on, reason.strip())
    return pub


def expire_documents(today: date | None = None) -> int:
    """Run daily: documents past their 有效期 become 已失效 (a system step, audited)."""
    today = today or _today()
    count = 0
    due = Publication.objects.published().filter(validity=Validity.VALID, expires_on__lt=today)
    for pub in due:
        with transaction.atomic():
            _set_validity(pub, Validity.EXPIRED, pub.expires_on)
            audit_record(
                actor=None,
                actor_name="system",
                verb="publication.expired",
                obj=pub,
                organization=pub.organization,
                after={"expires_on": pub.expires_on},
            )
            count += 1
    return count


# --- 第十八条 re-assessment -----------------------------------------------------------------
@transaction.atomic
def publication_reassess(*, actor: User, publication: Publication, opinion: str) -> Publication:
    """条例第十八条: the item stays 依申请公开 / 不予公开 after re-assessment; next date set."""
    _require_review(actor, publication)
    pub = _lock(publication)
    if pub.disclosure_attribute == DisclosureAttribute.PROACTIVE:
        raise WorkflowError("主动公开的信息无需定期评估")
    if not opinion.strip():
        raise ValidationError("请填写评估意见")
    pub.reassessed_on = _today()
    pub.reassess_on = rules.next_reassessment(pub.reassessed_on, settings.REASSESS_MONTHS)
    pub.save(update_fields=["reassessed_on", "reassess_on", "updated_at"])
    audit_record(
        actor=actor,
        verb="publication.reassessed",
        obj=pub,
        organization=pub.organization,
        after={"reassess_on": pub.reassess_on},
        reason=opinion.strip(),
    )
    _changed(pub.pk)
    return pub


@transaction.atomic
def publication_convert_to_proactive(
    *, actor: User, publication: Publication, opinion: str
) -> Publication:
    """依申请转主动 (第十八条, 第四十四条): circumstances changed, the item is to be published.
    The conversion date is recorded and counted; the item waits for publishing (with the
    PII check) like any reviewed item."""
    _require_review(actor, publication)
    pub = _lock(publication)
    if pub.status != Status.NOT_PUBLISHED:
        raise WorkflowError("只有依申请公开或不予公开的信息可以转为主动公开")
    before = _state(pub)
    pub.converted_to_proactive_on = _today()
    pub.disclosure_attribute = DisclosureAttribute.PROACTIVE
    pub.withholding_reason = ""
    pub.withholding_basis = ""
    pub.reassess_on = None
    pub.reassessed_on = _today()
    # The change of attribute is a change of the information's state: 第二十六条 runs again.
    pub.formed_on = _today()
    _refresh_due(pub)
    pub.status = Status.IN_REVIEW
    pub.secrecy_reviewed = True
    pub.reviewed_by = actor
    pub.reviewed_at = timezone.now()
    pub.review_opinion = opinion.strip()
    pub.save()
    publication_scan(pub)
    audit_record(
        actor=actor,
        verb="publication.converted_to_proactive",
        obj=pub,
        organization=pub.organization,
        before=before,
        after=_state(pub),
        reason=opinion.strip(),
    )
    _changed(pub.pk)
    return pub
