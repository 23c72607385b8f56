"""The crypto seam for personal data at rest (SECURITY.md #20; 等保2.0 8.1.4.8 b; PIPL 第五十一条).

Named operations only: `encrypt_field`, `decrypt_field`, `blind_index`. The default back-end is
AES-256-GCM for the value and HMAC-SHA256 for the blind index (equality lookups without
decrypting). Both keys are derived with HKDF from one master key, `GONGKAI_FIELD_KEY`
(32 random bytes, base64). Without it a development key is derived from the secret key; the
deployment check fails and the server refuses to start outside DEBUG, so production data is
never protected by a key that lives next to it.

A token is `gk1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>`. The key id (8 hex digits of a
digest of the key) makes "encrypted under another key" a clear error instead of a failed tag,
and lets a key change proceed row by row: keys listed in `GONGKAI_FIELD_KEY_PREVIOUS` still
decrypt and still answer lookups (`blind_indexes`) until `gongkai fieldkey rotate` is done.
The additional data binds a token to its column, so a ciphertext copied into another column
does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from gongkai.core.text import normalize_code

PREFIX = "gk1"
NONCE_BYTES = 12


class DecryptionError(ValueError):
    pass


@dataclass(frozen=True)
class FieldKeys:
    encryption: bytes
    index: bytes
    key_id: str
    development: bool


def parse_master_key(raw: str) -> bytes:
    """32 bytes from standard or URL-safe base64 (as printed by `gongkai fieldkey`)."""
    text = raw.strip()
    try:
        key = base64.urlsafe_b64decode(text.replace("+", "-").replace("/", "_") + "==")
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured("GONGKAI_FIELD_KEY 不是有效的 base64。") from exc
    if len(key) != 32:
        raise ImproperlyConfigured("GONGKAI_FIELD_KEY 应为32字节（base64 编码）。")
    return key


def new_master_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


def _hkdf(master: bytes, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(master)


@lru_cache(maxsize=4)
def _derive(field_key: str, secret_key: str) -> FieldKeys:
    development = not field_key
    if development:
        master = hashlib.sha256(b"gongkai development field key\0" + secret_key.encode()).digest()
    else:
        master = parse_master_key(field_key)
    return FieldKeys(
        encryption=_hkdf(master, b"gongkai field encryption v1"),
        index=_hkdf(master, b"gongkai blind index v1"),
        key_id=hashlib.sha256(b"key id\0" + master).hexdigest()[:8],
        development=development,
    )


def field_keys() -> FieldKeys:
    return _derive(settings.FIELD_KEY, settings.SECRET_KEY)


def previous_field_keys() -> tuple[FieldKeys, ...]:
    """Keys of GONGKAI_FIELD_KEY_PREVIOUS, during a key change."""
    raw = getattr(settings, "FIELD_KEY_PREVIOUS", "") or ""
    return tuple(
        _derive(part.strip(), settings.SECRET_KEY) for part in raw.split(",") if part.strip()
    )


def token_key_id(token: str) -> str:
    """The key id a token was encrypted under ("" for anything else)."""
    parts = token.split(":", 2)
    return parts[1] if len(parts) == 3 and parts[0] == PREFIX else ""


def require_production_key() -> None:
    """Refuse to serve real data without a real key (called when a server starts)."""
    if not settings.DEBUG and field_keys().development:
        raise ImproperlyConfigured(
            "未设置 GONGKAI_FIELD_KEY：生产环境必须配置个人信息加密密钥"
            "（用 `gongkai fieldkey` 生成，保存在密钥管理系统中）。"
        )


def encrypt_field(plain: str, *, context: str) -> str:
    keys = field_keys()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(keys.encryption).encrypt(nonce, plain.encode(), context.encode())
    return f"{PREFIX}:{keys.key_id}:{base64.b64encode(nonce + sealed).decode()}"


def is_token(value: str) -> bool:
    return value.startswith(PREFIX + ":")


def decrypt_field(token: str, *, context: str) -> str:
    keys = field_keys()
    try:
        prefix, key_id, body = token.split(":", 2)
    except ValueError as exc:
        raise DecryptionError("not an encrypted value") from exc
    if prefix != PREFIX:
        raise DecryptionError("not an encrypted value")
    if key_id != keys.key_id:
        known = {k.key_id: k for k in previous_field_keys()}
        if key_id not in known:
            raise DecryptionError(f"encrypted under key {key_id}, configured key is {keys.key_id}")
        keys = known[key_id]
    raw = base64.b64decode(body)
    try:
        plain = AESGCM(keys.encryption).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()
        )
    except Exception as exc:  # cryptography raises InvalidTag
        raise DecryptionError("value does not decrypt (altered, or another column)") from exc
    return plain.decode()


def blind_index(value: str, *, context: str) -> str:
    """HMAC-SHA256 of the normalised value (NFKC, no spaces or hyphens, upper case): equal values give equal digests, and the digest
    reveals nothing without the key (an ID number has too little entropy for a plain hash)."""
    if not value:
        return ""
    return _digest(field_keys(), value, context)


def blind_indexes(value: str, *, context: str) -> list[str]:
    """The digests of `value` under the current key and every previous one: what a lookup
    must match while a key change is under way."""
    if not value:
        return [""]
    return [_digest(k, value, context) for k in (field_keys(), *previous_field_keys())]


def _digest(keys: FieldKeys, value: str, context: str) -> str:
    message = context.encode() + b"\0" + normalize_code(value).encode()
    return hmac.new(keys.index, message, hashlib.sha256).hexdigest()
