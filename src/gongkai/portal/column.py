"""The 政府信息公开 column of each organisation with the standard sub-columns (RULES.md §5.5,
国办公开办函〔2019〕61号): 指南, 制度, 法定主动公开内容 (by 条例第二十条 item), 年报, 政策文件,
政策解读 and the entry to 依申请公开; and the district overview listing every column."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongkai.orgs.models import Organization
from gongkai.portal import guide as guide_module
from gongkai.portal.listing import (
    ListFilterForm,
    paginate,
    query_without_page,
    topics_of,
    years_of,
)
from gongkai.portal.views import organisations_with_children
from gongkai.publications.constants import Genre, Kind, NormativeKind, StatutoryCategory
from gongkai.publications.models import Publication
from gongkai.publications.selectors import apply_filters


def annual_reports_url(org: Organization) -> str:
    """The 政府信息公开年报 page of `org` (reports app, which names organisations by their
    统一社会信用代码 in its URLs). Falls back to the same fixed path while that URL is not
    installed, so the link never breaks the column."""
    try:
        return reverse("portal:annual_report_list", kwargs={"org_key": org.credit_code})
    except NoReverseMatch:
        return f"/gk/{org.credit_code}/annual-reports/"


def _org(org_pk: int) -> Organization:
    return get_object_or_404(Organization, pk=org_pk, is_active=True)


def _published(org: Organization) -> QuerySet[Publication]:
    return Publication.objects.published().filter(organization=org).select_related("organization")


def sub_columns(org: Organization) -> list[dict[str, str]]:
    """The standard sub-columns in the order of RULES.md §5.5, with their addresses."""
    return [
        {"name": _("政府信息公开指南"), "url": reverse("portal:guide", args=[org.pk])},
        {"name": _("政府信息公开制度"), "url": reverse("portal:system", args=[org.pk])},
        {"name": _("法定主动公开内容"), "url": reverse("portal:statutory", args=[org.pk])},
        {"name": _("政府信息公开年报"), "url": annual_reports_url(org)},
        {"name": _("政策文件"), "url": reverse("portal:policies", args=[org.pk])},
        {"name": _("政策解读"), "url": reverse("portal:interpretations", args=[org.pk])},
        # The application form opens with this organisation chosen as 受理机关.
        {"name": _("依申请公开"), "url": f"{reverse('portal:apply')}?organization={org.pk}"},
    ]


def _context(org: Organization, current: str, **extra: Any) -> dict[str, Any]:
    return {"org": org, "sub_columns": sub_columns(org), "current": current, **extra}


@require_GET
def district(request: HttpRequest) -> HttpResponse:
    """Every organisation's column, grouped under its government, with how much it holds."""
    counts = dict(
        Publication.objects.published()
        .values_list("organization")
        .annotate(n=Count("pk"))
        .values_list("organization", "n")
    )
    groups = [
        (org, counts.get(org.pk, 0), [(c, counts.get(c.pk, 0)) for c in children])
        for org, children in organisations_with_children()
    ]
    return render(request, "portal/column/district.html", {"organisations": groups})


@require_GET
def column_home(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = _org(org_pk)
    latest = _published(org).order_by("-published_on", "-id")[:10]
    return render(request, "portal/column/home.html", _context(org, "", latest=latest))


@require_GET
def guide(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = _org(org_pk)
    text, stored = guide_module.guide_text(org)
    return render(
        request,
        "portal/column/guide.html",
        _context(
            org,
            _("政府信息公开指南"),
            text=text,
            stored=stored,
            channels=guide_module.channels(org),
            categories=StatutoryCategory.choices,
            annual_reports=annual_reports_url(org),
        ),
    )


def _list(
    request: HttpRequest,
    org: Organization,
    qs: QuerySet[Publication],
    title: str,
    *,
    intro: str = "",
    fixed: dict[str, Any] | None = None,
    show_category: bool = True,
) -> HttpResponse:
    form = ListFilterForm(request.GET or None, years=years_of(qs), topic_codes=topics_of(qs))
    items = apply_filters(qs, form.filters(**(fixed or {}))).order_by("-published_on", "-id")
    if not show_category:
        del form.fields["category"]
    return render(
        request,
        "portal/column/list.html",
        _context(
            org,
            title,
            title=title,
            intro=intro,
            form=form,
            page=paginate(request, items),
            query=query_without_page(request),
        ),
    )


@require_GET
def system(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = _org(org_pk)
    # The officer marks these with the 体裁分类 "政府信息公开制度": the 主题分类 政务公开 also
    # holds 第二十条第（二）项 items (机构设置, 领导信息), which are not rules.
    qs = _published(org).filter(kind=Kind.DOCUMENT, genre=Genre.DISCLOSURE_RULES)
    return _list(
        request,
        org,
        qs,
        _("政府信息公开制度"),
        intro=_("本机关政府信息公开工作的制度规定，如保密审查、发布协调、考核评议等制度。"),
    )


@require_GET
def statutory(request: HttpRequest, org_pk: int) -> HttpResponse:
    """法定主动公开内容 by the items of 条例第二十条 (and 第二十一条), with how many each holds."""
    org = _org(org_pk)
    counts = dict(
        _published(org)
        .exclude(statutory_category="")
        .values_list("statutory_category")
        .annotate(n=Count("pk"))
        .values_list("statutory_category", "n")
    )
    categories = [
        {
            "code": code,
            "label": label,
            "count": counts.get(code, 0),
            "url": reverse("portal:statutory_category", args=[org.pk, code]),
            "feed": reverse("portal:org_category_feed", args=[org.pk, code]),
        }
        for code, label in StatutoryCategory.choices
    ]
    return render(
        request,
        "portal/column/statutory.html",
        _context(org, _("法定主动公开内容"), categories=categories),
    )


@require_GET
def statutory_category(request: HttpRequest, org_pk: int, category: str) -> HttpResponse:
    org = _org(org_pk)
    if category not in StatutoryCategory.values:
        raise Http404
    label = StatutoryCategory(category).label
    qs = _published(org).filter(statutory_category=category)
    return _list(request, org, qs, f"{_('法定主动公开内容')}：{label}", show_category=False)


@require_GET
def policies(request: HttpRequest, org_pk: int) -> HttpResponse:
    """政策文件: 规章, 行政规范性文件 and the other documents of 第二十条第（一）项."""
    org = _org(org_pk)
    qs = (
        _published(org)
        .filter(kind=Kind.DOCUMENT)
        .filter(
            ~Q(normative_kind=NormativeKind.NONE) | Q(statutory_category=StatutoryCategory.A20_01)
        )
    )
    return _list(request, org, qs, _("政策文件"))


@require_GET
def interpretations(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = _org(org_pk)
    qs = _published(org).filter(kind=Kind.INTERPRETATION)
    return _list(request, org, qs, _("政策解读"))


@require_GET
def catalog(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The organisation's whole catalog of published information (条例第十二条 目录)."""
    org = _org(org_pk)
    return _list(request, org, _published(org), _("政府信息公开目录"))
