"""`gongkai demo` fills the 标准目录 and the register of filed 公文 with plausible figures."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from gongkai.catalogs import selectors
from gongkai.catalogs.models import Adoption, FiledDocument
from gongkai.orgs.models import Organization, User


def test_demo_has_adoptions_gaps_and_rates(db: Any, settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    call_command("demo", stdout=io.StringIO())
    year = timezone.localdate().year
    assert Adoption.objects.values("organization").distinct().count() == (
        Organization.objects.count()
    )
    counts = [
        getattr(item, "published_count", 0)
        for org in Organization.objects.all()
        for item in selectors.coverage(org, year)
    ]
    assert 0 in counts and any(counts)  # both gaps and covered items to show
    linked = FiledDocument.objects.exclude(publication=None)
    assert linked.exists()
    assert not linked.exclude(publication__organization=F("organization")).exists()
    supervisor = User.objects.get(username="gov.supervisor")
    _, rollups = selectors.rate_table(supervisor, year - 1)
    (gov, total, _n), *_ = rollups
    assert gov.depth == 1 and total.rate is not None
    assert Decimal(75) <= total.rate <= Decimal(100)
