from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from gongkai.audit.selectors import AuditFilter, audit_events
from gongkai.audit.services import audit_record
from gongkai.console.forms import AuditFilterForm
from gongkai.console.views.common import actor, paginate, query_without_page, require_capability
from gongkai.orgs.permissions import AdminCapability

CSV_HEADER = [
    gettext_lazy("编号"),
    gettext_lazy("时间"),
    gettext_lazy("操作人"),
    gettext_lazy("机关"),
    gettext_lazy("事件类型"),
    gettext_lazy("对象类型"),
    gettext_lazy("对象编号"),
    gettext_lazy("对象"),
    gettext_lazy("结果"),
    gettext_lazy("说明"),
    gettext_lazy("IP地址"),
    gettext_lazy("变更前"),
    gettext_lazy("变更后"),
]


def _filter(request: HttpRequest) -> tuple[AuditFilterForm, AuditFilter]:
    form = AuditFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        return form, AuditFilter(
            actor=data["actor"],
            verb=data["verb"],
            outcome=data["outcome"],
            since=data["since"],
            until=data["until"],
        )
    return form, AuditFilter()


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    require_capability(request, AdminCapability.READ_AUDIT)
    form, flt = _filter(request)
    return render(
        request,
        "console/audit_list.html",
        {
            "form": form,
            "page": paginate(request, audit_events(flt)),
            "query": query_without_page(request),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    require_capability(request, AdminCapability.READ_AUDIT)
    _, flt = _filter(request)
    audit_record(actor=actor(request), verb="audit.exported", after={"filter": flt.__dict__})
    writer = csv.writer(_Echo())
    header = [str(title) for title in CSV_HEADER]  # in the language of this request

    def rows() -> Iterator[str]:
        yield "\ufeff"  # BOM so that Excel/WPS open UTF-8 Chinese correctly
        yield writer.writerow(header)
        for e in audit_events(flt).iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    e.pk,
                    timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                    e.actor_name,
                    e.organization.name if e.organization else "",
                    e.verb,
                    e.object_type,
                    e.object_id,
                    e.object_repr,
                    e.get_outcome_display(),
                    e.reason,
                    e.ip or "",
                    e.before or "",
                    e.after or "",
                ]
            )

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
