from __future__ import annotations

from typing import Any

import pytest

from gongkai.catalogs.models import CatalogItem, Domain
from gongkai.publications.models import Publication
from tests.publications.conftest import make_draft, publish


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def standard_item(code: str) -> CatalogItem:
    return CatalogItem.objects.get(code=code, organization__isnull=True)


def published(district: Any, **overrides: Any) -> Publication:
    return publish(district, make_draft(district, **overrides))


def domain(code: str) -> Domain:
    return Domain.objects.get(code=code)
