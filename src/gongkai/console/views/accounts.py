from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongkai.console.forms import ReasonForm, UserCreateForm
from gongkai.console.views.common import actor, paginate, query_without_page, require_capability
from gongkai.orgs import services
from gongkai.orgs.models import User
from gongkai.orgs.permissions import AdminCapability, has_admin_capability
from gongkai.orgs.selectors import staff_accounts


class LoginView(auth_views.LoginView):
    template_name = "console/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "console/password_change.html"
    success_url = reverse_lazy("console:home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.user_password_changed(user=form.user)
        messages.success(self.request, _("密码已修改。"))
        return response


def _require_account_admin(request: HttpRequest) -> None:
    if not (
        has_admin_capability(request.user, AdminCapability.MANAGE_ACCOUNTS)
        or has_admin_capability(request.user, AdminCapability.UNLOCK_ACCOUNTS)
    ):
        require_capability(request, AdminCapability.MANAGE_ACCOUNTS)  # raises


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_account_admin(request)
    search = request.GET.get("q", "").strip()
    return render(
        request,
        "console/user_list.html",
        {
            "page": paginate(request, staff_accounts(search)),
            "q": search,
            "query": query_without_page(request),
            "can_create": has_admin_capability(request.user, AdminCapability.MANAGE_ACCOUNTS),
            "can_unlock": has_admin_capability(request.user, AdminCapability.UNLOCK_ACCOUNTS),
        },
    )


@never_cache
@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    require_capability(request, AdminCapability.MANAGE_ACCOUNTS)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.user_create(actor=actor(request), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # Shown once on this response, never stored in clear nor put in the session.
            return render(
                request, "console/user_created.html", {"new_user": user, "password": password}
            )
    return render(request, "console/form.html", {"form": form, "title": _("新建账号")})


@login_required
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, AdminCapability.MANAGE_ACCOUNTS)
    target = get_object_or_404(User, pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_deactivate(
                actor=actor(request), user=target, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("账号 %(username)s 已停用。") % {"username": target.username}
            )
            return redirect("console:user_list")
    title = _("停用账号：%(username)s") % {"username": target.username}
    return render(request, "console/form.html", {"form": form, "title": title})


@login_required
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, AdminCapability.UNLOCK_ACCOUNTS)
    target = get_object_or_404(User, pk=pk)
    services.user_unlock(actor=actor(request), user=target)
    messages.success(request, _("账号 %(username)s 已解除锁定。") % {"username": target.username})
    return redirect("console:user_list")
