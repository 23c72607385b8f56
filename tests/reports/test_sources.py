"""Annual report table 二 (条例第二十条第（一）项): 规章 and 行政规范性文件 come from the catalog."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gongkai.reports.sources import table2_publication_counts
from tests.publications.conftest import _media, make_draft, publish

__all__ = ["_media"]


def test_no_catalog_means_the_officer_enters_table_two(district: Any) -> None:
    assert table2_publication_counts([district.dept_a.pk], 2024) is None


def test_published_normative_documents_are_counted_over_the_organisations(district: Any) -> None:
    today = timezone.localdate()
    publish(district, make_draft(district, written_on=today))  # a 行政规范性文件
    make_draft(district, title="未发布的草稿", written_on=today)  # a draft is not counted
    counts = table2_publication_counts([district.dept_a.pk, district.dept_b.pk], today.year)
    assert counts is not None
    assert counts["normative_documents"] == {"issued": 1, "repealed": 0, "in_force": 1}
    assert counts["regulations"] == {"issued": 0, "repealed": 0, "in_force": 0}
    # The year before: not issued then, and not yet in force on its 31 December.
    earlier = table2_publication_counts([district.dept_a.pk], today.year - 1)
    assert earlier is not None
    assert earlier["normative_documents"] == {"issued": 0, "repealed": 0, "in_force": 0}
