"""The filter form and pagination shared by the column lists, the API and the feeds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Max, Min, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gongkai.publications.constants import StatutoryCategory, Validity
from gongkai.publications.models import Publication
from gongkai.publications.selectors import Filters
from gongkai.publications.topics import topic_choices

PAGE_SIZE = 20


class ListFilterForm(forms.Form):
    """GET filters of a catalog list. An unknown value is dropped, never an error page."""

    category = forms.ChoiceField(
        label=_("法定主动公开内容"), required=False, choices=[("", _("全部"))]
    )
    topic = forms.ChoiceField(label=_("主题分类"), required=False)
    year = forms.TypedChoiceField(label=_("发布年份"), required=False, coerce=int, empty_value=None)
    validity = forms.ChoiceField(label=_("有效性"), required=False)

    def __init__(self, data: Any, *, years: list[int], topic_codes: set[str] | None = None) -> None:
        super().__init__(data)
        choices: dict[str, list[Any]] = {
            "category": StatutoryCategory.choices,
            "topic": topic_choices_for(topic_codes),
            "year": [(y, str(y)) for y in years],
            "validity": Validity.choices,
        }
        for name, values in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("全部")), *values]

    def filters(self, **fixed: Any) -> Filters:
        self.is_valid()  # an invalid value is left out of cleaned_data; the rest still applies
        data: dict[str, Any] = getattr(self, "cleaned_data", {})
        values: dict[str, Any] = {
            "statutory_category": data.get("category") or "",
            "topic": data.get("topic") or "",
            "year": data.get("year"),
            "validity": data.get("validity") or "",
        }
        values.update(fixed)
        return Filters(**values)


def topic_choices_for(codes: set[str] | None) -> list[Any]:
    """The 主题分类 select: the whole tree, or only the classes used by `codes` (a list offers
    what it holds; a top-level class is kept when any of its sub-classes is used)."""
    if codes is None:
        return topic_choices()
    used = codes | {code[:2] for code in codes}
    groups = []
    for group, options in topic_choices():
        kept = [(code, label) for code, label in options if code in used]
        if kept:
            groups.append((group, kept))
    return groups


def topics_of(qs: QuerySet[Publication]) -> set[str]:
    return set(qs.exclude(topic="").order_by().values_list("topic", flat=True).distinct())


def years_of(qs: QuerySet[Publication]) -> list[int]:
    """The publishing years the year filter offers, newest first: the span from the oldest to
    the newest item (two index look-ups rather than a scan of every row's year)."""
    span = qs.order_by().aggregate(first=Min("published_on"), last=Max("published_on"))
    if span["first"] is None:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))


def paginate(request: HttpRequest, items: Any, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
