"""How an application reached the agency; decides its date of receipt (条例第三十一条).

Channels per 国办公开办函〔2017〕19号: in person and post are the basic channels that may never
be refused; fax, online and e-mail are optional channels an agency opens and announces in its
指南 (RULES.md §1.4).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Submission channels; the comment names the rule that fixes the date of receipt."""

    IN_PERSON = "in_person", _("当面提交")  # 第三十一条第（一）项：提交之日
    POST = "post", _("邮寄（需签收）")  # 第三十一条第（二）项：签收之日
    LETTER = "letter", _("平信（无需签收）")  # 第三十一条第（二）项：与申请人确认之日
    ONLINE = "online", _("互联网渠道")  # 第三十一条第（三）项：双方确认之日
    FAX = "fax", _("传真")  # 第三十一条第（三）项：双方确认之日
    EMAIL = "email", _("电子邮箱")  # 国办公开办函〔2015〕207号：邮件系统收到之日
    OTHER = "other", _("其他公布的渠道")  # 国办公开办函〔2015〕207号：双方确认之日
