"""Walk every console URL as an officer of a sibling organisation (DESIGN: isolation between
agencies; 等保2.0 8.1.4.2 e: no privilege escalation, no IDOR). New console URLs must be
classified here, so nobody adds one without deciding who may use it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone

from gongkai.appeals.models import Reconsideration
from gongkai.appeals.services import reconsideration_record
from gongkai.console import urls as console_urls
from gongkai.inforequests.file_services import attachment_add, redaction_add
from gongkai.inforequests.letters.models import Letter
from gongkai.inforequests.letters.services import letter_create
from gongkai.inforequests.models import InfoRequest, Redaction
from gongkai.inforequests.models_ledger import DisclosureSuggestionDecision, SuggestionPublication
from gongkai.inforequests.redaction import Box
from gongkai.inforequests.services import request_submit
from gongkai.orgs.models import Membership
from gongkai.publications.models import Publication
from tests.catalogs.isolation import catalog_kwargs
from tests.conftest import District
from tests.inforequests.pdfs import SAMPLE
from tests.publications.isolation import publication_kwargs

# Pages any logged-in staff member may open; they show only the user's own scope.
OPEN_TO_STAFF = {
    "home",
    "login",
    "logout",
    "password_change",
    "org_list",
    "request_list",
    "request_overdue",
    # Offers only the organisations the user may work for (403 without any).
    "request_register",
    # Offers only the organisations the user may view.
    "report_index",
    # The ledger: export the user's own scope; import and template need WORK somewhere.
    "ledger_export",
    "ledger_import",
    "ledger_template",
    # 第四十四条 suggestions and appeals: only the user's own organisations.
    "suggestion_list",
    "appeal_list",
    "reconsideration_new",
    "litigation_new",
    # Lists only the organisations the user administers.
    "letter_templates",
    # 主动公开: lists scoped to the user's organisations; drafting offers only those it may work for.
    "pub_list",
    "pub_create",
    "pub_review_queue",
    "pub_timeliness",
    # 标准目录: shared items plus the user's own; coverage, filed 公文 and rates scoped to the
    # user's organisations; import offers only organisations it may draft and review for.
    "cat_domains",
    "cat_items",
    "cat_item_create",
    "cat_coverage",
    "cat_filed_list",
    "cat_filed_create",
    "cat_rates",
    "cat_import",
    "cat_import_template",
    "cat_export",
}
# Pages for one of the three administrators only.
ADMIN_ONLY = {
    "org_create",
    "user_list",
    "user_create",
    "audit_list",
    "audit_export",
    "calendar_list",
    "cat_domain_create",
}
# Pages about one object: kwargs are filled with an object of department A.
OBJECT_PAGES = {
    "org_detail",
    "org_edit",
    "guide_edit",
    "membership_add",
    "membership_remove",
    "user_deactivate",
    "user_unlock",
    "calendar_edit",
    "request_detail",
    "request_reveal_id",
    "request_assign",
    "request_event_add",
    "request_close",
    "report_detail",
    "report_download",
    "request_file_add",
    "request_transfer",
    "attachment_download",
    "attachment_release",
    "attachment_redact",
    "attachment_redaction_apply",
    "attachment_page_image",
    "redaction_delete",
    "request_misuse_decide",
    "suggestion_decide",
    "suggestion_link",
    "suggestion_unlink",
    "appeal_detail",
    "appeal_decide",
    "letter_create",
    "letter_detail",
    "letter_submit",
    "letter_review",
    "letter_send",
    "letter_receipt_upload",
    "letter_receipt",
    "letter_download",
    "letter_template_edit",
    "letter_template_reset",
    "pub_detail",
    "pub_edit",
    "pub_interpret",
    "pub_attachment_add",
    "pub_attachment_remove",
    "pub_attachment_download",
    "pub_submit",
    "pub_review",
    "pub_return",
    "pub_pii_mask",
    "pub_pii_justify",
    "pub_pii_viewed",
    "pub_publish",
    "pub_withdraw",
    "pub_amend",
    "pub_validity",
    "pub_reassess",
    "cat_adopt",
    "cat_unadopt",
    "cat_pub_items",
    "cat_filed_edit",
    "cat_import_job",
    "cat_filed_delete",
    "report_start",
    "report_publish",
    "report_compare",
}

SUBJECT_A = "测试区教育局2024年招生计划"


def _application_a(district: District) -> InfoRequest:
    """An application to department A, as a citizen submits it online."""
    existing = InfoRequest.objects.filter(organization=district.dept_a).first()
    if existing is not None:
        return existing
    request, _ = request_submit(
        organization=district.dept_a,
        data={
            "applicant_type": "natural_person",
            "applicant_name": "王五",
            "id_document": "resident_id",
            "id_number": "11010519491231002X",
            "phone": "13812345678",
            "subject": SUBJECT_A,
            "provision_form": "electronic",
            "delivery_way": "email",
        },
        channel="online",
        received_on=timezone.localdate(),
        actor=None,
    )
    return request


def _redaction_a(district: District) -> Redaction:
    """A PDF to be released by department A, with one redaction on it."""
    existing = Redaction.objects.filter(attachment__request__organization=district.dept_a).first()
    if existing is not None:
        return existing
    attachment = attachment_add(
        actor=district.officer_a,
        request=_application_a(district),
        data=SAMPLE,
        title="a.pdf",
        kind="release",
    )
    return redaction_add(
        actor=district.officer_a,
        attachment=attachment,
        box=Box(1, Decimal(1), Decimal(1), Decimal(10), Decimal(10)),
        ground="personal_privacy",
        note="姓名",
    )


def _reconsideration_a(district: District) -> Reconsideration:
    """A 行政复议 case against department A about its application."""
    existing = Reconsideration.objects.filter(organization=district.dept_a).first()
    if existing is not None:
        return existing
    return reconsideration_record(
        actor=district.officer_a,
        organization=district.dept_a,
        applicant_name="王五",
        body="测试区人民政府",
        filed_on=timezone.localdate(),
        info_request=_application_a(district),
    )


def _letter_a(district: District) -> Letter:
    """A draft reply letter of department A."""
    application = _application_a(district)
    existing = application.letters.first()
    if existing is not None:
        return existing
    return letter_create(
        actor=district.officer_a, request=application, kind="reply", outcome="disclosed"
    )


def _kwargs(name: str, district: District) -> dict[str, Any]:
    if name.startswith("pub_"):
        return publication_kwargs(name, district)
    if name.startswith("cat_"):
        return catalog_kwargs(name, district)
    membership = Membership.objects.filter(organization=district.dept_a).first()
    assert membership is not None
    application = _application_a(district)
    last_year = timezone.localdate().year - 1
    return {
        "org_detail": {"pk": district.dept_a.pk},
        "org_edit": {"pk": district.dept_a.pk},
        "guide_edit": {"pk": district.dept_a.pk},
        "membership_add": {"pk": district.dept_a.pk},
        "membership_remove": {"pk": membership.pk},
        "user_deactivate": {"pk": district.officer_a.pk},
        "user_unlock": {"pk": district.officer_a.pk},
        "calendar_edit": {"year": 2027},
        "request_detail": {"pk": application.pk},
        "request_reveal_id": {"pk": application.pk},
        "request_assign": {"pk": application.pk},
        "request_event_add": {"pk": application.pk},
        "request_close": {"pk": application.pk},
        "report_detail": {"org_pk": district.dept_a.pk, "year": last_year},
        "report_download": {"org_pk": district.dept_a.pk, "year": last_year, "fmt": "html"},
        "request_file_add": {"pk": application.pk},
        "request_transfer": {"pk": application.pk},
        "report_start": {"org_pk": district.dept_a.pk, "year": last_year},
        "report_publish": {"org_pk": district.dept_a.pk, "year": last_year},
        "report_compare": {"org_pk": district.dept_a.pk},
    }.get(name) or _extra_kwargs(name, district)


def _extra_kwargs(name: str, district: District) -> dict[str, Any]:
    """URL arguments of the pages that need a record of their own kind."""
    for provider in (_file_kwargs, _ledger_kwargs, _letter_kwargs):
        kwargs = provider(name, district)
        if kwargs:
            return kwargs
    return {}


def _file_kwargs(name: str, district: District) -> dict[str, Any]:
    if name.startswith("attachment_") or name == "redaction_delete":
        redaction = _redaction_a(district)
        if name == "redaction_delete":
            return {"pk": redaction.pk}
        if name == "attachment_page_image":
            return {"pk": redaction.attachment_id, "page": 1}
        return {"pk": redaction.attachment_id}
    return {}


def _ledger_kwargs(name: str, district: District) -> dict[str, Any]:
    if name in ("appeal_detail", "appeal_decide"):
        return {"kind": "reconsideration", "pk": _reconsideration_a(district).pk}
    if name == "suggestion_link":
        return {"pk": _suggestion_decision_a(district).pk}
    if name == "suggestion_unlink":
        return {"pk": _suggestion_link_a(district).pk}
    return {
        "request_misuse_decide": {"pk": _application_a(district).pk},
        "suggestion_decide": {"org_pk": district.dept_a.pk},
    }.get(name, {})


def _suggestion_decision_a(district: District) -> DisclosureSuggestionDecision:
    return DisclosureSuggestionDecision.objects.create(
        organization=district.dept_a,
        key="k",
        title="转为主动公开的信息",
        verdict="converted",
        actor=district.officer_a,
    )


def _suggestion_link_a(district: District) -> SuggestionPublication:
    pub = Publication.objects.get(pk=publication_kwargs("pub_detail", district)["pk"])
    return SuggestionPublication.objects.create(
        decision=_suggestion_decision_a(district), publication=pub, actor=district.officer_a
    )


def _letter_kwargs(name: str, district: District) -> dict[str, Any]:
    if not name.startswith("letter_"):
        return {}
    letter = {"pk": _letter_a(district).pk}
    return {
        "letter_create": {"pk": _application_a(district).pk},
        "letter_detail": letter,
        "letter_submit": letter,
        "letter_review": letter,
        "letter_send": letter,
        "letter_receipt_upload": letter,
        "letter_receipt": letter,
        "letter_download": {**letter, "fmt": "pdf"},
        "letter_template_edit": {"org_pk": district.dept_a.pk, "key": "reply.disclosed"},
        "letter_template_reset": {"org_pk": district.dept_a.pk, "key": "reply.disclosed"},
    }.get(name, {})


def _names() -> set[str]:
    return {p.name for p in console_urls.urlpatterns if isinstance(p, URLPattern) and p.name}


def test_every_console_url_is_classified() -> None:
    assert _names() == OPEN_TO_STAFF | ADMIN_ONLY | OBJECT_PAGES


def _login(district: District, user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", sorted(ADMIN_ONLY | OBJECT_PAGES))
@pytest.mark.parametrize("method", ["get", "post"])
def test_sibling_officer_is_refused(district: District, name: str, method: str) -> None:
    client = _login(district, district.officer_b)
    url = reverse(f"console:{name}", kwargs=_kwargs(name, district))
    response = getattr(client, method)(url)
    assert response.status_code in (403, 404, 405), (url, response.status_code)
    assert district.dept_a.name.encode() not in response.content
    assert SUBJECT_A.encode() not in response.content


@pytest.mark.parametrize("name", sorted(OPEN_TO_STAFF - {"login", "logout"}))
def test_open_pages_show_nothing_of_a_sibling(district: District, name: str) -> None:
    application = _application_a(district)
    client = _login(district, district.officer_b)
    response = client.get(reverse(f"console:{name}"))
    assert response.status_code == 200
    assert district.dept_a.name.encode() not in response.content
    assert district.dept_a.credit_code.encode() not in response.content
    assert application.number.encode() not in response.content
    assert SUBJECT_A.encode() not in response.content


@pytest.mark.parametrize("name", sorted((OPEN_TO_STAFF | ADMIN_ONLY | OBJECT_PAGES) - {"login"}))
def test_anonymous_is_sent_to_login(client: Client, district: District, name: str) -> None:
    response = client.get(reverse(f"console:{name}", kwargs=_kwargs(name, district)))
    if name == "logout":
        assert response.status_code == 405  # logging out is a POST
        return
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("console:login"))


def test_own_officer_sees_own_organisation(district: District) -> None:
    client = _login(district, district.officer_a)
    response = client.get(reverse("console:org_detail", kwargs={"pk": district.dept_a.pk}))
    assert response.status_code == 200
    assert district.dept_a.name in response.content.decode()
    # …but may not edit it or hand out roles: that is the org admin's job.
    assert (
        client.get(reverse("console:org_edit", kwargs={"pk": district.dept_a.pk})).status_code
        == 403
    )


def test_supervisor_sees_departments_but_cannot_edit_them(district: District) -> None:
    client = _login(district, district.supervisor)
    assert (
        client.get(reverse("console:org_detail", kwargs={"pk": district.dept_a.pk})).status_code
        == 200
    )
    assert (
        client.get(reverse("console:org_edit", kwargs={"pk": district.dept_a.pk})).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("who", "name", "allowed"),
    [
        ("auditor", "audit_list", True),
        ("sysadmin", "audit_list", False),
        ("secadmin", "audit_list", False),
        ("sysadmin", "user_create", True),
        ("secadmin", "user_create", False),
        ("auditor", "user_list", False),
        ("sysadmin", "calendar_list", True),
        ("auditor", "calendar_list", False),
        ("secadmin", "user_list", True),
    ],
)
def test_three_administrators_reach_only_their_functions(
    district: District, who: str, name: str, allowed: bool
) -> None:
    client = _login(district, getattr(district, who))
    status = client.get(reverse(f"console:{name}")).status_code
    assert (status == 200) is allowed, status


def test_administrators_see_no_business_pages(district: District) -> None:
    """三员 do not handle business data: the auditor may not open an organisation."""
    client = _login(district, district.auditor)
    response = client.get(reverse("console:org_detail", kwargs={"pk": district.dept_a.pk}))
    assert response.status_code == 404


def test_applications_reach_their_own_organisation_and_supervisor_only(district: District) -> None:
    application = _application_a(district)
    url = reverse("console:request_detail", kwargs={"pk": application.pk})
    assert _login(district, district.officer_a).get(url).status_code == 200
    # The supervisor of the district sees the application but may not act on it.
    supervisor = _login(district, district.supervisor)
    assert supervisor.get(url).status_code == 200
    close = reverse("console:request_close", kwargs={"pk": application.pk})
    assert supervisor.post(close, {}).status_code == 403
    # 三员 handle no business data.
    assert _login(district, district.auditor).get(url).status_code == 404
    assert (
        _login(district, district.sysadmin).get(reverse("console:request_register")).status_code
        == 403
    )
