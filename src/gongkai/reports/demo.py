"""Demo data: the education bureau's report for last year, written and published, so that the
portal's 政府信息公开年报 list of the demo district is not empty."""

from __future__ import annotations

import re
from datetime import date

from gongkai.orgs.models import Organization, User
from gongkai.reports.models import Report
from gongkai.reports.services import (
    ReportNotPublishable,
    report_create,
    report_publish,
    report_save,
)

_PLACEHOLDER = re.compile(r"【请补充[^】]*】")
_WRITTEN = {
    "overview": "本年度，本局坚持以公开为常态、不公开为例外，围绕教育重点工作做好政府信息公开。",
    "proactive": "通过区政府门户网站教育局专栏及时公开招生入学、学校收费、教育经费等信息。",
    "problems": (
        "主要问题是部分答复文书说理不够充分，公开栏目更新不够及时。下一步将规范答复文书，"
        "建立栏目更新的定期检查制度，并加强对信息员的业务培训。"
    ),
    "other": "本年度未收取信息处理费。",
}


def build_demo_reports(today: date) -> Report | None:
    """Write and publish 区教育局's report for last year as its staff would. None when the
    demo accounts are missing or the report would not pass the validator."""
    org = Organization.objects.filter(name="临江区教育局").first()
    officer = User.objects.filter(username="jyj.officer").first()
    admin = User.objects.filter(username="jyj.admin").first()
    if org is None or officer is None or admin is None:
        return None
    report = report_create(actor=officer, organization=org, year=today.year - 1)
    sections = {
        key: _PLACEHOLDER.sub("", text).strip() + _WRITTEN.get(key, "")
        if _PLACEHOLDER.search(text)
        else text
        for key, text in report.sections.items()
    }
    report_save(actor=officer, report=report, sections=sections, table2={}, table2_sources={})
    try:
        report_publish(actor=admin, report=report)
    except ReportNotPublishable:
        return None
    return report
