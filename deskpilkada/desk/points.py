"""The ten points of the desk (rakor 1 Nov 2024) and what each tile shows today.

A point whose module is not built yet says so; its tile shows only figures the shared core
can compute honestly (never a typed-in number).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from deskpilkada.accounts.access import region_scope, tps_scope
from deskpilkada.regions.models import RegionHazard
from deskpilkada.tps.models import Tps


@dataclass(frozen=True)
class Point:
    number: int
    slug: str
    title: str
    summary: str
    planned: list[str] = field(default_factory=list)
    built: bool = False
    url_name: str = ""


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
        built=True,
        url_name="outreach:invitations",
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
        built=True,
        url_name="tally:home",
    ),
    Point(
        6,
        "pelanggaran",
        _("Pelanggaran (Bawaslu)"),
        _("Pengawasan pelanggaran: politik uang, intimidasi, pelanggaran prosedur, kampanye di masa tenang."),
        [_("Laporan dan temuan dengan bukti"), _("Tenggat hukum dihitung untuk setiap laporan")],
    ),
    Point(
        7,
        "keamanan",
        _("Keamanan"),
        _("Kesiapan TNI-Polri di setiap TPS."),
        [_("Kelas kerawanan TPS"), _("Penempatan personel dan celah cakupan"), _("Insiden keamanan")],
    ),
    Point(
        8,
        "hoaks",
        _("Hoaks"),
        _("Pencegahan dan klarifikasi hoaks dan informasi yang mengganggu."),
        [_("Register klaim dan alur cek fakta"), _("Klarifikasi yang dipublikasikan")],
    ),
    Point(
        9,
        "kesehatan",
        _("Kesehatan"),
        _("Kesehatan petugas KPPS, dan pasien rawat inap tetap dapat memilih."),
        [_("Pemilih rawat inap dan KPPS keliling"), _("Pos kesehatan, skrining dan insiden kesehatan petugas")],
    ),
    Point(
        10,
        "netralitas-asn",
        _("Netralitas ASN"),
        _("ASN tetap netral; bukti ditindaklanjuti sesuai aturan."),
        [_("Kasus ASN: Bawaslu → BKN → sanksi oleh PPK (wali kota)"), _("Status dan tenggat")],
    ),
]
BY_SLUG = {p.slug: p for p in POINTS}


def core_figures(user) -> dict[int, list[tuple[str, object]]]:
    """Figures the shared core already holds for some points, inside the user's area."""
    tps = Tps.objects.filter(tps_scope(user, "tps.view"))
    # Hazards are listed per kelurahan; a TPS is exposed when its kelurahan is listed.
    flood = RegionHazard.objects.filter(kind="banjir").values_list("region__code", flat=True)
    slide = RegionHazard.objects.filter(kind="longsor").values_list("region__code", flat=True)

    def in_villages(codes):
        q = Q(pk__in=[])
        for code in codes:
            q |= Q(code__startswith=code.replace(".", ""))
        return tps.filter(q).count()

    from deskpilkada.health.models import Hospital

    return {
        4: invitation_figures(user),
        5: tally_figures(user),
        2: [
            (_("TPS di kelurahan rawan banjir (BPBD)"), in_villages(flood)),
            (_("TPS di kelurahan rawan longsor (BPBD)"), in_villages(slide)),
            (_("TPS dapat diakses kursi roda"), tps.filter(wheelchair_accessible=True).count()),
        ],
        9: [
            (_("Rumah sakit terdaftar"), Hospital.objects.filter(region_scope(user, "desk.view", "region")).count()),
            (_("TPS khusus rumah sakit"), tps.filter(special_kind=Tps.SpecialKind.HOSPITAL).count()),
        ],
        1: [(_("Kotak suara dibutuhkan (2 per TPS)"), tps.count() * 2)],
    }


def invitation_figures(user) -> list[tuple[str, object]]:
    """Point 4: TPS behind on invitations on the warning day, and the share handled."""
    from deskpilkada.elections.models import Election
    from deskpilkada.outreach import progress

    election = Election.objects.current()
    if election is None:
        return []
    days_before = progress.default_days_before(election)
    rows = progress.progress(election, Tps.objects.filter(tps_scope(user, "desk.view")), days_before)
    dpt = sum(r.dpt for r in rows)
    handled = sum(r.handled for r in rows)
    return [
        (f"{_('TPS tertinggal undangan')} (H-{days_before})", sum(r.behind for r in rows)),
        (_("Undangan tertangani"), f"{100 * handled / dpt:.1f}%" if dpt else "—"),
    ]


def tally_figures(user) -> list[tuple[str, object]]:
    """Point 5: per contest, TPS counted of the TPS in the user's area, and how many are held."""
    from deskpilkada.elections.models import Contest
    from deskpilkada.tally.models import TallySheet

    figures = []
    tps = Tps.objects.filter(tps_scope(user, "tally.view"))
    total = tps.count()
    for contest in Contest.objects.filter(election__is_current=True).order_by("kind"):
        sheets = TallySheet.objects.filter(contest=contest, tps__in=tps)
        counted = sheets.filter(status=TallySheet.Status.COUNTED).count()
        kind = contest.kind.capitalize()
        figures.append((f"{kind}: {_('TPS dihitung')}", f"{counted:,} / {total:,}"))
        figures.append((f"{kind}: {_('ditahan')}", sheets.filter(status=TallySheet.Status.HELD).count()))
    return figures


def area_totals(user) -> dict:
    tps = Tps.objects.filter(tps_scope(user, "tps.view"))
    agg = tps.aggregate(male=Sum("dpt_male"), female=Sum("dpt_female"))
    return {
        "tps": tps.count(),
        "dpt": (agg["male"] or 0) + (agg["female"] or 0),
        "male": agg["male"] or 0,
        "female": agg["female"] or 0,
    }
