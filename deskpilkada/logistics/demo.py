"""Point 1 in the demo: the distribution of 2024's logistics, played up to `now` through the app's own
actions, a realistic mid-distribution state on H-1 (and the same on election night: nothing moves
after H-1 noon).

- H-14: the printers' and the factories' deliveries reach the KPU warehouse (the needs of the whole
  city, 1 % over), received by the KPU operator;
- H-10: KPU prepares every leg of each kecamatan from the needs in one step (warehouse → PPK → PPS →
  TPS, the sealed boxes labelled);
- H-7: the warehouse sends to the six PPK; PPK Bogor Barat counts 3 mayoral ballot boxes short: the
  replacement leaves the warehouse on H-1 09:00 and is still on the road; meanwhile the PPK cannot
  send the last of its kelurahan its boxes (held up the chain);
- H-5: the PPK send to their PPS; PPK Tanah Sareal's shipment to PPS Kebon Pedes is held by the
  floods and only leaves on H-1 10:00 (the PPS receives it on the browser test's phone);
- H-3 to H-2: the PPS send to their TPS. Bogor Selatan, Bogor Timur and Bogor Tengah are delivered
  whole, except three TPS of Bogor Tengah whose ballots came wet (damaged) or a box short — their
  replacement requests are open; in Bogor Utara half the TPS received, half are still on the road
  (sent H-1 08:00); the flood-prone kelurahan (BPBD) of Tanah Sareal and Bogor Utara wait for
  waterproof packing: nothing sent to their TPS yet.

Seeding again writes nothing once shipments exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from deskpilkada import clock, numbers
from deskpilkada.accounts.models import User
from deskpilkada.elections.deadlines import check_deadlines
from deskpilkada.elections.models import Election
from deskpilkada.logistics import actions
from deskpilkada.logistics.actions import Count, LineIn
from deskpilkada.logistics.models import VENDOR, Shipment
from deskpilkada.logistics.needs import area_needs
from deskpilkada.regions.models import Region

ZONE = timezone.get_fixed_timezone(7 * 60)  # WIB
DELIVERED = ("327101", "327102", "327103")  # Bogor Selatan, Bogor Timur, Bogor Tengah
SPLIT = "327105"  # Bogor Utara: half received, half on the road
SHORT_PPK = "327104"  # Bogor Barat: the warehouse's shipment 3 boxes short
FLOOD_HELD = ("327105", "327106")  # their flood-prone kelurahan wait for waterproof packing
HELD_PPS = "3271061002"  # Kebon Pedes: its PPK shipment held by the floods until H-1
PEOPLE = {
    "3271": "operator.kpu",
    "327104": "ppk.bogorbarat",
    "3271061002": "pps.kebonpedes",
    "3271061002028": "kpps.kebonpedes028",
}


def _at(election: Election, days: int, hour: int, minute: int = 0) -> dt.datetime:
    day = election.voting_date - dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZONE)


def _signer(holder: str) -> str:
    return {4: "Kepala Gudang KPU", 6: "Ketua PPK", 10: "Ketua PPS", 13: "Ketua KPPS"}.get(
        len(holder), "Penerima"
    ) + " (demo)"


def seed(*, now: dt.datetime, say: Callable[[str], None]) -> None:
    election = Election.objects.current()
    if election is None or Shipment.objects.filter(election=election).exists():
        return
    people = {u.username: u for u in User.objects.filter(username__in=PEOPLE.values())}
    kpu = people.get("operator.kpu")

    def by(holder: str) -> User | None:
        return people.get(PEOPLE.get(holder, ""))

    def when(days: int, hour: int, minute: int = 0) -> dt.datetime | None:
        at = _at(election, days, hour, minute)
        return at if at <= now else None

    def receive(
        s: Shipment, at: dt.datetime, short: dict[str, int] | None = None, damaged: dict[str, int] | None = None
    ):
        short, damaged = short or {}, damaged or {}
        counts = []
        for line in s.lines.select_related("item"):
            counted = line.quantity - short.get(line.item.code, 0)
            counts.append(Count(line.pk, counted, min(counted, damaged.get(line.item.code, 0))))
        with clock.at(at):
            actions.receive_shipment(
                s,
                by=by(s.receiver),
                counts=counts,
                signed_by=_signer(s.receiver),
                waterproof_ok=not damaged,
                note="Kemasan basah" if damaged else "",
            )

    def send(s: Shipment, at: dt.datetime) -> bool:
        try:
            with clock.at(at):
                actions.send_shipment(s, by=by(s.sender) if s.sender != VENDOR else None)
        except actions.Refused:
            return False  # the sender does not hold it all: it waits (held up the chain)
        return True

    start = when(14, 10)
    if start is None:
        return
    with clock.at(start):
        actions.install_default_items(election, by=kpu)
        city = area_needs(election, "3271")
        for need in city.items:
            quantity = int(Decimal(need.needed) * Decimal("1.01")) + 1
            s = actions.create_shipment(
                election, by=kpu, sender=VENDOR, receiver="3271", lines=[LineIn(need.item.code, quantity)]
            )
            send(s, start)
            receive(s, start + dt.timedelta(hours=2))
    planned = when(10, 9)
    if planned is None:
        return
    kecamatan = list(Region.objects.kecamatan().filter(code__startswith="32.71.").order_by("code"))
    with clock.at(planned):
        for k in kecamatan:
            actions.create_kecamatan_shipments(election, k, by=kpu)
    legs = {
        s.receiver: s for s in Shipment.objects.filter(election=election, replaces__isnull=True).exclude(sender=VENDOR)
    }
    flood = set(Region.objects.filter(hazards__kind="banjir").values_list("code", flat=True))
    box = f"kotak-{election.contests.order_by('region__code').last().code}"  # type: ignore[union-attr]
    # H-7: the warehouse to the six PPK.
    if (at := when(7, 8)) is not None:
        for code in sorted(c for c in legs if len(c) == 6):
            send(legs[code], at)
            receive(legs[code], at + dt.timedelta(hours=6), short={box: 3} if code == SHORT_PPK else None)
    if (at := when(1, 9)) is not None:
        for replacement in Shipment.objects.filter(election=election, replaces__isnull=False, receiver=SHORT_PPK):
            send(replacement, at)
    # H-5: the PPK to their PPS (Kebon Pedes' held until H-1 10:00).
    if (at := when(5, 8)) is not None:
        for code in sorted(c for c in legs if len(c) == 10):
            if code == HELD_PPS:
                continue
            if send(legs[code], at):
                receive(legs[code], at + dt.timedelta(hours=5))
    if (at := when(1, 10)) is not None:
        send(legs[HELD_PPS], at)
    # H-3 to H-1: the PPS to their TPS.
    damaged = 0
    for code in sorted(c for c in legs if len(c) == 13):
        kec, kel = code[:6], code[:10]
        s = legs[code]
        if kec in FLOOD_HELD and _dotted(kel) in flood:
            continue  # waiting for waterproof packing
        if kec in DELIVERED:
            at = when(3, 8)
            if at is None or not send(s, at):
                continue
            if kec == "327103" and damaged < 3:
                damaged += 1
                wet = {f"surat-suara-{c.code}": 12 for c in election.contests.all()} if damaged < 3 else None
                receive(s, at + dt.timedelta(hours=6), short={box: 1} if damaged == 3 else None, damaged=wet)
            else:
                receive(s, at + dt.timedelta(hours=6))
        elif kec == SPLIT:
            if int(code[-3:]) % 2:
                at = when(1, 8)
                if at is not None:
                    send(s, at)
            elif (at := when(2, 8)) is not None and send(s, at):
                receive(s, at + dt.timedelta(hours=5))
        elif (at := when(2, 8)) is not None and send(s, at):
            receive(s, at + dt.timedelta(hours=5))
    checked = check_deadlines(at=now, models=[Shipment])
    counts = {state: Shipment.objects.filter(election=election, state=state).count() for state in Shipment.State.values}
    say(
        f"Logistik: {numbers.number(sum(counts.values()))} kiriman "
        f"({numbers.number(counts['received'])} diterima lengkap, "
        f"{numbers.number(counts['received_short'] + counts['received_damaged'])} kurang/rusak, "
        f"{numbers.number(counts['sent'])} di jalan, {numbers.number(counts['preparing'])} belum dikirim; "
        f"{numbers.number(checked.overdue)} lewat tenggat terima)"
    )


def _dotted(code: str) -> str:
    from deskpilkada.regions.codes import dotted

    return dotted(code)
