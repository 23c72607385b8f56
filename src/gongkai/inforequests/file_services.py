"""Files on an application and their redaction: every write atomic, permission-checked and
audited. The audit log names files and grounds, never their content."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.audit.services import audit_record
from gongkai.core import public_copy
from gongkai.core.file_markup import review_markup
from gongkai.core.logging import mask_personal_data
from gongkai.inforequests import files
from gongkai.inforequests.constants import APPLICANT_BY_CODE, Status
from gongkai.inforequests.models import Attachment, InfoRequest, Redaction
from gongkai.inforequests.redaction import Box, burn_in
from gongkai.inforequests.release_rules import (
    GROUND_ARTICLE,
    AttachmentKind,
    RedactionGround,
    applicant_may_download,
)
from gongkai.inforequests.services import request_submit
from gongkai.orgs.constants import Action
from gongkai.orgs.models import User
from gongkai.orgs.permissions import can

logger = logging.getLogger(__name__)


def _require_work(actor: User, request: InfoRequest) -> None:
    if not can(actor, Action.WORK, request.organization):
        raise PermissionDenied("没有办理该申请的权限")


@contextmanager
def _removed_on_failure() -> Iterator[list[str]]:
    """Around a transaction that stores files: the files named in the list are deleted if the
    block fails (the rows that named them are rolled back), so nothing stays unreferenced in
    private storage. Wrap it outside `transaction.atomic()`, so a failed commit counts too."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            _remove_quietly(name)
        raise


def _remove_quietly(name: str) -> None:
    """Delete a file no row names; a storage error is logged, not shown (nothing was lost)."""
    try:
        files.remove(name)
    except OSError:
        logger.exception("could not delete unreferenced file %s", name)


def _save_file(
    *,
    actor: User | None,
    request: InfoRequest,
    data: bytes,
    title: str,
    kind: str,
    written: list[str],
    **extra: Any,
) -> Attachment:
    if kind == AttachmentKind.REDACTED:
        found = files.sniff(data)  # made here; may be larger than an upload may be
    else:
        allowed = files.SCAN_TYPES if kind == AttachmentKind.SCAN else files.RELEASE_TYPES
        found = files.check_upload(data, allowed=allowed)
    name, digest = files.store(data, request_id=request.pk, extension=found.extension)
    written.append(name)
    return Attachment.objects.create(
        request=request,
        kind=kind,
        title=files.safe_title(title),
        content_type=found.content_type,
        extension=found.extension,
        size=len(data),
        sha256=digest,
        storage_name=name,
        pages=found.pages,
        uploaded_by=actor,
        **extra,
    )


def attachment_add(
    *, actor: User, request: InfoRequest, data: bytes, title: str, kind: str
) -> Attachment:
    """Attach a scan of the application as received, or a file to be provided."""
    with _removed_on_failure() as written, transaction.atomic():
        return _attachment_add(
            actor=actor, request=request, data=data, title=title, kind=kind, written=written
        )


def _attachment_add(
    *, actor: User, request: InfoRequest, data: bytes, title: str, kind: str, written: list[str]
) -> Attachment:
    _require_work(actor, request)
    if kind not in (AttachmentKind.SCAN, AttachmentKind.RELEASE):
        raise ValueError(kind)
    try:
        attachment = _save_file(
            actor=actor, request=request, data=data, title=title, kind=kind, written=written
        )
    except files.FileRefused as exc:
        raise ValidationError(str(exc)) from exc
    audit_record(
        actor=actor,
        verb="inforequest.file_added",
        obj=request,
        organization=request.organization,
        after={
            "attachment": attachment.pk,
            "kind": kind,
            "title": mask_personal_data(attachment.title),
            "content_type": attachment.content_type,
            "size": attachment.size,
            "sha256": attachment.sha256,
        },
    )
    return attachment


def attachment_read(*, actor: User, attachment: Attachment, applicant_copy: bool = False) -> bytes:
    """The bytes of a file for staff, and a record of who took them (personal data may be
    inside): the original, or with `applicant_copy` what the applicant receives of it."""
    request = attachment.request
    if not can(actor, Action.VIEW, request.organization):
        raise PermissionDenied("没有查看该申请的权限")
    if not applicant_copy:
        data = files.read(attachment.storage_name)
    elif attachment.applicant_copy:
        data = files.read(attachment.applicant_copy)
    elif attachment.kind == AttachmentKind.RELEASE and attachment.released:
        data = _legacy_copy(attachment)  # released before copies were stored
    else:
        raise FileNotFoundError("no applicant copy")
    after: dict[str, Any] = {
        "attachment": attachment.pk,
        "title": mask_personal_data(attachment.title),
    }
    if applicant_copy:
        after["applicant_copy"] = True
    audit_record(
        actor=actor,
        verb="inforequest.file_downloaded",
        obj=request,
        organization=request.organization,
        after=after,
    )
    return data


