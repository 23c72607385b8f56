"""政府信息公开指南 (条例第十二条): generated from the organisation's data and the application
channels the platform offers; an admin may replace the explanatory text (services.guide_save).

第十二条 asks the 指南 for: the classification and arrangement of the information, how to
obtain it, and the office's name, address, hours, phone, fax and internet contact. The official
interpretation adds that it must describe every application channel the agency has opened
(RULES.md §1.4, §5.1)."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.orgs.models import Organization
from gongkai.portal.models import DisclosureGuide


@dataclass(frozen=True)
class Channel:
    name: str
    how: str


def channels(org: Organization) -> list[Channel]:
    """The ways to file a 第二十九条 application with `org`, from its data: the online form
    always; letter, in person, fax and e-mail only when the organisation has the address."""
    out = [
        Channel(
            _("网上申请"),
            _("通过本网站“依申请公开”栏目在线填写申请（%(url)s）。")
            % {"url": reverse("portal:apply")},
        )
    ]
    if org.address:
        where = org.address + (f"（{_('邮编')} {org.postcode}）" if org.postcode else "")
        out.append(
            Channel(
                _("信函申请"),
                _("邮寄至%(where)s，请在信封左下角注明“政府信息公开申请”字样。") % {"where": where},
            )
        )
        hours = f"，{_('办公时间')}：{org.office_hours}" if org.office_hours else ""
        out.append(
            Channel(
                _("当面申请"),
                _("到%(address)s当面提交%(hours)s。") % {"address": org.address, "hours": hours},
            )
        )
    if org.fax:
        out.append(
            Channel(
                _("传真申请"),
                _("传真至%(fax)s，请在首页注明“政府信息公开申请”字样。") % {"fax": org.fax},
            )
        )
    if org.email:
        out.append(
            Channel(
                _("电子邮件申请"),
                _("发送至%(email)s，请在邮件主题注明“政府信息公开申请”字样。")
                % {"email": org.email},
            )
        )
    return out


def default_text(org: Organization) -> str:
    """The explanatory text used until an admin edits it (also the form's starting point)."""
    return render_to_string("portal/column/guide_default.txt", {"org": org}).strip()


def guide_text(org: Organization) -> tuple[str, DisclosureGuide | None]:
    stored = DisclosureGuide.objects.filter(organization=org).first()
    return (stored.text if stored else default_text(org)), stored
