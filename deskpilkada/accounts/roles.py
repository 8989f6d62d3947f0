"""The roles of the desk (DESIGN.md §2) and the capabilities each grants.

Roles are rows of `accounts.Role`; this table is their canonical definition, written to the
database by a data migration and by `deskpilkada sync_roles`. Each capability is a dotted
name, `<domain>.<verb>`; views and API endpoints name the one they need.

Officers (point 3): `officers.view` reads the registry and its coverage (names, crews, counts);
`officers.contacts` also shows their phones and addresses (those who call them: KPU, PPK, PPS, the
KPPS of its own TPS, the health office, the desk's secretariat); `officers.health` shows the
screening values and outcomes of named officers (the health office only; the others see counts).
"""

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

# Every staff role reads the desk and may report an incident in its area (cases).
STAFF_READ = ["desk.view", "regions.view", "elections.view", "tps.view", "tally.view", "incidents.report"]

ROLES: dict[str, dict] = {
    "desk_admin": {
        "name": _("Admin desk (Kesbangpol)"),
        "caps": [
            *STAFF_READ,
            "accounts.manage",
            "audit.view",
            "desk.manage",
            "desk.report",
            "outreach.manage",
            "cases.view_all",
            "incidents.manage",
            "officers.view",
            "officers.contacts",
            "health.view",
        ],
    },
    "desk_viewer": {
        "name": _("Pemantau desk (Sekda, Pj Wali Kota, Forkopimda)"),
        "caps": [*STAFF_READ, "audit.view", "desk.report", "cases.view_all", "officers.view", "health.view"],
    },
    "kpu_operator": {
        "name": _("Operator KPU"),
        "caps": [
            *STAFF_READ,
            "elections.manage",
            "tps.manage",
            "relocation.manage",
            "logistics.manage",
            "logistics.receive",
            "officers.manage",
            "officers.train",
            "officers.view",
            "officers.contacts",
            "dpt.import",
            "invitations.record",
            "tally.enter",
            "tally.verify",
            "tally.finalise",
            "tally.import",
            "recap.enter",
            "health.view",
        ],
    },
    "ppk": {
        "name": _("PPK (panitia kecamatan)"),
        "caps": [
            *STAFF_READ,
            "relocation.manage",
            "logistics.receive",
            "officers.train",
            "officers.view",
            "officers.contacts",
            "tally.enter",
            "tally.verify",
            "recap.enter",
        ],
    },
    "pps": {
        "name": _("PPS (panitia kelurahan)"),
        "caps": [
            *STAFF_READ,
            "readiness.manage",
            "invitations.record",
            "logistics.receive",
            "officers.train",
            "officers.view",
            "officers.contacts",
            "health.duty",
        ],
    },
    "kpps": {
        "name": _("KPPS (petugas TPS)"),
        "caps": [
            *STAFF_READ,
            "readiness.manage",
            "invitations.record",
            "tally.enter",
            "logistics.receive",
            "officers.view",
            "officers.contacts",
            "health.duty",
        ],
    },
    "bawaslu": {
        "name": _("Bawaslu / Panwascam / PKD / PTPS"),
        "caps": [*STAFF_READ, "audit.view", "fraud.manage", "risk.manage"],
    },
    "security": {
        "name": _("Keamanan (Polresta, Kodim, Satpol PP/Linmas)"),
        "caps": [*STAFF_READ, "risk.manage", "security.manage"],
    },
    "bpbd": {
        "name": _("BPBD (penanggulangan bencana)"),
        "caps": [*STAFF_READ, "hazards.manage"],
    },
    "health": {
        "name": _("Kesehatan (Dinkes, rumah sakit)"),
        "caps": [
            *STAFF_READ,
            "health.manage",
            "health.view",
            "health.duty",
            "officers.view",
            "officers.health",
            "officers.contacts",
        ],
    },
    # A hospital's own staff: its in-patients' visit schedule (deskpilkada/health/access.py).
    "hospital": {
        "name": _("Rumah sakit"),
        "caps": [*STAFF_READ, "hospital.visit"],
    },
    "communications": {
        "name": _("Komunikasi (Diskominfo)"),
        "caps": [*STAFF_READ, "hoax.manage", "outreach.manage"],
    },
    "civil_service": {
        "name": _("Kepegawaian (BKPSDM, Inspektorat)"),
        "caps": [*STAFF_READ, "asn.manage"],
    },
    "area_head": {
        "name": _("Camat / Lurah"),
        "caps": [*STAFF_READ, "cases.view_all", "officers.view", "health.view"],
    },
}


# The kinds of area each role may be limited to: region levels (1 province, 2 kabupaten/kota,
# 3 kecamatan, 4 kelurahan/desa) or "tps".
ANY_AREA = {1, 2, 3, 4, "tps"}
ROLE_AREAS: dict[str, set] = {
    "desk_admin": {1, 2},
    "desk_viewer": {1, 2},
    "kpu_operator": {1, 2},
    "ppk": {3},
    "pps": {4},
    "kpps": {"tps"},
    "bawaslu": ANY_AREA,
    "security": ANY_AREA,
    "bpbd": {1, 2},
    "health": ANY_AREA,
    "hospital": {2, 3},
    "communications": {1, 2},
    "civil_service": {1, 2},
    "area_head": {3, 4},
}
AREA_NAMES = {1: _("provinsi"), 2: _("kabupaten/kota"), 3: _("kecamatan"), 4: _("kelurahan/desa"), "tps": _("TPS")}


def role_area_error(role_code: str, level) -> str | None:
    """None when a role may be limited to an area of this level; else the reason, in Indonesian."""
    allowed = ROLE_AREAS.get(role_code, ANY_AREA)
    if level in allowed:
        return None
    names = ", ".join(str(AREA_NAMES[a]) for a in sorted(allowed, key=str))
    return _g("Peran ini hanya untuk wilayah tingkat: %(names)s.") % {"names": names}
