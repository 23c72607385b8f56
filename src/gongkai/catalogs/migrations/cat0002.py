"""Load the 26 areas of 基层政务公开标准化规范化 (RULES.md §4) and the example standard items.

Reads the JSON files directly (no app code imported), so it keeps working as the app changes.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "codelists"


def load(apps, schema_editor):
    Domain = apps.get_model("catalogs", "Domain")
    CatalogItem = apps.get_model("catalogs", "CatalogItem")
    domains = json.loads((DATA / "domains.json").read_text(encoding="utf-8"))["domains"]
    by_code = {}
    for d in domains:
        by_code[d["code"]], _ = Domain.objects.get_or_create(
            code=d["code"],
            defaults={"name": d["name"], "note": d.get("note", ""), "is_standard": True},
        )
    items = json.loads((DATA / "standard_items.json").read_text(encoding="utf-8"))["items"]
    for it in items:
        fields = {k: v for k, v in it.items() if k not in ("domain", "code")}
        CatalogItem.objects.get_or_create(
            domain=by_code[it["domain"]], code=it["code"], organization=None, defaults=fields
        )


def unload(apps, schema_editor):
    apps.get_model("catalogs", "CatalogItem").objects.filter(organization=None).delete()
    apps.get_model("catalogs", "Domain").objects.filter(is_standard=True).delete()


class Migration(migrations.Migration):
    dependencies = [("catalogs", "0001_catalogs_and_filed_documents")]
    operations = [migrations.RunPython(load, unload)]
