"""The one "now" of the application.

Every reading of the current time that the desk shows or decides on (countdown, phases,
invitation warnings, deadlines, late entries) goes through `now()` / `today()`, so that
`DESKPILKADA_DEMO_NOW` (e.g. `2024-11-26T15:00+07:00`) can fix the demo at H-1 afternoon,
election night or the recap, whatever the real date is. Without the setting it is the real time.
Timestamps of writes (`auto_now_add`, the audit log) stay real.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def now() -> dt.datetime:
    return getattr(settings, "DEMO_NOW", None) or timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


def is_fixed() -> bool:
    return getattr(settings, "DEMO_NOW", None) is not None
