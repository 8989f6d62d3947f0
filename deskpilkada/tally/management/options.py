"""The `--contest` option the tally commands share: one contest by code, or every contest."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from deskpilkada.elections.models import Contest


def add_contest_option(parser) -> None:
    parser.add_argument("--contest", help="kode pemilihan (bawaan: semua)")


def named_contests(contests: QuerySet[Contest], code: str | None) -> QuerySet[Contest]:
    """`contests`, or only the one named `code`; a code that names none is refused."""
    if not code:
        return contests
    named = contests.filter(code=code)
    if not named:
        raise CommandError(_("Pemilihan «%(c)s» tidak ada.") % {"c": code})
    return named
