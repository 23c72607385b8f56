from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

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
