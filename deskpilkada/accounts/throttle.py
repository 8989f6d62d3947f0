"""Login throttling: failed attempts counted per username and per client address."""

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, ip: str | None) -> list[str]:
    return [f"login-fail:u:{username.lower()[:150]}", f"login-fail:ip:{ip or '-'}"]


def is_locked(username: str, ip: str | None) -> bool:
    return any((cache.get(k) or 0) >= settings.LOGIN_THROTTLE_LIMIT for k in _keys(username, ip))


def note_failure(username: str, ip: str | None) -> None:
    for key in _keys(username, ip):
        if not cache.add(key, 1, settings.LOGIN_THROTTLE_WINDOW):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, settings.LOGIN_THROTTLE_WINDOW)


def clear(username: str) -> None:
    cache.delete(_keys(username, None)[0])
