"""标准目录 in the console: areas and items, adoption, which items a publication fulfils,
coverage (adopted items with nothing published this year); the register of filed 公文 with the
主动公开率 per organisation and rolled up; the Excel import and export of the catalog.

Every change goes through `gongkai.catalogs.services` / `imports`; another agency's objects are
404, a missing role 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.catalogs import excel, exports, imports, selectors, services
from gongkai.catalogs.models import CatalogItem, FiledDocument
from gongkai.console.forms_catalogs import (
    CatalogItemForm,
    DomainForm,
    FiledDocumentForm,
    ImportForm,
    ItemFilterForm,
    OrgYearForm,
    PublicationItemsForm,
    ReasonForm,
)
from gongkai.console.forms_publications import ListFilterForm
from gongkai.console.views.common import (
    actor,
    paginate,
    query_without_page,
    require_capability,
)
from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization
from gongkai.orgs.permissions import AdminCapability, can, has_admin_capability, orgs_for, scope
from gongkai.publications import selectors as pub_selectors
from gongkai.publications.models import Publication

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _visible_org(request: HttpRequest, pk: int) -> Organization:
    org = orgs_for(request.user, Action.VIEW).filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


def _add_error(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _org_year(
    request: HttpRequest, organizations: Any, *, default_org: bool = False
) -> tuple[Any, Organization | None, int]:
    """The organisation and year asked for; unasked, this year (and with `default_org` the
    first organisation), shown as the form's initial values so the page says what it shows."""
    form = OrgYearForm(request.GET or None, organizations=organizations)
    org, year = None, timezone.localdate().year
    if form.is_valid():
        org = form.cleaned_data["organization"]
        year = form.cleaned_data["year"] or year
    if org is None and default_org:
        org = organizations.first()
    if not form.is_bound:
        form.initial = {"organization": org.pk if org else None, "year": year}
    return form, org, year


# --- areas and items ---------------------------------------------------------------------------
@login_required
def cat_domains(request: HttpRequest) -> HttpResponse:
    can_add = has_admin_capability(request.user, AdminCapability.MANAGE_ORGANIZATIONS)
    return render(
        request,
        "console/catalogs/domains.html",
        {"domains": selectors.domains(), "can_add": can_add},
    )


@login_required
def cat_domain_create(request: HttpRequest) -> HttpResponse:
    """The system administrator adds a local area to the code list."""
    require_capability(request, AdminCapability.MANAGE_ORGANIZATIONS)
    form = DomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.domain_create(actor=actor(request), **form.cleaned_data)
        except ValidationError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("领域已添加。"))
            return redirect("console:cat_domains")
    return render(request, "console/form.html", {"form": form, "title": _("增加领域")})


@login_required
def cat_items(request: HttpRequest) -> HttpResponse:
    organizations = orgs_for(request.user, Action.VIEW).order_by("path")
    form = ItemFilterForm(request.GET or None, organizations=organizations)
    org = None
    items = selectors.visible_items(request.user)
    if form.is_valid():
        d = form.cleaned_data
        org = d["organization"]
        if org is not None:
            items = selectors.items_for(org)
            if d["adopted"]:
                items = items.filter(adoptions__organization=org)
        if d["domain"]:
            items = items.filter(domain=d["domain"])
        if d["q"].strip():
            items = items.filter(item__icontains=d["q"].strip())
    page = paginate(request, items.order_by("domain__code", "code", "id"))
    return render(
        request,
        "console/catalogs/items.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "org": org,
            "adopted": selectors.adopted_item_ids(org) if org else set(),
            "can_adopt": org is not None and can(request.user, Action.WORK, org),
            "can_create": orgs_for(request.user, Action.WORK).exists(),
        },
    )


@login_required
def cat_item_create(request: HttpRequest) -> HttpResponse:
    organizations = orgs_for(request.user, Action.WORK).order_by("path")
    if not organizations.exists():
        raise PermissionDenied(_("没有编制目录事项的权限。"))
    form = CatalogItemForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        org = form.cleaned_data["organization"]
        try:
            services.catalog_item_create(
                actor=actor(request), organization=org, data=form.service_data()
            )
        except ValidationError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("目录事项已添加。"))
            return redirect(f"{reverse('console:cat_items')}?organization={org.pk}")
    return render(request, "console/form.html", {"form": form, "title": _("新增目录事项")})


