"""Points 2 and 7 in the demo, through the app's own actions, up to `now`:

- BPBD's kelurahan list (the regions' hazards) refined at some TPS: TPS 028 Kebon Pedes flood-prone
  (high), a few TPS on higher ground not prone, a few landslide slopes;
- the checklists filled from H-4 to H-1 morning: most complete, some partial, some not begun, with
  the flags a real round raises (no ramp, weak signal, a river close by, …);
- mitigation plans for most risky TPS, some without, some without a backup location;
- a vulnerability class for every TPS from Bawaslu's indicators;
- the deployment of Polri, TNI and Linmas with some gaps; posts and patrol routes per kecamatan;
- BMKG's warning, entered at H-1 noon, of heavy rain on voting day 10.00–11.00;
- TPS 028 Kebon Pedes, flooded on H-1 afternoon, ready to be moved to its backup location (the
  mosque yard of RW 05): it is moved at H-1 21:00, if the demo's clock has passed that.

Deterministic for a given clock; a second run writes nothing when the checklists are there.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from deskpilkada import clock, numbers
from deskpilkada.accounts.models import User
from deskpilkada.elections.models import Election
from deskpilkada.readiness import actions, summary
from deskpilkada.readiness import rules as ruledata
from deskpilkada.readiness.models import ChecklistAnswer, Force, Level
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Tps

SEED = 20241127 + 12
ZONE = timezone.get_fixed_timezone(7 * 60)  # WIB
FLOODED_TPS = "3271061002028"
BACKUP = ("Halaman Masjid RW 05, 200 m dari lokasi lama, Kebon Pedes (alamat demo)", 0.0016, 0.0008)


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2024, 11, day, hour, minute, tzinfo=ZONE)


def seed(*, now: dt.datetime, say: Callable[[str], None]) -> None:
    election = Election.objects.current()
    if election is None or ChecklistAnswer.objects.exists():
        return
    rng = random.Random(SEED)
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["bpbd", "operator.kpu", "bawaslu", "polresta", "pps.kebonpedes"])
    }
    tps = list(Tps.objects.select_related("kelurahan").order_by("code"))
    if not tps:
        return
    with clock.at(min(now, _at(22, 9))):
        _hazards(tps, rng, people.get("bpbd"))
    start = _at(22, 8)
    rows = _checklists(tps, rng, now, start)
    with clock.at(min(now, _at(26, 8))):
        actions.load_checklists(rows, by=people.get("pps.kebonpedes"), election=election)
    with clock.at(min(now, _at(24, 10))):
        _plans(tps, rng, people.get("operator.kpu"), election)
    with clock.at(min(now, _at(20, 10))):
        classes = _vulnerability(tps, rng, people.get("bawaslu"), election)
    with clock.at(min(now, _at(25, 14))):
        deployed = _deployment(tps, rng, people.get("polresta"), election)
    if now >= _at(26, 12):
        with clock.at(_at(26, 12)):
            actions.add_weather_warning(
                by=people.get("bpbd"),
                region=Region.objects.get(code="32.71"),
                kind="banjir",
                starts_at=_at(27, 10),
                ends_at=_at(27, 11),
                raise_by=1,
                text="Hujan lebat disertai petir pada hari pemungutan suara pukul 10.00–11.00 WIB; pemilih diimbau "
                "datang sebelum hujan (demo).",
                source="BMKG Stasiun Klimatologi Jawa Barat (demo)",
                election=election,
            )
    flooded = next((t for t in tps if t.code == FLOODED_TPS), None)
    if flooded is not None and now >= _at(26, 21) and flooded.lat is not None:
        with clock.at(_at(26, 21)):
            actions.relocate(
                by=people.get("operator.kpu"),
                tps=flooded,
                address=BACKUP[0],
                lat=round(flooded.lat + BACKUP[1], 6),
                lon=round(flooded.lon + BACKUP[2], 6),
                reason="Lokasi lama tergenang banjir 20–50 cm sejak H-1 siang (demo).",
                decided_by="Ketua KPU Kota Bogor (demo)",
            )
    t = summary.totals(summary.readiness_rows(Tps.objects.all(), election))
    say(
        f"Kesiapan TPS: {numbers.number(t.complete)} daftar periksa lengkap dari {numbers.number(t.tps)}, "
        f"{numbers.number(t.flagged)} TPS dengan peringatan, {numbers.number(t.risky_without_plan)} rawan bencana "
        f"tanpa rencana; kerawanan {classes}; {numbers.number(deployed)} penempatan, "
        f"{numbers.number(t.gap_tps)} TPS kurang personel."
    )


def _hazards(tps: list[Tps], rng: random.Random, by) -> None:
    flood_villages = set(Region.objects.filter(hazards__kind="banjir").values_list("pk", flat=True))
    for t in tps:
        if t.code == FLOODED_TPS:
            actions.set_tps_hazard(
                by=by,
                tps=t,
                kind="banjir",
                level=Level.HIGH,
                note="Tergenang 20–50 cm pada 2021 dan Februari 2024 (demo).",
            )
        elif t.kelurahan_id in flood_villages and rng.random() < 0.12:
            actions.set_tps_hazard(
                by=by, tps=t, kind="banjir", level=Level.NONE, note="Di dataran tinggi, jauh dari sungai (demo)."
            )
        elif t.kelurahan_id in flood_villages and rng.random() < 0.08:
            actions.set_tps_hazard(by=by, tps=t, kind="banjir", level=Level.HIGH, note="Dekat bantaran sungai (demo).")
        elif rng.random() < 0.01:
            actions.set_tps_hazard(by=by, tps=t, kind="longsor", level=Level.MEDIUM, note="Di kaki tebing (demo).")


def _answer(code: str, rng: random.Random, risky_spot: bool) -> str:
    if code == "kursi_roda":
        return "tidak" if rng.random() < 0.05 else "ya"
    if code == "jarak_sungai":
        return str(rng.randint(20, 300) if risky_spot else rng.randint(150, 2000))
    if code == "sinyal":
        roll = rng.random()
        return "tidak_ada" if roll < 0.02 else "lemah" if roll < 0.06 else "baik"
    if code == "drainase":
        return "tidak" if rng.random() < 0.15 else "ya"
    return "tidak" if rng.random() < 0.015 else "ya"


def _checklists(tps: list[Tps], rng: random.Random, now: dt.datetime, start: dt.datetime) -> list:
    election = Election.objects.current()
    assert election is not None
    items = ruledata.checklist(election)
    prone = {r.id: r.hazards.get("banjir", 0) > 0 for r in summary.readiness_rows(Tps.objects.all(), election)}
    latest = min(now, _at(26, 10))
    if latest <= start:
        return []
    rows = []
    for t in tps:
        wanted = [i for i in items if i.applies_to(prone.get(t.pk, False))]
        roll = rng.random()
        if t.code == FLOODED_TPS:
            flooded = {"drainase": "tidak", "jarak_sungai": "15", "sinyal": "baik"}
            given = {i.code: flooded.get(i.code, "ya") for i in wanted}
        elif roll < 0.10:
            continue  # not begun
        elif roll < 0.25:
            given = {
                i.code: _answer(i.code, rng, prone.get(t.pk, False))
                for i in rng.sample(wanted, rng.randint(3, len(wanted) - 1))
            }
        else:
            given = {i.code: _answer(i.code, rng, prone.get(t.pk, False)) for i in wanted}
        at = start + dt.timedelta(minutes=rng.randint(0, int((latest - start).total_seconds() // 60)))
        rows.append((t, given, min(at, latest)))
    return rows


def _plans(tps: list[Tps], rng: random.Random, by, election: Election) -> None:
    risky = [r for r in summary.readiness_rows(Tps.objects.all(), election) if r.risky]
    by_id = {t.pk: t for t in tps}
    for r in risky:
        t = by_id[r.id]
        if t.code != FLOODED_TPS and rng.random() < 0.25:
            continue  # some risky TPS without a plan
        backup = t.code == FLOODED_TPS or rng.random() < 0.85
        actions.save_mitigation_plan(
            by=by,
            tps=t,
            measures="Tenda dinaikkan di atas palet, saluran air dibersihkan, pompa air disiagakan (demo).",
            responsible="PPS dan Lurah (demo)",
            due_on=dt.date(2024, 11, 26),
            backup_address=(BACKUP[0] if t.code == FLOODED_TPS else f"Aula RW {rng.randint(1, 15):02d} (demo)")
            if backup
            else "",
            backup_lat=round(t.lat + BACKUP[1], 6) if backup and t.lat is not None else None,
            backup_lon=round(t.lon + BACKUP[2], 6) if backup and t.lon is not None else None,
        )


INDICATOR_SHARE = {
    "dptb": 0.25,
    "disabilitas": 0.3,
    "dpk": 0.15,
    "konflik": 0.03,
    "basis_paslon": 0.08,
    "politik_uang": 0.05,
    "sara": 0.02,
    "netralitas": 0.03,
    "pemungutan_ulang": 0.01,
    "logistik": 0.05,
    "sulit_dijangkau": 0.04,
    "tanpa_sinyal": 0.02,
}


def _vulnerability(tps: list[Tps], rng: random.Random, by, election: Election) -> str:
    risky = {r.id for r in summary.readiness_rows(Tps.objects.all(), election) if r.risky}
    rows = []
    for t in tps:
        codes = [c for c, share in INDICATOR_SHARE.items() if rng.random() < share]
        if t.special_kind:
            codes.append("khusus")
        if t.pk in risky:
            codes.append("rawan_bencana")
        if t.code == FLOODED_TPS:
            codes += ["dptb", "disabilitas"]
        rows.append((t, list(dict.fromkeys(codes))))
    classes = actions.load_vulnerability(rows, by=by, election=election)
    return ", ".join(f"{numbers.number(n)} {k.replace('_', ' ')}" for k, n in sorted(classes.items()))


def _deployment(tps: list[Tps], rng: random.Random, by, election: Election) -> int:
    rules = ruledata.rules(election)
    classes = {r.id: r.vuln_class for r in summary.readiness_rows(Tps.objects.all(), election)}
    kecamatan_units = {}
    rows = []
    for t in tps:
        kec = t.kelurahan.parent.name if t.kelurahan.parent else ""
        kecamatan_units[kec] = t.kelurahan.parent
        klass = classes.get(t.pk) or "tidak_rawan"
        for force in Force.values:
            need = rules.need(klass, force)
            short = rng.random() < (0.06 if force == "linmas" else 0.10)
            count = max(0, need - 1) if short and need else need
            unit = {"polri": f"Polsek {kec}", "tni": f"Koramil {kec}", "linmas": f"Satlinmas Kel. {t.kelurahan.name}"}[
                force
            ]
            rows.append((t, force, count, unit))
    made = actions.load_deployments(rows, by=by)
    for name, region in sorted(kecamatan_units.items()):
        if region is None:
            continue
        actions.add_security_post(
            by=by,
            region=region,
            kind="pos",
            name=f"Pos Pam Polsek {name} (demo)",
            place=f"Mapolsek {name}",
            lat=region.lat,
            lon=region.lon,
            unit=f"Polsek {name}",
            election=election,
        )
        actions.add_security_post(
            by=by,
            region=region,
            kind="patroli",
            name=f"Patroli TPS rawan {name} (demo)",
            place=f"Keliling TPS rawan dan sangat rawan Kecamatan {name}, tiap 2 jam dari pukul 06.00",
            unit=f"Polsek {name} dan Koramil {name}",
            election=election,
        )
    return made
