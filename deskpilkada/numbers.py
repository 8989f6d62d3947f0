"""Numbers as the reader reads them: one format per language, wherever a number is written.

Indonesian groups thousands with a dot and writes decimals with a comma (1.530; 97,1%); English
the other way round (1,530; 97.1%). Pages, htmx partials, messages made in Python (a held sheet's
problems, the anomalies, the desk's tiles) and the command line all go through these functions,
templates through the `number` and `percent` filters (desk/templatetags/desk.py) and scripts
through `Intl.NumberFormat(document.documentElement.lang)` (static/desk/desk.js, deskNumber).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

NONE = "—"

Number = int | float | Decimal


def number(value: Number | str | None, digits: int | None = None) -> str:
    """1530 -> "1.530" (Indonesian) or "1,530" (English); with `digits`, that many decimals
    ("12,3"); without, a whole number stays whole and a fraction keeps its own decimals. None -> "—"."""
    if value is None or value == "":
        return NONE
    if isinstance(value, str):
        value = Decimal(value)
    if digits is None and isinstance(value, float) and value.is_integer():
        value = int(value)
    if digits is not None:  # rounded half away from zero, as the browser's Intl.NumberFormat does
        value = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return number_format(value, decimal_pos=digits, force_grouping=True)


def percent(fraction: Number | str | None, digits: int = 1) -> str:
    """A fraction as a percentage: 0.971 -> "97,1%" (Indonesian) or "97.1%" (English). None -> "—"."""
    if fraction is None or fraction == "":
        return NONE
    return f"{number(Decimal(str(fraction)) * 100, digits)}%"


def of(part: Number | None, whole: Number | None) -> str:
    """ "508 / 1.530": a count out of a total."""
    return f"{number(part)} / {number(whole)}"
