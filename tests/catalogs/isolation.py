"""Objects of department A for tests/console/test_isolation.py (标准目录 console URLs)."""

from __future__ import annotations

from typing import Any

from gongkai.catalogs import imports, services
from gongkai.catalogs.models import CatalogItem, FiledDocument
from tests.catalogs.test_excel import row, workbook
from tests.conftest import make_user
from tests.publications.isolation import publication_kwargs


def _filed(district: Any) -> FiledDocument:
    doc = FiledDocument.objects.filter(organization=district.dept_a).first()
    if doc is None:
        doc = services.filed_document_create(
            actor=district.officer_a,
            organization=district.dept_a,
            data={
                "year": 2024,
                "document_number": "测教发〔2024〕1号",
                "title": "测试区教育局2024年招生计划",
                "disclosure_attribute": "proactive",
            },
        )
    return doc


def catalog_kwargs(name: str, district: Any) -> dict[str, Any]:
    if name in ("cat_adopt", "cat_unadopt"):
        item = CatalogItem.objects.filter(organization__isnull=True).first()
        assert item is not None
        services.item_adopt(actor=district.officer_a, organization=district.dept_a, item=item)
        return {"org_pk": district.dept_a.pk, "item_pk": item.pk}
    if name == "cat_pub_items":
        return publication_kwargs("pub_detail", district)
    if name in ("cat_filed_edit", "cat_filed_delete"):
        return {"pk": _filed(district).pk}
    if name == "cat_import_job":
        importer = make_user("importer_iso", officer=district.dept_a, reviewer=district.dept_a)
        job = imports.import_queue(
            actor=importer,
            organization=district.dept_a,
            file_name="目录.xlsx",
            content=workbook(row("第一条")),
            row_count=1,
        )
        return {"pk": job.pk}
    return {}