def _adoption_target(request: HttpRequest, org_pk: int, item_pk: int) -> tuple[Any, Any]:
    org = _visible_org(request, org_pk)
    item = selectors.items_for(org).filter(pk=item_pk).first()
    if item is None:
        raise Http404
    return org, item


@login_required
@require_POST
def cat_adopt(request: HttpRequest, org_pk: int, item_pk: int) -> HttpResponse:
    org, item = _adoption_target(request, org_pk, item_pk)
    services.item_adopt(actor=actor(request), organization=org, item=item)
    messages.success(request, _("已采用：%(item)s") % {"item": item})
    return redirect(f"{reverse('console:cat_items')}?organization={org.pk}&domain={item.domain_id}")


@login_required
@require_POST
def cat_unadopt(request: HttpRequest, org_pk: int, item_pk: int) -> HttpResponse:
    org, item = _adoption_target(request, org_pk, item_pk)
    services.item_unadopt(actor=actor(request), organization=org, item=item)
    messages.success(request, _("已取消采用：%(item)s") % {"item": item})
    return redirect(f"{reverse('console:cat_items')}?organization={org.pk}&domain={item.domain_id}")


@login_required
def cat_pub_items(request: HttpRequest, pk: int) -> HttpResponse:
    pub = pub_selectors.visible_publication(request.user, pk)
    if pub is None:
        raise Http404
    adopted = selectors.adopted_items(pub.organization)
    current = CatalogItem.objects.filter(publication_links__publication=pub)
    form = PublicationItemsForm(
        request.POST or None, adopted=adopted, initial={"items": list(current)}
    )
    if request.method == "POST":
        if not can(request.user, Action.WORK, pub.organization):
            raise PermissionDenied(_("没有执行此操作的权限。"))
        if form.is_valid():
            try:
                services.publication_items_set(
                    actor=actor(request), publication=pub, items=form.cleaned_data["items"]
                )
            except ValidationError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, _("目录事项已保存。"))
                return redirect("console:cat_pub_items", pk=pub.pk)
    return render(
        request,
        "console/catalogs/pub_items.html",
        {"pub": pub, "form": form, "can_edit": can(request.user, Action.WORK, pub.organization)},
    )


@login_required
def cat_coverage(request: HttpRequest) -> HttpResponse:
    organizations = orgs_for(request.user, Action.VIEW).order_by("path")
    form, org, year = _org_year(request, organizations, default_org=True)
    rows = list(selectors.coverage(org, year)) if org else []
    return render(
        request,
        "console/catalogs/coverage.html",
        {
            "form": form,
            "org": org,
            "year": year,
            "gaps": [r for r in rows if not getattr(r, "published_count", 0)],
            "covered": [r for r in rows if getattr(r, "published_count", 0)],
        },
    )


# --- filed 公文 and the 主动公开率 --------------------------------------------------------------
def _filed_form(request: HttpRequest, instance: FiledDocument | None = None) -> FiledDocumentForm:
    return FiledDocumentForm(
        request.POST or None,
        instance=instance,
        organizations=orgs_for(request.user, Action.WORK).order_by("path"),
        publications=scope(Publication.objects.all(), request.user, Action.VIEW),
    )


@login_required
def cat_filed_list(request: HttpRequest) -> HttpResponse:
    organizations = orgs_for(request.user, Action.VIEW).order_by("path")
    form, org, year = _org_year(request, organizations)
    docs = selectors.filed_documents(request.user).filter(year=year)
    if org is not None:
        docs = docs.filter(organization=org)
    editable = {o.pk for o in orgs_for(request.user, Action.WORK)}
    return render(
        request,
        "console/catalogs/filed_list.html",
        {
            "form": form,
            "year": year,
            "page": paginate(request, docs),
            "query": query_without_page(request),
            "can_create": bool(editable),
            # Only these organisations' entries link to the edit page (others would be 403).
            "editable": editable,
        },
    )


@login_required
def cat_filed_create(request: HttpRequest) -> HttpResponse:
    form = _filed_form(request)
    if not form.fields["organization"].queryset.exists():  # type: ignore[attr-defined]
        raise PermissionDenied(_("没有登记备案公文的权限。"))
    if request.method == "POST" and form.is_valid():
        try:
            doc = services.filed_document_create(
                actor=actor(request),
                organization=form.cleaned_data["organization"],
                data=form.service_data(),
            )
        except ValidationError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("备案公文已登记。"))
            return redirect(
                f"{reverse('console:cat_filed_list')}?organization={doc.organization_id}"
                f"&year={doc.year}"
            )
    return render(request, "console/form.html", {"form": form, "title": _("登记备案公文")})


