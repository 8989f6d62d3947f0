"""The demo's hospitals: Kota Bogor's, from Kemenkes' list (a 2021 copy)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from deskpilkada.health.actions import save_hospital
from deskpilkada.regions.models import Region

HOSPITALS = Path(__file__).parent / "demo_data" / "kota_bogor_rumah_sakit_kemenkes_copy_2021.csv"


def seed(*, now: dt.datetime, say: Callable[[str], None]) -> None:
    city = Region.objects.get(code="32.71")
    with HOSPITALS.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            save_hospital(
                by=None,
                code=r["kode_rs"],
                name=r["nama_rs"],
                kind=r["jenis_rs"],
                hospital_class=r["kelas"],
                owner=r["pemilik"],
                beds=int(r["total_tt"] or 0),
                region=city,
                note="Mungkin terletak di Kabupaten Bogor." if "Hassan Toto" in r["nama_rs"] else "",
            )
