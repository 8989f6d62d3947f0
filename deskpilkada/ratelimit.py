"""Rate limits shared by every server process.

Counters live in the "ratelimit" cache: a table of the database (or Redis with REDIS_URL), never
a process's memory, so that two workers do not double a limit. A window starts at a client's first
request and ends `window` seconds later, whatever happens in between; a refused request is told
how many seconds are left (for `Retry-After`).
"""

from __future__ import annotations

import base64
import math
import pickle
import time
from contextlib import AbstractContextManager, nullcontext

from django.core.cache import caches
from django.core.cache.backends import db
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connections, models, router, transaction
from django.utils import timezone

from deskpilkada.writelock import serialized_writes


def hit(bucket: str, *, limit: int, window: int, cache: BaseCache | None = None) -> int:
    """Count one request against `bucket`: 0 while it is within `limit` requests of its window,
    else the seconds until the window ends. `cache`: the "ratelimit" cache unless given."""
    cache = cache if cache is not None else caches["ratelimit"]
    key, ends_key = f"rl:{bucket}", f"rl:{bucket}:ends"
    for _attempt in range(3):
        now = time.time()
        try:
            count = cache.incr(key)
        except ValueError:  # no window open: start one (unless another process just did)
            if not cache.add(key, 1, window):
                continue
            cache.set(ends_key, now + window, window)
            count = 1
        else:
            if count == 1:  # Redis re-created a key that expired in that instant, without an expiry
                cache.touch(key, window)
        if count <= limit:
            return 0
        ends = cache.get(ends_key) or now + window
        return max(1, math.ceil(ends - now))
    return 0


def _queued(alias: str) -> AbstractContextManager:
    """On SQLite, counters wait for the write lock in the kernel's queue (writelock.py) instead of
    SQLite's sleeping busy handler, which made a look-up wait up to a second under load; not inside
    a transaction already open, which holds SQLite's lock and would wait for itself."""
    return nullcontext() if connections[alias].in_atomic_block else serialized_writes()


class DatabaseCache(db.DatabaseCache):
    """Django's database cache with counters that hold across processes.

    The stock incr() reads, adds and writes back with a fresh default timeout: two workers can
    lose a count, and a window never ends while requests keep coming. Here incr() and add() lock
    the row for their transaction (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the settings'
    IMMEDIATE transactions take the write lock at BEGIN), and incr() keeps the expiry.
    """

    _table: str  # set by Django's DatabaseCache from LOCATION

    def _locked_row(self, connection, key: str):
        quote = connection.ops.quote_name
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('value')}, {quote('expires')} FROM {quote(self._table)} "  # noqa: S608 (quoted names)
                f"WHERE {quote('cache_key')} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        value, expires = row
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        if expires < timezone.now():
            return None
        return pickle.loads(base64.b64decode(connection.ops.process_clob(value).encode()))  # noqa: S301 (our own rows)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        alias = router.db_for_write(self.cache_model_class)
        with _queued(alias), transaction.atomic(using=alias):
            # Held until commit: a second add() of an expired row waits, then finds it fresh.
            self._locked_row(connections[alias], self.make_and_validate_key(key, version=version))
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        quote = connection.ops.quote_name
        with _queued(alias), transaction.atomic(using=alias):
            value = self._locked_row(connection, key)
            if value is None:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {quote(self._table)} SET {quote('value')} = %s "  # noqa: S608 (quoted names)
                    f"WHERE {quote('cache_key')} = %s",
                    [encoded, key],
                )
        return value
