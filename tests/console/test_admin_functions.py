"""The console functions of the three administrators and the org admin, end to end through the
views (forms, messages, audit)."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from gongkai.audit.models import AuditEvent
from gongkai.core.ids import make_credit_code
from gongkai.core.workdays import add_workdays
from gongkai.orgs import services
from gongkai.orgs.constants import Role
from gongkai.orgs.models import Membership, Organization, User
from tests.conftest import District


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_system_admin_adds_an_organisation_and_bad_credit_code_is_explained(
    district: District,
) -> None:
    client = _as(district.sysadmin)
    url = reverse("console:org_create")
    data = {
        "parent": district.gov.pk,
        "name": "测试区统计局",
        "org_type": "department",
        "credit_code": "11339905MB00000000",  # wrong check character
        "phone": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "统一社会信用代码无效：校验码错误" in response.content.decode()
    assert not Organization.objects.filter(name="测试区统计局").exists()

    data["credit_code"] = make_credit_code("339905", "MB777777")
    response = client.post(url, data)
    org = Organization.objects.get(name="测试区统计局")
    assert response.status_code == 302
    assert Organization.objects.get_parent(org) == district.gov
    assert AuditEvent.objects.filter(verb="org.created", object_id=str(org.pk)).exists()


def test_new_account_password_is_shown_once(district: District) -> None:
    client = _as(district.sysadmin)
    response = client.post(
        reverse("console:user_create"),
        {"username": "li.ming", "full_name": "李明", "email": "", "admin_role": ""},
    )
    assert response.status_code == 200
    password = response.context["password"]
    assert escape(password) in response.content.decode()
    user = User.objects.get(username="li.ming")
    assert user.check_password(password) and user.must_change_password
    assert response.headers["Cache-Control"].startswith("max-age=0")
    # The password is not kept anywhere it could be shown again.
    assert escape(password) not in client.get(reverse("console:user_list")).content.decode()


def test_duplicate_username_is_refused_with_a_message(district: District) -> None:
    client = _as(district.sysadmin)
    response = client.post(
        reverse("console:user_create"),
        {"username": "OFFICER_A", "full_name": "重复", "admin_role": ""},
    )
    assert "已存在" in response.content.decode()


def test_deactivation_needs_a_reason_and_ends_access(district: District) -> None:
    client = _as(district.sysadmin)
    url = reverse("console:user_deactivate", kwargs={"pk": district.officer_a.pk})
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "调离"}).status_code == 302
    district.officer_a.refresh_from_db()
    assert not district.officer_a.is_active
    assert AuditEvent.objects.get(verb="user.deactivated").reason == "调离"


def test_org_admin_grants_and_revokes_a_role(district: District) -> None:
    client = _as(district.admin_a)
    newcomer, _ = services.user_create(actor=None, username="newcomer", full_name="新同事")
    client.post(
        reverse("console:membership_add", kwargs={"pk": district.dept_a.pk}),
        {"user": newcomer.pk, "role": Role.REVIEWER},
    )
    membership = Membership.objects.get(user=newcomer, organization=district.dept_a)
    assert membership.role == Role.REVIEWER
    client.post(reverse("console:membership_remove", kwargs={"pk": membership.pk}))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="membership.").values_list("verb", flat=True)
    )
    assert "membership.granted" in verbs and "membership.revoked" in verbs


def test_org_admin_edits_contact_details(district: District) -> None:
    client = _as(district.admin_a)
    url = reverse("console:org_edit", kwargs={"pk": district.dept_a.pk})
    form = client.get(url).context["form"]
    data = {name: (form.initial.get(name) or "") for name in form.fields}
    data["phone"] = "12345"
    response = client.post(url, data)
    assert "固定电话" in response.content.decode()
    data["phone"] = "0571-88001234"
    assert client.post(url, data).status_code == 302
    district.dept_a.refresh_from_db()
    assert district.dept_a.phone == "0571-88001234"


def test_auditor_filters_and_exports_csv(district: District) -> None:
    client = _as(district.auditor)
    Client().post("/console/login/", {"username": "officer_b", "password": "wrong-one-123"})
    response = client.get(reverse("console:audit_list"), {"outcome": "failure"})
    page = response.context["page"]
    assert [e.verb for e in page] == ["auth.login_failed"]

    response = client.get(reverse("console:audit_export"), {"verb": "auth.login_failed"})
    assert response["Content-Disposition"].startswith("attachment;")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["编号", "时间", "操作人"]
    assert {r[4] for r in rows[1:]} == {"auth.login_failed"}
    # The export itself is audited.
    assert AuditEvent.objects.filter(verb="audit.exported", actor=district.auditor).exists()


def test_bad_audit_date_range_is_explained(district: District) -> None:
    client = _as(district.auditor)
    response = client.get(
        reverse("console:audit_list"), {"since": "2026-05-01", "until": "2026-04-01"}
    )
    assert "起始日期不能晚于截止日期" in response.content.decode()


def test_system_admin_enters_next_years_holiday_arrangement(district: District) -> None:
    """2027 has no loaded notice: deadlines into 2027 are provisional until it is entered."""
    assert add_workdays(date(2026, 12, 20), 20).provisional
    client = _as(district.sysadmin)
    home = client.get(reverse("console:home")).content.decode()
    assert "2027年的节假日安排尚未录入" in home
    response = client.post(
        reverse("console:calendar_edit", kwargs={"year": 2027}),
        {
            "title": "国务院办公厅关于2027年部分节假日安排的通知",
            "document_number": "",
            "source_url": "",
            "holidays": "2027-01-01 元旦\n2027-02-05 至 2027-02-12 春节",
            "makeup_workdays": "2027-02-13 春节调休",
        },
    )
    assert response.status_code == 302, response.content.decode()
    result = add_workdays(date(2026, 12, 20), 20)
    assert not result.provisional
    assert "2027年的节假日安排尚未录入" not in client.get(reverse("console:home")).content.decode()


def test_bad_arrangement_line_is_named(district: District) -> None:
    client = _as(district.sysadmin)
    response = client.post(
        reverse("console:calendar_edit", kwargs={"year": 2027}),
        {"title": "通知", "holidays": "2027-01-01 元旦\n2027-13-01 错误", "makeup_workdays": ""},
    )
    assert response.status_code == 200
    assert "第2行" in response.content.decode()


def test_help_text_is_tied_to_its_field(district: District) -> None:
    """GB/T 37668 / WCAG 1.3.1: aria-describedby points at the help paragraph that exists."""
    import re

    html = _as(district.sysadmin).get(reverse("console:user_create")).content.decode()
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    assert described
    for ref in described:
        assert f'id="{ref}"' in html
