"""The demo's hospitals: Kota Bogor's, from Kemenkes' list (a 2021 copy), each placed in its kecamatan
where its address is known (the others stay at the city), and RSUD Kota Bogor linked to its organisation.
Hospital voting, health posts and incidents follow in `demo_voting.py`, once TPS, users and cases exist."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from deskpilkada.accounts.models import Organisation
from deskpilkada.health.actions import link_organisation, save_hospital
from deskpilkada.health.models import Hospital
from deskpilkada.regions.models import Region

HOSPITALS = Path(__file__).parent / "demo_data" / "kota_bogor_rumah_sakit_kemenkes_copy_2021.csv"

# Kemenkes code -> kecamatan, from the hospitals' street addresses (Bogor Tengah 03, Bogor Barat 04,
# Bogor Utara 05, Tanah Sareal 06, Bogor Selatan 01); the others are left at the city.
KECAMATAN = {
    "3271013": "32.71.03",  # PMI, Jl. Pajajaran
    "3271024": "32.71.03",  # Salak, Jl. Jend. Sudirman
    "3271046": "32.71.04",  # Marzoeki Mahdi, Jl. Dr. Sumeru
    "3271072": "32.71.05",  # Azra, Jl. Pajajaran, Bantarjati
    "3271104": "32.71.04",  # RSUD Kota Bogor, Jl. Dr. Sumeru, Menteng
    "3271115": "32.71.06",  # Hermina, Kedung Badak
    "3271161": "32.71.01",  # Melania, Jl. Pahlawan
    "3271164": "32.71.05",  # Mulia Pajajaran, Bantarjati
    "3271166": "32.71.03",  # Bhayangkara, Jl. Kapten Muslihat
}
# Hospital code -> the demo organisation of its staff (accounts/demo.py).
ORGANISATIONS = {"3271104": "rsud-kota-bogor"}


def seed(*, now: dt.datetime, say: Callable[[str], None]) -> None:
    city = Region.objects.get(code="32.71")
    regions = {r.code: r for r in Region.objects.filter(code__in=set(KECAMATAN.values()))}
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
                region=regions.get(KECAMATAN.get(r["kode_rs"], ""), city),
                note="Mungkin terletak di Kabupaten Bogor." if "Hassan Toto" in r["nama_rs"] else "",
            )


def link_organisations() -> None:
    """Each demo hospital with an organisation gets it (after the accounts' seed made the organisations)."""
    for code, org in ORGANISATIONS.items():
        hospital, organisation = (
            Hospital.objects.filter(code=code).first(),
            Organisation.objects.filter(code=org).first(),
        )
        if hospital is not None and organisation is not None and hospital.organisation_id != organisation.pk:
            link_organisation(by=None, hospital=hospital, organisation=organisation)
