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


def _state(key: str) -> dict:
    return cache.get(key) or {"failures": 0, "until": 0.0}


def check(username: str, ip: str | None) -> Wait:
    """How long the client must wait before this attempt may be checked (Wait(0) when it may)."""
    t = now()
    address = _state(_address(ip))
    if address["until"] > t:
        return Wait(int(address["until"] - t) + 1, True)
    pair = _state(_pair(username, ip))
    if pair["until"] > t:
        return Wait(int(pair["until"] - t) + 1, pair["failures"] >= settings.LOGIN_THROTTLE_LIMIT)
    return Wait(0, False)


def _bump(key: str, limit: int, slow_after: int | None) -> tuple[dict, bool]:
    """One more failure on `key`; (new state, whether a lock-out began now)."""
    window = settings.LOGIN_THROTTLE_WINDOW
    state = _state(key)
    state["failures"] += 1
    started = False
    if state["failures"] >= limit:
        started = state["failures"] == limit
        state["until"] = now() + window
    elif slow_after is not None and state["failures"] >= slow_after:
        state["until"] = now() + SLOW_BASE_SECONDS * 2 ** (state["failures"] - slow_after)
    cache.set(key, state, window)
    return state, started


def note_failure(username: str, ip: str | None) -> Wait:
    """Count a failed attempt; returns the wait it imposes on the next one, and audits a lock-out."""
    from deskpilkada.accounts.models import User
    from deskpilkada.audit.log import area_of, record

    _pair_state, pair_locked = _bump(
        _pair(username, ip), settings.LOGIN_THROTTLE_LIMIT, settings.LOGIN_THROTTLE_SLOW_AFTER
    )
    _address_state, address_locked = _bump(_address(ip), settings.LOGIN_THROTTLE_ADDRESS_LIMIT, None)
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
    cache.delete(_pair(username, ip))
