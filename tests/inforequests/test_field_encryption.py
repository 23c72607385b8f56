"""Applicants' ID and phone numbers encrypted at rest, found through a keyed digest
(SECURITY.md #20: 等保2.0 8.1.4.8 b, PIPL 第五十一条 加密)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from gongkai.core import crypto
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.services import request_submit
from tests.conftest import APPLICANT, District

ID = "11010519491231002X"
KEY = crypto.new_master_key()


def _submit(district: District, **data: Any) -> InfoRequest:
    info, _ = request_submit(
        organization=district.dept_a,
        data={**APPLICANT, **data},
        channel="online",
        received_on=timezone.localdate(),
    )
    return info


def _raw(pk: int) -> tuple[str, str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_number_digest, phone_digest "
            "FROM inforequests_inforequest WHERE id = %s",
            [pk],
        )
        row = cursor.fetchone()
    return row[0], row[1], row[2], row[3]


def test_round_trip_and_every_encryption_differs() -> None:
    first = crypto.encrypt_field(ID, context="a.b.c")
    second = crypto.encrypt_field(ID, context="a.b.c")
    assert first != second  # a fresh nonce each time: equal IDs are not visible as equal
    assert crypto.decrypt_field(first, context="a.b.c") == ID


def test_a_token_moved_to_another_column_does_not_decrypt() -> None:
    token = crypto.encrypt_field(ID, context="inforequests.inforequest.id_number")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_field(token, context="inforequests.inforequest.phone")


def test_an_altered_token_is_refused() -> None:
    token = crypto.encrypt_field(ID, context="x")
    body = token[-8:]
    altered = token[:-8] + ("A" if body[0] != "A" else "B") + body[1:]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_field(altered, context="x")


def test_another_key_gives_a_clear_error() -> None:
    token = crypto.encrypt_field(ID, context="x")
    with override_settings(FIELD_KEY=KEY), pytest.raises(crypto.DecryptionError, match="key"):
        crypto.decrypt_field(token, context="x")


def test_malformed_key_is_refused() -> None:
    with override_settings(FIELD_KEY="too-short"), pytest.raises(ImproperlyConfigured):
        crypto.field_keys()


def test_blind_index_is_keyed_and_normalised() -> None:
    plain = crypto.blind_index(ID, context="x")
    assert plain == crypto.blind_index(" 110105 19491231002x ", context="x")
    assert plain == crypto.blind_index("１１０１０５１９４９１２３１００２Ｘ", context="x")
    assert ID not in plain
    with override_settings(FIELD_KEY=KEY):
        assert crypto.blind_index(ID, context="x") != plain


def test_the_database_never_holds_the_plain_id_or_phone(district: District) -> None:
    info = _submit(district)
    id_column, phone_column, id_digest, phone_digest = _raw(info.pk)
    for column in (id_column, phone_column, id_digest, phone_digest):
        assert ID not in column and ID[:14] not in column
        assert "13812345678" not in column
    assert id_column.startswith("gk1:")
    # Reading the object gives the plain values back: other code sees no difference.
    fresh = InfoRequest.objects.get(pk=info.pk)
    assert (fresh.id_number, fresh.phone) == (ID, "13812345678")


def test_lookup_by_id_goes_through_the_digest(district: District) -> None:
    mine = _submit(district)
    _submit(district, id_number="110105194912310038", phone="13900000000")
    other = _submit(district, id_number="440524188001010014", phone="13900000000")
    assert list(InfoRequest.objects.of_applicant(ID)) == [mine]
    assert list(InfoRequest.objects.filter(id_number=ID.lower())) == [mine]
    assert set(InfoRequest.objects.filter(id_number__in=[ID, "440524188001010014"])) == {
        mine,
        other,
    }
    assert InfoRequest.objects.filter(phone="13900000000").count() == 2
    assert not InfoRequest.objects.filter(id_number__in=[]).exists()


def test_searching_inside_an_encrypted_value_is_refused(district: District) -> None:
    _submit(district)
    with pytest.raises(FieldError):
        list(InfoRequest.objects.filter(id_number__icontains="1101"))


def test_saving_again_keeps_the_digest_in_step(district: District) -> None:
    info = _submit(district)
    info.phone = "13700000000"
    info.save()
    assert InfoRequest.objects.filter(phone="13700000000").get() == info
    assert not InfoRequest.objects.filter(phone="13812345678").exists()


def _check_deploy(tmp_path: Any, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GONGKAI_DATA_DIR": str(tmp_path),
        "GONGKAI_HTTPS": "1",
        "GONGKAI_SECRET_KEY": "x" * 20 + "-production-only-" + "y" * 30,
        "GONGKAI_ALLOWED_HOSTS": "gongkai.example",
        "DJANGO_SETTINGS_MODULE": "gongkai.conf.settings",
        **extra,
    }
    env.pop("GONGKAI_DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser fixture in this process
    if "GONGKAI_FIELD_KEY" not in extra:
        env.pop("GONGKAI_FIELD_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_deployment_check_fails_without_a_field_key(tmp_path: Any) -> None:
    result = _check_deploy(tmp_path)
    assert result.returncode != 0
    assert "gongkai.E001" in result.stderr + result.stdout
    assert _check_deploy(tmp_path, GONGKAI_FIELD_KEY=KEY).returncode == 0


@override_settings(DEBUG=False, FIELD_KEY="")
def test_server_refuses_to_start_in_production_without_a_key() -> None:
    with pytest.raises(ImproperlyConfigured):
        crypto.require_production_key()
    with override_settings(FIELD_KEY=KEY):
        crypto.require_production_key()
    with override_settings(DEBUG=True):
        crypto.require_production_key()


def test_bulk_create_encrypts_and_indexes_too(district: District) -> None:
    """Imports and benchmarks insert in bulk: the digest must still be computed."""
    template = _submit(district)
    template.pk = None
    template.number, template.submission_key = "2024-9999-00001", None
    template.id_number = "440524188001010014"
    InfoRequest.objects.bulk_create([template])
    assert InfoRequest.objects.of_applicant("440524188001010014").count() == 1
    assert "440524188001010014" not in _raw(InfoRequest.objects.get(number="2024-9999-00001").pk)[0]


def test_key_change_keeps_data_readable_and_rotate_moves_it_to_the_new_key(
    district: District, capsys: Any
) -> None:
    """Old key in GONGKAI_FIELD_KEY_PREVIOUS: values read and match lookups before the rotation;
    `gongkai fieldkey rotate` re-encrypts them and their digests, and is audited."""
    from django.core.management import CommandError, call_command

    from gongkai.audit.models import AuditEvent

    old, new = KEY, crypto.new_master_key()
    with override_settings(FIELD_KEY=old):
        info = _submit(district, id_number=ID, phone="13812345678")
        old_id = crypto.field_keys().key_id
    with override_settings(FIELD_KEY=new):  # the old key forgotten: a clear refusal
        with pytest.raises(crypto.DecryptionError):
            InfoRequest.objects.get(pk=info.pk)
        with pytest.raises(CommandError, match="GONGKAI_FIELD_KEY_PREVIOUS"):
            call_command("fieldkey", "rotate")
    with override_settings(FIELD_KEY=new, FIELD_KEY_PREVIOUS=old):
        assert InfoRequest.objects.get(pk=info.pk).id_number == ID
        assert InfoRequest.objects.filter(id_number=ID).get().pk == info.pk  # old digest
        assert InfoRequest.objects.filter(phone__in=["13812345678"]).count() == 1
        call_command("fieldkey", "rotate")
        assert "重新加密 1 行" in capsys.readouterr().out
        new_id = crypto.field_keys().key_id
        call_command("fieldkey", "rotate")  # nothing left under the old key
        assert "重新加密 0 行" in capsys.readouterr().out
    token, phone, digest, _ = _raw(info.pk)
    assert crypto.token_key_id(token) == crypto.token_key_id(phone) == new_id != old_id
    with override_settings(FIELD_KEY=new):  # the old key can go
        assert InfoRequest.objects.get(pk=info.pk).phone == "13812345678"
        assert InfoRequest.objects.filter(id_number=ID).get().pk == info.pk
        assert digest == crypto.blind_index(ID, context="inforequests.inforequest.id_number")
    event = AuditEvent.objects.filter(verb="security.field_key_rotated").first()
    assert event is not None and event.after["key_id"] == new_id
