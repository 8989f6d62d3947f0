"""The regions of the demo: Kota Bogor from idn-area-data, the kecamatan centres, BPBD's hazard list."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from deskpilkada.regions.actions import add_hazard, import_regions, set_region_location
from deskpilkada.regions.models import Level, Region

REGIONS = Path(__file__).parent / "data" / "idn-area-data-kota-bogor"
DATA = Path(__file__).parent / "demo_data"
HAZARDS = DATA / "kota_bogor_kelurahan_rawan_bencana_bpbd.csv"

# Approximate centres of the six kecamatan (degrees); kelurahan and TPS are placed around them.
KECAMATAN_CENTRES = {
    "32.71.01": (-6.6330, 106.8120),  # Bogor Selatan
    "32.71.02": (-6.6080, 106.8230),  # Bogor Timur
    "32.71.03": (-6.5960, 106.7960),  # Bogor Tengah
    "32.71.04": (-6.5850, 106.7640),  # Bogor Barat
    "32.71.05": (-6.5600, 106.8150),  # Bogor Utara
    "32.71.06": (-6.5480, 106.7820),  # Tanah Sareal
}

HAZARD_KINDS = {
    "banjir": "banjir",
    "longsor": "longsor",
    "angin puting beliung": "angin",
    "pohon tumbang": "pohon_tumbang",
    "kekeringan": "kekeringan",
    "bahaya": "lain",
}


def seed(*, now: dt.datetime, say: Callable[[str], None]) -> None:
    """Regions, the kecamatan centres and the hazards: all known long before the demo's `now`."""
    result = import_regions(REGIONS, by=None, progress=False)
    say(f"Wilayah: {result.summary()}")
    for code, (lat, lon) in KECAMATAN_CENTRES.items():
        set_region_location(by=None, region=Region.objects.get(code=code), lat=lat, lon=lon)
    villages = {r.code: r for r in Region.objects.filter(level=Level.VILLAGE, code__startswith="32.71.")}
    with HAZARDS.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            add_hazard(
                by=None, region=villages[row["kelurahan_kode"]], kind=HAZARD_KINDS[row["bahaya"]], source=row["source"]
            )
