"""Points 6–10 in the demo: the case load of the days around 27 November 2024, played up to `now`.

Generated reports, clearly not real ones ("(demo)" in every title): about 300 cases from H-7 to
the recap over every category and kecamatan, each reported at its own time through the ordinary
intake and then handled step by step by the demo's handlers (verified, assigned, in progress,
action taken, closed) with the clock moved to each step (`clock.at`). Some are left untouched so
that they are overdue at `now`. Besides the random load:

- one hoax, "pencoblosan diundur ke 28 November", reported 40 times from H-2 (one case with its
  sightings), clarified by Diskominfo on H-1 morning;
- four ASN cases, one at each step of the route: reported; recommended by Bawaslu; decided by BKN;
  sanctioned by the mayor;
- TPS 028 Kebon Pedes flooded on H-1 at 13:30 (30 cm), moved to a backup location that evening.

Nothing is written after `now`; seeding again writes nothing when the cases are there.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from deskpilkada import clock, numbers
from deskpilkada.accounts.models import Organisation, User
from deskpilkada.cases import actions
from deskpilkada.cases.models import Case, CaseStep
from deskpilkada.elections.deadlines import check_deadlines
from deskpilkada.elections.models import Election
from deskpilkada.tps.models import Tps

SEED = 20241127 + 10
ZONE = timezone.get_fixed_timezone(7 * 60)  # WIB
FLOODED_TPS = "3271061002028"
HOAX_CLAIM = "Pencoblosan Pilkada Kota Bogor diundur ke 28 November karena hujan, jangan datang ke TPS besok."
HANDLERS = {
    "fraud": "bawaslu",
    "asn": "bawaslu",
    "security": "polresta",
    "hoax": "diskominfo",
    "health": "dinkes",
    "disaster": "admin.kesbangpol",
    "logistics": "operator.kpu",
    "other": "admin.kesbangpol",
}
TEXTS = {
    "fraud": [
        (
            "Pembagian amplop berisi uang",
            "Warga melihat tim sukses membagikan amplop berisi uang Rp50.000 di gang dekat TPS.",
        ),
        (
            "Kampanye di masa tenang",
            "Spanduk dan stiker paslon masih dipasang dan dibagikan di pasar pada masa tenang.",
        ),
        ("Serangan fajar", "Sekitar pukul 04.30 ada orang mendatangi rumah-rumah membagikan sembako dan kartu paslon."),
        (
            "Intimidasi pemilih",
            "Sekelompok orang meminta warga memilih paslon tertentu dan mengancam bantuan sosial dicabut.",
        ),
        (
            "Pelanggaran prosedur di TPS",
            "KPPS membuka kotak suara sebelum saksi lengkap hadir dan tidak menunjukkan kotak kosong.",
        ),
        (
            "Pemilih memakai undangan orang lain",
            "Seorang pemilih datang dengan C.Pemberitahuan atas nama tetangganya yang pindah.",
        ),
    ],
    "security": [
        ("Keributan antarpendukung", "Adu mulut pendukung dua paslon di depan TPS, sempat saling dorong."),
        (
            "Ancaman lewat pesan",
            "Ketua KPPS menerima pesan berisi ancaman bila hasil TPS tidak sesuai keinginan pengirim.",
        ),
        ("Perusakan alat peraga", "Baliho dan tenda TPS dirusak orang tak dikenal pada malam hari."),
        ("Blokade jalan menuju TPS", "Jalan menuju TPS ditutup warga karena sengketa lahan, pemilih memutar jauh."),
    ],
    "hoax": [
        (
            "Video surat suara sudah dicoblos",
            "Beredar video surat suara yang sudah dicoblos untuk paslon tertentu di gudang KPU.",
        ),
        (
            "Pesan berantai pemilih harus bawa KK",
            "Pesan WhatsApp menyebut pemilih wajib membawa Kartu Keluarga asli ke TPS.",
        ),
        (
            "Foto kotak suara dibuka di kantor kelurahan",
            "Foto kotak suara terbuka disebut terjadi di kantor kelurahan semalam.",
        ),
        (
            "Akun palsu KPU mengumumkan pemenang",
            "Akun media sosial yang mengaku KPU Kota mengumumkan pemenang sebelum rekap.",
        ),
    ],
    "asn": [
        ("ASN hadir di kampanye", "Seorang ASN dinas terlihat memakai atribut paslon di acara kampanye akbar."),
        ("ASN mengunggah dukungan", "ASN kelurahan mengunggah foto dengan simbol jari paslon di akun media sosialnya."),
        ("Fasilitas kantor untuk kampanye", "Mobil dinas dipakai mengangkut logistik kampanye pada hari kerja."),
    ],
    "disaster": [
        ("Genangan di TPS", "Hujan deras membuat lokasi TPS tergenang; KPPS meminta tenda tambahan dan terpal."),
        ("Pohon tumbang dekat TPS", "Pohon tumbang menutup akses jalan menuju TPS setelah angin kencang."),
        ("Tanah longsor kecil", "Tebing di belakang TPS longsor sebagian; lokasi perlu dipindah sementara."),
    ],
    "health": [
        ("Anggota KPPS pingsan", "Anggota KPPS pingsan saat penghitungan suara, diduga kelelahan."),
        ("Pemilih lansia sesak napas", "Pemilih lansia sesak napas saat antre di TPS, ditangani petugas puskesmas."),
        ("Ketua KPPS demam tinggi", "Ketua KPPS demam tinggi menjelang rekap, digantikan anggota lain."),
    ],
    "logistics": [
        ("Surat suara kurang", "Surat suara yang diterima TPS kurang 12 lembar dari DPT ditambah cadangan."),
        ("Segel kotak suara rusak", "Segel kotak suara pilwalkot rusak saat diterima PPS."),
    ],
    "other": [("Listrik padam di TPS", "Listrik padam di sekitar TPS sejak sore, penghitungan memakai lampu darurat.")],
}
WEIGHTS = {"fraud": 30, "hoax": 20, "security": 12, "asn": 6, "disaster": 10, "health": 12, "logistics": 7, "other": 3}
SEVERITY_WEIGHTS = (("critical", 5), ("high", 20), ("medium", 50), ("low", 25))
CASES = 300
START = dt.datetime(2024, 11, 20, 6, 0, tzinfo=ZONE)  # H-7
END = dt.datetime(2024, 12, 2, 22, 0, tzinfo=ZONE)
VOTING_DAY = dt.datetime(2024, 11, 27, 0, 0, tzinfo=ZONE)


@dataclass
class Story:
    """One case: how it is reported and what happens to it, each step at its time."""

    at: dt.datetime
    report: dict
    steps: list[tuple[dt.datetime, str, dict]] = field(default_factory=list)


def _when(rng: random.Random) -> dt.datetime:
    """Most reports come on voting day and the two days around it."""
    if rng.random() < 0.45:
        day = VOTING_DAY + dt.timedelta(hours=rng.uniform(5, 23))
    elif rng.random() < 0.5:
        day = VOTING_DAY + dt.timedelta(hours=rng.uniform(-48, 0))
    else:
        day = START + dt.timedelta(seconds=rng.uniform(0, (END - START).total_seconds()))
    return day.replace(second=0, microsecond=0)


def _details(category: str, rng: random.Random, title: str) -> dict:
    if category == "fraud":
        violation = {"amplop": "money_politics", "fajar": "dawn_attack", "tenang": "quiet_period"}
        kind = next((v for k, v in violation.items() if k in title.lower()), rng.choice(["procedure", "intimidation"]))
        return {"origin": rng.choice(["report", "finding"]), "violation": kind}
    if category == "security":
        return {"kind": rng.choice(["clash", "threat", "damage", "blockade"]), "personnel": rng.randint(2, 12)}
    if category == "hoax":
        return {"platform": rng.choice(["whatsapp", "facebook", "tiktok", "x"])}
    if category == "asn":
        return {"civil_servant": f"ASN DEMO {rng.randint(100, 999)}", "agency": "Dinas (demo)", "act": "campaign"}
    if category == "disaster":
        return {"hazard": rng.choice(["flood", "tree", "landslide"]), "water_cm": rng.randint(5, 40)}
    if category == "health":
        return {"person": f"PETUGAS DEMO {rng.randint(100, 999)}", "person_role": "anggota KPPS"}
    return {}


def _handling(rng: random.Random, at: dt.datetime, category: str) -> list[tuple[dt.datetime, str, dict]]:
    """The steps a handler takes: most cases move along within hours or days; about one in six is
    left where it was reported (and goes overdue)."""
    u = rng.random()
    if u < 0.17:
        return []
    t = at + dt.timedelta(hours=rng.uniform(0.5, 6))
    steps: list[tuple[dt.datetime, str, dict]] = [(t, "move", {"to": "verified"})]
    if u < 0.23:
        return [(t, "move", {"to": "invalid", "note": "Tidak cukup bukti (demo)."})]
    t += dt.timedelta(hours=rng.uniform(0.2, 4))
    steps.append((t, "assign", {}))
    if u < 0.35:
        return steps
    t += dt.timedelta(hours=rng.uniform(0.5, 8))
    steps.append((t, "move", {"to": "in_progress"}))
    if u < 0.55:
        return steps
    t += dt.timedelta(hours=rng.uniform(2, 48 if category in ("fraud", "asn") else 12))
    steps.append((t, "move", {"to": "action_taken"}))
    steps.append((t, "comment", {"text": "Sudah ditindaklanjuti di lapangan (demo).", "is_outcome": True}))
    if u < 0.75:
        return steps
    t += dt.timedelta(hours=rng.uniform(1, 24))
    steps.append((t, "move", {"to": "closed"}))
    return steps


def stories(tps: list[Tps]) -> list[Story]:
    rng = random.Random(SEED)
    out: list[Story] = []
    categories = list(WEIGHTS)
    for _n in range(CASES):
        category = rng.choices(categories, weights=[WEIGHTS[c] for c in categories])[0]
        title, text = rng.choice(TEXTS[category])
        place = rng.choice(tps)
        at = _when(rng)
        if category == "health" and at < VOTING_DAY:
            at += dt.timedelta(days=1)
        occurred = at - dt.timedelta(minutes=rng.randint(10, 600))
        report = {
            "category": category,
            "title": f"{title} (demo)",
            "description": f"{text} Lokasi sekitar {place}.",
            "place_code": place.code,
            "occurred_at": occurred,
            "known_at": at,
            "severity": rng.choices([s for s, _w in SEVERITY_WEIGHTS], weights=[w for _s, w in SEVERITY_WEIGHTS])[0],
            "details": _details(category, rng, title),
            "source": rng.choice([Case.Source.STAFF, Case.Source.PUBLIC, Case.Source.PUBLIC]),
        }
        out.append(Story(at, report, _handling(rng, at, category)))
    out.extend(_hoax_sightings(rng, tps))
    out.extend(_asn_route(tps))
    out.append(_flood())
    return sorted(out, key=lambda s: s.at)


def _hoax_sightings(rng: random.Random, tps: list[Tps]) -> list[Story]:
    """The big hoax: 40 reports, worded a little differently each time, from H-2 to the morning of H."""
    start = dt.datetime(2024, 11, 25, 19, 0, tzinfo=ZONE)
    wording = [
        HOAX_CLAIM,
        "Katanya pencoblosan diundur ke 28 November karena hujan, jangan datang ke TPS besok?",
        "pencoblosan pilkada kota bogor diundur 28 november karena hujan. jangan datang ke tps besok!!",
        "Info: pencoblosan Pilkada Kota Bogor diundur ke 28 November karena hujan, jangan ke TPS besok.",
    ]
    out = []
    for n in range(40):
        at = start + dt.timedelta(minutes=int(n * 31 + rng.uniform(0, 20)))
        place = rng.choice(tps)
        steps: list[tuple[dt.datetime, str, dict]] = []
        if n == 0:
            t = start + dt.timedelta(hours=1)
            steps = [
                (t, "move", {"to": "verified"}),
                (t + dt.timedelta(minutes=20), "assign", {}),
                (t + dt.timedelta(minutes=40), "move", {"to": "in_progress"}),
                (
                    dt.datetime(2024, 11, 26, 8, 0, tzinfo=ZONE),
                    "clarify",
                    {
                        "title": "Pencoblosan tetap 27 November 2024 (demo)",
                        "text": "KPU Kota Bogor menegaskan pemungutan suara tetap Rabu, 27 November 2024, pukul "
                        "07.00–13.00 di semua TPS. Pesan yang menyebut pencoblosan diundur adalah hoaks. "
                        "Bila TPS Anda dipindah karena banjir, PPS memberi tahu lewat RT/RW dan papan di lokasi lama.",
                        "verdict": "hoax",
                    },
                ),
                (dt.datetime(2024, 11, 26, 8, 5, tzinfo=ZONE), "move", {"to": "action_taken"}),
            ]
        out.append(
            Story(
                at,
                {
                    "category": "hoax",
                    "title": "Pencoblosan diundur (demo)",
                    "description": wording[n % len(wording)],
                    "place_code": place.kelurahan.code,
                    "occurred_at": at - dt.timedelta(minutes=15),
                    "known_at": at,
                    "severity": "high",
                    "details": {"claim": wording[n % len(wording)], "platform": "whatsapp"},
                    "source": Case.Source.PUBLIC,
                },
                steps,
            )
        )
    return out


def _asn_route(tps: list[Tps]) -> list[Story]:
    """Four ASN cases known on 18 November, each taken one step further along the route."""
    out = []
    for n in range(4):
        at = dt.datetime(2024, 11, 18, 9 + n, 0, tzinfo=ZONE)
        steps: list[tuple[dt.datetime, str, dict]] = [
            (at + dt.timedelta(hours=3), "move", {"to": "verified"}),
            (at + dt.timedelta(hours=4), "move", {"to": "in_progress"}),
        ]
        route = [
            ("recommendation", dt.datetime(2024, 11, 20, 10, 0, tzinfo=ZONE), "0%d/Rekom/Bawaslu-Kota/XI/2024 (demo)"),
            ("bkn", dt.datetime(2024, 11, 22, 14, 0, tzinfo=ZONE), "BKN-%d/XI/2024 (demo)"),
            ("sanction", dt.datetime(2024, 11, 25, 10, 0, tzinfo=ZONE), "800/%d-BKPSDM/2024 (demo)"),
        ]
        for kind, when, ref in route[:n]:
            steps.append((when, "step", {"kind": kind, "reference": ref % (n + 1), "outcome": "(demo)"}))
        if n == 3:
            steps.append((dt.datetime(2024, 11, 25, 11, 0, tzinfo=ZONE), "move", {"to": "action_taken"}))
        out.append(
            Story(
                at,
                {
                    "category": "asn",
                    "title": f"ASN tidak netral #{n + 1} (demo)",
                    "description": "ASN di lingkungan Pemkot hadir dan berorasi di kampanye paslon (demo).",
                    "place_code": tps[(n * 97) % len(tps)].kelurahan.code,
                    "occurred_at": at - dt.timedelta(days=1),
                    "known_at": at,
                    "severity": "medium",
                    "details": {
                        "civil_servant": f"ASN DEMO {n + 1:03d}",
                        "nip": f"19800101200501100{n}",
                        "agency": "Dinas (demo)",
                        "position": "Staf",
                        "act": "campaign",
                    },
                    "source": Case.Source.STAFF,
                },
                steps,
            )
        )
    return out


def _flood() -> Story:
    at = dt.datetime(2024, 11, 26, 13, 30, tzinfo=ZONE)
    return Story(
        at,
        {
            "category": "disaster",
            "title": "TPS 028 Kebon Pedes tergenang banjir (demo)",
            "description": "Hujan deras sejak pukul 12.00: lokasi TPS 028 tergenang 20–50 cm. Tenda dan bilik belum "
            "bisa dipasang; PPS mencari lokasi cadangan.",
            "place_code": FLOODED_TPS,
            "occurred_at": at - dt.timedelta(minutes=30),
            "known_at": at,
            "severity": "critical",
            "details": {"hazard": "flood", "water_cm": 30},
            "source": Case.Source.STAFF,
        },
        [
            (at + dt.timedelta(minutes=15), "move", {"to": "verified"}),
            (at + dt.timedelta(minutes=20), "assign", {}),
            (at + dt.timedelta(minutes=45), "move", {"to": "in_progress"}),
            (
                dt.datetime(2024, 11, 26, 21, 0, tzinfo=ZONE),
                "details",
                {"relocation": "Dipindah ke halaman masjid RW 05, 200 m dari lokasi lama, mulai H-1 pukul 21.00."},
            ),
            (dt.datetime(2024, 11, 26, 21, 5, tzinfo=ZONE), "move", {"to": "action_taken"}),
        ],
    )


def _apply(case: Case, kind: str, args: dict, people: dict[str, User]) -> Case:
    handler = people[HANDLERS[case.category]]
    if kind == "move":
        return actions.move(case, args["to"], by=handler, note=args.get("note", ""))
    if kind == "assign":
        return actions.assign(case, by=handler, user=handler, organisation=handler.organisation)
    if kind == "comment":
        actions.add_comment(case, by=handler, text=args["text"], is_outcome=args.get("is_outcome", False))
    elif kind == "clarify":
        actions.publish_clarification(
            case, by=handler, title=args["title"], text=args["text"], claim=HOAX_CLAIM, verdict=args["verdict"]
        )
    elif kind == "details":
        actions.update_details(case, by=handler, details={**case.details, **args})
    elif kind == "step":
        by = people["bkpsdm"] if args["kind"] in (CaseStep.Kind.BKN, CaseStep.Kind.SANCTION) else handler
        actions.add_step(
            case,
            by=by,
            kind=args["kind"],
            on=clock.today(),
            reference=args["reference"],
            outcome=args["outcome"],
            organisation=Organisation.objects.filter(code="bkpsdm-bogor").first(),
        )
    return Case.objects.get(pk=case.pk)


def seed(*, now: dt.datetime, say: Callable[[str], None]) -> None:
    election = Election.objects.current()
    if election is None or Case.objects.filter(election=election).exists():
        return
    people = {u.username: u for u in User.objects.filter(username__in=[*HANDLERS.values(), "bkpsdm"])}
    tps = list(Tps.objects.order_by("code").select_related("kelurahan"))
    written = 0
    for story in stories(tps):
        if story.at > now:
            break
        with clock.at(story.at):
            case = actions.report_case(
                by=None if story.report["source"] == Case.Source.PUBLIC else people[HANDLERS[story.report["category"]]],
                election=election,
                **story.report,
            )
        written += 1
        for at, kind, args in story.steps:
            if at > now:
                break
            with clock.at(at):
                case = _apply(case, kind, args, people)
    # The periodic deadline check, as it would have run by `now`: whatever is overdue or about to be
    # has been told to its handlers, once.
    checked = check_deadlines(at=now, models=[Case])
    say(
        f"Kasus: {numbers.number(written)} laporan sampai {timezone.localtime(now, ZONE):%d-%m-%Y %H:%M} WIB "
        f"({numbers.number(checked.overdue)} lewat tenggat, "
        f"{numbers.number(checked.warned)} tenggat segera diberitahukan)"
    )


def demo_tracking_code() -> str | None:
    """A public report's tracking code, for `make demo` to print."""
    case = Case.objects.filter(source=Case.Source.PUBLIC, group__isnull=True).order_by("pk").first()
    return case.tracking_code if case else None
