"""Values that one request reads many times and that seldom change (the current election, an
election's readiness rules): read once per request, not once per tile, provider and template.

The memo lives only while `RequestMemoMiddleware` serves a request; commands, tasks and tests
outside a request read afresh every time. Any save or delete of a model in the request forgets
everything, so that a page never shows the value from before its own write (an `update()` on a
queryset sends no signal: none touches the memoised models)."""

from __future__ import annotations

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
