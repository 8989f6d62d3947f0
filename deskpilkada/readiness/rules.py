"""The rules of points 2 and 7 as data per election, written with their defaults the first time an
election needs them and then kept (and changed) as rows: the readiness checklist, Bawaslu's TPS
vulnerability indicators, the class thresholds and the personnel each class needs.

The checklist follows the desk's point 2 (rakor 1 Nov 2024) in the shape of Vote Monitor's observer
forms — a question, its answer kind, the answers that raise a flag — plus who owns the fix. The
indicators follow Bawaslu's TPS-rawan mapping for Pilkada 2024 (variables and indicators as Bawaslu
published them, e.g. TPS with voters with disabilities, with DPTb voters, hard to reach, near a
candidate's base, with a history of conflict); their weights are the desk's (1 = context, 2 = a known
risk, 3 = a history of incidents) and can be changed per election.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from deskpilkada.elections.models import Election
from deskpilkada.memo import per_request
from deskpilkada.readiness.models import ChecklistItem, ReadinessRules, VulnerabilityIndicator

K = ChecklistItem.Kind
SIGNAL = [["baik", _("baik")], ["lemah", _("lemah")], ["tidak_ada", _("tidak ada")]]
# code, question, help, kind, choices, flag values, flag below, unit, flood-prone only, owner role, fix hours
DEFAULT_ITEMS: tuple[tuple, ...] = (
    (
        "lokasi",
        _("Lokasi TPS sudah pasti dan ada penunjuk arah"),
        "",
        K.YES_NO,
        [],
        ["tidak"],
        None,
        "",
        False,
        "pps",
        24,
    ),
    (
        "kursi_roda",
        _("Dapat dicapai dengan kursi roda"),
        _("Jalan masuk tanpa tangga atau dengan bidang miring; bilik untuk pemilih disabilitas."),
        K.YES_NO,
        [],
        ["tidak"],
        None,
        "",
        False,
        "pps",
        24,
    ),
    (
        "perlengkapan",
        _("Tenda, bilik suara dan meja tersedia"),
        "",
        K.YES_NO,
        [],
        ["tidak"],
        None,
        "",
        False,
        "pps",
        12,
    ),
    (
        "penerangan",
        _("Penerangan cukup untuk penghitungan malam"),
        "",
        K.YES_NO,
        [],
        ["tidak"],
        None,
        "",
        False,
        "pps",
        12,
    ),
    (
        "drainase",
        _("Drainase baik dan lantai ditinggikan"),
        _("Hanya untuk TPS rawan banjir."),
        K.YES_NO,
        [],
        ["tidak"],
        None,
        "",
        True,
        "bpbd",
        12,
    ),
    (
        "jarak_sungai",
        _("Jarak ke sungai atau lereng terdekat"),
        _("Dalam meter; kurang dari 50 m ditandai."),
        K.NUMBER,
        [],
        [],
        50,
        "m",
        False,
        "bpbd",
        24,
    ),
    (
        "cadangan",
        _("Ada lokasi cadangan bila TPS harus pindah"),
        "",
        K.YES_NO,
        [],
        ["tidak"],
        None,
        "",
        False,
        "pps",
        24,
    ),
    ("listrik", _("Listrik tersedia"), "", K.YES_NO, [], ["tidak"], None, "", False, "pps", 12),
    (
        "sinyal",
        _("Sinyal telepon untuk mengirim foto C.Hasil"),
        "",
        K.CHOICE,
        SIGNAL,
        ["lemah", "tidak_ada"],
        None,
        "",
        False,
        "kpu_operator",
        24,
    ),
)

# variable, code, indicator, weight
DEFAULT_INDICATORS = (
    (_("Penggunaan hak pilih"), "dptb", _("Terdapat pemilih DPTb (pindah memilih)"), 1),
    (_("Penggunaan hak pilih"), "disabilitas", _("Terdapat pemilih disabilitas"), 1),
    (_("Penggunaan hak pilih"), "dpk", _("Terdapat potensi pemilih DPK (tidak terdaftar)"), 1),
    (_("Penggunaan hak pilih"), "khusus", _("TPS di rumah sakit, lapas/rutan atau tempat khusus"), 2),
    (_("Keamanan"), "konflik", _("Riwayat kekerasan, konflik atau intimidasi di TPS"), 3),
    (_("Keamanan"), "basis_paslon", _("TPS di dekat rumah atau posko pasangan calon"), 2),
    (_("Politik uang"), "politik_uang", _("Riwayat politik uang di sekitar TPS"), 3),
    (_("Politisasi SARA"), "sara", _("Riwayat politisasi SARA atau ujaran kebencian"), 2),
    (_("Netralitas"), "netralitas", _("Riwayat ketidaknetralan penyelenggara, ASN, TNI atau Polri"), 2),
    (_("Pemungutan suara"), "pemungutan_ulang", _("Riwayat pemungutan suara ulang atau susulan"), 3),
    (_("Logistik"), "logistik", _("Riwayat logistik rusak, kurang atau terlambat"), 1),
    (_("Lokasi TPS"), "sulit_dijangkau", _("TPS sulit dijangkau (geografis, cuaca)"), 2),
    (_("Lokasi TPS"), "rawan_bencana", _("TPS di lokasi rawan bencana"), 2),
    (_("Jaringan"), "tanpa_sinyal", _("Tidak ada jaringan internet atau listrik"), 1),
)


def checklist(election: Election) -> list[ChecklistItem]:
    """The election's checklist items in order, the defaults written the first time."""
    return list(per_request(("readiness.checklist", election.pk), lambda: _checklist(election)))


@transaction.atomic
def _checklist(election: Election) -> list[ChecklistItem]:
    items = list(ChecklistItem.objects.filter(election=election))
    if not items:
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                election=election,
                code=code,
                label=str(label),
                help=str(help_text),
                kind=kind,
                choices=[[v, str(lbl)] for v, lbl in choices],
                flag_values=flags,
                flag_below=below,
                unit=unit,
                flood_prone_only=flood,
                owner_role=owner,
                fix_hours=hours,
                order=i,
            )
            for i, (code, label, help_text, kind, choices, flags, below, unit, flood, owner, hours) in enumerate(
                DEFAULT_ITEMS
            )
        )
        items = list(ChecklistItem.objects.filter(election=election))
    return sorted(items, key=lambda i: (i.order, i.code))


@transaction.atomic
def indicators(election: Election) -> list[VulnerabilityIndicator]:
    """The election's vulnerability indicators in order, the defaults written the first time."""
    rows = list(VulnerabilityIndicator.objects.filter(election=election))
    if not rows:
        VulnerabilityIndicator.objects.bulk_create(
            VulnerabilityIndicator(
                election=election, variable=str(variable), code=code, label=str(label), weight=weight, order=i
            )
            for i, (variable, code, label, weight) in enumerate(DEFAULT_INDICATORS)
        )
        rows = list(VulnerabilityIndicator.objects.filter(election=election))
    return sorted(rows, key=lambda r: (r.order, r.code))


def rules(election: Election) -> ReadinessRules:
    def read() -> ReadinessRules:
        found, _created = ReadinessRules.objects.select_related("election").get_or_create(election=election)
        return found

    return per_request(("readiness.rules", election.pk), read)


def current_election() -> Election | None:
    return Election.objects.current()
