"""Model fields for personal data encrypted at rest (SECURITY.md #20).

`EncryptedCharField` behaves like a CharField in Python (forms, validation, attribute access
give the plain value) and stores an AES-GCM token in a text column. Equality lookups
(`filter(id_number=x)`, `__in`) are answered through the sibling `BlindIndexField`, so code
that looks an applicant up by ID number keeps working; any other lookup (contains, ordering by
value…) raises, because the database cannot see the value.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldError
from django.db import models
from django.db.models import Lookup
from django.db.models.expressions import Col

from gongkai.core.crypto import blind_index, blind_indexes, decrypt_field, encrypt_field


def _context(field: models.Field[Any, Any]) -> str:
    return f"{field.model._meta.label_lower}.{field.name}"


class EncryptedCharField(models.CharField):
    """`max_length` limits the plain value; the column is text. `index` names the
    BlindIndexField that answers equality lookups (optional)."""

    def __init__(self, *args: Any, index: str = "", **kwargs: Any) -> None:
        self.index_name = index
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.index_name:
            kwargs["index"] = self.index_name
        return name, path, args, kwargs

    def db_type(self, connection: Any) -> str | None:
        return models.TextField().db_type(connection)

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if not value:
            return value
        return decrypt_field(value, context=_context(self))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        value = super().get_db_prep_value(value, connection, prepared)
        if value is None or value == "":
            return value
        return encrypt_field(str(value), context=_context(self))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name in ("exact", "in", "isnull"):
            return super().get_lookup(lookup_name)
        return None  # Django reports "Unsupported lookup"

    def index_field(self) -> BlindIndexField:
        if not self.index_name:
            raise FieldError(f"{_context(self)} is encrypted and has no blind index to filter on")
        field = self.model._meta.get_field(self.index_name)
        assert isinstance(field, BlindIndexField)
        return field


class BlindIndexField(models.CharField):
    """HMAC digest of another field's value, computed on every save (never edited)."""

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key in ("max_length", "editable", "blank", "default", "db_index"):
            kwargs.pop(key, None)
        return name, path, args, kwargs

    def digest(self, value: Any) -> str:
        return blind_index(
            str(value or ""), context=f"{self.model._meta.label_lower}.{self.source}"
        )

    def digests(self, value: Any) -> list[str]:
        """Under the current and any previous key (rows not yet rotated still match)."""
        return blind_indexes(
            str(value or ""), context=f"{self.model._meta.label_lower}.{self.source}"
        )

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.digest(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


class _ThroughIndex(Lookup):
    """Compare the blind index column instead of the (randomised) ciphertext."""

    prepare_rhs = False
    can_use_none_as_rhs = False

    def get_prep_lookup(self) -> Any:
        if hasattr(self.rhs, "resolve_expression"):
            raise FieldError("encrypted fields compare only with plain values")
        return self.rhs

    def _index_sql(self, compiler: Any, connection: Any) -> tuple[BlindIndexField, str, list[Any]]:
        if not isinstance(self.lhs, Col):
            raise FieldError("encrypted fields cannot be transformed in a query")
        field = self.lhs.target
        assert isinstance(field, EncryptedCharField)
        index = field.index_field()
        sql, params = compiler.compile(Col(self.lhs.alias, index))
        return index, sql, list(params)


@EncryptedCharField.register_lookup
class EncryptedExact(_ThroughIndex):
    lookup_name = "exact"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        index, sql, params = self._index_sql(compiler, connection)
        digests = index.digests(self.rhs)
        if len(digests) == 1:
            return f"{sql} = %s", (*params, digests[0])
        return f"{sql} IN ({', '.join(['%s'] * len(digests))})", (*params, *digests)


@EncryptedCharField.register_lookup
class EncryptedIn(_ThroughIndex):
    lookup_name = "in"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        index, sql, params = self._index_sql(compiler, connection)
        digests = sorted({d for value in self.rhs for d in index.digests(value)})
        if not digests:
            return "1 = 0", ()
        marks = ", ".join(["%s"] * len(digests))
        return f"{sql} IN ({marks})", (*params, *digests)
