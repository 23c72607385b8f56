"""等保2.0 8.1.4.3: every user's important actions are audited; the log is append-only and
tampering is detectable."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from gongkai.audit.chain import verify
from gongkai.audit.models import AppendOnlyError, AuditEvent
from gongkai.audit.services import audit_record
from gongkai.orgs import services
from tests.conftest import District


def test_service_writes_one_event_with_actor_before_after(district: District) -> None:
    services.organization_update(
        actor=district.admin_a, organization=district.dept_a, phone="0571-88001234"
    )
    event = AuditEvent.objects.filter(verb="org.updated").get()
    assert event.actor == district.admin_a
    assert event.organization == district.dept_a
    assert event.before == {"phone": ""}
    assert event.after == {"phone": "0571-88001234"}
    assert event.outcome == "success"


def test_unchanged_update_writes_nothing(district: District) -> None:
    before = AuditEvent.objects.count()
    services.organization_update(
        actor=district.admin_a, organization=district.dept_a, name=district.dept_a.name
    )
    assert AuditEvent.objects.count() == before


def test_no_update_or_delete_path_in_code(district: District) -> None:
    event = audit_record(actor=district.officer_a, verb="test.something")
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_database_refuses_update_even_in_raw_sql(district: District) -> None:
    event = audit_record(actor=district.officer_a, verb="test.something")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'forged' WHERE id = %s", [event.pk])


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="SQLite keeps DELETE for test flushes"
)
def test_postgresql_refuses_delete_in_raw_sql(district: District) -> None:
    event = audit_record(actor=district.officer_a, verb="test.something")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


def test_hash_chain_is_intact_after_normal_writes(district: District) -> None:
    for i in range(5):
        audit_record(actor=district.officer_a, verb="test.n", after={"i": i, "名称": "中文"})
    assert verify(AuditEvent.objects.order_by("id")) == []
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "哈希链无断点" in out.getvalue()


def test_verify_finds_an_edited_row(district: District) -> None:
    audit_record(actor=district.officer_a, verb="test.a")
    target = audit_record(actor=district.officer_a, verb="test.b")
    audit_record(actor=district.officer_a, verb="test.c")
    rows = list(AuditEvent.objects.order_by("id"))
    forged = next(r for r in rows if r.pk == target.pk)
    forged.reason = "篡改"  # in memory: as if someone bypassed the triggers
    breaks = verify(rows)
    assert [b.event_id for b in breaks] == [target.pk]
    assert "被修改" in breaks[0].problem


def test_verify_finds_a_removed_row(district: District) -> None:
    audit_record(actor=district.officer_a, verb="test.a")
    removed = audit_record(actor=district.officer_a, verb="test.b")
    after = audit_record(actor=district.officer_a, verb="test.c")
    rows = [r for r in AuditEvent.objects.order_by("id") if r.pk != removed.pk]
    breaks = verify(rows)
    assert [b.event_id for b in breaks] == [after.pk]


def test_verify_command_exits_1_on_tampering(district: District) -> None:
    audit_record(actor=district.officer_a, verb="test.a")
    if connection.vendor == "sqlite":
        # SQLite has no DELETE trigger: removing a middle row must be caught by the chain.
        audit_record(actor=district.officer_a, verb="test.b")
        middle = AuditEvent.objects.order_by("-id")[1]
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [middle.pk])
        err = io.StringIO()
        with pytest.raises(SystemExit) as exc:
            call_command("audit", "verify", stderr=err)
        assert exc.value.code == 1
        assert "断开" in err.getvalue()


def test_login_success_and_failure_are_audited(client, district: District) -> None:  # type: ignore[no-untyped-def]
    client.post("/console/login/", {"username": "officer_a", "password": "wrong-password"})
    failed = AuditEvent.objects.filter(verb="auth.login_failed").get()
    assert failed.actor_name == "officer_a" and failed.outcome == "failure"
    assert failed.ip == "127.0.0.1"
    from tests.conftest import PASSWORD

    client.post("/console/login/", {"username": "officer_a", "password": PASSWORD})
    assert AuditEvent.objects.filter(verb="auth.login", actor=district.officer_a).exists()


def test_passwords_never_reach_the_audit_log(client, district: District) -> None:  # type: ignore[no-untyped-def]
    client.post("/console/login/", {"username": "officer_a", "password": "Secret-Wrong-9"})
    for event in AuditEvent.objects.all():
        assert (
            "Secret-Wrong-9" not in f"{event.before}{event.after}{event.reason}{event.object_repr}"
        )
