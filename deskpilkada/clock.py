"""The one "now" of the application.

Every reading of the current time that the desk shows or decides on (countdown, phases,
invitation warnings, deadlines, late entries, the time a C.Hasil or a D.Hasil was entered, a
recap finalised, a checkpoint published) goes through `now()` / `today()`, so that
`DESKPILKADA_DEMO_NOW` (e.g. `2024-11-26T15:00+07:00`) can fix the demo at H-1 afternoon,
election night or the recap, whatever the real date is. Without the setting it is the real time.
The audit log's timestamps stay real.

`at(moment)` moves the clock for a block of code: the demo seed replays its story through the
ordinary actions, each event at its own time.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone

_moved: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("deskpilkada_clock", default=None)


def now() -> dt.datetime:
    """In UTC, as `timezone.now()`: a time written from it (and hashed, as a C.Hasil's) reads back the same."""
    fixed = _moved.get() or getattr(settings, "DEMO_NOW", None)
    return fixed.astimezone(dt.UTC) if fixed else timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


def is_fixed() -> bool:
    return _moved.get() is not None or getattr(settings, "DEMO_NOW", None) is not None


@contextlib.contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    """`now()` is `moment` inside the block (in this thread or task only)."""
    if timezone.is_naive(moment):
        raise ValueError("the clock takes timezone-aware datetimes only")
    token = _moved.set(moment)
    try:
        yield
    finally:
        _moved.reset(token)
