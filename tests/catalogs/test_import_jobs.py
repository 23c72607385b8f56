"""A catalog file accepted in the console is written by the task queue: once, all rows or none,
with the reason kept when it could not be written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.catalogs import imports
from gongkai.catalogs.models import CatalogImport, ImportStatus
from gongkai.orgs.models import Membership
from gongkai.publications.models import IndexSequence, Publication
from tests.catalogs.test_excel import row, workbook
from tests.conftest import make_user


@pytest.fixture
def importer(district: Any) -> Any:
    return make_user("importer_a", officer=district.dept_a, reviewer=district.dept_a)


def queue(district: Any, user: Any, *rows: list[Any]) -> CatalogImport:
    return imports.import_queue(
        actor=user,
        organization=district.dept_a,
        file_name="目录.xlsx",
        content=workbook(*rows),
        row_count=len(rows),
    )


def test_an_accepted_file_is_written_once(district: Any, importer: Any) -> None:
    job = queue(district, importer, row("第一条", 索引号="OLD-1"), row("第二条"))
    assert job.status == ImportStatus.QUEUED and not Publication.objects.exists()
    done = imports.import_run(job.pk)
    assert done.status == ImportStatus.DONE and done.imported == 2
    assert done.started_at and done.finished_at and done.finished_at >= done.started_at
    assert Publication.objects.filter(status="published").count() == 2
    assert bytes(CatalogImport.objects.get().content) == b""
    # A task delivered twice finds the file no longer queued and writes nothing more.
    imports.import_run(job.pk)
    assert Publication.objects.count() == 2
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="catalog.import").values_list("verb", flat=True)
    )
    assert sorted(verbs) == ["catalog.import_finished", "catalog.import_queued", "catalog.imported"]


def test_the_same_file_accepted_twice_is_written_once(district: Any, importer: Any) -> None:
    # Both uploads passed the check; when the second runs, its 索引号 are taken.
    first = queue(district, importer, row("第一条", 索引号="OLD-1"), row("第二条", 索引号="OLD-2"))
    second = queue(district, importer, row("第一条", 索引号="OLD-1"), row("第二条", 索引号="OLD-2"))
    assert imports.import_run(first.pk).status == ImportStatus.DONE
    failed = imports.import_run(second.pk)
    assert failed.status == ImportStatus.FAILED and failed.imported == 0
    assert failed.failure == "rows"
    assert "重新检查发现问题" in failed.get_failure_display()
    assert [(e["row"], e["column"]) for e in failed.errors] == [(2, "索引号"), (3, "索引号")]
    assert {e["message"] for e in failed.errors} == {"索引号已被现有信息使用"}
    assert Publication.objects.count() == 2
    event = AuditEvent.objects.get(verb="catalog.import_finished", object_id=str(second.pk))
    assert event.outcome == "failure"
    client = Client()
    client.force_login(importer)
    page = client.get(reverse("console:cat_import_job", args=[second.pk])).content.decode()
    assert "未导入任何一行" in page and "索引号已被现有信息使用" in page


def test_an_importer_who_lost_a_role_imports_nothing(district: Any, importer: Any) -> None:
    job = queue(district, importer, row("第一条"))
    Membership.objects.filter(user=importer, role="reviewer").delete()
    failed = imports.import_run(job.pk)
    assert failed.status == ImportStatus.FAILED and failed.failure == "permission"
    assert not Publication.objects.exists()


def test_a_failure_half_way_leaves_nothing_behind(
    district: Any, importer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = queue(district, importer, row("第一条"), row("第二条"), row("第三条"))
    original, calls = imports._record_published, []

    def breaks_on_the_second_row(actor: Any, pub: Any, parsed: Any) -> None:
        calls.append(parsed.row)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        original(actor, pub, parsed)

    monkeypatch.setattr(imports, "_record_published", breaks_on_the_second_row)
    failed = imports.import_run(job.pk)
    assert calls == [2, 3]
    assert failed.status == ImportStatus.FAILED and failed.failure == "error"
    assert not Publication.objects.exists()
    assert not IndexSequence.objects.filter(organization=district.dept_a, last__gt=0).exists()
    assert CatalogImport.objects.get().finished_at is not None


def test_the_imported_rows_reach_search_in_one_task(
    district: Any, importer: Any, index_tasks: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    from gongkai.search import api as search_api

    job = queue(district, importer, *(row(f"低保复核第{n}批名单") for n in range(1, 6)))
    with django_capture_on_commit_callbacks(execute=True):
        imports.import_run(job.pk)
    assert index_tasks == [5]  # not one task per row
    assert search_api.search("低保复核").total == 5


def test_imported_rows_that_tie_in_search_list_the_newest_published_first(
    district: Any, importer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from datetime import date

    from gongkai.search import api as search_api

    days = [date(2023, 1, 9), date(2023, 6, 9), date(2023, 3, 9)]
    job = queue(
        district, importer, *(row(f"低保复核第{n}批名单", 发布日期=d) for n, d in enumerate(days))
    )
    with django_capture_on_commit_callbacks(execute=True):
        imports.import_run(job.pk)
    hits = search_api.search("低保复核").hits
    assert [h.published_on for h in hits] == sorted(days, reverse=True)
