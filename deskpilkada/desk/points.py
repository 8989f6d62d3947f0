"""The ten points of the desk (rakor 1 Nov 2024) and their providers.

Each built point names its provider module (`<app>/desk.py`, the protocol of desk/protocol.py);
the desk reads its tile, its tasks and its readiness from there and nothing else of the point.
A point whose module is not built yet says so, with what it will hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType

from django.db.models import Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from deskpilkada.accounts.access import has_cap, home_areas, tps_scope
from deskpilkada.desk.protocol import Provider, Tile
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Tps


@dataclass(frozen=True)
class Point:
    number: int
    slug: str
    title: str | Promise
    summary: str | Promise
    planned: list[str | Promise] = field(default_factory=list)
    # Its desk provider (desk/protocol.py): a module, or "module:name" for an object of a module that
    # serves several points; empty while not built.
    provider: str = ""
    url_name: str = ""
    owner_caps: tuple[str, ...] = ()  # the capabilities of the roles that do this point's work
    pending: list[str | Promise] = field(default_factory=list)  # parts of a built point still to come

    @property
    def built(self) -> bool:
        return bool(self.provider)


POINTS = [
    Point(
        1,
        "logistik",
        _("Logistik"),
        _("Kotak suara, surat suara, bilik, tinta, segel dan formulir tiba di setiap TPS paling lambat H-1."),
        [
            _("Kebutuhan per TPS dihitung dari aturan"),
            _("Pengiriman gudang KPU → PPK → PPS → TPS dengan berita acara"),
            _("Peringatan TPS yang belum lengkap pada H-1"),
        ],
        provider="deskpilkada.logistics.desk",
        url_name="logistics:home",
        owner_caps=("logistics.manage", "logistics.receive"),
    ),
    Point(
        2,
        "kesiapan-tps",
        _("Kesiapan TPS dan mitigasi bencana"),
        _("TPS di tempat strategis dan mudah diakses; mitigasi untuk TPS rawan banjir dan longsor."),
        [
            _("Daftar periksa kesiapan per TPS"),
            _("Risiko bencana per TPS dari daftar BPBD"),
            _("Rencana mitigasi, lokasi cadangan, relokasi pada hari H"),
        ],
        provider="deskpilkada.readiness.desk:readiness",
        url_name="readiness:overview",
        owner_caps=("readiness.manage", "relocation.manage", "hazards.manage"),
    ),
    Point(
        3,
        "petugas",
        _("Petugas dan bimtek"),
        _("PPK, PPS dan KPPS terlatih agar pemungutan dan penghitungan lancar."),
        [
            _("Registri PPK, PPS, KPPS, Linmas dengan pemeriksaan kesehatan"),
            _("Bimtek dengan kehadiran dan nilai"),
            _("Cakupan TPS dengan kru terlatih lengkap"),
        ],
        provider="deskpilkada.officers.desk",
        url_name="officers:home",
        owner_caps=("officers.manage", "officers.train"),
    ),
    Point(
        4,
        "sosialisasi",
        _("Sosialisasi dan partisipasi"),
        _("Sosialisasi masif untuk menaikkan partisipasi, termasuk di mana TPS setiap pemilih."),
        [
            _("Distribusi undangan (C.Pemberitahuan) per TPS per hari"),
            _("Cek TPS publik dari NIK"),
            _("Prioritas kelurahan berpartisipasi rendah"),
        ],
        provider="deskpilkada.outreach.desk",
        url_name="outreach:invitations",
        owner_caps=("invitations.record", "outreach.manage", "dpt.import"),
    ),
    Point(
        5,
        "penghitungan",
        _("Penghitungan dan rekapitulasi"),
        _("Penghitungan yang andal, manual dan digital, tanpa kegagalan Sirekap 2024."),
        [
            _("Entri C.Hasil dengan foto dan pemeriksaan aritmetika"),
            _("Verifikasi entri kedua"),
            _("Rekap berjenjang langsung dan hasil publik"),
        ],
        provider="deskpilkada.tally.desk",
        url_name="tally:home",
        owner_caps=("tally.enter", "tally.verify", "tally.import", "recap.enter"),
    ),
    Point(
        6,
        "pelanggaran",
        _("Pelanggaran (Bawaslu)"),
        _("Pengawasan pelanggaran: politik uang, intimidasi, pelanggaran prosedur, kampanye di masa tenang."),
        [_("Laporan dan temuan dengan bukti"), _("Tenggat hukum dihitung untuk setiap laporan")],
        provider="deskpilkada.cases.desk:fraud",
        url_name="cases:inbox",
        owner_caps=("fraud.manage",),
    ),
    Point(
        7,
        "keamanan",
        _("Keamanan"),
        _("Kesiapan TNI-Polri di setiap TPS."),
        [_("Kelas kerawanan TPS"), _("Penempatan personel dan celah cakupan"), _("Insiden keamanan")],
        provider="deskpilkada.readiness.desk:security",
        url_name="readiness:security",
        owner_caps=("security.manage", "risk.manage"),
    ),
    Point(
        8,
        "hoaks",
        _("Hoaks"),
        _("Pencegahan dan klarifikasi hoaks dan informasi yang mengganggu."),
        [_("Register klaim dan alur cek fakta"), _("Klarifikasi yang dipublikasikan")],
        provider="deskpilkada.cases.desk:hoax",
        url_name="cases:inbox",
        owner_caps=("hoax.manage",),
    ),
    Point(
        9,
        "kesehatan",
        _("Kesehatan"),
        _("Kesehatan petugas KPPS, dan pasien rawat inap tetap dapat memilih."),
        [_("Pemilih rawat inap dan KPPS keliling"), _("Pos kesehatan, skrining dan insiden kesehatan petugas")],
        provider="deskpilkada.health.desk:health",
        url_name="health:overview",
        owner_caps=("health.manage", "hospital.visit"),
    ),
    Point(
        10,
        "netralitas-asn",
        _("Netralitas ASN"),
        _("ASN tetap netral; bukti ditindaklanjuti sesuai aturan."),
        [_("Kasus ASN: Bawaslu → BKN → sanksi oleh PPK (wali kota)"), _("Status dan tenggat")],
        provider="deskpilkada.cases.desk:asn",
        url_name="cases:inbox",
        owner_caps=("asn.manage",),
    ),
]
BY_SLUG = {p.slug: p for p in POINTS}


def provider(point: Point) -> Provider | ModuleType | None:
    """The point's desk provider (`<app>/desk.py`, see desk/protocol.py), or None while it is not built."""
    if not point.provider:
        return None
    module, _sep, name = point.provider.partition(":")
    return getattr(import_module(module), name) if name else import_module(module)


