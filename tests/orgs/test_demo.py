"""`gongkai demo`: a realistic district with staff for every role (issue: demo district)."""

from __future__ import annotations

import io
import stat
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command

from gongkai.core.ids import credit_code_problem
from gongkai.orgs.constants import AdminRole, OrgType, Role
from gongkai.orgs.models import Membership, Organization, User


@pytest.fixture
def demo(db: Any, settings: Any, tmp_path: Any) -> str:
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_district_shape(demo: str) -> None:
    gov = Organization.objects.get(depth=1)
    assert gov.org_type == OrgType.GOVERNMENT and gov.division_code
    children = Organization.objects.filter(depth=2)
    departments = children.filter(org_type__in=[OrgType.DEPARTMENT, OrgType.GOVERNMENT_OFFICE])
    streets = children.filter(org_type__in=[OrgType.STREET, OrgType.TOWN])
    assert 25 <= departments.count() <= 35
    assert 8 <= streets.count() <= 12


def test_every_credit_code_is_valid(demo: str) -> None:
    for code in Organization.objects.values_list("credit_code", flat=True):
        assert credit_code_problem(code) is None, code


def test_every_role_has_someone(demo: str) -> None:
    held = set(Membership.objects.values_list("role", flat=True))
    assert held == set(Role.values)
    admin_roles = set(User.objects.exclude(admin_role="").values_list("admin_role", flat=True))
    assert admin_roles == {AdminRole.SYSTEM, AdminRole.SECURITY, AdminRole.AUDIT}
    assert Organization.objects.filter(memberships__role=Role.OFFICER).distinct().count() == (
        Organization.objects.count()
    )


def test_passwords_printed_once_and_kept_private(demo: str, settings: Any) -> None:
    path = settings.DATA_DIR / "demo-accounts.txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    assert len(lines) == User.objects.count()
    username, password = lines[0].split("\t")[:2]
    assert User.objects.get(username=username).check_password(password)
    assert password in demo  # printed on the console too


def test_demo_refuses_a_filled_database_unless_if_empty(demo: str) -> None:
    with pytest.raises(CommandError):
        call_command("demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "跳过" in out.getvalue()


def test_bodies_are_listed_in_official_order(demo: str) -> None:
    """办公室 first, then the 委办局, then 街道/镇 — as governments list them, not by code point."""
    gov = Organization.objects.get(depth=1)
    kinds = [c.org_type for c in Organization.objects.get_children(gov)]
    assert kinds[0] == OrgType.GOVERNMENT_OFFICE
    first_street = kinds.index(OrgType.STREET)
    assert all(k in (OrgType.STREET, OrgType.TOWN) for k in kinds[first_street:])


def test_demo_applications_are_realistic_and_report_cleanly(demo: str) -> None:
    """A year of applications: some open, closed ones with one outcome each, and the district's
    consolidated table 三 passes every 勾稽关系."""
    from django.utils import timezone

    from gongkai.inforequests.constants import Status
    from gongkai.inforequests.models import InfoRequest
    from gongkai.reports.builder import build_report
    from gongkai.reports.findings import Severity
    from gongkai.reports.validate import validate

    requests = InfoRequest.objects.all()
    assert requests.count() >= 50
    assert requests.exclude(status=Status.CLOSED).exists()
    assert not requests.filter(status=Status.CLOSED, outcome="").exists()
    assert len(set(requests.values_list("outcome", flat=True))) >= 6
    year = timezone.localdate().year
    report = build_report(Organization.objects.values_list("pk", flat=True), year, "临江区")
    assert report.cell("received", "total")
    errors = [f.code for f in validate(report) if f.severity == Severity.ERROR]
    assert not [c for c in errors if c.startswith(("table3.", "table4."))]


def test_demo_has_reconsideration_cases_for_table_4(demo: str) -> None:
    from gongkai.appeals.models import Reconsideration

    assert Reconsideration.objects.count() >= 2
    assert (
        Reconsideration.objects.exclude(info_request=None).count()
        == Reconsideration.objects.count()
    )


def test_the_education_bureau_has_published_last_years_report(demo: str) -> None:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from gongkai.reports.models import ReportVersion

    org = Organization.objects.get(name="临江区教育局")
    (version,) = ReportVersion.objects.published()
    assert version.report.organization == org
    assert version.report.year == timezone.localdate().year - 1
    url = reverse("portal:annual_report_list", kwargs={"org_key": org.credit_code})
    assert f"{org.name}{version.report.year}年政府信息公开工作年度报告" in (
        Client().get(url).content.decode()
    )


def test_published_demo_items_are_found_by_the_portal_search(demo: str, client: Any) -> None:
    """The demo's catalog is searchable at once: bulk-written items are indexed too."""
    from gongkai.publications.models import Publication

    item = Publication.objects.published().order_by("-published_on", "-id").first()
    assert item is not None
    page = client.get("/search/", {"q": item.title[:12]})
    assert page.status_code == 200
    text = BeautifulSoup(page.content, "html.parser").get_text()  # hits carry <mark> tags
    assert item.title in text