def _visible_filed(request: HttpRequest, pk: int) -> FiledDocument:
    doc = selectors.filed_documents(request.user).filter(pk=pk).first()
    if doc is None:
        raise Http404
    if not can(request.user, Action.WORK, doc.organization):
        raise PermissionDenied(_("没有执行此操作的权限。"))
    return doc


@login_required
def cat_filed_edit(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _visible_filed(request, pk)
    form = _filed_form(request, doc)
    if request.method == "POST" and form.is_valid():
        try:
            services.filed_document_update(
                actor=actor(request), document=doc, data=form.service_data()
            )
        except ValidationError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("备案公文已保存。"))
            return redirect(
                f"{reverse('console:cat_filed_list')}?organization={doc.organization_id}"
                f"&year={doc.year}"
            )
    return render(request, "console/catalogs/filed_edit.html", {"form": form, "doc": doc})


@login_required
@require_POST
def cat_filed_delete(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _visible_filed(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.filed_document_delete(
            actor=actor(request), document=doc, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("备案公文已删除。"))
        return redirect(f"{reverse('console:cat_filed_list')}?year={doc.year}")
    messages.error(request, _("请说明删除理由。"))
    return redirect("console:cat_filed_edit", pk=doc.pk)


@login_required
def cat_rates(request: HttpRequest) -> HttpResponse:
    organizations = orgs_for(request.user, Action.VIEW).order_by("path")
    form, _org, year = _org_year(request, organizations)
    per_org, rollups = selectors.rate_table(request.user, year)
    return render(
        request,
        "console/catalogs/rates.html",
        {"form": form, "year": year, "per_org": per_org, "rollups": rollups},
    )


# --- Excel -------------------------------------------------------------------------------------
@login_required
def cat_import_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(excel.template(), "政府信息目录导入模板.xlsx")


def _importable(request: HttpRequest) -> Any:
    user = actor(request)
    ids = [o.pk for o in orgs_for(user, Action.WORK) if imports.may_import(user, o)]
    return Organization.objects.filter(pk__in=ids).order_by("path")


@login_required
def cat_import(request: HttpRequest) -> HttpResponse:
    organizations = _importable(request)
    only = organizations.first() if organizations.count() == 1 else None
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        organizations=organizations,
        initial={"organization": only},
    )
    errors: list[excel.RowError] = []
    if request.method == "POST":
        if not organizations.exists():
            raise PermissionDenied(_("导入目录须同时具有本单位信息员和审核员权限。"))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                result = excel.read_catalog(content, today=timezone.localdate())
            except excel.UploadRejected as exc:
                form.add_error("file", exc)
            else:
                errors = result.errors
                if result.ok:
                    job = imports.import_queue(
                        actor=actor(request),
                        organization=form.cleaned_data["organization"],
                        file_name=upload.name or "",
                        content=content,
                        row_count=len(result.rows),
                    )
                    return redirect("console:cat_import_job", pk=job.pk)
    return render(
        request,
        "console/catalogs/import.html",
        {
            "form": form,
            "errors": errors,
            "may_import": organizations.exists(),
            "max_rows": excel.MAX_ROWS,
            "recent": selectors.visible_imports(request.user)[:10],
        },
    )


@login_required
def cat_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.visible_imports(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return render(request, "console/catalogs/import_job.html", {"job": job})


@login_required
def cat_export(request: HttpRequest) -> HttpResponse:
    """The catalog listing with the same filters as the 主动公开 list, as .xlsx (audited)."""
    organizations = orgs_for(request.user, Action.VIEW).order_by("path")
    form = ListFilterForm(request.GET or None, organizations=organizations)
    if request.GET and not form.is_valid():
        # e.g. another organisation's catalog: refused, not silently replaced by one's own
        raise Http404
    content, _count = exports.catalog_export(actor=actor(request), filters=form.filters())
    response = _xlsx(content, f"政府信息目录-{timezone.localdate():%Y%m%d}.xlsx")
    add_never_cache_headers(response)  # it may hold drafts and withheld items
    return response
