"""The form of a stored annual report: the six narrative sections, table 二's figures from
other systems with their source, and (for a government) which organisations it consolidates.
Fields are named after the report structure so that a finding's location ("section.other",
"table2.fees") points at its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Organization
from gongkai.reports.formats import SECTION_KEYS, SECTION_TITLES, TABLE2_BLOCKS, FormatVersion
from gongkai.reports.rules import AMOUNT_COLUMNS, SIGNED_COLUMNS
from gongkai.reports.services import SECTION_MAX_CHARS, SOURCE_MAX_CHARS


def section_field(key: str) -> str:
    return f"section_{key}"


def cell_field(row: str, column: str) -> str:
    return f"table2_{row}__{column}"


def source_field(row: str) -> str:
    return f"source_{row}"


class ReportForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        version: FormatVersion,
        includable: QuerySet[Organization] | None,
        counted: set[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.blocks: list[dict[str, Any]] = []
        for block in TABLE2_BLOCKS[version]:
            rows = []
            for row, row_label in block.rows:
                cells = []
                for column, column_label in block.columns:
                    name = cell_field(row, column)
                    self.fields[name] = forms.DecimalField(
                        label=f"{row_label} · {column_label}",
                        required=False,
                        min_value=None if column in SIGNED_COLUMNS else 0,
                        decimal_places=4 if column in AMOUNT_COLUMNS else 0,
                        max_digits=14,
                        disabled=(row, column) in counted,
                        help_text=_("由主动公开记录统计") if (row, column) in counted else "",
                    )
                    cells.append(self[name])
                name = source_field(row)
                self.fields[name] = forms.CharField(
                    label=_("%(row)s 数据来源") % {"row": row_label},
                    required=False,
                    max_length=SOURCE_MAX_CHARS,
                    help_text=_("例如：区政务服务网行政许可统计（导出日期）"),
                )
                rows.append({"label": row_label, "cells": cells, "source": self[name]})
            self.blocks.append({"header": block.header, "rows": rows})
        for key, title in zip(SECTION_KEYS, SECTION_TITLES[version], strict=True):
            self.fields[section_field(key)] = forms.CharField(
                label=title,
                required=False,
                max_length=SECTION_MAX_CHARS,
                widget=forms.Textarea(attrs={"rows": 8}),
                strip=False,
            )
        if includable is not None and includable.exists():
            self.fields["includes"] = forms.ModelMultipleChoiceField(
                label=_("合并统计的下属机关"),
                queryset=includable,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("本级人民政府的年度报告合并统计所选机关的申请和复议、诉讼案件。"),
            )

    @property
    def section_fields(self) -> list[forms.BoundField]:
        return [self[section_field(key)] for key in SECTION_KEYS]

    @staticmethod
    def initial_for(
        sections: dict[str, str],
        table2: dict[str, dict[str, Any]],
        sources: dict[str, str],
        includes: list[int],
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {section_field(k): sections.get(k, "") for k in SECTION_KEYS}
        for row, columns in table2.items():
            for column, value in columns.items():
                initial[cell_field(row, column)] = value
        for row, text in sources.items():
            initial[source_field(row)] = text
        initial["includes"] = includes
        return initial

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(section_field(key)) or "" for key in SECTION_KEYS}

    def table2(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for block in TABLE2_BLOCKS[self.version]:
            for row, _label in block.rows:
                for column, _clabel in block.columns:
                    name = cell_field(row, column)
                    if self.fields[name].disabled:
                        continue
                    value = self.cleaned_data.get(name)
                    if value is not None:
                        out.setdefault(row, {})[column] = value
        return out

    def sources(self) -> dict[str, str]:
        return {
            row: self.cleaned_data.get(source_field(row)) or ""
            for block in TABLE2_BLOCKS[self.version]
            for row, _label in block.rows
        }

    def includes(self) -> list[Organization] | None:
        if "includes" not in self.fields:
            return None
        return list(self.cleaned_data.get("includes") or [])
