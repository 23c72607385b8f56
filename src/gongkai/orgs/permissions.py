"""The one place that decides what a user may see and do.

Every console query for business data goes through `orgs_for()` / `scope()`; every admin
function through `has_admin_capability()`. Tests walk the console as users of other
organisations and as each of the three administrators.
"""

from __future__ import annotations

import enum
from functools import reduce
from operator import or_
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from gongkai.orgs.constants import Action, AdminRole, Role
from gongkai.orgs.models import Organization

M = TypeVar("M", bound=Model)

# Which membership roles allow which action on their own organisation.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({Action.VIEW, Action.WORK}),
    Role.REVIEWER: frozenset({Action.VIEW, Action.REVIEW}),
    Role.LEGAL_REVIEWER: frozenset({Action.VIEW, Action.LEGAL_REVIEW}),
    Role.ORG_ADMIN: frozenset({Action.VIEW, Action.MANAGE, Action.PUBLISH_REPORT}),
    Role.SUPERVISOR: frozenset({Action.VIEW, Action.PUBLISH_REPORT}),
}
# Roles whose actions reach the whole subtree below their organisation.
SUBTREE_ROLES = frozenset({Role.SUPERVISOR})


class AdminCapability(enum.StrEnum):
    """Functions of the three separated administrators (等保2.0 8.1.5.1–8.1.5.3)."""

    MANAGE_ACCOUNTS = "manage_accounts"  # 系统管理员: accounts, organisations, calendar
    MANAGE_ORGANIZATIONS = "manage_organizations"
    MANAGE_CALENDAR = "manage_calendar"
    GRANT_ROLES = "grant_roles"  # 安全管理员: roles, unlocking
    UNLOCK_ACCOUNTS = "unlock_accounts"
    READ_AUDIT = "read_audit"  # 审计管理员: the audit log, nothing else


ADMIN_CAPABILITIES: dict[str, frozenset[AdminCapability]] = {
    AdminRole.SYSTEM: frozenset(
        {
            AdminCapability.MANAGE_ACCOUNTS,
            AdminCapability.MANAGE_ORGANIZATIONS,
            AdminCapability.MANAGE_CALENDAR,
        }
    ),
    AdminRole.SECURITY: frozenset({AdminCapability.GRANT_ROLES, AdminCapability.UNLOCK_ACCOUNTS}),
    AdminRole.AUDIT: frozenset({AdminCapability.READ_AUDIT}),
}


def _is_staff_user(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_admin_capability(user: Any, capability: AdminCapability) -> bool:
    if not _is_staff_user(user):
        return False
    return capability in ADMIN_CAPABILITIES.get(user.admin_role, frozenset())


def roles_allowing(action: str) -> list[str]:
    return [role for role, actions in ROLE_ACTIONS.items() if action in actions]


def orgs_for(user: Any, action: str = Action.VIEW) -> QuerySet[Organization]:
    """The organisations `user` may perform `action` for."""
    if not _is_staff_user(user) or user.admin_role:
        # The three administrators handle no business data (等保2.0 三员分立).
        return Organization.objects.none()
    memberships = list(
        user.memberships.filter(
            role__in=roles_allowing(action), organization__is_active=True
        ).select_related("organization")
    )
    if not memberships:
        return Organization.objects.none()
    own = {m.organization_id for m in memberships}
    subtree = [
        Q(path__startswith=m.organization.path, depth__gt=m.organization.depth)
        for m in memberships
        if m.role in SUBTREE_ROLES
    ]
    condition = reduce(or_, subtree, Q(pk__in=own))
    return Organization.objects.filter(condition, is_active=True)


def can(user: Any, action: str, organization: Organization) -> bool:
    return orgs_for(user, action).filter(pk=organization.pk).exists()


def scope(
    qs: QuerySet[M], user: Any, action: str = Action.VIEW, field: str = "organization"
) -> QuerySet[M]:
    """Restrict any queryset of rows belonging to an organisation to what `user` may see."""
    return qs.filter(**{f"{field}__in": orgs_for(user, action)})


def can_manage_members(user: Any, organization: Organization) -> bool:
    """Business roles are granted by the security administrator or the organisation's admin."""
    return has_admin_capability(user, AdminCapability.GRANT_ROLES) or can(
        user, Action.MANAGE, organization
    )


def can_edit_organization(user: Any, organization: Organization) -> bool:
    return has_admin_capability(user, AdminCapability.MANAGE_ORGANIZATIONS) or can(
        user, Action.MANAGE, organization
    )


def can_view_organization(user: Any, organization: Organization) -> bool:
    return (
        can(user, Action.VIEW, organization)
        or has_admin_capability(user, AdminCapability.MANAGE_ORGANIZATIONS)
        or has_admin_capability(user, AdminCapability.GRANT_ROLES)
    )


def visible_organizations(user: Any) -> QuerySet[Organization]:
    """Organisations listed in the console: business scope, or all for the admins who
    configure them (system: structure; security: role grants)."""
    if has_admin_capability(user, AdminCapability.MANAGE_ORGANIZATIONS) or has_admin_capability(
        user, AdminCapability.GRANT_ROLES
    ):
        return Organization.objects.all()
    return orgs_for(user, Action.VIEW)
