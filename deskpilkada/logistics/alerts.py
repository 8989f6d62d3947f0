"""The TPS that will not have everything by H-1, and the deadline rules behind that judgement.

Rules, kept as data per election (elections.DeadlineRule, subject "logistics.shipment"), written
with their defaults the first time:

- `kirim-tps` — everything sent toward each TPS by H-2 (00:00 of voting day − 2 days): after it, a
  TPS toward which a missing item has not been sent is on the alert list;
- `terima` — a shipment received by H-1 12:00 (12 hours before the midnight that starts voting day): the
  pending one sits on the shipment's Deadlined fields, so the shared `check_deadlines` warns its
  receiver and notes it overdue.

A TPS is on the alert list when it misses something and either the send-by time has passed, or a
shipment toward it has been received short or damaged (its replacement is not in yet), or one is
in transit past its deadline. Each alert names what is missing, where it is now and the holder to call.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from deskpilkada import clock
from deskpilkada.elections.deadlines import due_from
from deskpilkada.elections.models import DeadlineRule, Election
from deskpilkada.logistics.models import ItemType
from deskpilkada.logistics.needs import Missing, few_collections, items_of, missing_pairs
from deskpilkada.logistics.stock import Whereabouts, where_list
from deskpilkada.regions.codes import dotted
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Tps

SUBJECT = "logistics.shipment"
A, U = DeadlineRule.Anchor, DeadlineRule.Unit
DEFAULT_RULES = (
    ("kirim-tps", _("Logistik dikirim ke setiap TPS (H-2)"), A.VOTING_DAY, "", -2, U.DAYS, 24),
    ("terima", _("Kiriman logistik diterima (H-1 pukul 12.00)"), A.VOTING_DAY, "", -12, U.HOURS, 12),
)


def rules(election: Election) -> dict[str, DeadlineRule]:
    found = {r.code: r for r in DeadlineRule.objects.filter(election=election, subject=SUBJECT)}
    for code, name, anchor, status, amount, unit, warn in DEFAULT_RULES:
        if code not in found:
            found[code] = DeadlineRule.objects.create(
                election=election,
                subject=SUBJECT,
                code=code,
                name=str(name),
                anchor=anchor,
                status=status,
                amount=amount,
                unit=unit,
                warn_hours=warn,
            )
    return found


def send_by(election: Election) -> dt.datetime:
    due = due_from(rules(election)["kirim-tps"], None)  # type: ignore[arg-type]
    assert due is not None  # anchored on voting day: always known
    return due


@dataclass(slots=True)
class AlertLine:
    item: ItemType
    need: int
    got: int
    where: Whereabouts

    @property
    def short(self) -> int:
        return self.need - self.got


@dataclass
class Alert:
    tps: Tps
    lines: list[AlertLine] = field(default_factory=list)
    reason: str = ""  # "not_sent", "transit", "short", "held"

    @property
    def reason_label(self) -> str:
        return str(REASONS.get(self.reason, self.reason))

    @property
    def holder(self) -> Whereabouts:
        """The holder to call: the first line's (the worst state first)."""
        return self.lines[0].where


REASONS = {
    "not_sent": _("belum dikirim"),
    "held": _("tertahan di PPK/PPS"),
    "transit": _("dikirim, belum diterima"),
    "short": _("diterima kurang/rusak"),
}
SEVERITY = {"not_sent": 0, "held": 1, "short": 2, "transit": 3}


class Place:
    """What an alert shows of its TPS (its code, number, kelurahan and kecamatan), without a model
    instance each: a province's alert list names some 20,000 TPS."""

    __slots__ = ("code", "kelurahan", "number", "pk")

    def __init__(self, pk: int, code: str, number: int, kelurahan: Region):
        self.pk, self.code, self.number, self.kelurahan = pk, code, number, kelurahan

    @property
    def dotted_code(self) -> str:
        return dotted(self.code)

    def __str__(self) -> str:
        return f"TPS {self.number:03d} {self.kelurahan.name}"


def _places(ids: list[int]) -> dict[int, Place]:
    rows: list[tuple[int, str, int, int]] = []
    for n in range(0, len(ids), 900):
        rows += Tps.objects.filter(pk__in=ids[n : n + 900]).values_list("pk", "code", "number", "kelurahan_id")
    regions = Region.objects.select_related("parent").in_bulk({r[3] for r in rows})
    return {pk: Place(pk, code, number, regions[kel]) for pk, code, number, kel in rows}


def alerts(
    election: Election,
    prefix: str,
    *,
    at: dt.datetime | None = None,
    items: list[ItemType] | None = None,
    missing: list[Missing] | None = None,
) -> list[Alert]:
    """The TPS inside the area that will miss H-1, worst first (nothing sent, then held up the chain,
    short, in transit), then by code. `missing`: the area's missing pairs when the caller has them."""
    with few_collections():
        return _alerts(election, prefix, at, items, missing)


def _alerts(election, prefix, at, items, missing) -> list[Alert]:
    at = at or clock.now()
    items = items if items is not None else items_of(election)
    by_id = {i.pk: i for i in items}
    missing = missing if missing is not None else missing_pairs(election, prefix, items)
    late = at >= send_by(election)
    where = where_list(election, missing)
    per_tps: dict[int, list[AlertLine]] = defaultdict(list)
    for m, w in zip(missing, where, strict=True):
        per_tps[m.tps_id].append(AlertLine(by_id[m.item_id], m.need, m.got, w))
    keep = [t for t, lines in per_tps.items() if late or any(line.where.state == "short" for line in lines)]
    places = _places(keep)
    out = []
    for tps_id in keep:
        lines = per_tps[tps_id]
        lines.sort(key=lambda line: (SEVERITY[line.where.state], line.item.sort))
        out.append(Alert(places[tps_id], lines, lines[0].where.state))  # type: ignore[arg-type]
    out.sort(key=lambda a: (SEVERITY[a.reason], a.tps.code))
    return out
