"""Figures of the annual report that come from other parts of the platform.

Table 二's 规章 / 行政规范性文件 rows (本年制发、本年废止、现行有效, 条例第二十条第（一）项) are counted
from the publications records. An organisation that keeps no catalog here (nothing ever
published in the system) gets None and its officer enters the figures by hand; otherwise the
counted figures take precedence over hand entry.
"""

from __future__ import annotations

from collections.abc import Iterable

# row key ("regulations", "normative_documents") → column key ("issued", "repealed",
# "in_force") → count
PublicationCounts = dict[str, dict[str, int]]


def table2_publication_counts(org_ids: Iterable[int], year: int) -> PublicationCounts | None:
    """Counts of 规章 and 行政规范性文件 of the organisations `org_ids` for `year`, or None when
    none of them has published anything in the system."""
    from gongkai.publications.models import Publication
    from gongkai.publications.selectors import table2_counts

    ids = list(org_ids)
    if not Publication.objects.published().filter(organization_id__in=ids).exists():
        return None
    total: PublicationCounts = {}
    for per_org in table2_counts(ids, year).values():
        for row, columns in per_org.items():
            sums = total.setdefault(row, dict.fromkeys(columns, 0))
            for column, count in columns.items():
                sums[column] += count
    return total
