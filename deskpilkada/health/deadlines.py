"""The pindah memilih deadline of in-patients (H-7: 20 November 2024 for 27 November), kept as data per
election: an `elections.DeadlineRule` (subject "health.inpatientvoter", anchored on voting day), written
the first time from the election's own `pindah_memilih_days` and read from there afterwards."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from deskpilkada.elections.deadlines import due_from
from deskpilkada.elections.models import DeadlineRule, Election

SUBJECT = "health.inpatientvoter"
CODE = "pindah-memilih"


def rule(election: Election) -> DeadlineRule:
    found = DeadlineRule.objects.filter(election=election, subject=SUBJECT, code=CODE).first()
    if found is None:
        found, _created = DeadlineRule.objects.get_or_create(
            election=election,
            subject=SUBJECT,
            code=CODE,
            defaults={
                "name": _("Batas pindah memilih pasien rawat inap (H-%(n)s)") % {"n": election.pindah_memilih_days},
                "anchor": DeadlineRule.Anchor.VOTING_DAY,
                "amount": -int(election.pindah_memilih_days),
                "unit": DeadlineRule.Unit.DAYS,
                "warn_hours": 72,
            },
        )
    return found


def last_day(election: Election) -> dt.date:
    """The last day on which an in-patient may still move the vote (inclusive)."""
    due = due_from(rule(election), election)
    assert due is not None  # a voting-day rule always has its anchor
    return timezone.localtime(due).date()
