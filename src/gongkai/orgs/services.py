"""Every change to organisations, accounts and roles. Atomic, audited."""

from __future__ import annotations

import secrets
import string
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.services import audit_record
from gongkai.core.text import normalize_code
from gongkai.orgs.constants import AdminRole
from gongkai.orgs.models import Membership, Organization, User
from gongkai.orgs.permissions import (
    AdminCapability,
    can_edit_organization,
    can_manage_members,
    has_admin_capability,
)

ORG_EDITABLE_FIELDS = (
    "name",
    "short_name",
    "org_type",
    "credit_code",
    "division_code",
    "address",
    "postcode",
    "office_hours",
    "phone",
    "fax",
    "email",
    "disclosure_office",
)


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def _normalized_codes(fields: dict[str, Any]) -> dict[str, Any]:
    """Codes are stored in one form (half-width, upper case, no spaces) so that uniqueness and
    look-ups hold whatever way they were typed."""
    for name in ("credit_code", "division_code"):
        if isinstance(fields.get(name), str):
            fields[name] = normalize_code(fields[name])
    return fields


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("没有执行此操作的权限")


@transaction.atomic
def organization_create(
    *, actor: User | None, parent: Organization | None, **fields: Any
) -> Organization:
    """Add an organisation under `parent` (None: a new root). `actor` None = system setup."""
    if actor is not None:
        _require(has_admin_capability(actor, AdminCapability.MANAGE_ORGANIZATIONS))
    org = Organization(**_normalized_codes(fields))
    org.full_clean(exclude=["path", "depth", "numchild"])
    manager = Organization.objects
    node = manager.add_child(parent, instance=org) if parent else manager.add_root(instance=org)
    audit_record(
        actor=actor,
        actor_name="system",
        verb="org.created",
        obj=node,
        organization=node,
        after=_snapshot(node, ORG_EDITABLE_FIELDS),
    )
    return node


@transaction.atomic
def organization_update(*, actor: User, organization: Organization, **changes: Any) -> Organization:
    _require(can_edit_organization(actor, organization))
    unknown = set(changes) - set(ORG_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    changes = _normalized_codes(changes)
    before = _snapshot(organization, tuple(changes))
    for name, value in changes.items():
        setattr(organization, name, value)
    changed = [name for name in changes if before[name] != changes[name]]
    if not changed:
        return organization
    organization.full_clean(exclude=["path", "depth", "numchild"])
    organization.save(update_fields=changed)
    audit_record(
        actor=actor,
        verb="org.updated",
        obj=organization,
        organization=organization,
        before={k: before[k] for k in changed},
        after={k: changes[k] for k in changed},
    )
    return organization


@transaction.atomic
def membership_grant(
    *, actor: User | None, user: User, organization: Organization, role: str
) -> Membership:
    if actor is not None:
        _require(can_manage_members(actor, organization))
    if user.admin_role:
        raise ValidationError(_("系统管理员、安全管理员和审计管理员不得兼任业务岗位（三员分立）。"))
    if not user.is_active:
        raise ValidationError(_("该账号已停用，不能授予岗位。"))
    membership, created = Membership.objects.get_or_create(
        user=user, organization=organization, role=role
    )
    if created:
        audit_record(
            actor=actor,
            actor_name="system",
            verb="membership.granted",
            obj=membership,
            organization=organization,
            after={"user": user.username, "role": role},
        )
    return membership


@transaction.atomic
def membership_revoke(*, actor: User, membership: Membership) -> None:
    _require(can_manage_members(actor, membership.organization))
    audit_record(
        actor=actor,
        verb="membership.revoked",
        obj=membership,
        organization=membership.organization,
        before={"user": membership.user.username, "role": membership.role},
    )
    membership.delete()


def generate_password(length: int = 16) -> str:
    """A random password that satisfies the complexity rule (all four classes)."""
    pools = [string.ascii_uppercase, string.ascii_lowercase, string.digits, "!@#$%^&*-_=+?"]
    alphabet = "".join(pools)
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if all(any(c in pool for c in candidate) for pool in pools):
            return candidate


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    full_name: str = "",
    email: str = "",
    admin_role: str = AdminRole.NONE,
    password: str | None = None,
) -> tuple[User, str]:
    """Create a staff account with a one-time password the person must change at first login.
    Returns the user and the password to hand over (shown once, never stored in clear)."""
    if actor is not None:
        _require(has_admin_capability(actor, AdminCapability.MANAGE_ACCOUNTS))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("账号“%(username)s”已存在。") % {"username": username})
    user = User(username=username, full_name=full_name, email=email, admin_role=admin_role)
    password = password or generate_password()
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        actor_name="system",
        verb="user.created",
        obj=user,
        after={"username": username, "full_name": full_name, "admin_role": admin_role},
    )
    return user, password


@transaction.atomic
def user_deactivate(*, actor: User, user: User, reason: str) -> User:
    _require(has_admin_capability(actor, AdminCapability.MANAGE_ACCOUNTS))
    if user.pk == actor.pk:
        raise ValidationError(_("不能停用自己的账号。"))
    if not reason.strip():
        raise ValidationError(_("请填写停用原因。"))
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(actor=actor, verb="user.deactivated", obj=user, reason=reason)
    return user


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> int:
    """Lift a login lockout before it expires (安全管理员)."""
    _require(has_admin_capability(actor, AdminCapability.UNLOCK_ACCOUNTS))
    removed = axes_reset(username=user.username)
    audit_record(actor=actor, verb="user.unlocked", obj=user, after={"lockouts_cleared": removed})
    return int(removed)


@transaction.atomic
def user_password_changed(*, user: User) -> None:
    """Record a password change the user made through the change form (already saved)."""
    user.password_changed_at = timezone.now()
    user.must_change_password = False
    user.save(update_fields=["password_changed_at", "must_change_password"])
    audit_record(actor=user, verb="user.password_changed", obj=user)
