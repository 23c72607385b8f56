"""The vocabulary of letters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterKind(models.TextChoices):
    """What a letter is for. A reply carries the outcome (条例第三十六条); the notices carry a
    step of the procedure."""

    REPLY = "reply", _("答复书")  # 第三十六条
    CORRECTION = "correction", _("补正告知书")  # 第三十条
    EXTENSION = "extension", _("延期答复告知书")  # 第三十三条第二款
    FEE = "fee", _("收费通知书")  # 国办函〔2020〕109号


class LetterStatus(models.TextChoices):
    """Drafted by the officer, approved by a legal reviewer (法制审核), then sent."""

    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("待法制审核")
    RETURNED = "returned", _("已退回修改")
    APPROVED = "approved", _("审核通过")
    SENT = "sent", _("已送达")


EDITABLE = frozenset({LetterStatus.DRAFT, LetterStatus.RETURNED})
FINAL = frozenset({LetterStatus.APPROVED, LetterStatus.SENT})


class DeliveryMethod(models.TextChoices):
    """送达方式."""

    IN_PERSON = "in_person", _("当面送达")
    POST = "post", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")
    ONLINE = "online", _("网上送达")
