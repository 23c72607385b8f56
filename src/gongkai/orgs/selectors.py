from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any

from django.db.models import Q, QuerySet

from gongkai.orgs.constants import Role
from gongkai.orgs.models import Membership, Organization, User
from gongkai.orgs.permissions import visible_organizations


def memberships_of(user: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__path", "role")
    )


def organizations_visible(user: Any, search: str = "") -> QuerySet[Organization]:
    qs = visible_organizations(user).order_by("path")
    if search:
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(short_name__icontains=search)
            | Q(credit_code=search.upper())
        )
    return qs


def members_of(organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user").order_by("role", "user__username")


def staff_accounts(search: str = "") -> QuerySet[User]:
    qs = User.objects.order_by("username")
    if search:
        qs = qs.filter(Q(username__icontains=search) | Q(full_name__icontains=search))
    return qs


def _reachable(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    """Memberships of active staff with an e-mail address (platform accounts excluded)."""
    return memberships.filter(user__is_active=True, user__admin_role="").exclude(user__email="")


def member_addresses(org_ids: Collection[int], roles: Iterable[str]) -> dict[int, set[str]]:
    """organisation id → e-mail addresses of its members in `roles` (one query)."""
    out: dict[int, set[str]] = defaultdict(set)
    if org_ids:
        for org_id, email in _reachable(
            Membership.objects.filter(organization__in=list(org_ids), role__in=list(roles))
        ).values_list("organization_id", "user__email"):
            out[org_id].add(email)
    return out


def supervisor_addresses(organizations: Iterable[Organization]) -> dict[int, set[str]]:
    """organisation id → e-mail addresses of the supervisors of it or of any organisation
    above it (one query: supervisors are few; the tree is walked by path prefix)."""
    orgs = list(organizations)
    if not orgs:
        return {}
    by_path: dict[str, set[str]] = defaultdict(set)
    for path, email in _reachable(Membership.objects.filter(role=Role.SUPERVISOR)).values_list(
        "organization__path", "user__email"
    ):
        by_path[path].add(email)
    out: dict[int, set[str]] = {}
    for org in orgs:
        addresses: set[str] = set()
        for step in range(Organization.steplen, len(org.path) + 1, Organization.steplen):
            addresses |= by_path.get(org.path[:step], set())
        out[org.pk] = addresses
    return out
