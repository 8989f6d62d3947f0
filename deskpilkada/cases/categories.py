"""The case categories as data: who handles each (the capability of its handlers), the points of the
desk it belongs to, and the details it asks for. A detail is (name, label, kind, choices); the staff
form and the API read the same table, and `clean_details` checks a case's details against it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

TEXT, LONG, CHOICE, INT, BOOL, DATE, URL = "text", "long", "choice", "int", "bool", "date", "url"


@dataclass(frozen=True)
class Detail:
    name: str
    label: object
    kind: str = TEXT
    choices: tuple[tuple[str, object], ...] = ()
    help: object = ""


@dataclass(frozen=True)
class Category:
    code: str
    label: object
    cap: str  # the capability of those who handle it
    point: int  # the desk's point (desk/points.py)
    details: tuple[Detail, ...] = field(default_factory=tuple)
    public: bool = True  # offered on the public form


VIOLATIONS = (
    ("money_politics", _("politik uang")),
    ("intimidation", _("intimidasi")),
    ("procedure", _("pelanggaran prosedur")),
    ("quiet_period", _("kampanye di masa tenang")),
    ("state_resources", _("penyalahgunaan fasilitas negara atau jabatan")),
    ("dawn_attack", _("serangan fajar")),
    ("other", _("lainnya")),
)
LEGAL_ROUTES = (
    ("", _("belum ditentukan")),
    ("registered", _("diregistrasi Bawaslu")),
    ("not_registered", _("tidak diregistrasi")),
    ("kpu", _("diteruskan ke KPU")),
    ("gakkumdu", _("diteruskan ke Sentra Gakkumdu")),
    ("dkpp", _("diteruskan ke DKPP")),
    ("bkn", _("diteruskan ke BKN")),
)
PLATFORMS = (
    *((p.lower(), p) for p in ("TikTok", "Facebook", "X", "WhatsApp", "Instagram", "YouTube")),
    ("other", _("lainnya")),
)
VERDICTS = (
    ("", _("belum diperiksa")),
    ("hoax", _("hoaks")),
    ("misleading", _("menyesatkan")),
    ("true", _("benar")),
    ("unverifiable", _("tidak dapat diverifikasi")),
)
# Point 9: what happened to an officer (or a voter) on duty, and how the person is now.
HEALTH_KINDS = (
    ("fatigue", _("kelelahan")),
    ("fainting", _("pingsan")),
    ("hypertension", _("tekanan darah tinggi")),
    ("chest_pain", _("nyeri dada / gangguan jantung")),
    ("injury", _("cedera")),
    ("other", _("lainnya")),
)
HEALTH_CONDITIONS = (
    ("treated", _("ditangani di tempat")),
    ("referred", _("dirujuk ke fasilitas kesehatan")),
    ("inpatient", _("dirawat inap")),
    ("recovered", _("pulih, kembali bertugas")),
    ("replaced", _("digantikan petugas lain")),
    ("deceased", _("meninggal dunia")),
)

CATEGORIES = {
    c.code: c
    for c in (
        Category(
            "fraud",
            _("Pelanggaran pemilihan"),
            "fraud.manage",
            6,
            (
                Detail(
                    "origin",
                    _("asal"),
                    CHOICE,
                    (("report", _("laporan (dari seseorang)")), ("finding", _("temuan (oleh Bawaslu)"))),
                ),
                Detail("violation", _("jenis pelanggaran"), CHOICE, VIOLATIONS),
                Detail("parties", _("pihak yang terlibat"), LONG),
                Detail("witnesses", _("saksi"), LONG),
                Detail("legal_route", _("jalur hukum"), CHOICE, LEGAL_ROUTES),
            ),
        ),
        Category(
            "security",
            _("Gangguan keamanan"),
            "security.manage",
            7,
            (
                Detail(
                    "kind",
                    _("jenis gangguan"),
                    CHOICE,
                    (
                        ("clash", _("bentrokan")),
                        ("threat", _("ancaman")),
                        ("blockade", _("pemblokiran")),
                        ("damage", _("perusakan TPS atau logistik")),
                        ("other", _("lainnya")),
                    ),
                ),
                Detail("personnel", _("personel dikerahkan"), INT),
                Detail("voting_disrupted", _("pemungutan suara terganggu"), BOOL),
                Detail("disruption_minutes", _("lama gangguan (menit)"), INT),
            ),
        ),
        Category(
            "hoax",
            _("Hoaks"),
            "hoax.manage",
            8,
            (
                Detail("claim", _("isi klaim"), LONG),
                Detail("link", _("tautan"), URL),
                Detail("platform", _("platform"), CHOICE, PLATFORMS),
                Detail("first_seen", _("pertama terlihat"), DATE),
                Detail("verdict", _("hasil cek fakta"), CHOICE, VERDICTS),
                Detail("takedown", _("permintaan penurunan konten"), LONG),
                Detail("takedown_answer", _("jawaban permintaan penurunan"), LONG),
            ),
        ),
        Category(
            "asn",
            _("Netralitas ASN"),
            "fraud.manage",
            10,
            (
                Detail("civil_servant", _("nama ASN"), TEXT),
                Detail("nip", _("NIP"), TEXT, help=_("18 angka")),
                Detail("agency", _("instansi"), TEXT),
                Detail("position", _("jabatan"), TEXT),
                Detail(
                    "act",
                    _("perbuatan"),
                    CHOICE,
                    (
                        ("campaign", _("menghadiri kampanye")),
                        ("social_media", _("dukungan di media sosial")),
                        ("facilities", _("penggunaan jabatan atau fasilitas")),
                        ("other", _("lainnya")),
                    ),
                ),
                Detail("evidence", _("bukti"), LONG),
            ),
        ),
        Category(
            "disaster",
            _("Bencana di TPS"),
            "incidents.manage",
            2,
            (
                Detail(
                    "hazard",
                    _("bahaya"),
                    CHOICE,
                    (
                        ("flood", _("banjir")),
                        ("landslide", _("longsor")),
                        ("wind", _("angin kencang")),
                        ("tree", _("pohon tumbang")),
                        ("fire", _("kebakaran")),
                    ),
                ),
                Detail("water_cm", _("tinggi air (cm)"), INT),
                Detail("damage", _("kerusakan"), LONG),
                Detail("relocation", _("relokasi diputuskan"), LONG, help=_("ke mana, sejak kapan")),
            ),
        ),
        Category(
            "health",
            _("Kesehatan petugas atau pemilih"),
            "health.manage",
            9,
            (
                Detail("person", _("nama"), TEXT),
                Detail("person_role", _("peran"), TEXT, help=_("mis. anggota KPPS, pemilih")),
                Detail("kind", _("jenis gangguan kesehatan"), CHOICE, HEALTH_KINDS),
                Detail("symptoms", _("gejala"), LONG),
                Detail("taken_to", _("dibawa ke"), TEXT, help=_("mis. puskesmas, RSUD Kota Bogor")),
                Detail("condition", _("kondisi terakhir"), CHOICE, HEALTH_CONDITIONS),
            ),
        ),
        Category("logistics", _("Logistik"), "logistics.manage", 1),
        Category("other", _("Lainnya"), "incidents.manage", 0),
    )
}
CATEGORY_CHOICES = [(c.code, c.label) for c in CATEGORIES.values()]


class DetailError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def clean_details(category: str, raw: dict) -> dict:
    """The category's details from `raw` (strings from a form, or JSON values), checked and typed;
    unknown names are dropped, empty values left out. Raises DetailError naming the field."""
    out: dict = {}
    for d in CATEGORIES[category].details:
        value = raw.get(d.name)
        if value is None or value == "":
            continue
        if d.kind == BOOL:
            out[d.name] = value in (True, "1", "on", "true", "ya")
            continue
        text = str(value).strip()
        if not text:
            continue
        if d.kind == INT:
            if not text.isdigit() or int(text) > 1_000_000:
                raise DetailError(d.name, _g("%(label)s: isi bilangan bulat 0 atau lebih.") % {"label": d.label})
            out[d.name] = int(text)
        elif d.kind == CHOICE:
            if text not in dict(d.choices):
                raise DetailError(
                    d.name, _g("%(label)s: pilihan «%(v)s» tidak dikenal.") % {"label": d.label, "v": text}
                )
            out[d.name] = text
        elif d.kind == DATE:
            try:
                out[d.name] = dt.date.fromisoformat(text).isoformat()
            except ValueError:
                raise DetailError(
                    d.name, _g("%(label)s: tanggal tidak valid (TTTT-BB-HH).") % {"label": d.label}
                ) from None
        elif d.kind == URL:
            if not text.startswith(("http://", "https://")) or len(text) > 500:
                raise DetailError(
                    d.name, _g("%(label)s: tautan harus diawali http:// atau https://.") % {"label": d.label}
                )
            out[d.name] = text
        else:
            if len(text) > 4000:
                raise DetailError(d.name, _g("%(label)s: paling banyak 4.000 karakter.") % {"label": d.label})
            out[d.name] = text
    return out


def detail_rows(category: str, details: dict) -> list[tuple[object, str]]:
    """(label, shown value) of each detail filled in, in the category's order, for pages."""
    rows = []
    for d in CATEGORIES[category].details:
        if d.name not in details:
            continue
        value = details[d.name]
        if d.kind == BOOL:
            shown = _g("ya") if value else _g("tidak")
        elif d.kind == CHOICE:
            shown = str(dict(d.choices).get(value, value))
        else:
            shown = str(value)
        rows.append((d.label, shown))
    return rows