class CopyUnavailable(Exception):
    """A provided file released before applicant copies existed could not be stripped on the
    way out; it is not handed out as stored. The message is for the applicant or officer."""


@dataclass(frozen=True)
class _Copy:
    """An applicant copy written to private storage, not yet named by the file's row."""

    name: str
    size: int
    sha256: str
    markup: bool


# The stripper's own refusals (a DTD, a damaged or oversized package) are written for people;
# a library's exception text (pypdf, Pillow, a KeyError) is not, and is only logged.
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _strip_format(attachment: Attachment) -> str:
    fmt = files.STRIP_FORMAT.get(attachment.content_type)
    if fmt is None:
        raise ValidationError(
            _(
                "“%(name)s”的文件类型（%(type)s）不是可以去除作者等信息的格式（PDF、JPEG、PNG、"
                "DOCX、OFD），不能提供给申请人。"
            )
            % {"name": attachment.title, "type": attachment.content_type or _("未知")}
        )
    return fmt


def _strip(attachment: Attachment, data: bytes) -> tuple[bytes, bool]:
    """The bytes without author, editor and commenter names or EXIF/GPS, and whether the file
    still carries tracked changes, comments or PDF notes (their text stays; the names go)."""
    fmt = _strip_format(attachment)
    return public_copy.strip_metadata(data, fmt), review_markup(data, fmt)


def _refusal(attachment: Attachment, exc: Exception) -> ValidationError:
    """Why a file cannot be provided, in words the officer can act on."""
    logger.warning(
        "applicant copy of attachment %s (%s) failed", attachment.pk, attachment.content_type,
        exc_info=exc,
    )  # fmt: skip
    detail = str(exc)[:200] if isinstance(exc, ValueError) and _HAN.search(str(exc)) else ""
    if attachment.is_pdf:
        advice = _("请用原软件重新导出或打印为 PDF 后上传。")
    else:
        advice = _("请转换为 PDF 后重新上传。")
    message = _(
        "无法去除“%(name)s”中的作者、修订人、批注人或拍摄位置等信息，不能提供给申请人。"
    ) % {"name": attachment.title}
    if detail:
        message += _("（%(detail)s）") % {"detail": detail}
    return ValidationError(message + advice)


def _make_applicant_copy(attachment: Attachment) -> _Copy:
    """Write what the applicant will receive of a file provided as uploaded. The heavy part
    (parsing and rewriting the file): run it outside the transaction that stores the result,
    so SQLite's write lock is not held meanwhile. The caller stores or deletes the file."""
    _strip_format(attachment)  # an unknown type is refused by name, before any parsing
    try:
        clean, markup = _strip(attachment, files.read(attachment.storage_name))
    except ValidationError:
        raise
    except Exception as exc:  # any parser failure is a property of the file, not a bug
        raise _refusal(attachment, exc) from exc
    name, digest = files.store(
        clean, request_id=attachment.request_id, extension=attachment.extension
    )
    return _Copy(name=name, size=len(clean), sha256=digest, markup=markup)


def _legacy_copy(attachment: Attachment) -> bytes:
    """A provided file released before applicant copies existed, stripped in memory on every
    download. Never the stored bytes: a failure is logged and refused in plain words."""
    try:
        return _strip(attachment, files.read(attachment.storage_name))[0]
    except Exception as exc:
        logger.warning(
            "applicant copy of attachment %s (released before copies were stored) failed",
            attachment.pk,
            exc_info=exc,
        )
        raise CopyUnavailable(
            _(
                "“%(name)s”暂时无法提供下载：未能去除文件中的作者、批注人等信息。"
                "请联系办理机关，告知申请编号 %(number)s。"
            )
            % {"name": attachment.title, "number": attachment.request.number}
        ) from exc


def _delivered_bytes(attachment: Attachment) -> bytes:
    """What the applicant downloads: the redacted copy as made, a provided file as its
    applicant copy. A file released before applicant copies existed is stripped on the way
    out and never goes out as stored (CopyUnavailable when that fails)."""
    if attachment.kind != AttachmentKind.RELEASE:
        return files.read(attachment.storage_name)
    if attachment.applicant_copy:
        return files.read(attachment.applicant_copy)
    return _legacy_copy(attachment)


def attachment_read_for_applicant(*, request: InfoRequest, attachment: Attachment) -> bytes:
    """The bytes of a provided file for whoever proved the number and tracking code of
    `request` (the caller checks the code); only what the rules let the applicant have."""
    allowed = (
        attachment.request_id == request.pk
        and not attachment.superseded
        and applicant_may_download(
            kind=attachment.kind,
            released=attachment.released,
            closed=request.status == Status.CLOSED,
            outcome=request.outcome,
        )
    )
    if not allowed:
        raise PermissionDenied("该文件不向申请人提供")
    data = _delivered_bytes(attachment)
    audit_record(
        actor=None,
        actor_name=APPLICANT_BY_CODE,
        verb="inforequest.file_downloaded",
        obj=request,
        organization=request.organization,
        after={
            "attachment": attachment.pk,
            "title": mask_personal_data(attachment.title),
            "sha256": hashlib.sha256(data).hexdigest(),  # what was delivered
            "size": len(data),
        },
    )
    return data


