"""Values that one request reads many times and that seldom change (the current election, an
election's readiness rules): read once per request, not once per tile, provider and template.
`ProcessCache` (below) keeps what does not change during a night for a few seconds per process.

The memo lives only while `RequestMemoMiddleware` serves a request; commands, tasks and tests
outside a request read afresh every time. Any save or delete of a model in the request forgets
everything, so that a page never shows the value from before its own write (an `update()` on a
queryset sends no signal: none touches the memoised models)."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

_memo: ContextVar[dict[Any, Any] | None] = ContextVar("request_memo", default=None)


def per_request(key: Any, compute: Callable[[], T]) -> T:
    """compute(), remembered under `key` for the rest of the current request."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget(**_kwargs: Any) -> None:
    memo = _memo.get()
    if memo:
        memo.clear()


post_save.connect(forget, dispatch_uid="deskpilkada.memo.save")
post_delete.connect(forget, dispatch_uid="deskpilkada.memo.delete")


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


# --- per process, for a short time ----------------------------------------------------------

_process_caches: list[ProcessCache] = []


class ProcessCache:
    """Values one worker process keeps for `seconds` (what does not change during election night:
    contests, paslon, TPS, a token's grants), each read again after that.

    A save or delete of a row of one of `models` in this process drops the whole cache at once
    (`post_save`/`post_delete`); another process sees the change within `seconds`, and so does this
    one after a bulk write that sends no signal, unless the writer calls `forget_process_caches()`.
    Nothing is remembered for a key that was not found; past `limit` keys it starts empty again.
    The values are shared by every request of the process: read them, never change them."""

    def __init__(self, seconds: float, *models: type, limit: int = 10_000) -> None:
        self.seconds, self.limit = seconds, limit
        self._data: dict[Any, tuple[float, Any]] = {}
        for model in models:
            post_save.connect(self.clear, sender=model, weak=False)
            post_delete.connect(self.clear, sender=model, weak=False)
        _process_caches.append(self)

    def get(self, key: Any, compute: Callable[[], T | None]) -> T | None:
        hit = self._data.get(key)
        now = time.monotonic()
        if hit is not None and now < hit[0]:
            return hit[1]
        value = compute()
        if value is not None:
            self.put(key, value)
        return value

    def peek(self, key: Any) -> Any:
        """The value kept for `key` and still fresh, or None (nothing is read)."""
        hit = self._data.get(key)
        return hit[1] if hit is not None and time.monotonic() < hit[0] else None

    def put(self, key: Any, value: Any) -> None:
        if len(self._data) >= self.limit:
            self._data.clear()
        self._data[key] = (time.monotonic() + self.seconds, value)

    def clear(self, **_kwargs: Any) -> None:
        self._data.clear()


def forget_process_caches() -> None:
    """Drop every `ProcessCache` of this process (after a bulk write; between tests)."""
    for cache in _process_caches:
        cache.clear()
