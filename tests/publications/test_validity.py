"""有效性 chains (amended / repealed / expired), table 二 of the annual report, interpretations
and 三同步."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.publications import selectors, services
from gongkai.publications.constants import Status, Validity
from gongkai.publications.models import Publication
from tests.publications.conftest import make_draft, publish, published_amendment


def test_amendment_makes_the_old_version_amended(district: Any) -> None:
    old = publish(district, make_draft(district))
    new = services.publication_amend(actor=district.officer_a, publication=old)
    assert new.amends == old and new.status == Status.DRAFT and new.title == old.title
    with pytest.raises(ValidationError):  # one amendment at a time
        services.publication_amend(actor=district.officer_a, publication=old)
    services.publication_update(
        actor=district.officer_a,
        publication=new,
        data={"document_number": "测教发〔2025〕1号", "written_on": date(2025, 1, 2)},
    )
    publish(district, new)
    old.refresh_from_db()
    assert old.validity == Validity.AMENDED and old.ceased_on == timezone.localdate()
    assert selectors.current_version(old) == Publication.objects.get(pk=new.pk)


def test_repeal_through_a_repealing_document(district: Any) -> None:
    old = publish(district, make_draft(district))
    repealing = services.publication_create(
        actor=district.officer_a,
        organization=district.dept_a,
        data={
            "title": "关于废止部分规范性文件的决定",
            "written_on": date(2025, 6, 1),
            "statutory_category": "20-01",
            "topic": "0201",
            "effective_on": date(2025, 7, 1),
        },
        repeals=[old],
    )
    publish(district, repealing)
    old.refresh_from_db()
    assert old.validity == Validity.REPEALED and old.ceased_on == date(2025, 7, 1)
    assert list(old.repealed_by.all()) == [repealing]


def _repealing(district: Any, *targets: Publication, title: str = "关于废止部分文件的决定") -> Any:
    return publish(
        district,
        services.publication_create(
            actor=district.officer_a,
            organization=district.dept_a,
            data={
                "title": title,
                "written_on": date(2025, 6, 1),
                "statutory_category": "20-01",
                "topic": "0201",
            },
            repeals=list(targets),
        ),
    )


def test_withdrawing_an_amendment_published_by_mistake_restores_the_old_version(
    district: Any,
) -> None:
    old, new = published_amendment(district)
    assert services.ended_only_by(new) == [old]
    services.publication_withdraw(
        actor=district.reviewer_a, publication=new, reason="误发", restore_ended=True
    )
    old.refresh_from_db()
    assert old.validity == Validity.VALID and old.ceased_on is None
    assert selectors.current_version(old) == old
    verbs = AuditEvent.objects.filter(object_id=str(old.pk)).values_list("verb", flat=True)
    assert "publication.validity_changed" in verbs
    restored = AuditEvent.objects.get(object_id=str(old.pk), verb="publication.validity_changed")
    assert restored.reason == "修改或废止它的《关于印发〈测试区义务教育阶段入学办法〉的通知》已撤回"
    # In force again, it can be amended again.
    assert services.publication_amend(actor=district.officer_a, publication=old).amends == old


def test_withdrawing_a_version_since_amended_again_restores_nothing(district: Any) -> None:
    """X → A → A2: withdrawing A must not put X back in force beside A2."""
    old, first = published_amendment(district)
    second = services.publication_amend(actor=district.officer_a, publication=first)
    services.publication_update(
        actor=district.officer_a, publication=second, data={"written_on": date(2025, 3, 1)}
    )
    publish(district, second)
    first.refresh_from_db()
    assert services.ended_only_by(first) == []
    services.publication_withdraw(
        actor=district.reviewer_a, publication=first, reason="误发", restore_ended=True
    )
    old.refresh_from_db()
    assert old.validity == Validity.AMENDED


def test_withdrawing_a_repeal_keeps_an_amended_document_amended(district: Any) -> None:
    old, _new = published_amendment(district)
    repealing = _repealing(district, old)
    old.refresh_from_db()
    assert old.validity == Validity.REPEALED
    services.publication_withdraw(
        actor=district.reviewer_a, publication=repealing, reason="误发", restore_ended=True
    )
    old.refresh_from_db()
    assert old.validity != Validity.VALID  # its amendment is still in force


def test_withdrawing_without_restoring_leaves_the_repeal_standing(district: Any) -> None:
    old = publish(district, make_draft(district))
    repealing = _repealing(district, old)
    services.publication_withdraw(actor=district.reviewer_a, publication=repealing, reason="更正")
    old.refresh_from_db()
    assert old.validity == Validity.REPEALED


def test_a_document_repealed_twice_stays_repealed_when_one_repeal_is_withdrawn(
    district: Any,
) -> None:
    both, only_first = (
        publish(district, make_draft(district)),
        publish(district, make_draft(district, title="另一份规范性文件")),
    )
    first = _repealing(district, both, only_first)
    _repealing(district, both, title="关于废止某文件的决定")
    assert services.ended_only_by(first) == [only_first]
    services.publication_withdraw(
        actor=district.reviewer_a, publication=first, reason="误发", restore_ended=True
    )
    both.refresh_from_db(), only_first.refresh_from_db()
    assert both.validity == Validity.REPEALED and only_first.validity == Validity.VALID


def test_a_non_normative_document_may_only_be_restored_to_valid(district: Any) -> None:
    old = publish(district, make_draft(district, normative_kind=""))
    _repealing(district, old)
    old.refresh_from_db()
    assert old.validity == Validity.REPEALED
    args = {"actor": district.reviewer_a, "publication": old, "on": date(2025, 8, 1)}
    with pytest.raises(ValidationError):
        services.publication_set_validity(**args, validity=Validity.EXPIRED, reason="x")
    services.publication_set_validity(**args, validity=Validity.VALID, reason="误废止")
    old.refresh_from_db()
    assert old.validity == Validity.VALID
    with pytest.raises(ValidationError):  # in force and not normative: nothing to set
        services.publication_set_validity(**args, validity=Validity.REPEALED, reason="x")


def test_only_published_documents_can_be_repealed(district: Any) -> None:
    draft = make_draft(district)
    with pytest.raises(ValidationError):
        services.publication_create(
            actor=district.officer_a,
            organization=district.dept_a,
            data={"title": "废止决定", "statutory_category": "20-01"},
            repeals=[draft],
        )


def test_expiry_task_marks_expired_documents(district: Any) -> None:
    pub = publish(
        district, make_draft(district, expires_on=timezone.localdate() + timedelta(days=10))
    )
    assert services.expire_documents(timezone.localdate()) == 0
    assert services.expire_documents(timezone.localdate() + timedelta(days=11)) == 1
    pub.refresh_from_db()
    assert pub.validity == Validity.EXPIRED and pub.ceased_on == pub.expires_on


def _normative(org: Any, kind: str, written: date, **fields: Any) -> Publication:
    seq = Publication.objects.count() + 1
    return Publication.objects.create(
        organization=org,
        title=f"文件{seq}",
        normative_kind=kind,
        written_on=written,
        published_on=fields.pop("published_on", written),
        status=fields.pop("status", Status.PUBLISHED),
        index_number=fields.pop("index_number", f"T-{seq}"),
        **fields,
    )


def test_table2_counts_issued_repealed_and_in_force(district: Any) -> None:
    """Annual report table 二, 第二十条第（一）项: 本年制发, 本年废止, 现行有效 (31 December)."""
    a, b = district.dept_a, district.dept_b
    _normative(a, "normative", date(2023, 5, 1))  # in force since last year
    _normative(a, "normative", date(2024, 2, 1))  # issued this year
    _normative(a, "normative", date(2023, 1, 1), validity="repealed", ceased_on=date(2024, 6, 1))
    _normative(a, "normative", date(2024, 3, 1), validity="amended", ceased_on=date(2024, 9, 1))
    _normative(a, "normative", date(2024, 4, 1), expires_on=date(2024, 10, 1))  # expired
    _normative(a, "normative", date(2024, 12, 30), effective_on=date(2025, 1, 1))  # not yet
    _normative(a, "rule", date(2024, 7, 1))
    _normative(a, "normative", date(2024, 8, 1), status=Status.DRAFT, index_number=None)
    _normative(a, "", date(2024, 8, 1))  # not a normative document
    _normative(b, "normative", date(2024, 8, 1))
    counts = selectors.table2_counts([a.pk, b.pk, district.street.pk], 2024)
    assert counts[a.pk] == {
        "regulations": {"issued": 1, "repealed": 0, "in_force": 1},
        "normative_documents": {"issued": 4, "repealed": 1, "in_force": 2},
    }
    assert counts[b.pk]["normative_documents"] == {"issued": 1, "repealed": 0, "in_force": 1}
    assert counts[district.street.pk]["regulations"] == {"issued": 0, "repealed": 0, "in_force": 0}


def test_interpretation_is_linked_both_ways_and_clears_the_three_sync_flag(district: Any) -> None:
    doc = publish(district, make_draft(district))
    today = timezone.localdate()
    later = today + timedelta(days=30)
    assert selectors.missing_interpretations(Publication.objects.all(), later) == [doc]
    interpretation = services.interpretation_create(
        actor=district.officer_a,
        document=doc,
        organization=district.dept_a,
        form="graphic",
        data={"title": "一图读懂入学办法", "written_on": today, "statutory_category": "20-01",
              "topic": "1102"},
    )  # fmt: skip
    publish(district, interpretation.publication)
    assert interpretation.document == doc
    assert list(selectors.interpretations_of(doc)) == [interpretation.publication]
    assert interpretation.publication.index_number != doc.index_number
    assert selectors.missing_interpretations(Publication.objects.all(), later) == []


def test_timeliness_per_organisation(district: Any) -> None:
    """条例第二十六条 per organisation: on time by 发布日期 against the cached deadline."""
    today = timezone.localdate()
    on_time = publish(district, make_draft(district, written_on=today))
    late = publish(district, make_draft(district, written_on=today - timedelta(days=60)))
    pending = make_draft(district, written_on=today - timedelta(days=60))
    assert on_time.publish_due_on and late.publish_due_on and pending.publish_due_on
    (row,) = selectors.timeliness_by_org([district.dept_a.pk], today.year, today)
    assert (row.published, row.on_time, row.late, row.pending_overdue) == (2, 1, 1, 1)
    item = selectors.item_timeliness(Publication.objects.get(pk=late.pk), today)
    assert item is not None and not item.on_time
