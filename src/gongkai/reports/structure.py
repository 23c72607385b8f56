"""`StatutoryReport`: one year's 政府信息公开工作年度报告 as plain data (no ORM).

Produced by the builder (from records), the parser (from a published file) and hand entry;
consumed by the validator, the renderers and the aggregator. Cells are `None` when the report
leaves them blank or they could not be read, so consumers can tell "0" from "nothing".
The JSON form is documented in docs/report-json.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from gongkai.reports.formats import (
    SECTION_KEYS,
    TABLE2_BLOCKS,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    FormatVersion,
    format_for_year,
)

SCHEMA = "gongkai.statutory-report/1"
Cell = int | None
Amount = Decimal | None


@dataclass
class StatutoryReport:
    year: int
    organization: str
    format_version: FormatVersion
    title: str = ""
    published_on: date | None = None
    source: str = ""  # file name or address it was read from; empty when built
    # Narrative text by section key (SECTION_KEYS: overview … other); "" when absent.
    sections: dict[str, str] = field(default_factory=dict)
    # Table 二: row key → column key → value (counts as Decimal without fraction, 万元 with).
    table2: dict[str, dict[str, Amount]] = field(default_factory=dict)
    # Table 三: row key → the 7 cells in TABLE3_COLUMNS order (six applicant types, 总计).
    table3: dict[str, list[Cell]] = field(default_factory=dict)
    # Table 四: the 15 cells in TABLE4_COLUMNS order.
    table4: list[Cell] = field(default_factory=list)

    @classmethod
    def empty(
        cls, year: int, organization: str, version: FormatVersion | None = None
    ) -> StatutoryReport:
        """A report with every section, row and cell present and blank."""
        version = version or format_for_year(year)
        return cls(
            year=year,
            organization=organization,
            format_version=version,
            sections=dict.fromkeys(SECTION_KEYS, ""),
            table2={
                row: dict.fromkeys((c for c, _ in block.columns), None)
                for block in TABLE2_BLOCKS[version]
                for row, _ in block.rows
            },
            table3={row.key: [None] * len(TABLE3_COLUMNS) for row in TABLE3_ROWS[version]},
            table4=[None] * len(TABLE4_COLUMNS),
        )

    def cell(self, row: str, column: str) -> Cell:
        values = self.table3.get(row)
        return values[TABLE3_COLUMNS.index(column)] if values else None

    @property
    def has_table3(self) -> bool:
        return any(v is not None for values in self.table3.values() for v in values)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "year": self.year,
            "organization": self.organization,
            "format_version": str(self.format_version),
            "title": self.title,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "source": self.source,
            "sections": self.sections,
            "table2": {
                row: {col: (str(v) if v is not None else None) for col, v in cols.items()}
                for row, cols in self.table2.items()
            },
            "table3": {
                "columns": list(TABLE3_COLUMNS),
                "rows": self.table3,
            },
            "table4": {"columns": list(TABLE4_COLUMNS), "values": self.table4},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StatutoryReport:
        if data.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} document")
        if list(data["table3"]["columns"]) != list(TABLE3_COLUMNS):
            raise ValueError("table3 columns differ from the official order")
        if list(data["table4"]["columns"]) != list(TABLE4_COLUMNS):
            raise ValueError("table4 columns differ from the official order")
        published = data.get("published_on")
        return cls(
            year=int(data["year"]),
            organization=data["organization"],
            format_version=FormatVersion(data["format_version"]),
            title=data.get("title", ""),
            published_on=date.fromisoformat(published) if published else None,
            source=data.get("source", ""),
            sections=dict(data.get("sections", {})),
            table2={
                row: {col: (Decimal(v) if v is not None else None) for col, v in cols.items()}
                for row, cols in data.get("table2", {}).items()
            },
            table3={row: list(values) for row, values in data["table3"]["rows"].items()},
            table4=list(data["table4"]["values"]),
        )
