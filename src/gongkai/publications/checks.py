"""Start-up check of the 索引号 pattern: a bad one would otherwise surface only when a reviewer
publishes, as a failed request."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from gongkai.publications.rules import index_pattern_problem


@register()
def index_number_pattern(app_configs: Any, **kwargs: Any) -> list[Error]:
    problem = index_pattern_problem(settings.INDEX_NUMBER_PATTERN)
    if problem is None:
        return []
    return [
        Error(
            f"GONGKAI_INDEX_NUMBER_PATTERN={settings.INDEX_NUMBER_PATTERN!r}：{problem}",
            hint="默认值为 {credit_code}/{yyyy}-{seq:05d}，见 docs/operations.md。",
            id="gongkai.E003",
        )
    ]
