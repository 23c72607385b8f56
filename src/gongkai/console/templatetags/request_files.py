"""The files, redaction and transfer section of an application's page, rendered from its own
context so the application view does not need to know about it."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.console.views.request_files import section_context
from gongkai.inforequests.models import InfoRequest

register = template.Library()


@register.inclusion_tag("console/requests/_files_body.html", takes_context=True)
def request_files_section(context: dict[str, Any], info: InfoRequest) -> dict[str, Any]:
    http = context["request"]
    return {**section_context(http, info), "csrf_token": context.get("csrf_token")}
