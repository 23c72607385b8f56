"""Rate limits for the public forms (online application, progress lookup).

Fixed windows counted in Django's cache, so they work with the local-memory cache of a single
node and with Redis when several nodes share it. Counters are keyed by a keyed hash of the
client IP address or of the applicant's ID number: the cache never holds personal data in
clear text.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac


@dataclass(frozen=True)
class Limit:
    """At most `limit` hits per identity in a window of `window` seconds."""

    name: str
    limit: int
    window: int


# Limits for the public side. Generous for a person applying in good faith (a family or a
# lawyer's office behind one address files a few applications an hour), tight enough to stop
# scripted floods and guessing of tracking codes. Change them here; no setting is needed.
# Online applications created per client IP address per hour.
SUBMIT_PER_IP = Limit("apply-ip", 10, 3600)
# Online applications created per applicant (normalised ID number) per day.
SUBMIT_PER_APPLICANT = Limit("apply-applicant", 5, 86400)
# Failed progress lookups (wrong number or tracking code) per client IP address per hour.
TRACK_FAILURES_PER_IP = Limit("track-ip", 20, 3600)

_SALT = "gongkai.portal.ratelimit"


def client_ip(request: HttpRequest) -> str:
    """The client address as django-axes resolves it (honours the proxy settings)."""
    return get_client_ip_address(request) or "unknown"


def _key(limit: Limit, identity: str, now: float | None = None) -> str:
    bucket = int((time.time() if now is None else now) // limit.window)
    digest = salted_hmac(_SALT, identity, algorithm="sha256").hexdigest()[:32]
    return f"ratelimit:{limit.name}:{bucket}:{digest}"


def count(limit: Limit, identity: str) -> int:
    """Hits so far in the current window."""
    return int(cache.get(_key(limit, identity), 0))


def exceeded(limit: Limit, identity: str) -> bool:
    """True when the identity has used up its hits for the current window."""
    return count(limit, identity) >= limit.limit


def hit(limit: Limit, identity: str) -> int:
    """Count one hit and return the new total for the current window."""
    key = _key(limit, identity)
    # add() only creates a missing key; incr() is atomic in locmem and Redis. The extra second
    # of lifetime keeps the key alive to the end of its window.
    if cache.add(key, 1, timeout=limit.window + 1):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=limit.window + 1)
        return 1
