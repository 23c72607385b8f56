"""Objects of department A for tests/console/test_isolation.py (主动公开 console URLs)."""

from __future__ import annotations

from typing import Any

from gongkai.publications import services
from gongkai.publications.models import Attachment, PiiFinding, Publication

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _objects(district: Any) -> tuple[Publication, Attachment, PiiFinding]:
    pub = Publication.objects.filter(organization=district.dept_a).first()
    if pub is None:
        pub = services.publication_create(
            actor=district.officer_a,
            organization=district.dept_a,
            data={"title": "测试区教育局2024年招生计划", "statutory_category": "20-11"},
        )
        services.attachment_add(
            actor=district.officer_a, publication=pub, data=PNG, name="plan.png"
        )
        PiiFinding.objects.create(
            publication=pub, kind="mobile", excerpt="138****5678", fingerprint="x"
        )
    return pub, pub.attachments.get(), pub.pii_findings.get()


def publication_kwargs(name: str, district: Any) -> dict[str, Any]:
    pub, attachment, finding = _objects(district)
    if name.startswith("pub_attachment_") and name != "pub_attachment_add":
        return {"pk": attachment.pk}
    if name.startswith("pub_pii_"):
        return {"pk": finding.pk}
    if name in ("pub_list", "pub_create", "pub_review_queue", "pub_timeliness"):
        return {}
    return {"pk": pub.pk}
