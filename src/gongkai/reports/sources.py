"""Figures of the annual report that come from other parts of the platform.

Table 二's 规章 / 行政规范性文件 rows (本年制发、本年废止、现行有效, 条例第二十条第（一）项) are counted
from the publications records. Until those records exist this returns None and the officer
enters the figures by hand; once it returns counts, they take precedence over hand entry.
"""

from __future__ import annotations

from collections.abc import Iterable

# row key ("regulations", "normative_documents") → column key ("issued", "repealed",
# "in_force") → count
PublicationCounts = dict[str, dict[str, int]]


def table2_publication_counts(org_ids: Iterable[int], year: int) -> PublicationCounts | None:
    """Counts of 规章 and 行政规范性文件 of the organisations `org_ids` for `year`, or None when
    the publications records are not available."""
    return None
