from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.console.forms import ArrangementForm
from gongkai.console.views.common import actor, require_capability
from gongkai.core import services
from gongkai.core.models import HolidayArrangement
from gongkai.core.workdays import parse_day_lines
from gongkai.orgs.permissions import AdminCapability

MIN_YEAR, MAX_YEAR = 2004, 2100


@login_required
def calendar_list(request: HttpRequest) -> HttpResponse:
    require_capability(request, AdminCapability.MANAGE_CALENDAR)
    arrangements = HolidayArrangement.objects.order_by("-year")
    known = set(arrangements.values_list("year", flat=True))
    this_year = timezone.localdate().year
    missing = [y for y in range(this_year - 1, this_year + 2) if y not in known]
    return render(
        request, "console/calendar_list.html", {"arrangements": arrangements, "missing": missing}
    )


def _lines(arrangement: HolidayArrangement, kind: str) -> str:
    return "\n".join(
        f"{d.date.isoformat()} {d.name}".strip()
        for d in arrangement.days.filter(kind=kind).order_by("date")
    )


@login_required
def calendar_edit(request: HttpRequest, year: int) -> HttpResponse:
    require_capability(request, AdminCapability.MANAGE_CALENDAR)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    existing = HolidayArrangement.objects.filter(year=year).first()
    initial = {"title": f"国务院办公厅关于{year}年部分节假日安排的通知"}
    if existing:
        initial = {
            "title": existing.title,
            "document_number": existing.document_number,
            "source_url": existing.source_url,
            "holidays": _lines(existing, "holiday"),
            "makeup_workdays": _lines(existing, "makeup"),
        }
    form = ArrangementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.arrangement_save(
                actor=actor(request),
                year=year,
                title=data["title"],
                document_number=data["document_number"],
                source_url=data["source_url"],
                holidays=parse_day_lines(data["holidays"]),
                makeup_workdays=parse_day_lines(data["makeup_workdays"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(year)s年节假日安排已保存。") % {"year": year})
            return redirect("console:calendar_list")
    title = _("%(year)s年节假日安排") % {"year": year}
    return render(request, "console/form.html", {"form": form, "title": title})
