"""The 标准目录 console pages used in the browser: adopt, link, coverage, register, rates, Excel."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.catalogs.models import Adoption, CatalogImport, FiledDocument, PublicationItem
from gongkai.publications.models import Publication
from tests.catalogs.conftest import published, standard_item
from tests.catalogs.test_excel import row, workbook
from tests.conftest import make_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_officer_adopts_links_and_sees_the_gap(district: Any) -> None:
    client = login(district.officer_a)
    item, other = standard_item("1801"), standard_item("0301")
    page = client.get(reverse("console:cat_domains")).content.decode()
    assert "城市综合执法" in page and "保障性住房" in page
    listing = client.get(reverse("console:cat_items"), {"organization": district.dept_a.pk})
    assert "采用" in listing.content.decode()
    for it in (item, other):
        url = reverse("console:cat_adopt", args=[district.dept_a.pk, it.pk])
        assert client.post(url).status_code == 302
    assert Adoption.objects.filter(organization=district.dept_a).count() == 2
    pub = published(district)
    url = reverse("console:cat_pub_items", args=[pub.pk])
    assert str(item) in client.get(url).content.decode()
    assert client.post(url, {"items": [item.pk]}).status_code == 302
    assert PublicationItem.objects.get().item == item
    coverage = client.get(reverse("console:cat_coverage"), {"organization": district.dept_a.pk})
    html = coverage.content.decode()
    gaps = html.split("本年已发布的事项")[0]
    assert str(other) in gaps and str(item) not in gaps
    unadopt = reverse("console:cat_unadopt", args=[district.dept_a.pk, other.pk])
    assert client.post(unadopt).status_code == 302
    assert not Adoption.objects.filter(item=other).exists()


def test_sibling_cannot_adopt_or_link_for_another_organisation(district: Any) -> None:
    client = login(district.officer_b)
    item = standard_item("1801")
    url = reverse("console:cat_adopt", args=[district.dept_a.pk, item.pk])
    assert client.post(url).status_code == 404
    pub = published(district)
    assert client.post(reverse("console:cat_pub_items", args=[pub.pk])).status_code == 404
    assert not Adoption.objects.exists()
    # The supervisor sees A's page but may not change it.
    sup = login(district.supervisor)
    assert sup.get(reverse("console:cat_pub_items", args=[pub.pk])).status_code == 200
    assert sup.post(reverse("console:cat_pub_items", args=[pub.pk])).status_code == 403


def test_register_a_filed_document_and_see_the_rate(district: Any) -> None:
    client = login(district.officer_a)
    pub = published(district)
    form = {
        "organization": district.dept_a.pk,
        "year": 2024,
        "document_number": "测教发〔2024〕1号",
        "title": "关于做好招生工作的通知",
        "disclosure_attribute": "proactive",
        "publication_index": pub.index_number,
    }
    response = client.post(reverse("console:cat_filed_create"), form)
    assert response.status_code == 302, response.content.decode()
    refused = dict(form, document_number="测教发〔2024〕2号", disclosure_attribute="withheld")
    refused.pop("publication_index")
    response = client.post(reverse("console:cat_filed_create"), refused)
    assert response.status_code == 200
    assert "须选择理由" in response.content.decode()
    refused.update(withholding_reason="process", withholding_note="过程性信息")
    assert client.post(reverse("console:cat_filed_create"), refused).status_code == 302
    assert FiledDocument.objects.get(document_number="测教发〔2024〕1号").publication == pub
    rates = client.get(reverse("console:cat_rates"), {"year": 2024}).content.decode()
    assert "50.0%" in rates
    sup = login(district.supervisor).get(reverse("console:cat_rates"), {"year": 2024})
    assert "测试区人民政府及所属单位" in sup.content.decode()
    # Another organisation's officer: not in the list, 404 on the object.
    other = login(district.officer_b)
    listing = other.get(reverse("console:cat_filed_list"), {"year": 2024}).content.decode()
    assert "测教发" not in listing
    doc = FiledDocument.objects.first()
    assert doc is not None
    assert other.get(reverse("console:cat_filed_edit", args=[doc.pk])).status_code == 404


def test_import_page_reports_rows_and_imports_nothing_on_error(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user = make_user("importer_a", officer=district.dept_a, reviewer=district.dept_a)
    client = login(user)
    template = client.get(reverse("console:cat_import_template"))
    assert template["Content-Type"] == XLSX
    bad = workbook(row("第一条"), row("第二条", 发布日期="昨天"), row("第三条"))
    response = client.post(
        reverse("console:cat_import"),
        {
            "organization": district.dept_a.pk,
            "file": SimpleUploadedFile("目录.xlsx", bad, content_type=XLSX),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "未导入任何一行" in html and "日期格式无法识别：“昨天”" in html
    assert not Publication.objects.exists()
    not_xlsx = SimpleUploadedFile("目录.xlsx", b"<html>", content_type=XLSX)
    response = client.post(
        reverse("console:cat_import"), {"organization": district.dept_a.pk, "file": not_xlsx}
    )
    assert "不是 Excel" in response.content.decode()
    good = workbook(row("第一条"), row("第二条"))
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            reverse("console:cat_import"),
            {"organization": district.dept_a.pk, "file": SimpleUploadedFile("目录.xlsx", good)},
        )
    job = CatalogImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("console:cat_import_job", args=[job.pk])
    # Accepted, not yet written: the page says so and offers to look again.
    waiting = client.get(response["Location"]).content.decode()
    assert "正在后台导入" in waiting and "刷新查看进度" in waiting
    assert not Publication.objects.exists()
    for callback in queued:  # the transaction commits: the task queue writes the file
        callback()
    assert Publication.objects.filter(status="published").count() == 2
    done = client.get(response["Location"]).content.decode()
    assert "已导入 2 条政府信息" in done
    listing = client.get(reverse("console:cat_import")).content.decode()
    assert "导入记录" in listing and "已导入（2）" in listing
    # Another organisation's officer cannot see the import at all.
    other = login(district.officer_b)
    assert other.get(response["Location"]).status_code == 404
    assert "目录.xlsx" not in other.get(reverse("console:cat_import")).content.decode()


def test_officer_without_review_role_cannot_import(district: Any) -> None:
    client = login(district.officer_a)
    page = client.get(reverse("console:cat_import")).content.decode()
    assert "同时具有本单位信息员和审核员权限" in page
    data = workbook(row("第一条"))
    response = client.post(
        reverse("console:cat_import"),
        {"organization": district.dept_a.pk, "file": SimpleUploadedFile("a.xlsx", data)},
    )
    assert response.status_code == 403
    assert not Publication.objects.exists()


def test_export_uses_the_listing_filters_and_scope(district: Any) -> None:
    published(district, title="招生政策")
    response = login(district.officer_a).get(reverse("console:cat_export"), {"q": "招生"})
    assert response["Content-Type"] == XLSX
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == ["招生政策"]
    other = login(district.officer_b).get(reverse("console:cat_export"))
    ws = load_workbook(io.BytesIO(other.content)).active
    assert ws.max_row == 1  # headers only


def test_edit_and_delete_a_filed_document(district: Any) -> None:
    client = login(district.officer_a)
    form = {
        "organization": district.dept_a.pk,
        "year": 2024,
        "document_number": "测教发〔2024〕7号",
        "title": "关于调整校车线路的通知",
        "disclosure_attribute": "proactive",
    }
    assert client.post(reverse("console:cat_filed_create"), form).status_code == 302
    doc = FiledDocument.objects.get()
    url = reverse("console:cat_filed_edit", args=[doc.pk])
    assert "关于调整校车线路的通知" in client.get(url).content.decode()
    listing = reverse("console:cat_filed_list")
    assert url in client.get(listing, {"year": 2024}).content.decode()
    # The supervisor sees the entry but may not edit it: no link that would end in 403.
    supervised = login(district.supervisor).get(listing, {"year": 2024}).content.decode()
    assert "测教发〔2024〕7号" in supervised and url not in supervised
    changed = dict(form, disclosure_attribute="withheld", withholding_reason="internal")
    changed["withholding_note"] = "内部管理信息"
    assert client.post(url, changed).status_code == 302
    doc.refresh_from_db()
    assert doc.disclosure_attribute == "withheld" and doc.organization == district.dept_a
    delete = reverse("console:cat_filed_delete", args=[doc.pk])
    assert client.post(delete, {"reason": ""}).status_code == 302
    assert FiledDocument.objects.exists()  # no reason, no deletion
    assert client.post(delete, {"reason": "重复登记"}).status_code == 302
    assert not FiledDocument.objects.exists()


def test_system_administrator_adds_a_local_area(district: Any) -> None:
    from gongkai.audit.models import AuditEvent
    from gongkai.catalogs.models import Domain

    url = reverse("console:cat_domain_create")
    assert login(district.officer_a).get(url).status_code == 403
    domains = reverse("console:cat_domains")
    assert url not in login(district.officer_a).get(domains).content.decode()
    client = login(district.sysadmin)
    assert str(url) in client.get(reverse("console:cat_domains")).content.decode()
    response = client.post(url, {"code": "27", "name": "统计", "note": "本区增加"})
    assert response.status_code == 302
    domain = Domain.objects.get(code="27")
    assert (domain.name, domain.is_standard) == ("统计", False)
    assert AuditEvent.objects.filter(verb="catalog.domain_created").exists()
    page = client.get(reverse("console:cat_domains")).content.decode()
    assert "统计" in page and "本地增加" in page
    again = client.post(url, {"code": "27", "name": "交通运输"})
    assert again.status_code == 200 and "已存在" in again.content.decode()
    assert Domain.objects.filter(code="27").count() == 1


def test_coverage_form_shows_the_organisation_and_year_it_defaults_to(district: Any) -> None:
    from django.utils import timezone

    html = login(district.officer_a).get(reverse("console:cat_coverage")).content.decode()
    assert f'<option value="{district.dept_a.pk}" selected>' in html
    assert f'value="{timezone.localdate().year}"' in html
