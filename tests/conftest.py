from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from gongkai.core.ids import make_credit_code
from gongkai.orgs import services
from gongkai.orgs.constants import AdminRole, OrgType, Role
from gongkai.orgs.models import Organization, User

# Properties assert correctness; wall-clock limits on a shared two-core machine only add noise.
hypothesis_settings.register_profile(
    "gongkai", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("gongkai")

_seq = itertools.count(1)
PASSWORD = "Test-Passw0rd!x"


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    # Slow PBKDF2 is asserted in test_security; elsewhere it only costs time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_inline() -> Any:
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


@pytest.fixture
def index_tasks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many documents each search index task sent carried (the tasks still run)."""
    from gongkai.search import tasks

    sent: list[int] = []
    task = tasks.index_documents_task

    def counted(docs: Any) -> None:
        sent.append(len(docs))
        task(docs)

    monkeypatch.setattr(tasks, "index_documents_task", counted)
    return sent


def make_org(name: str, parent: Organization | None = None, **fields: Any) -> Organization:
    seq = next(_seq)
    fields.setdefault("org_type", OrgType.DEPARTMENT if parent else OrgType.GOVERNMENT)
    fields.setdefault("credit_code", make_credit_code("339905", f"TT{seq:06d}"))
    return services.organization_create(actor=None, parent=parent, name=name, **fields)


def make_user(username: str, *, admin_role: str = "", **roles: Organization) -> User:
    """make_user("a", officer=org_a, reviewer=org_a) — keyword = role, value = organisation."""
    user, _ = services.user_create(
        actor=None, username=username, full_name=username, admin_role=admin_role, password=PASSWORD
    )
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    for role, org in roles.items():
        services.membership_grant(actor=None, user=user, organization=org, role=Role(role))
    return user


@dataclass
class District:
    gov: Organization
    dept_a: Organization
    dept_b: Organization
    street: Organization
    officer_a: User
    officer_b: User
    admin_a: User
    reviewer_a: User
    supervisor: User
    sysadmin: User
    secadmin: User
    auditor: User


@pytest.fixture
def district(db: Any) -> District:
    gov = make_org("测试区人民政府", division_code="339905")
    dept_a = make_org("测试区教育局", gov)
    dept_b = make_org("测试区民政局", gov)
    street = make_org("测试区东城街道办事处", gov, org_type=OrgType.STREET)
    return District(
        gov=gov,
        dept_a=dept_a,
        dept_b=dept_b,
        street=street,
        officer_a=make_user("officer_a", officer=dept_a),
        officer_b=make_user("officer_b", officer=dept_b),
        admin_a=make_user("admin_a", org_admin=dept_a),
        reviewer_a=make_user("reviewer_a", reviewer=dept_a),
        supervisor=make_user("supervisor", supervisor=gov),
        sysadmin=make_user("sysadmin", admin_role=AdminRole.SYSTEM),
        secadmin=make_user("secadmin", admin_role=AdminRole.SECURITY),
        auditor=make_user("auditor", admin_role=AdminRole.AUDIT),
    )


# A valid 第二十九条 application (applicant, information sought, form). Tests copy and adjust it.
APPLICANT: dict[str, Any] = {
    "applicant_type": "natural_person",
    "applicant_name": "张三",
    "id_document": "resident_id",
    "id_number": "11010519491231002X",  # the GB 11643 standard example
    "phone": "13812345678",
    "email": "zhangsan@example.com",
    "address": "江州市临江区人民路1号",
    "postcode": "339905",
    "subject": "2023年老旧小区改造项目清单",
    "document_number": "",
    "description": "",
    "provision_form": "electronic",
    "delivery_way": "email",
}