def tiles(user) -> list[dict]:
    """The ten tiles, each with its provider's figures inside the user's area."""
    out = []
    for point in POINTS:
        module = provider(point)
        out.append({"point": point, "tile": module.tile(user) if module else Tile()})
    return out


def owned_points(user) -> list[Point]:
    """The points whose work this user does (its role holds one of the point's capabilities)."""
    return [p for p in POINTS if any(has_cap(user, cap) for cap in p.owner_caps)]


def user_tasks(user) -> list[dict]:
    """What this user should do, point by point: the providers' tasks, and a plain "not built yet" for
    the points it works on whose module does not exist."""
    out = []
    owned = {p.number for p in owned_points(user)}
    for point in POINTS:
        module = provider(point)
        if module is not None:
            tasks = module.tasks(user)
            if tasks:
                out.append({"point": point, "tasks": tasks})
            elif point.number in owned and point.pending:  # its part of a point built only in part
                out.append({"point": point, "tasks": [], "pending": point.pending})
        elif point.number in owned:
            out.append({"point": point, "tasks": [], "not_built": True})
    return out


def readiness_regions(user) -> list[Region]:
    """The regions one level below each of the user's areas (the city's kecamatan, a kecamatan's kelurahan)."""
    areas = Region.objects.filter(code__in=home_areas(user, "desk.view"))
    out: list[Region] = []
    for area in areas:
        children = list(area.children.order_by("code"))
        out.extend(children or [area])
    return out


def readiness_table(user) -> dict:
    """Readiness per region per built point: {"regions": [...], "points": [...], "rows": [[Readiness|None]]}."""
    regions = readiness_regions(user)
    built = [(p, provider(p)) for p in POINTS if p.provider]
    columns = {p.number: module.readiness(user, regions) for p, module in built if module}
    rows = [{"region": r, "cells": [columns[p.number].get(r.code) for p, _m in built]} for r in regions]
    formulas = [(p, next(iter(columns[p.number].values())).formula) for p, _m in built if columns[p.number]]
    return {"points": [p for p, _m in built], "rows": rows, "formulas": formulas}


def area_totals(user) -> dict:
    tps = Tps.objects.filter(tps_scope(user, "tps.view"))
    agg = tps.aggregate(male=Sum("dpt_male"), female=Sum("dpt_female"))
    return {
        "tps": tps.count(),
        "dpt": (agg["male"] or 0) + (agg["female"] or 0),
        "male": agg["male"] or 0,
        "female": agg["female"] or 0,
    }
