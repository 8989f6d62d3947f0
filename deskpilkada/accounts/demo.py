"""The demo's organisations and users: one per role (names marked "(demo)"), all with one password."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from deskpilkada.accounts.actions import assign_role, create_organisation, create_user, sync_roles
from deskpilkada.accounts.models import Organisation, Role, User
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Tps

DEMO_PASSWORD = "demo-pilkada-2024"  # printed by `make demo` and in the README

ORGANISATIONS = [
    ("kesbangpol-bogor", "Kesbangpol Kota Bogor", "pemda"),
    ("setda-bogor", "Sekretariat Daerah Kota Bogor", "pemda"),
    ("kpu-bogor", "KPU Kota Bogor", "kpu"),
    ("ppk-bogor-barat", "PPK Bogor Barat", "kpu"),
    ("pps-kebon-pedes", "PPS Kebon Pedes", "kpu"),
    ("kpps-kebon-pedes-028", "KPPS TPS 028 Kebon Pedes", "kpu"),
    ("bawaslu-bogor", "Bawaslu Kota Bogor", "bawaslu"),
    ("polresta-bogor", "Polresta Bogor Kota", "polri"),
    ("bpbd-bogor", "BPBD Kota Bogor", "bpbd"),
    ("dinkes-bogor", "Dinas Kesehatan Kota Bogor", "kesehatan"),
    ("diskominfo-bogor", "Diskominfo Kota Bogor", "diskominfo"),
    ("bkpsdm-bogor", "BKPSDM Kota Bogor", "bkpsdm"),
    ("kec-bogor-barat", "Kecamatan Bogor Barat", "kecamatan"),
    ("kel-kebon-pedes", "Kelurahan Kebon Pedes", "kelurahan"),
    ("kesbangpol-jabar", "Kesbangpol Provinsi Jawa Barat", "pemda"),
    ("panwascam-bogor-barat", "Panwascam Bogor Barat", "bawaslu"),
    ("polsek-bogor-barat", "Polsek Bogor Barat", "polri"),
    ("puskesmas-bogor-barat", "Puskesmas Bogor Barat", "kesehatan"),
    ("rsud-kota-bogor", "RSUD Kota Bogor", "rumah_sakit"),
]

# username, full name, organisation, role, area (region code or 13-digit TPS code)
USERS = [
    ("admin.kesbangpol", "Admin Desk (demo)", "kesbangpol-bogor", "desk_admin", "32.71"),
    ("sekda", "Sekda Kota Bogor (demo)", "setda-bogor", "desk_viewer", "32.71"),
    ("operator.kpu", "Operator KPU Kota (demo)", "kpu-bogor", "kpu_operator", "32.71"),
    ("ppk.bogorbarat", "Ketua PPK Bogor Barat (demo)", "ppk-bogor-barat", "ppk", "32.71.04"),
    ("pps.kebonpedes", "Ketua PPS Kebon Pedes (demo)", "pps-kebon-pedes", "pps", "32.71.06.1002"),
    ("kpps.kebonpedes028", "Ketua KPPS TPS 028 Kebon Pedes (demo)", "kpps-kebon-pedes-028", "kpps", "3271061002028"),
    ("bawaslu", "Staf Bawaslu Kota (demo)", "bawaslu-bogor", "bawaslu", "32.71"),
    ("polresta", "Perwira Polresta (demo)", "polresta-bogor", "security", "32.71"),
    ("bpbd", "Petugas BPBD Kota (demo)", "bpbd-bogor", "bpbd", "32.71"),
    ("dinkes", "Petugas Dinkes (demo)", "dinkes-bogor", "health", "32.71"),
    ("diskominfo", "Analis Diskominfo (demo)", "diskominfo-bogor", "communications", "32.71"),
    ("bkpsdm", "Analis BKPSDM (demo)", "bkpsdm-bogor", "civil_service", "32.71"),
    ("camat.bogorbarat", "Camat Bogor Barat (demo)", "kec-bogor-barat", "area_head", "32.71.04"),
    ("lurah.kebonpedes", "Lurah Kebon Pedes (demo)", "kel-kebon-pedes", "area_head", "32.71.06.1002"),
    # Accounts limited to a province or one kecamatan, so that scoping faults show.
    ("admin.jabar", "Admin Desk Provinsi (demo)", "kesbangpol-jabar", "desk_admin", "32"),
    ("panwascam.bogorbarat", "Staf Panwascam Bogor Barat (demo)", "panwascam-bogor-barat", "bawaslu", "32.71.04"),
    ("polsek.bogorbarat", "Perwira Polsek Bogor Barat (demo)", "polsek-bogor-barat", "security", "32.71.04"),
    ("puskesmas.bogorbarat", "Petugas Puskesmas Bogor Barat (demo)", "puskesmas-bogor-barat", "health", "32.71.04"),
    # A hospital's staff: its own in-patients' visit schedule only.
    ("rs.rsudkotabogor", "Petugas Pemilu RSUD Kota Bogor (demo)", "rsud-kota-bogor", "hospital", "32.71.04"),
]


def seed(*, now: dt.datetime, say: Callable[[str], None]) -> None:
    """The roles, then each demo organisation and user with its one role (after the TPS exist)."""
    sync_roles(by=None)
    orgs = {}
    for code, name, kind in ORGANISATIONS:
        orgs[code] = Organisation.objects.filter(code=code).first() or create_organisation(
            by=None, code=code, name=name, kind=kind
        )
    roles = {r.code: r for r in Role.objects.all()}
    for username, full_name, org, role, area in USERS:
        user = User.objects.filter(username=username).first() or create_user(
            by=None, username=username, password=DEMO_PASSWORD, organisation=orgs[org], full_name=full_name
        )
        if len(area.replace(".", "")) == 13:
            assign_role(by=None, user=user, role=roles[role], tps=Tps.objects.get(code=area))
        else:
            assign_role(by=None, user=user, role=roles[role], region=Region.objects.get(code=area))