def _check_release(attachment: Attachment) -> None:
    if attachment.kind == AttachmentKind.SCAN:
        raise ValidationError("申请材料扫描件不能提供给申请人。")
    if attachment.kind == AttachmentKind.RELEASE and attachment.redactions.exists():
        raise ValidationError("该文件有遮盖内容，请提供遮盖后的文件，原件不得提供。")
    if attachment.superseded:
        raise ValidationError("遮盖内容已修改，请重新生成遮盖后的文件。")


_COPY_FIELDS = ["applicant_copy", "applicant_copy_size", "applicant_copy_sha256", "has_markup"]


def attachment_set_released(*, actor: User, attachment: Attachment, released: bool) -> Attachment:
    """Mark a file as provided to the applicant, or take it back. Only files to be provided
    may go out; a PDF with redactions goes out only as its redacted copy (第三十七条). A file
    provided as uploaded goes out as its applicant copy, without the names of the people who
    wrote or commented on it (made the first time; the original never changes, so once).
    Tracked changes and comments are not refused: the officer decides what is provided, and
    the console warns (`has_markup`).

    The copy is made before the row is locked; under the lock the state is checked again, and
    if another release stored a copy meanwhile that one is kept and this one deleted, so the
    release record always names the bytes the applicant receives."""
    _require_work(actor, attachment.request)
    made: _Copy | None = None
    if released and attachment.kind == AttachmentKind.RELEASE and not attachment.applicant_copy:
        _check_release(attachment)
        made = _make_applicant_copy(attachment)
    with _removed_on_failure() as written:
        if made is not None:
            written.append(made.name)
        with transaction.atomic():
            locked = _set_released(
                actor=actor, pk=attachment.pk, released=released, made=made, written=written
            )
    if made is not None and locked.applicant_copy != made.name:
        _remove_quietly(made.name)  # another release stored its copy first; that one goes out
    for field in ("released", *_COPY_FIELDS):
        setattr(attachment, field, getattr(locked, field))
    return attachment


def _set_released(
    *, actor: User, pk: int, released: bool, made: _Copy | None, written: list[str]
) -> Attachment:
    """The locked part of a release; returns the row as stored."""
    locked = Attachment.objects.select_for_update().select_related("request").get(pk=pk)
    _require_work(actor, locked.request)
    delivered: dict[str, Any] = {}
    if released:
        _check_release(locked)
        if locked.kind == AttachmentKind.RELEASE:
            if not locked.applicant_copy:
                if made is None:  # rare: the caller's row said a copy existed, the table not
                    made = _make_applicant_copy(locked)
                    written.append(made.name)
                locked.applicant_copy = made.name
                locked.applicant_copy_size = made.size
                locked.applicant_copy_sha256 = made.sha256
                locked.has_markup = made.markup
                locked.save(update_fields=_COPY_FIELDS)
            delivered = {
                "metadata_removed": True,
                "delivered_sha256": locked.applicant_copy_sha256,
                "delivered_size": locked.applicant_copy_size,
                "has_markup": locked.has_markup,
            }
        else:
            delivered = {"delivered_sha256": locked.sha256, "delivered_size": locked.size}
    locked.released = released
    locked.save(update_fields=["released"])
    audit_record(
        actor=actor,
        verb="inforequest.file_released" if released else "inforequest.file_withdrawn",
        obj=locked.request,
        organization=locked.request.organization,
        after={
            "attachment": locked.pk,
            "title": mask_personal_data(locked.title),
            **delivered,
        },
    )
    return locked


def _redactions_changed(original: Attachment) -> dict[str, Any]:
    """The original must not go out once it has redactions, and copies made before the
    change no longer show what is withheld now."""
    changes: dict[str, Any] = {}
    if original.released:
        original.released = False
        original.save(update_fields=["released"])
        changes["original_withdrawn"] = True
    stale = list(original.redacted_copies.filter(superseded=False).values_list("pk", flat=True))
    if stale:
        Attachment.objects.filter(pk__in=stale).update(superseded=True, released=False)
        changes["copies_superseded"] = stale
    return changes


