"""Where the current request came from, for audit events written deep inside services."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip: str | None = None
    user_agent: str = ""


_origin: ContextVar[RequestOrigin | None] = ContextVar("audit_origin", default=None)
_NOWHERE = RequestOrigin()


def current_origin() -> RequestOrigin:
    return _origin.get() or _NOWHERE


def set_origin(origin: RequestOrigin) -> object:
    return _origin.set(origin)


def reset_origin(token: object) -> None:
    _origin.reset(token)  # type: ignore[arg-type]
