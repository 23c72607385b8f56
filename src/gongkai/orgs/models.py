from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from gongkai.core.validators import (
    validate_credit_code,
    validate_division_code,
    validate_mobile_or_phone,
)
from gongkai.orgs.constants import AdminRole, OrgType, Role


class User(AbstractUser):
    """A staff account. Citizens do not need accounts to apply (条例第二十九条)."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    admin_role = models.CharField(
        _("管理员角色"), max_length=10, choices=AdminRole.choices, blank=True, default=""
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now)
    must_change_password = models.BooleanField(_("须修改密码"), default=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class Organization(MP_Node):
    """A 行政机关 with disclosure duties, in a tree of any depth (province → city → district →
    departments and streets). The materialised path makes "this subtree" one indexed query."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    org_type = models.CharField(_("类型"), max_length=20, choices=OrgType.choices)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        help_text=_("18位，GB 32100，含校验码"),
    )
    division_code = models.CharField(
        _("行政区划代码"),
        max_length=12,
        blank=True,
        validators=[validate_division_code],
        help_text=_("人民政府填写，6位或12位"),
    )
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=100, blank=True)
    phone = models.CharField(
        _("咨询电话"), max_length=30, blank=True, validators=[validate_mobile_or_phone]
    )
    fax = models.CharField(_("传真"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    disclosure_office = models.CharField(_("政府信息公开工作机构"), max_length=100, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("机关")
        verbose_name_plural = _("机关")

    def __str__(self) -> str:
        return self.name

    @property
    def is_government(self) -> bool:
        return self.org_type == OrgType.GOVERNMENT


class Membership(models.Model):
    """One role one person holds in one organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.get_role_display()}"
