from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgType(models.TextChoices):
    """Kinds of 行政机关 with disclosure duties (条例第十条)."""

    GOVERNMENT = "government", _("人民政府")
    GOVERNMENT_OFFICE = "government_office", _("政府办公室")
    DEPARTMENT = "department", _("政府工作部门")
    STREET = "street", _("街道办事处")
    TOWN = "town", _("乡镇人民政府")
    OTHER = "other", _("其他行政机关")


class Role(models.TextChoices):
    """Business roles held in one organisation (a Membership)."""

    OFFICER = "officer", _("信息员")
    REVIEWER = "reviewer", _("审核员")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核员")
    ORG_ADMIN = "org_admin", _("单位管理员")
    SUPERVISOR = "supervisor", _("监督员（政务公开办）")


class AdminRole(models.TextChoices):
    """The three separated administrators of 等保2.0 (安全管理中心 8.1.5). One account holds at
    most one of them, and none of them handles business data."""

    NONE = "", _("无")
    SYSTEM = "system", _("系统管理员")
    SECURITY = "security", _("安全管理员")
    AUDIT = "audit", _("审计管理员")


class Action(models.TextChoices):
    """What a user may want to do; permissions.py decides which roles allow it."""

    VIEW = "view", _("查看")
    WORK = "work", _("办理")
    REVIEW = "review", _("审核")
    LEGAL_REVIEW = "legal_review", _("法制审核")
    MANAGE = "manage", _("管理本单位")
    PUBLISH_REPORT = "publish_report", _("发布年度报告")
