from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.console.views.requests import request_summary
from gongkai.core.workdays import next_year_arrangement_missing
from gongkai.orgs.permissions import ADMIN_CAPABILITIES
from gongkai.orgs.selectors import memberships_of
from gongkai.reports.selectors import reports_due_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "console/home.html",
        {
            "memberships": memberships_of(user),
            "capabilities": sorted(ADMIN_CAPABILITIES.get(user.admin_role, ())),  # type: ignore[union-attr]
            "missing_calendar_year": next_year_arrangement_missing(timezone.localdate()),
            "request_summary": request_summary(user),
            "reports_due": reports_due_for(user, timezone.localdate()),
        },
    )
