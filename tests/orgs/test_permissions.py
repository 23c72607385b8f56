"""Isolation between agencies: one place decides what a user may see and do."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.orgs import services
from gongkai.orgs.constants import Action, Role
from gongkai.orgs.models import Membership, Organization
from gongkai.orgs.permissions import (
    AdminCapability,
    can,
    has_admin_capability,
    orgs_for,
    scope,
)
from tests.conftest import District, make_org, make_user


def test_officer_sees_only_own_organisation(district: District) -> None:
    assert set(orgs_for(district.officer_a)) == {district.dept_a}
    assert not can(district.officer_a, Action.VIEW, district.dept_b)
    assert not can(district.officer_a, Action.VIEW, district.gov)


def test_supervisor_sees_whole_subtree_at_any_depth(district: District) -> None:
    grandchild = make_org("测试区教育局下属中心", district.dept_a)
    seen = set(orgs_for(district.supervisor, Action.VIEW))
    assert {district.gov, district.dept_a, district.dept_b, district.street, grandchild} <= seen
    # …but supervising is seeing, not doing the departments' work.
    assert not can(district.supervisor, Action.WORK, district.dept_a)


def test_supervisor_of_a_department_does_not_see_siblings(district: District) -> None:
    sup = make_user("sup_a", supervisor=district.dept_a)
    child = make_org("教育局下属中心", district.dept_a)
    assert set(orgs_for(sup)) == {district.dept_a, child}


def test_actions_follow_roles(district: District) -> None:
    assert can(district.officer_a, Action.WORK, district.dept_a)
    assert not can(district.officer_a, Action.REVIEW, district.dept_a)
    assert can(district.reviewer_a, Action.REVIEW, district.dept_a)
    assert not can(district.reviewer_a, Action.WORK, district.dept_a)
    assert can(district.admin_a, Action.MANAGE, district.dept_a)


def test_scope_filters_any_queryset_by_organisation(district: District) -> None:
    visible = scope(Membership.objects.all(), district.officer_a)
    assert {m.organization for m in visible} == {district.dept_a}


def test_three_administrators_handle_no_business_data(district: District) -> None:
    """等保2.0 三员分立: the administrators see no organisation's business data."""
    for admin in (district.sysadmin, district.secadmin, district.auditor):
        assert not orgs_for(admin).exists()


def test_admin_capabilities_are_disjoint(district: District) -> None:
    """Only the auditor reads the audit log; only the system admin manages accounts."""
    assert has_admin_capability(district.auditor, AdminCapability.READ_AUDIT)
    assert not has_admin_capability(district.sysadmin, AdminCapability.READ_AUDIT)
    assert not has_admin_capability(district.secadmin, AdminCapability.READ_AUDIT)
    assert has_admin_capability(district.sysadmin, AdminCapability.MANAGE_ACCOUNTS)
    assert not has_admin_capability(district.auditor, AdminCapability.MANAGE_ACCOUNTS)
    assert has_admin_capability(district.secadmin, AdminCapability.GRANT_ROLES)
    assert not has_admin_capability(district.sysadmin, AdminCapability.GRANT_ROLES)


def test_administrator_cannot_be_given_a_business_role(district: District) -> None:
    with pytest.raises(ValidationError, match="三员分立"):
        services.membership_grant(
            actor=district.secadmin,
            user=district.auditor,
            organization=district.dept_a,
            role=Role.OFFICER,
        )


def test_inactive_user_and_inactive_organisation_see_nothing(district: District) -> None:
    district.officer_a.is_active = False
    district.officer_a.save()
    assert not orgs_for(district.officer_a).exists()
    Organization.objects.filter(pk=district.dept_b.pk).update(is_active=False)
    assert not orgs_for(district.officer_b).exists()


def test_org_admin_grants_roles_only_in_own_organisation(district: District) -> None:
    newcomer = make_user("newcomer")
    services.membership_grant(
        actor=district.admin_a, user=newcomer, organization=district.dept_a, role=Role.OFFICER
    )
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=district.admin_a, user=newcomer, organization=district.dept_b, role=Role.OFFICER
        )


def test_credit_code_is_stored_in_one_form(district: District) -> None:
    """GB 32100 codes typed in full width or lower case are stored normalised, so the unique
    constraint and look-ups hold."""
    from gongkai.core.ids import make_credit_code

    code = make_credit_code("339905", "MB123456")
    typed = code.lower().translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    org = make_org("测试区审计局", district.gov, credit_code=typed)
    assert org.credit_code == code
