"""Downloading provided files from the progress page (条例第三十六条第（二）项、第三十七条).

The applicant proves the application the same way as on the progress page: number and
tracking code, posted (never in the address), with failures rate-limited per address. Only
files an officer released, after the reply, and never the original of a redacted file.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongkai.core.downloads import download_response
from gongkai.inforequests.file_selectors import applicant_files
from gongkai.inforequests.file_services import CopyUnavailable, attachment_read_for_applicant
from gongkai.inforequests.selectors import find_for_applicant
from gongkai.portal.forms import TrackForm
from gongkai.portal.ratelimit import TRACK_FAILURES_PER_IP, client_ip, exceeded, hit


@never_cache
@require_POST
def track_file(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST)
    ip = client_ip(request)
    if exceeded(TRACK_FAILURES_PER_IP, ip):
        form.add_error(None, _("查询过于频繁，请稍后再试。"))
        return render(
            request,
            "portal/track.html",
            {"form": form, "progress": None, "not_found": False},
            status=429,
        )
    info = None
    if form.is_valid():
        info = find_for_applicant(form.cleaned_data["number"], form.cleaned_data["code"])
    if info is None:
        hit(TRACK_FAILURES_PER_IP, ip)
        return render(
            request,
            "portal/track.html",
            {"form": form, "progress": None, "not_found": True},
            status=404,
        )
    wanted = request.POST.get("file", "")
    attachment = next((a for a in applicant_files(info) if str(a.pk) == wanted), None)
    if attachment is None:
        raise Http404
    try:
        data = attachment_read_for_applicant(request=info, attachment=attachment)
    except CopyUnavailable as exc:  # logged; the stored original never goes out instead
        return render(
            request, "portal/track_file_unavailable.html", {"message": str(exc)}, status=503
        )
    return download_response(data, filename=attachment.title, content_type=attachment.content_type)
