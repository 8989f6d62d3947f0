"""The demo's 1,530 TPS: per kecamatan as the Pilkada 2024 figures, spread over the kelurahan as in
Pemilu 2024, with generated addresses, coordinates and DPT (815,249 voters, none above 600)."""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from collections.abc import Callable
from pathlib import Path

from deskpilkada.regions.codes import dotted
from deskpilkada.regions.demo import KECAMATAN_CENTRES
from deskpilkada.regions.models import Level, Region
from deskpilkada.tps.actions import load_tps
from deskpilkada.tps.codes import make_tps_code
from deskpilkada.tps.models import MAX_VOTERS_PER_TPS, Tps

DATA = Path(__file__).parent / "demo_data"
SEED = 20241127
TOTAL_DPT = 815_249
LAPAS_PALEDANG = ("32.71.03.1002", -6.59830, 106.79280, "Lapas Kelas IIA Paledang, Jl. Paledang No. 2")
STREETS = ["Melati", "Kenanga", "Mawar", "Cempaka", "Flamboyan", "Anggrek"]


def _read(name: str) -> list[dict]:
    with (DATA / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def allocate(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Split `total` over keys in proportion to `weights` (largest remainder, at least 1 each)."""
    wsum = sum(weights.values())
    raw = {k: total * w / wsum for k, w in weights.items()}
    out = {k: max(1, math.floor(v)) for k, v in raw.items()}
    order = sorted(weights, key=lambda k: (raw[k] - math.floor(raw[k]), weights[k], k), reverse=True)
    i = 0
    while sum(out.values()) < total:
        out[order[i % len(order)]] += 1
        i += 1
    while sum(out.values()) > total:
        k = max((k for k in out if out[k] > 1), key=lambda k: out[k] - raw[k])
        out[k] -= 1
    return out


def tps_plan() -> list[dict]:
    """1,530 TPS: per kecamatan as the Pilkada figures, per kelurahan by the Pemilu 2024 spread."""
    rng = random.Random(SEED)
    per_kecamatan = {
        r["kecamatan_kode"]: int(r["jumlah_tps_pilkada_2024"])
        for r in _read("kota_bogor_tps_per_kecamatan_pilkada2024.csv")
    }
    weights: dict[str, dict[str, int]] = {}
    for r in _read("kota_bogor_tps_count_per_kelurahan_pemilu2024.csv"):
        village = dotted(r["kelurahan_kode"])
        weights.setdefault(village[:8], {})[village] = int(r["jumlah_tps_sirekap"])
    special_village = LAPAS_PALEDANG[0]
    plan = []
    for kec, count in sorted(per_kecamatan.items()):
        regular = count - (2 if kec == special_village[:8] else 0)
        counts = allocate(regular, weights[kec])
        villages = sorted(counts)
        clat, clon = KECAMATAN_CENTRES[kec]
        for idx, village in enumerate(villages):
            angle = 2 * math.pi * idx / len(villages)
            vlat = clat + 0.012 * math.sin(angle) * (0.5 + (idx % 3) / 3)
            vlon = clon + 0.012 * math.cos(angle) * (0.5 + (idx % 3) / 3)
            for n in range(1, counts[village] + 1):
                plan.append(
                    {
                        "village": village,
                        "number": n,
                        "lat": round(vlat + rng.uniform(-0.004, 0.004), 6),
                        "lon": round(vlon + rng.uniform(-0.004, 0.004), 6),
                        "address": f"Jl. Contoh {rng.choice(STREETS)} No. {rng.randint(1, 120)} (alamat demo)",
                        "rt": f"{rng.randint(1, 12):03d}",
                        "rw": f"{rng.randint(1, 15):03d}",
                        "special_kind": "",
                        "special_place": "",
                        "wheelchair_accessible": rng.random() < 0.55,
                    }
                )
    village, lat, lon, place = LAPAS_PALEDANG
    for n in (901, 902):
        plan.append(
            {
                "village": village,
                "number": n,
                "lat": lat,
                "lon": lon + (n - 901) * 0.0003,
                "address": place,
                "rt": "",
                "rw": "",
                "special_kind": Tps.SpecialKind.PRISON,
                "special_place": "Lapas Paledang",
                "wheelchair_accessible": True,
            }
        )
    _assign_dpt(plan, rng)
    return plan


def _assign_dpt(plan: list[dict], rng: random.Random) -> None:
    """DPT per TPS summing exactly to 815,249, none above 600, split by sex."""
    totals = [rng.randint(330, 420) if p["special_kind"] else rng.randint(470, 596) for p in plan]
    diff = TOTAL_DPT - sum(totals)
    step = 1 if diff > 0 else -1
    i = 0
    while diff:
        j = i % len(totals)
        if not plan[j]["special_kind"] and 300 < totals[j] + step <= MAX_VOTERS_PER_TPS:
            totals[j] += step
            diff -= step
        i += 1
    for p, total in zip(plan, totals, strict=False):
        male = round(total * rng.uniform(0.485, 0.515)) if not p["special_kind"] else round(total * 0.93)
        p["dpt_male"], p["dpt_female"] = male, total - male


def seed(*, now: dt.datetime, say: Callable[[str], None]) -> None:
    """The TPS register, set long before the demo's `now`."""
    villages = {r.code: r for r in Region.objects.filter(level=Level.VILLAGE, code__startswith="32.71.")}
    rows = [
        {
            "code": make_tps_code(p["village"], p["number"]),
            "kelurahan": villages[p["village"]],
            **{k: v for k, v in p.items() if k != "village"},
        }
        for p in tps_plan()
    ]
    say(f"TPS: {load_tps(rows, by=None).summary()}")
