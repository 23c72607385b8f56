from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache

from gongkai.publications import services
from gongkai.publications.models import Publication
from tests.publications.conftest import draft_data, publish, tiny_pdf


@pytest.fixture(autouse=True)
def _media_and_cache(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # rate-limit counters
    yield
    cache.clear()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """Run the on-commit hooks (search indexing) of what happens inside the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def published(district: Any, on_commit: Any) -> Callable[..., Publication]:
    """published(pdf_text=None, **draft fields) → a published document of department A,
    indexed for search; with pdf_text, it carries a PDF attachment with that text."""

    def make(*, pdf_text: str | None = None, **overrides: Any) -> Publication:
        with on_commit():
            pub = services.publication_create(
                actor=district.officer_a,
                organization=district.dept_a,
                data=draft_data(**overrides),
            )
            if pdf_text is not None:
                att = services.attachment_add(
                    actor=district.officer_a,
                    publication=pub,
                    data=tiny_pdf(pdf_text, author="Zhang San"),
                    name="附件1.pdf",
                    title="入学办法全文",
                )
                services.attachment_process(att.pk)
            publish(district, pub)
        pub.refresh_from_db()
        return pub

    return make


@pytest.fixture
def interpretation_of(district: Any, on_commit: Any) -> Callable[..., Publication]:
    def make(
        document: Publication,
        *,
        form: str = "text",
        media_url: str = "",
        speaker: str = "",
        **overrides: Any,
    ) -> Publication:
        with on_commit():
            link = services.interpretation_create(
                actor=district.officer_a,
                document=document,
                organization=district.dept_a,
                form=form,
                media_url=media_url,
                speaker=speaker,
                data=draft_data(
                    title="《测试区义务教育阶段入学办法》政策解读",
                    document_number="",
                    normative_kind="",
                    genre="interpretation",
                    **overrides,
                ),
            )
            publish(district, link.publication)
        return Publication.objects.get(pk=link.publication_id)

    return make


def bulk_published(org: Any, count: int, **fields: Any) -> list[Publication]:
    """Published rows written directly (for list and pagination tests, where the workflow
    itself is not under test)."""
    from datetime import date

    from django.utils import timezone

    start = Publication.objects.count()
    rows = []
    for i in range(count):
        values: dict[str, Any] = {
            "title": f"测试信息{start + i:03d}",
            "published_on": date(2024, 1, 1),
            "statutory_category": "20-05",
            "topic": "1102",
        }
        values.update(fields)
        rows.append(
            Publication(
                organization=org,
                status="published",
                index_number=f"T/{start + i:05d}",
                published_at=timezone.now(),
                **values,
            )
        )
    return Publication.objects.bulk_create(rows)
