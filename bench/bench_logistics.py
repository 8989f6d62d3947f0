"""The logistics benchmarks (issue 11): a synthetic province of about 75,000 TPS (25 cities × 20
kecamatan × 10 kelurahan × 15 TPS), 15 item types and the full chain of shipments in mid-distribution
— every city's warehouse has sent to its PPK, most PPK to their PPS, 70 % of the TPS received, 10 %
on the road, 5 % short, 15 % not sent yet. Measured, each beside a raw reference in the same run:

- every TPS's completeness and the H-1 alert list of the province (goal ≤ 1 s);
- the kecamatan dashboard page `/logistik/?wilayah=<kecamatan>` (goal p95 ≤ 150 ms);
- the needs of the whole province (goal ≤ 500 ms).

Usage: python bench/bench_logistics.py sqlite|postgres [--tps N]  (N rounded to whole kelurahan)
"""

import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

from common import drop_postgres, p95, report, setup_django, timed

ROOT = Path(__file__).resolve().parent.parent
ENGINE = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
N_TPS = int(sys.argv[sys.argv.index("--tps") + 1]) if "--tps" in sys.argv else 75_000
PG_DB = "deskpilkada_bench_logistics"
NOW = "2024-11-26T15:00+07:00"  # H-1 afternoon: past the send-by time, the alert list is full
CITIES, KECAMATAN, KELURAHAN = 25, 20, 10

TMP = setup_django(ENGINE, PG_DB, now=NOW)
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from deskpilkada import clock  # noqa: E402

line = report(ENGINE)


def raw(sql: str, params=(), runs: int = 5) -> float:
    def run():
        with connection.cursor() as cur:
            cur.execute(sql, params)
            cur.fetchall()

    return timed(run, runs)


ITEMS = [
    # code, basis, per TPS, bands, spare per kecamatan
    ("kotak-gub", "per_tps", 1, [], 1),
    ("surat-suara-gub", "dpt_reserve", 0, [], 0),
    ("formulir-gub", "per_tps", 1, [], 0),
    ("plano-gub", "per_tps", 1, [], 0),
    ("bilik", "dpt_band", 0, [[300, 3], [600, 4]], 2),
    ("tinta", "per_tps", 2, [], 0),
    ("segel", "per_tps", 20, [], 0),
    ("sampul", "per_tps", 12, [], 0),
    ("kit-tps", "per_tps", 1, [], 0),
    ("alat-coblos", "per_tps", 4, [], 0),
    ("bantalan", "per_tps", 4, [], 0),
    ("papan-pengumuman", "per_tps", 1, [], 0),
    ("daftar-pasangan-calon", "per_tps", 2, [], 0),
    ("tali-kotak", "per_tps", 2, [], 0),
    ("lampu", "per_tps", 1, [], 0),
]


