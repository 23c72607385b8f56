"""Pictures pasted into a Word or Excel file whose own text was read: the finding says so in
a field (not in the wording of its excerpt), the picture count is stored when the file is
processed so that later scans do not open the file again, and the blocker quotes the
attachment's title with nested title marks."""

from __future__ import annotations

import importlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command

from gongkai.publications import files, migrations, services
from gongkai.publications.constants import PiiKind, TextGapKind
from gongkai.publications.models import Attachment, PiiFinding, Publication
from tests.publications.conftest import make_draft, reviewed

TEXT = "关于公布2024年度城乡低保对象名单的通知，名单见下图，公示期七天。"
BLOCKER = "含图片1张，图中文字无法检查，系统无法检查其中的个人信息：请人工查看后登记"


def docx_with_picture(width: int, height: int) -> bytes:
    import docx
    from PIL import Image

    document = docx.Document()
    document.add_paragraph(TEXT)
    picture = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(picture, "PNG")
    picture.seek(0)
    document.add_picture(picture)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(district: Any, pub: Publication, data: bytes, name: str, capture: Any) -> Attachment:
    with capture(execute=True):  # processed after commit
        return services.attachment_add(
            actor=district.officer_a, publication=pub, data=data, name=name
        )


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, record each time a file's pictures are counted (reading the whole file)."""
    reads: list[str] = []

    def pictures(data: bytes, file_type: str, min_side: int) -> int:
        reads.append(file_type)
        return 0

    monkeypatch.setattr(files, "pictures", pictures)
    return reads


def test_a_picture_finding_is_recognised_whatever_its_excerpt_says(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pub = make_draft(district)
    upload(
        district,
        pub,
        docx_with_picture(900, 600),
        "公示名单.docx",
        django_capture_on_commit_callbacks,
    )
    pub = reviewed(district, pub)
    finding = pub.pii_findings.get(kind=PiiKind.UNREADABLE)
    assert finding.gap == TextGapKind.PICTURES

    PiiFinding.objects.filter(pk=finding.pk).update(excerpt="文内贴有图片（共一幅）")
    assert services.publish_blockers(pub) == [f"附件《公示名单》{BLOCKER}"]


def test_the_blocker_nests_the_title_marks_of_an_attachment_title(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """GB/T 15834 4.15: 《》 inside a title quoted with 《》 become 〈〉."""
    pub = make_draft(district)
    name = "关于印发《低保对象名单》的通知.docx"
    upload(district, pub, docx_with_picture(900, 600), name, django_capture_on_commit_callbacks)
    blockers = services.publish_blockers(reviewed(district, pub))
    assert blockers == [f"附件《关于印发〈低保对象名单〉的通知》{BLOCKER}"]


def test_the_count_is_stored_when_processed_and_the_scan_does_not_read_the_file_again(
    district: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pub = make_draft(district)
    attachment = upload(
        district,
        pub,
        docx_with_picture(900, 600),
        "公示名单.docx",
        django_capture_on_commit_callbacks,
    )
    small = upload(
        district, pub, docx_with_picture(900, 250), "页眉.docx", django_capture_on_commit_callbacks
    )
    attachment.refresh_from_db()
    small.refresh_from_db()
    assert (attachment.pictures, small.pictures) == (1, 0)  # under 300 pixels a side: a logo

    reads = count_reads(monkeypatch)
    pub = reviewed(district, pub)  # submitting scans
    finding = pub.pii_findings.get(kind=PiiKind.UNREADABLE)
    assert (finding.attachment, finding.gap) == (attachment, TextGapKind.PICTURES)
    assert services.publish_blockers(pub) == [f"附件《公示名单》{BLOCKER}"]
    assert reads == []


def test_an_attachment_processed_before_the_count_existed_is_counted_once(
    district: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pub = make_draft(district)
    attachment = upload(
        district,
        pub,
        docx_with_picture(900, 600),
        "公示名单.docx",
        django_capture_on_commit_callbacks,
    )
    Attachment.objects.filter(pk=attachment.pk).update(pictures=None)

    services.publication_rescan(pub)
    attachment.refresh_from_db()
    assert attachment.pictures == 1

    reads = count_reads(monkeypatch)
    findings = services.publication_rescan(pub)
    assert [f.gap for f in findings if f.kind == PiiKind.UNREADABLE] == [TextGapKind.PICTURES]
    assert reads == []


def test_reprocess_names_a_failed_attachment_with_nested_title_marks(
    district: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pub = make_draft(district)  # 关于印发《测试区义务教育阶段入学办法》的通知
    name = "《入学办法》附表.docx"
    upload(district, pub, docx_with_picture(900, 600), name, django_capture_on_commit_callbacks)

    def broken(data: bytes, file_type: str) -> list[str]:
        raise ValueError("无法解析")

    monkeypatch.setattr(files, "extract_text", broken)
    out = io.StringIO()
    call_command("attachments", "reprocess", stdout=out)
    assert (
        "- 《关于印发〈测试区义务教育阶段入学办法〉的通知》附件《〈入学办法〉附表》：无法解析"
        in out.getvalue()
    )


def _fill_gaps() -> Any:
    """The data migration's function, whatever number the migration ends up with."""
    (path,) = Path(migrations.__file__).parent.glob("*_finding_gap_attachment_pictures.py")
    return importlib.import_module(f"gongkai.publications.migrations.{path.stem}").fill_gaps


def test_the_migration_fills_the_gap_of_existing_findings_from_their_excerpt(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pub = make_draft(district)
    docx = upload(
        district,
        pub,
        docx_with_picture(900, 600),
        "公示名单.docx",
        django_capture_on_commit_callbacks,
    )
    Attachment.objects.filter(pk=docx.pk).update(pictures=None)  # as before the migration

    def old(excerpt: str, page: int | None = None, kind: str = PiiKind.UNREADABLE) -> PiiFinding:
        return PiiFinding.objects.create(
            publication=pub, attachment=docx, page=page, kind=kind, excerpt=excerpt, fingerprint="x"
        )

    pictures = old("含图片3张，图中文字无法检查")
    pages = old("第2、4–5页无可提取的文字", page=2)
    whole = old("全文无可提取的文字")
    mobile = old("联系电话138****1234", kind=PiiKind.MOBILE)

    _fill_gaps()(apps, None)

    gaps = {f.pk: f.gap for f in PiiFinding.objects.filter(publication=pub)}
    assert gaps == {
        pictures.pk: TextGapKind.PICTURES,
        pages.pk: TextGapKind.PAGES,
        whole.pk: TextGapKind.WHOLE,
        mobile.pk: "",
    }
    docx.refresh_from_db()
    assert docx.pictures == 3  # the count the excerpt gave, so the blocker can name it