def _check_box(attachment: Attachment, box: Box) -> None:
    if attachment.kind != AttachmentKind.RELEASE or not attachment.is_pdf:
        raise ValidationError("只能在拟提供的 PDF 文件上遮盖。")
    if attachment.pages is None or not 1 <= box.page <= attachment.pages:
        raise ValidationError({"page": f"页码应在 1 至 {attachment.pages} 之间。"})
    zero, hundred = Decimal(0), Decimal(100)
    if box.width <= zero or box.height <= zero:
        raise ValidationError("遮盖区域的宽度和高度应大于 0。")
    if (
        box.left < zero
        or box.top < zero
        or box.left + box.width > hundred
        or box.top + box.height > hundred
    ):
        raise ValidationError("遮盖区域超出了页面（左边距＋宽度、上边距＋高度均不得超过 100%）。")


@transaction.atomic
def redaction_add(
    *,
    actor: User,
    attachment: Attachment,
    box: Box,
    ground: str,
    note: str,
) -> Redaction:
    """Mark a rectangle to withhold, with the legal ground (条例第十四至十六条、第三十七条)."""
    _require_work(actor, attachment.request)
    if attachment.request.status == Status.CLOSED:
        raise ValidationError("申请已办结，不能再修改遮盖。")
    _check_box(attachment, box)
    if not note.strip():
        raise ValidationError({"note": "请说明遮盖的内容（如：第三人姓名和身份证号码）。"})
    redaction = Redaction.objects.create(
        attachment=attachment,
        page=box.page,
        left=box.left,
        top=box.top,
        width=box.width,
        height=box.height,
        ground=RedactionGround(ground),
        note=note.strip(),
        created_by=actor,
    )
    changes = _redactions_changed(attachment)
    audit_record(
        actor=actor,
        verb="inforequest.redaction_added",
        obj=attachment.request,
        organization=attachment.request.organization,
        after={
            "attachment": attachment.pk,
            "redaction": redaction.pk,
            "page": box.page,
            "box_percent": [str(box.left), str(box.top), str(box.width), str(box.height)],
            "ground": ground,
            "article": GROUND_ARTICLE[ground],
            **changes,
        },
    )
    return redaction


@transaction.atomic
def redaction_remove(*, actor: User, redaction: Redaction) -> None:
    attachment = redaction.attachment
    _require_work(actor, attachment.request)
    if attachment.request.status == Status.CLOSED:
        raise ValidationError("申请已办结，不能再修改遮盖。")
    before = {
        "attachment": attachment.pk,
        "redaction": redaction.pk,
        "page": redaction.page,
        "ground": redaction.ground,
    }
    redaction.delete()
    changes = _redactions_changed(attachment)
    audit_record(
        actor=actor,
        verb="inforequest.redaction_removed",
        obj=attachment.request,
        organization=attachment.request.organization,
        before=before,
        after=changes or None,
    )


def redaction_apply(*, actor: User, attachment: Attachment) -> Attachment:
    """Produce the redacted copy: every page rasterised, the boxes burned in. The original
    stays in private storage and is never provided."""
    with _removed_on_failure() as written, transaction.atomic():
        return _redaction_apply(actor=actor, attachment=attachment, written=written)


def _redaction_apply(*, actor: User, attachment: Attachment, written: list[str]) -> Attachment:
    _require_work(actor, attachment.request)
    redactions = list(attachment.redactions.all())
    if not redactions:
        raise ValidationError("还没有标记遮盖区域。")
    for old in attachment.redacted_copies.filter(superseded=False):
        old.superseded = True
        old.released = False
        old.save(update_fields=["superseded", "released"])
    boxes = [Box(r.page, r.left, r.top, r.width, r.height) for r in redactions]
    data = burn_in(files.read(attachment.storage_name), boxes, dpi=settings.REDACTION_DPI)
    stem = attachment.title.rsplit(".", 1)[0]
    copy = _save_file(
        actor=actor,
        request=attachment.request,
        data=data,
        title=f"{stem}（遮盖后）.pdf",
        kind=AttachmentKind.REDACTED,
        redacted_from=attachment,
        written=written,
    )
    audit_record(
        actor=actor,
        verb="inforequest.redaction_applied",
        obj=attachment.request,
        organization=attachment.request.organization,
        after={
            "original": attachment.pk,
            "copy": copy.pk,
            "sha256": copy.sha256,
            "redactions": [r.pk for r in redactions],
            "grounds": sorted({r.ground for r in redactions}),
        },
    )
    return copy


@transaction.atomic
def request_register_with_scans(
    *, actor: User, scans: list[tuple[str, bytes]], **submit: Any
) -> tuple[InfoRequest, bool]:
    """Register an application received off-line together with the scans of what arrived
    (the letter, the form filled in for an oral request, the fax, the e-mail). A repeated
    submission of the same form attaches nothing twice."""
    info, created = request_submit(actor=actor, **submit)
    if created:
        for title, data in scans:
            attachment_add(
                actor=actor, request=info, data=data, title=title, kind=AttachmentKind.SCAN
            )
    return info, created