def setup() -> dict:
    """The province, its TPS, the election and items, a desk user and the shipments, written in bulk
    (a data generator, not the thing measured)."""
    from deskpilkada.accounts.actions import assign_role, create_organisation, create_user, sync_roles
    from deskpilkada.accounts.models import Role
    from deskpilkada.elections.models import Contest, Election
    from deskpilkada.logistics.actions import save_item
    from deskpilkada.logistics.models import Shipment, ShipmentLine, new_code
    from deskpilkada.regions.models import Region
    from deskpilkada.tps.models import Tps

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    rng = random.Random(11)
    per_kelurahan = max(1, round(N_TPS / (CITIES * KECAMATAN * KELURAHAN)))
    with transaction.atomic():
        province = Region.objects.create(code="32", name="Jawa Barat (sintetis)", level=1)
        cities = Region.objects.bulk_create(
            [
                Region(code=f"32.{c:02d}", name=f"Kota Sintetis {c}", level=2, parent=province)
                for c in range(1, CITIES + 1)
            ]
        )
        kecamatan = Region.objects.bulk_create(
            [
                Region(code=f"{city.code}.{k:02d}", name=f"Kecamatan {city.code}.{k:02d}", level=3, parent=city)
                for city in cities
                for k in range(1, KECAMATAN + 1)
            ]
        )
        kelurahan = Region.objects.bulk_create(
            [
                Region(code=f"{kec.code}.{1000 + n}", name=f"Kelurahan {kec.code}.{n}", level=4, parent=kec)
                for kec in kecamatan
                for n in range(1, KELURAHAN + 1)
            ]
        )
        tps = []
        for kel in kelurahan:
            for n in range(1, per_kelurahan + 1):
                m = rng.randint(100, 290)
                tps.append(
                    Tps(
                        code=kel.code.replace(".", "") + f"{n:03d}",
                        kelurahan=kel,
                        number=n,
                        dpt_male=m,
                        dpt_female=m + rng.randint(-20, 20),
                    )
                )
        Tps.objects.bulk_create(tps, batch_size=5000)
        election = Election.objects.create(
            code="bench", name="Pilkada sintetis", voting_date=dt.date(2024, 11, 27), is_current=True
        )
        contest = Contest.objects.create(
            election=election, code="pilgub-bench", name="Gubernur", kind="pilgub", region=province
        )
        items = []
        for n, (code, basis, per, bands, spare) in enumerate(ITEMS):
            items.append(
                save_item(
                    election,
                    by=None,
                    code=code,
                    name=code.replace("-", " ").capitalize(),
                    basis=basis,
                    per_tps=per,
                    bands=bands,
                    spare_per_kecamatan=spare,
                    contest=contest if code.endswith("-gub") else None,
                    sort=n,
                )
            )
        sync_roles(by=None)
        org = create_organisation(by=None, code="bench", name="Desk sintetis", kind="pemda")
        user = create_user(
            by=None, username="bench.desk", password="bench-pass-123", organisation=org, full_name="Desk"
        )
        assign_role(by=None, user=user, role=Role.objects.get(code="desk_viewer"), region=province)

    tps = list(Tps.objects.all().only("pk", "code", "dpt_male", "dpt_female"))
    now = clock.now()
    sent_at = now - dt.timedelta(days=3)

    def need(item, dpt: int) -> int:
        return item.need_for(dpt)

    shipments: list[Shipment] = []
    lines: list[tuple[int, object, int, str]] = []  # (shipment index, item, quantity, state)

    def add(sender: str, receiver: str, tps_obj, state: str, quantities: dict) -> None:
        shipments.append(
            Shipment(
                election=election,
                code=new_code(),
                sender=sender,
                receiver=receiver,
                receiver_tps=tps_obj,
                state=state,
                created_at=sent_at,
                sent_at=sent_at if state != "preparing" else None,
                received_at=now if state.startswith("received") else None,
            )
        )
        for item, q in quantities.items():
            lines.append((len(shipments) - 1, item, q, state))

    sums: dict[str, dict] = {}
    for t in tps:
        q = {i: need(i, t.dpt) for i in items}
        for holder in (t.code[:10], t.code[:6]):
            bucket = sums.setdefault(holder, dict.fromkeys(items, 0))
            for i, n in q.items():
                bucket[i] += n
        r = rng.random()
        state = "received" if r < 0.70 else "sent" if r < 0.80 else "received_short" if r < 0.85 else None
        if state:
            add(t.code[:10], t.code, t, state, q)
    for holder, q in sums.items():
        if len(holder) == 6:
            add(holder[:4], holder, None, "received", q)
        else:
            add(holder[:6], holder, None, "received" if rng.random() < 0.9 else "sent", q)
    with transaction.atomic():
        Shipment.objects.bulk_create(shipments, batch_size=5000)
        batch = []
        for index, item, q, state in lines:
            short = state == "received_short" and item.code == "surat-suara-gub"
            counted = None if state in ("sent", "preparing") else q - (3 if short else 0)
            batch.append(
                ShipmentLine(shipment=shipments[index], item=item, quantity=q, counted=counted, good=counted or 0)
            )
            if len(batch) == 20_000:
                ShipmentLine.objects.bulk_create(batch)
                batch = []
        ShipmentLine.objects.bulk_create(batch)
    # The generator writes the shipments in bulk, around the actions: the kept figures are then written
    # from them once, as `deskpilkada logistics_figures --fix` would.
    from deskpilkada.logistics.actions import rebuild_figures

    start = time.perf_counter()
    with transaction.atomic():
        rebuild_figures(election, by=None)
    print(f"[{ENGINE:8}]   kept figures rebuilt from the shipments in {time.perf_counter() - start:.1f} s", flush=True)
    return {"election": election, "tps": len(tps), "shipments": len(shipments), "lines": len(lines), "user": user}


