"""The vocabulary of 标准目录 (RULES.md §4) and of the register of filed 公文."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """公开渠道和载体: the check-box values of published 标准目录 (Xilinhot, Gongliu; RULES.md §4)."""

    WEBSITE = "website", _("政府网站")
    GAZETTE = "gazette", _("政府公报")
    NEW_MEDIA = "new_media", _("两微一端")
    PRESS = "press", _("发布会/听证会")
    BROADCAST = "broadcast", _("广播电视")
    PRINT = "print", _("纸质媒体")
    READING_POINT = "reading_point", _("公开查阅点")
    SERVICE_CENTRE = "service_centre", _("政务服务中心")
    SERVICE_STATION = "service_station", _("便民服务站")
    ON_SITE = "on_site", _("入户/现场")
    NOTICE_BOARD = "notice_board", _("社区/企事业单位/村公示栏（电子屏）")
    TARGETED = "targeted", _("精准推送")
    HOTLINE = "hotline", _("12345政务服务热线")
    OTHER = "other", _("其他")
