"""Changing the master key of the encrypted personal-data fields (SECURITY.md #20, key
management): with the old key in GONGKAI_FIELD_KEY_PREVIOUS and the new one in GONGKAI_FIELD_KEY,
every value still under an old key is decrypted, encrypted again under the new key and its
lookup digest recomputed, a batch per transaction. Rows already under the new key are left
alone, so an interrupted run can simply be started again; lookups match both digests meanwhile.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connection, models, transaction

from gongkai.audit.services import audit_record
from gongkai.core.crypto import field_keys, token_key_id
from gongkai.core.fields import EncryptedCharField

BATCH = 500


def encrypted_models() -> list[tuple[type[models.Model], list[EncryptedCharField]]]:
    out = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]
        if fields:
            out.append((model, fields))
    return out


def _stale_pks(model: type[models.Model], fields: list[EncryptedCharField], key_id: str) -> list:
    """Primary keys of rows with a value under another key (read raw: nothing is decrypted)."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    pk = connection.ops.quote_name(str(model._meta.pk.column))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {columns} FROM {table}")  # noqa: S608 - names from the models
        return [
            row[0]
            for row in cursor.fetchall()
            if any(v and token_key_id(v) != key_id for v in row[1:])
        ]


def rotate_field_key() -> dict[str, int]:
    """Re-encrypt every value not under the current key; returns rows changed per model."""
    key_id = field_keys().key_id
    changed: dict[str, int] = {}
    for model, fields in encrypted_models():
        stale = _stale_pks(model, fields, key_id)
        for start in range(0, len(stale), BATCH):
            with transaction.atomic():
                names = [f.attname for f in fields]
                for obj in model._default_manager.filter(pk__in=stale[start : start + BATCH]).only(
                    *names
                ):
                    updates: dict[str, Any] = {}
                    for field in fields:
                        value = getattr(obj, field.attname)
                        updates[field.attname] = value
                        if field.index_name:
                            index = field.index_field()
                            updates[index.attname] = index.digest(value)
                    model._default_manager.filter(pk=obj.pk).update(**updates)
        changed[model._meta.label_lower] = len(stale)
    audit_record(
        actor=None,
        actor_name="gongkai fieldkey rotate",
        verb="security.field_key_rotated",
        after={"key_id": key_id, "rows": changed},
    )
    return changed