def bench_alerts(election) -> None:
    from deskpilkada.logistics import alerts
    from deskpilkada.logistics.needs import incomplete

    found: list = []
    ours = timed(lambda: found.__setitem__(slice(None), alerts.alerts(election, "32")), runs=3)
    complete = timed(lambda: incomplete(election, "32"), runs=3)
    ref = raw(
        "SELECT s.receiver_tps_id, l.item_id, SUM(l.good) FROM logistics_shipmentline l "
        "JOIN logistics_shipment s ON s.id = l.shipment_id WHERE s.receiver_tps_id IS NOT NULL "
        "GROUP BY s.receiver_tps_id, l.item_id",
        runs=3,
    )
    line(
        "every TPS's completeness",
        complete,
        "ms",
        ref,
        "received per TPS and item",
        "goal <= 1 s",
        complete <= 1000,
    )
    line(
        "completeness + H-1 alert list, province",
        ours,
        "ms",
        ref,
        "received per TPS and item",
        "goal <= 1 s",
        ours <= 1000,
    )
    print(f"[{ENGINE:8}]   {len(found):,} TPS on the alert list", flush=True)


def bench_dashboard(user) -> None:
    from deskpilkada.regions.models import Region

    client = Client()
    client.force_login(user)
    kecamatan = list(Region.objects.filter(level=3).values_list("code", flat=True))
    rng = random.Random(12)
    for code in kecamatan[:3]:
        assert client.get(f"/logistik/?wilayah={code}").status_code == 200
    samples = []
    for _ in range(30):
        code = rng.choice(kecamatan)
        start = time.perf_counter()
        response = client.get(f"/logistik/?wilayah={code}")
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    refs = []
    with connection.cursor() as cur:
        for _ in range(30):
            code = rng.choice(kecamatan).replace(".", "")
            start = time.perf_counter()
            cur.execute("SELECT id, code, dpt_male, dpt_female FROM tps_tps WHERE code LIKE %s", [code + "%"])
            cur.fetchall()
            refs.append(time.perf_counter() - start)
    line(
        "kecamatan dashboard page, p95",
        p95(samples),
        "ms",
        p95(refs),
        "its TPS SELECT",
        "goal p95 <= 150 ms",
        p95(samples) <= 150,
    )


def bench_needs(election) -> None:
    from deskpilkada.logistics.needs import area_needs

    ours = timed(lambda: area_needs(election, "32"), runs=3)
    ref = raw("SELECT SUM(dpt_male + dpt_female), COUNT(*) FROM tps_tps", runs=3)
    line("needs of the whole province", ours, "ms", ref, "DPT sum of every TPS", "goal <= 500 ms", ours <= 500)


def main() -> None:
    start = time.perf_counter()
    made = setup()
    print(
        f"[{ENGINE:8}]   set-up: {made['tps']:,} TPS, {len(ITEMS)} item types, {made['shipments']:,} shipments, "
        f"{made['lines']:,} lines in {time.perf_counter() - start:.0f} s",
        flush=True,
    )
    with clock.at(clock.now()):
        bench_alerts(made["election"])
        bench_needs(made["election"])
        bench_dashboard(made["user"])
    print(json.dumps({"engine": ENGINE, "tps": made["tps"], "shipments": made["shipments"]}))


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        if ENGINE == "postgres":
            drop_postgres(PG_DB)
