"""The list of provided files on the progress page, with one download button per file that
posts the number and code again (the code never goes into an address)."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.inforequests.file_selectors import applicant_files
from gongkai.inforequests.selectors import find_for_applicant

register = template.Library()


@register.inclusion_tag("portal/_track_files_body.html", takes_context=True)
def provided_files(context: dict[str, Any]) -> dict[str, Any]:
    form = context.get("form")
    data = getattr(form, "cleaned_data", None) or {}
    info = None
    if data.get("number") and data.get("code"):
        info = find_for_applicant(data["number"], data["code"])
    return {
        "files": applicant_files(info) if info is not None else [],
        "number": data.get("number", ""),
        "code": data.get("code", ""),
        "csrf_token": context.get("csrf_token"),
    }
