"""The applicant copy of a provided file (条例第三十六条第（二）项) under the conditions a
single happy release does not show: two officers releasing at once, a release that is rolled
back, files the stripper cannot handle, and files released before copies were stored. The
applicant receives exactly what the release record names, never the stored original, and
private storage keeps no file that no row names."""

from __future__ import annotations

import ast
import hashlib
import itertools
import logging
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

import gongkai
from gongkai.audit.models import AuditEvent
from gongkai.core import file_markup, public_copy
from gongkai.inforequests import file_services, files
from gongkai.inforequests.models import Attachment, InfoRequest
from gongkai.publications import files as publication_files
from tests.conftest import District
from tests.inforequests.test_applicant_copy import _add, _close, _release, _submit, docx_with_dtd
from tests.inforequests.test_files_redaction import TOP_BOX
from tests.publications.conftest import docx_with, login, tiny_pdf

pytestmark = pytest.mark.django_db

SRC = Path(gongkai.__file__).parent


@pytest.fixture(autouse=True)
def _own_storage(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = str(tmp_path)


def _stored(info: InfoRequest) -> set[str]:
    """Every file in the application's private storage, as storage names."""
    folder = files.private_root() / str(info.pk)
    return {f"{info.pk}/{p.name}" for p in folder.iterdir()} if folder.exists() else set()


def _named(info: InfoRequest) -> set[str]:
    """The storage names the application's rows refer to."""
    names: set[str] = set()
    for a in Attachment.objects.filter(request=info):
        names |= {a.storage_name, a.applicant_copy} - {""}
    return names


def test_two_officers_releasing_at_once_deliver_what_both_records_name(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second release finishes while the first is still stripping the file. Stripping is not
    byte-for-byte repeatable (a PDF writer may add an /ID), so each run gives other bytes; the
    copy stored first is the one that goes out, and both release records name it."""
    info = _submit(district)
    attachment = _add(district, info, tiny_pdf("BUDGET", author="Zhang San"), "预算.pdf")
    real = public_copy.strip_metadata
    runs = itertools.count(1)

    def strip(data: bytes, fmt: str) -> bytes:
        run = next(runs)
        if run == 1:  # the other officer releases the same file meanwhile
            file_services.attachment_set_released(
                actor=district.officer_a,
                attachment=Attachment.objects.get(pk=attachment.pk),
                released=True,
            )
        return real(data, fmt) + b"\n%% run " + str(run).encode()

    monkeypatch.setattr(public_copy, "strip_metadata", strip)
    file_services.attachment_set_released(
        actor=district.officer_a, attachment=attachment, released=True
    )

    stored = Attachment.objects.get(pk=attachment.pk)
    delivered = hashlib.sha256(files.read(stored.applicant_copy)).hexdigest()
    assert delivered == stored.applicant_copy_sha256
    releases = AuditEvent.objects.filter(verb="inforequest.file_released")
    assert [e.after["delivered_sha256"] for e in releases] == [delivered, delivered]
    assert attachment.applicant_copy == stored.applicant_copy  # the caller sees the stored one
    assert _stored(info) == _named(info)  # the copy that lost is deleted


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite serialises"
)
def test_two_releases_in_parallel_store_one_copy(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same race with two connections: both strip at once, one stores, the other waits
    for the row lock, finds the copy and uses it."""
    info = _submit(district)
    attachment = _add(district, info, tiny_pdf("BUDGET", author="Zhang San"), "预算.pdf")
    real = public_copy.strip_metadata
    barrier = threading.Barrier(2, timeout=30)

    def strip(data: bytes, fmt: str) -> bytes:
        barrier.wait()  # both have read the row without a copy
        return real(data, fmt) + f"\n%% {threading.get_ident()}".encode()

    monkeypatch.setattr(public_copy, "strip_metadata", strip)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            file_services.attachment_set_released(
                actor=district.officer_a,
                attachment=Attachment.objects.get(pk=attachment.pk),
                released=True,
            )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    stored = Attachment.objects.get(pk=attachment.pk)
    delivered = hashlib.sha256(files.read(stored.applicant_copy)).hexdigest()
    releases = AuditEvent.objects.filter(verb="inforequest.file_released")
    assert [e.after["delivered_sha256"] for e in releases] == [delivered, delivered]
    assert _stored(info) == _named(info)


def test_release_rolled_back_leaves_no_file_behind(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = _submit(district)
    attachment = _add(district, info, tiny_pdf("BUDGET", author="Zhang San"), "预算.pdf")
    original = _stored(info)

    def failing_audit(**kwargs: Any) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(file_services, "audit_record", failing_audit)
    with pytest.raises(RuntimeError):
        _release(district, attachment)
    attachment.refresh_from_db()
    assert not attachment.released and not attachment.applicant_copy
    assert _stored(info) == original  # the copy written for the failed release is gone

    with pytest.raises(RuntimeError):  # the same for an upload whose record fails
        _add(district, info, tiny_pdf("OTHER"), "其他.pdf")
    assert _stored(info) == original == _named(info)


def test_redaction_marked_while_the_copy_is_made_stops_the_release(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state is checked again under the lock: a file that got a redaction box meanwhile
    goes out only as its redacted copy (第三十七条), and the copy made for it is deleted."""
    info = _submit(district)
    attachment = _add(district, info, tiny_pdf("BUDGET"), "预算.pdf")
    real = public_copy.strip_metadata

    def strip(data: bytes, fmt: str) -> bytes:
        file_services.redaction_add(
            actor=district.officer_a,
            attachment=Attachment.objects.get(pk=attachment.pk),
            box=TOP_BOX,
            ground="personal_privacy",
            note="第三人姓名",
        )
        return real(data, fmt)

    monkeypatch.setattr(public_copy, "strip_metadata", strip)
    with pytest.raises(ValidationError, match="原件不得提供"):
        _release(district, attachment)
    attachment.refresh_from_db()
    assert not attachment.released and not attachment.applicant_copy
    assert _stored(info) == _named(info)


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def test_pdf_that_cannot_be_processed_gets_advice_for_a_pdf(
    district: District, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Telling the officer to convert a PDF to PDF helps nobody; the library's English error
    text is logged, not shown."""

    def broken(data: bytes, fmt: str) -> bytes:
        raise KeyError("/Root")

    monkeypatch.setattr(public_copy, "strip_metadata", broken)
    info = _submit(district)
    attachment = _add(district, info, tiny_pdf("BUDGET"), "预算.pdf")
    with caplog.at_level(logging.WARNING), pytest.raises(ValidationError) as exc:
        _release(district, attachment)
    message = _messages(exc)
    assert "不能提供给申请人" in message and "重新导出或打印为 PDF" in message
    assert "转换为 PDF" not in message and "/Root" not in message
    assert any("/Root" in str(r.exc_info) for r in caplog.records if r.exc_info)
    assert _stored(info) == _named(info)


def test_file_of_a_type_without_a_stripper_is_refused_by_name(district: District) -> None:
    info = _submit(district)
    attachment = _add(district, info, docx_with("正文"), "正文.docx")
    Attachment.objects.filter(pk=attachment.pk).update(content_type="application/msword")
    attachment.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        _release(district, attachment)
    message = _messages(exc)
    assert "application/msword" in message and "不是可以去除作者等信息的格式" in message
    assert "KeyError" not in message and "'" not in message
    attachment.refresh_from_db()
    assert not attachment.released


def test_docx_refusal_keeps_the_strippers_own_reason(district: District) -> None:
    """The stripper's refusals are written for people and are shown; the advice for a file
    that is not a PDF is to convert it."""
    info = _submit(district)
    attachment = _add(district, info, docx_with_dtd(), "正文.docx")
    with pytest.raises(ValidationError) as exc:
        _release(district, attachment)
    message = _messages(exc)
    assert "含有 DTD 声明" in message and "转换为 PDF" in message


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_shared_file_code_lives_in_core() -> None:
    """Decision 0003: both apps send files out through core; the applications' file code does
    not reach into publications, and core imports no app."""
    for module in ("file_services.py", "files.py"):
        imported = _imports(SRC / "inforequests" / module)
        assert not {m for m in imported if m.startswith("gongkai.publications")}, module
    apps = ("gongkai.publications", "gongkai.inforequests", "gongkai.console", "gongkai.portal")
    for module in ("file_markup.py", "public_copy.py"):
        assert not {m for m in _imports(SRC / "core" / module) if m.startswith(apps)}, module
    assert publication_files.review_markup is file_markup.review_markup


def _legacy(district: District) -> tuple[InfoRequest, Attachment]:
    """A file released before copies were stored: no applicant copy on its row."""
    info = _submit(district)
    original = tiny_pdf("BUDGET", author="Zhang San")
    attachment = _release(district, _add(district, info, original, "预算.pdf"))
    Attachment.objects.filter(pk=attachment.pk).update(
        applicant_copy="", applicant_copy_size=None, applicant_copy_sha256=""
    )
    attachment.refresh_from_db()
    return info, attachment


def _broken(data: bytes, fmt: str) -> bytes:
    raise ValueError("pdf trailer damaged")


def test_legacy_file_that_cannot_be_stripped_is_refused_in_plain_words_to_the_applicant(
    district: District, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    info, attachment = _legacy(district)
    _close(district, info)
    monkeypatch.setattr(public_copy, "strip_metadata", _broken)
    with caplog.at_level(logging.WARNING):
        response = Client().post(
            reverse("portal:track_file"),
            {"number": info.number, "code": info.tracking_code, "file": attachment.pk},
        )
    assert response.status_code == 503
    page = response.content.decode()
    assert "暂时无法提供下载" in page and "请联系办理机关" in page and info.number in page
    assert "Zhang San" not in page and "trailer" not in page
    assert response["Content-Type"].startswith("text/html")  # not the stored file
    assert any(r.exc_info for r in caplog.records)
    assert not AuditEvent.objects.filter(verb="inforequest.file_downloaded").exists()


def test_legacy_file_can_be_checked_by_staff_and_failure_is_explained(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    info, attachment = _legacy(district)
    url = reverse("console:attachment_download", kwargs={"pk": attachment.pk})
    officer = login(district.officer_a)
    detail = officer.get(reverse("console:request_detail", kwargs={"pk": info.pk}))
    assert "?copy=applicant" in detail.content.decode()
    checked = officer.get(url, {"copy": "applicant"})
    assert checked.status_code == 200
    assert b"Zhang San" not in checked.content and b"BUDGET" in checked.content

    monkeypatch.setattr(public_copy, "strip_metadata", _broken)
    response = officer.get(url, {"copy": "applicant"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "暂时无法提供下载" in page
    assert "trailer" not in page
