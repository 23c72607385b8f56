"""The data migration encrypts applications stored before encryption, and reverses cleanly
(SECURITY.md #20: existing rows are not left in clear)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongkai.core.crypto import blind_index, decrypt_field

BEFORE = [("inforequests", "0001_initial")]
AFTER = [("inforequests", "0002_encrypt_applicant_id_and_phone")]
ID = "11010519491231002X"


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _raw_row(*columns: str) -> tuple[str, ...]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM inforequests_inforequest")  # noqa: S608
        return tuple(cursor.fetchone())


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_encrypted_and_the_migration_reverses() -> None:
    executor = _migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Organization = apps.get_model("orgs", "Organization")
    InfoRequest = apps.get_model("inforequests", "InfoRequest")
    org = Organization.objects.create(
        name="迁移测试局",
        org_type="department",
        credit_code="11339905TT0000010X",
        path="0009",
        depth=1,
    )
    InfoRequest.objects.create(
        organization=org,
        number="2020-0001-00001",
        tracking_code="ABCDEFGH",
        channel="post",
        received_on="2020-01-06",
        applicant_type="natural_person",
        applicant_name="张三",
        id_document="resident_id",
        id_number=ID,
        phone="13812345678",
        subject="某信息",
        provision_form="paper",
        delivery_way="post",
    )
    try:
        _migrate(AFTER)
        id_column, phone_column, digest = _raw_row("id_number", "phone", "id_number_digest")
        assert ID not in id_column and "13812345678" not in phone_column
        context = "inforequests.inforequest.id_number"
        assert decrypt_field(id_column, context=context) == ID
        assert digest == blind_index(ID, context=context)
        _migrate(BEFORE)
        assert _raw_row("id_number", "phone") == (ID, "13812345678")
    finally:
        _migrate(executor.loader.graph.leaf_nodes())
