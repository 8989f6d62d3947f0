"""One writer at a time on SQLite, queued by the kernel.

SQLite lets one process write at a time; a second writer otherwise waits in SQLite's busy handler,
which sleeps in growing steps and wastes most of the wait. An exclusive `flock` on a file next to
the database queues writers without polling and wakes the next one the moment the lock is free.
On PostgreSQL row locks do this job, and this is a no-op.
"""

from __future__ import annotations

import fcntl
import threading
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.db import connection, transaction

_local = threading.local()
_files: dict[str, object] = {}


def _lock_file():
    path = str(settings.VAR_DIR / "sqlite-write.lock")
    if path not in _files:
        _files[path] = open(path, "a+")  # noqa: SIM115 (kept open for the life of the process)
    return _files[path]


@contextmanager
def serialized_writes():
    if connection.vendor != "sqlite":
        yield
        return
    depth = getattr(_local, "depth", 0)
    if depth == 0:
        fcntl.flock(_lock_file(), fcntl.LOCK_EX)
    _local.depth = depth + 1
    try:
        yield
    finally:
        _local.depth -= 1
        if _local.depth == 0:
            fcntl.flock(_lock_file(), fcntl.LOCK_UN)


def write_transaction(func):
    """`transaction.atomic`, with SQLite writers queued by `serialized_writes` first."""

    @wraps(func)
    def wrapped(*args, **kwargs):
        with serialized_writes(), transaction.atomic():
            return func(*args, **kwargs)

    return wrapped
