from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.console.forms import MembershipForm, OrganizationCreateForm, OrganizationForm
from gongkai.console.views.common import actor, paginate, query_without_page, require_capability
from gongkai.orgs import services
from gongkai.orgs.models import Membership, Organization
from gongkai.orgs.permissions import (
    AdminCapability,
    can_edit_organization,
    can_manage_members,
    can_view_organization,
)
from gongkai.orgs.selectors import members_of, organizations_visible


def _visible_org(request: HttpRequest, pk: int) -> Organization:
    org = get_object_or_404(Organization, pk=pk)
    if not can_view_organization(request.user, org):
        raise Http404  # do not reveal that another agency's record exists
    return org


@login_required
def org_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    page = paginate(request, organizations_visible(request.user, search))
    return render(
        request,
        "console/org_list.html",
        {"page": page, "q": search, "query": query_without_page(request)},
    )


@login_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = _visible_org(request, pk)
    return render(
        request,
        "console/org_detail.html",
        {
            "org": org,
            "members": members_of(org),
            "ancestors": Organization.objects.get_ancestors(org),
            "can_edit": can_edit_organization(request.user, org),
            "can_manage_members": can_manage_members(request.user, org),
            "membership_form": MembershipForm(),
        },
    )


@login_required
def org_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = _visible_org(request, pk)
    if not can_edit_organization(request.user, org):
        raise PermissionDenied
    form = OrganizationForm(request.POST or None, instance=Organization.objects.get(pk=org.pk))
    if request.method == "POST" and form.is_valid():
        services.organization_update(
            actor=actor(request),
            organization=org,
            **{name: form.cleaned_data[name] for name in form.changed_data},
        )
        messages.success(request, _("机关信息已保存。"))
        return redirect("console:org_detail", pk=org.pk)
    return render(
        request,
        "console/form.html",
        {"form": form, "title": _("编辑：%(name)s") % {"name": org.name}},
    )


@login_required
def org_create(request: HttpRequest) -> HttpResponse:
    require_capability(request, AdminCapability.MANAGE_ORGANIZATIONS)
    form = OrganizationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parent = data.pop("parent")
        try:
            org = services.organization_create(actor=actor(request), parent=parent, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已新增机关：%(name)s") % {"name": org.name})
            return redirect("console:org_detail", pk=org.pk)
    return render(request, "console/form.html", {"form": form, "title": _("新增机关")})


@login_required
@require_POST
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = _visible_org(request, pk)
    if not can_manage_members(request.user, org):
        raise PermissionDenied
    form = MembershipForm(request.POST)
    if form.is_valid():
        try:
            services.membership_grant(
                actor=actor(request),
                user=form.cleaned_data["user"],
                organization=org,
                role=form.cleaned_data["role"],
            )
            messages.success(request, _("岗位已授予。"))
        except ValidationError as exc:
            # Translators: separator between several error messages on one line.
            messages.error(request, _("；").join(exc.messages))
    else:
        messages.error(request, _("请选择人员和岗位。"))
    return redirect("console:org_detail", pk=org.pk)


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("organization", "user"), pk=pk)
    org = _visible_org(request, membership.organization_id)
    if not can_manage_members(request.user, org):
        raise PermissionDenied
    services.membership_revoke(actor=actor(request), membership=membership)
    messages.success(request, _("岗位已撤销。"))
    return redirect("console:org_detail", pk=org.pk)
