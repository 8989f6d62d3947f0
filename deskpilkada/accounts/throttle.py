"""Login throttling that a rival cannot turn against the desk's users.

Failures are counted per username *and* client address, so that nobody can lock a user out from
another machine or lock out everyone behind one office address by guessing one name:

- the same username from the same address is first slowed down (after LOGIN_THROTTLE_SLOW_AFTER
  failures each further try waits 5 s, then 10 s, 20 s …), then, after LOGIN_THROTTLE_LIMIT
  failures, refused for LOGIN_THROTTLE_WINDOW seconds;
- one address is refused for the window after LOGIN_THROTTLE_ADDRESS_LIMIT failures over any
  usernames (password spraying), a limit wide enough for a busy office behind one NAT.

A success clears the pair's count. Every lock-out is written to the audit log. The counts live in
the default cache (the database cache table, or Redis), shared by every server process.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from deskpilkada.accounts.models import User
from deskpilkada.audit.log import area_of, record

SLOW_BASE_SECONDS = 5


def now() -> float:
    return time.time()


def _pair(username: str, ip: str | None) -> str:
    digest = hashlib.sha256(f"{username.lower()[:150]}\x00{ip or '-'}".encode()).hexdigest()[:32]
    return f"login:pair:{digest}"


def _address(ip: str | None) -> str:
    return f"login:ip:{ip or '-'}"


@dataclass(frozen=True)
class Wait:
    seconds: int  # 0: the attempt may go ahead
    locked: bool  # a lock-out (pair or address), not a short slow-down

    def __bool__(self) -> bool:
        return self.seconds > 0


def _failures(key: str) -> int:
    return cache.get(f"{key}:n") or 0


def _until(key: str) -> float:
    return cache.get(f"{key}:until") or 0.0


def check(username: str, ip: str | None) -> Wait:
    """How long the client must wait before this attempt may be checked (Wait(0) when it may)."""
    t = now()
    address_until = _until(_address(ip))
    if address_until > t:
        return Wait(int(address_until - t) + 1, True)
    pair = _pair(username, ip)
    pair_until = _until(pair)
    if pair_until > t:
        return Wait(int(pair_until - t) + 1, _failures(pair) >= settings.LOGIN_THROTTLE_LIMIT)
    return Wait(0, False)


def _bump(key: str, limit: int, slow_after: int | None) -> bool:
    """One more failure on `key` (an atomic counter of the shared cache); whether a lock-out began now."""
    window = settings.LOGIN_THROTTLE_WINDOW
    if cache.add(f"{key}:n", 1, window):
        failures = 1
    else:
        try:
            failures = cache.incr(f"{key}:n")
        except ValueError:  # expired in between
            cache.set(f"{key}:n", 1, window)
            failures = 1
    if failures >= limit:
        cache.set(f"{key}:until", now() + window, window)
        return failures == limit
    if slow_after is not None and failures >= slow_after:
        cache.set(f"{key}:until", now() + SLOW_BASE_SECONDS * 2 ** (failures - slow_after), window)
    return False


def note_failure(username: str, ip: str | None) -> Wait:
    """Count a failed attempt; returns the wait it imposes on the next one, and audits a lock-out."""
    pair_locked = _bump(_pair(username, ip), settings.LOGIN_THROTTLE_LIMIT, settings.LOGIN_THROTTLE_SLOW_AFTER)
    address_locked = _bump(_address(ip), settings.LOGIN_THROTTLE_ADDRESS_LIMIT, None)
    for scope, began in (("username+address", pair_locked), ("address", address_locked)):
        if began:
            subject = User.objects.filter(username__iexact=username).first()
            record(
                "accounts.login_locked",
                by=None,
                target_repr=username[:150],
                area=area_of(subject),
                after={"scope": scope, "seconds": settings.LOGIN_THROTTLE_WINDOW},
            )
    return check(username, ip)


def note_success(username: str, ip: str | None) -> None:
    pair = _pair(username, ip)
    cache.delete_many([f"{pair}:n", f"{pair}:until"])
