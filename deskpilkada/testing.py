"""The tests' rows: small `make_*` helpers that write through the app's own actions, and the small
world every unit test starts from (`build_world`).

The world is a slice of the demo, not the demo: the real regions of Kota Bogor and the real
election (its calendar, two contests and their pairs), eleven TPS in four kelurahan, a generated DPT
for Kebon Pedes, two hazards, the hospitals and one user per role under the demo's usernames (the
personas of conftest.py). Nothing is counted, reported or recorded beyond that: a test that needs
a sheet, an invitation report or a turnout figure makes it with a helper below. Only the browser
tests and the tests of the demo itself need the full demo (`pytest -m "browser or demo"`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from deskpilkada import clock
from deskpilkada.accounts import demo as accounts_demo
from deskpilkada.accounts.actions import assign_role, create_organisation, create_user, sync_roles
from deskpilkada.accounts.models import Organisation, Role, User
from deskpilkada.elections import demo as elections_demo
from deskpilkada.elections.models import Contest, Election
from deskpilkada.health import demo as health_demo
from deskpilkada.outreach.actions import record_invitations, save_turnout
from deskpilkada.outreach.models import InvitationDay
from deskpilkada.regions import demo as regions_demo
from deskpilkada.regions.actions import add_hazard, import_regions, set_region_location
from deskpilkada.regions.models import Region, RegionHazard
from deskpilkada.tally import rules
from deskpilkada.tally.actions import submit_sheet
from deskpilkada.tally.models import SheetVersion, Source
from deskpilkada.tps.actions import create_tps
from deskpilkada.tps.models import Tps
from deskpilkada.voters import demo as voters_demo

ELECTION = elections_demo.ELECTION
MAYOR = "pilwalkot-bogor-2024"
GOVERNOR = "pilgub-jabar-2024"
PASSWORD = accounts_demo.DEMO_PASSWORD

# kelurahan code: the TPS numbers of the world (DPT men, women per TPS below)
WORLD_TPS = {
    "32.71.06.1002": (1, 2, 25, 27, 28),  # Kebon Pedes, Tanah Sareal: the KPPS's TPS 028
    "32.71.04.1001": (1, 2),  # Bogor Barat, the kecamatan of the area-limited personas
    "32.71.01.1001": (1, 2),  # Bogor Selatan
    "32.71.03.1002": (1, 2),  # Bogor Tengah
}
WORLD_DPT = (120, 130)
WORLD_HAZARDS = (("32.71.06.1002", "banjir"), ("32.71.04.1001", "longsor"))

_serial = itertools.count(1)


def build_world() -> None:
    """The small world of the unit tests (module docstring), written once per test run."""
    with clock.at(clock.now()):
        import_regions(regions_demo.REGIONS, by=None, progress=False)
        for code, (lat, lon) in regions_demo.KECAMATAN_CENTRES.items():
            set_region_location(by=None, region=Region.objects.get(code=code), lat=lat, lon=lon)
        for code, kind in WORLD_HAZARDS:
            make_hazard(code, kind)
        elections_demo.seed(now=clock.now(), say=lambda _msg: None)
        health_demo.seed(now=clock.now(), say=lambda _msg: None)
        for village, numbers in WORLD_TPS.items():
            for number in numbers:
                make_tps(village, number)
        accounts_demo.seed(now=clock.now(), say=lambda _msg: None)
        health_demo.link_organisations()
        voters_demo.seed(now=clock.now(), say=lambda _msg: None)


# Regions and hazards


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def make_hazard(village: str, kind: str = "banjir", source: str = "BPBD (uji)") -> RegionHazard:
    return add_hazard(by=None, region=region(village), kind=kind, source=source)


# Election


def election() -> Election:
    return Election.objects.get(code=ELECTION)


def contest(code: str = MAYOR) -> Contest:
    return Contest.objects.select_related("election", "region").get(code=code)


# TPS


def make_tps(village: str = "32.71.06.1002", number: int | None = None, *, by: User | None = None, **fields) -> Tps:
    """A TPS of the kelurahan (by dotted code), with the world's DPT unless given."""
    kelurahan = region(village)
    if number is None:
        taken = set(Tps.objects.filter(kelurahan=kelurahan).values_list("number", flat=True))
        number = next(n for n in itertools.count(100) if n not in taken)
    fields.setdefault("dpt_male", WORLD_DPT[0])
    fields.setdefault("dpt_female", WORLD_DPT[1])
    fields.setdefault("address", f"Alamat uji {number:03d}")
    return create_tps(by=by, kelurahan=kelurahan, number=number, **fields)


def tps(code: str) -> Tps:
    return Tps.objects.select_related("kelurahan__parent__parent").get(code=code)


# Users


def make_user(
    role: str,
    area: str = "32.71",
    *,
    username: str | None = None,
    organisation: Organisation | None = None,
    password: str = PASSWORD,
) -> User:
    """A user with one role (by code) over a region (dotted code) or a TPS (13-digit code)."""
    sync_roles(by=None)
    n = next(_serial)
    if organisation is None:
        organisation = create_organisation(by=None, code=f"org-uji-{n}", name=f"Organisasi uji {n}", kind="pemda")
    user = create_user(
        by=None,
        username=username or f"uji.{role}.{n}",
        password=password,
        organisation=organisation,
        full_name=f"Pengguna uji {n}",
    )
    kind = Role.objects.get(code=role)
    if len(area.replace(".", "")) == 13:
        assign_role(by=None, user=user, role=kind, tps=Tps.objects.get(code=area.replace(".", "")))
    else:
        assign_role(by=None, user=user, role=kind, region=region(area))
    return user


def operator() -> User:
    return User.objects.get(username="operator.kpu")


# Counting


def make_sheet(
    dpt: int, votes: Sequence[int] = (50, 60, 70, 20, 30), invalid: int = 10, dptb: int = 0, voters_dptb: int = 0
) -> rules.Sheet:
    """The tests' usual sheet: five paslon, ten invalid ballots, one damaged (240 voters: it adds up
    on a TPS of the world, DPT 250)."""
    return rules.balanced_sheet(dpt, votes, invalid=invalid, dptb=dptb, voters_dptb=voters_dptb, damaged=1)


def make_counted(
    tps_code: str,
    contest_code: str = MAYOR,
    *,
    votes: Sequence[int] | None = None,
    by: User | None = None,
    source: str = Source.MANUAL,
    **kw,
) -> SheetVersion:
    """A C.Hasil of the TPS that adds up and is counted (as the operator unless `by`)."""
    the_tps, the_contest = tps(tps_code), contest(contest_code)
    if votes is None:
        votes = (50, 60, 70, 20, 30) if the_contest.code == MAYOR else (60, 70, 40, 60)
    sheet = make_sheet(the_tps.dpt, votes, **kw)
    return submit_sheet(by=by or operator(), tps=the_tps, contest=the_contest, sheet=sheet, source=source)


# Outreach


def make_invitations(
    tps_code: str, delivered: int, *, day: dt.date | None = None, by: User | None = None, **counts: int
) -> InvitationDay:
    """An invitation report of the TPS for the day (by default the window's last day, H-1)."""
    the_election = election()
    return record_invitations(
        by=by or operator(),
        election=the_election,
        tps=tps(tps_code),
        day=day or the_election.voting_date - dt.timedelta(days=the_election.invitation_end_days),
        counts={"delivered": delivered, **counts},
    )


def make_turnout(village: str, *, year: int = 2019, dpt: int = 1000, voters: int = 700, label: str = "Pemilu 2019"):
    return save_turnout(by=None, region=region(village), label=label, year=year, dpt=dpt, voters=voters)


# Counting: held sheets, second entries, Sirekap


def make_held(
    tps_code: str, contest_code: str = MAYOR, *, votes: Sequence[int] | None = None, by: User | None = None
) -> SheetVersion:
    """A C.Hasil of the TPS that does not add up (one valid vote more than the votes), held."""
    the_tps, the_contest = tps(tps_code), contest(contest_code)
    if votes is None:
        votes = (50, 60, 70, 20, 30) if the_contest.code == MAYOR else (60, 70, 40, 60)
    sheet = make_sheet(the_tps.dpt, votes)
    sheet.numbers["suara_sah"] += 1
    return submit_sheet(by=by or operator(), tps=the_tps, contest=the_contest, sheet=sheet, source=Source.MANUAL)


def make_second_entry(version: SheetVersion, *, by: User, votes: Sequence[int] | None = None):
    """A second entry of the version's sheet by `by`: the same figures, or `votes` instead (a dispute)."""
    from deskpilkada.tally.actions import submit_second_entry

    figures = version.as_sheet()
    if votes is not None:
        figures = make_sheet(figures.numbers["dpt"], votes)
    return submit_second_entry(by=by, sheet=version.sheet, figures=figures)


def make_sirekap(tps_code: str, contest_code: str = MAYOR, *, misread: dict[int, int] | None = None):
    """Sirekap's reading of the TPS's latest C.Hasil, imported as its JSON: the same figures but for
    the paslon of `misread` (ballot number: votes read)."""
    from deskpilkada.tally.loading import import_sirekap
    from deskpilkada.tally.models import ExternalSheet

    the_tps, the_contest = tps(tps_code), contest(contest_code)
    latest = the_contest.sheets.get(tps=the_tps).latest
    assert latest is not None, "make_sirekap reads a TPS whose C.Hasil was entered"
    sheet = latest.as_sheet()
    ids = {number: sid for sid, number in the_contest.sirekap_ids.items()}
    chart = {ids[n]: (misread or {}).get(n, v) for n, v in sheet.votes.items()}
    administrasi = {
        "pengguna_dpt_j": sheet.get("pengguna_dpt"),
        "pengguna_total_j": sheet.voters,
        "suara_sah": sheet.get("suara_sah"),
        "suara_tidak_sah": sheet.get("suara_tidak_sah"),
        "pemilih_dpt_j": sheet.get("dpt"),
    }
    data = {"chart": chart, "administrasi": administrasi, "images": [f"https://sirekap.example/{the_tps.code}-1.jpg"]}
    import_sirekap([(the_tps.code, data)], by=None, contest=the_contest)
    return ExternalSheet.objects.get(contest=the_contest, tps=the_tps, source="sirekap")


def make_correction(
    tps_code: str, contest_code: str = MAYOR, *, votes: Sequence[int], reason: str = "koreksi", by: User | None = None
) -> SheetVersion:
    """A correction of the TPS's C.Hasil: a new version that adds up, with its reason."""
    the_tps, the_contest = tps(tps_code), contest(contest_code)
    sheet = make_sheet(the_tps.dpt, votes)
    return submit_sheet(
        by=by or operator(), tps=the_tps, contest=the_contest, sheet=sheet, source=Source.MANUAL, reason=reason
    )


# TPS, regions, outreach and counting rows of the area, map and list tests

# A 1×1 PNG: what the photo checks accept (plano photos, activity photos).
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def edit_tps(code: str, *, by: User | None = None, **fields) -> Tps:
    """Change fields of a TPS (its place: lat, lon; special_kind, wheelchair_accessible, …) through
    the audited edit, at its current version."""
    from deskpilkada.tps.actions import update_tps

    the_tps = tps(code)
    return update_tps(by=by, tps=the_tps, expected_version=the_tps.version, **fields)


def make_region(code: str, name: str) -> Region:
    """A region (dotted code) under one that exists, imported as idn-area-data files: e.g. a province
    outside the world, to have rows outside a province-wide account."""
    import tempfile
    from pathlib import Path

    from deskpilkada.regions.actions import FILES

    assert "," not in name and '"' not in name  # the files below are written as plain joins
    level = code.count(".") + 1
    with tempfile.TemporaryDirectory() as directory:
        for file_level, filename, parent_column in FILES:
            header = ["code", *([parent_column] if parent_column else []), "name"]
            rows = [[code, *([code.rsplit(".", 1)[0]] if parent_column else []), name]] if file_level == level else []
            text = "".join(",".join(row) + "\n" for row in [header, *rows])
            (Path(directory) / filename).write_text(text, encoding="utf-8")
        import_regions(Path(directory), by=None, progress=False)
    return region(code)


def make_hospital(area: str, name: str, *, code: str | None = None, beds: int = 50):
    from deskpilkada.health.actions import save_hospital

    return save_hospital(by=None, code=code or f"RS-UJI-{next(_serial)}", name=name, region=region(area), beds=beds)


def make_activity(village: str, *, day: dt.date | None = None, photo: bytes | None = None, **fields):
    """An outreach activity in the kelurahan (H-5 unless `day`), optionally with a PNG photo."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from deskpilkada.outreach.actions import add_activity

    the_election = election()
    fields.setdefault("kind", "tatap_muka")
    fields.setdefault("segment", "umum")
    fields.setdefault("organiser", "Penyelenggara uji")
    fields.setdefault("reach", 10)
    return add_activity(
        by=None,
        election=the_election,
        date=day or the_election.h_minus(5),
        kelurahan=region(village),
        photo=SimpleUploadedFile("foto.png", photo) if photo else None,
        **fields,
    )


def make_photo(version: SheetVersion, content: bytes = PNG, *, by: User | None = None):
    """A plano photo of the version's sheet (set settings.MEDIA_ROOT to a temporary directory)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from deskpilkada.tally.actions import add_photo

    return add_photo(by=by or operator(), sheet=version.sheet, upload=SimpleUploadedFile("plano.png", content))


def make_d_hasil(
    kecamatan: str, contest_code: str = MAYOR, *, by: User | None = None, offset: dict[int, int] | None = None
):
    """The kecamatan's D.Hasil as read out: the sum of its counted C.Hasil, plus `offset` (paslon: votes)."""
    from deskpilkada.tally.actions import record_d_hasil
    from deskpilkada.tally.models import RegionTotal, RegionVote

    the_contest, area = contest(contest_code), region(kecamatan)
    total = RegionTotal.objects.get(contest=the_contest, region=area)
    votes = dict(RegionVote.objects.filter(contest=the_contest, region=area).values_list("number", "votes"))
    for number, d in (offset or {}).items():
        votes[number] = votes.get(number, 0) + d
    return record_d_hasil(
        by=by or operator(),
        contest=the_contest,
        kecamatan=area,
        voters=total.voters,
        valid=total.valid,
        invalid=total.invalid,
        votes=votes,
    )


def make_checkpoint(contest_code: str = MAYOR):
    """A signed checkpoint of the contest's chains as they stand."""
    from deskpilkada.tally.chain import publish_checkpoint

    return publish_checkpoint(by=None, contest=contest(contest_code))[0]


# Cases


def make_case(
    category: str = "fraud",
    place: str = "32.71.04.1001",
    *,
    by: User | None = None,
    description: str | None = None,
    occurred_at: dt.datetime | None = None,
    **fields,
):
    """A case reported through cases.actions.report_case (as the system unless `by`) at `place` (a
    kelurahan, kecamatan or 13-digit TPS code), an hour before now unless `occurred_at`. Without a
    description it gets words of its own, which group with no other case."""
    import hashlib

    from deskpilkada.cases.actions import report_case

    if description is None:
        words = hashlib.sha256(str(next(_serial)).encode()).hexdigest()
        description = "Kejadian uji " + " ".join(words[i : i + 8] for i in range(0, 32, 8))
    return report_case(
        by=by,
        category=category,
        description=description,
        place_code=place,
        occurred_at=occurred_at or clock.now() - dt.timedelta(hours=1),
        **fields,
    )


# TPS on the map, as the demo places them


def map_point(kelurahan: Region, number: int = 1) -> tuple[float, float]:
    """A point for a TPS of the kelurahan: its kelurahan set around its kecamatan's centre, as in
    the demo (deskpilkada/tps/demo.py), each TPS a little apart."""
    import math

    kecamatan = kelurahan.parent
    assert kecamatan is not None and kecamatan.lat is not None and kecamatan.lon is not None
    villages = list(Region.objects.filter(parent=kecamatan).order_by("code").values_list("pk", flat=True))
    idx = villages.index(kelurahan.pk)
    angle = 2 * math.pi * idx / len(villages)
    radius = 0.012 * (0.5 + (idx % 3) / 3)
    step = 0.0003 * (number % 10)
    return (
        round(kecamatan.lat + radius * math.sin(angle) + step, 6),
        round(kecamatan.lon + radius * math.cos(angle) + step, 6),
    )


def place_tps(area: str = "32.71") -> int:
    """Give every TPS inside `area` (dotted code) that has no place one (map_point), through the edit."""
    placed = 0
    for t in Tps.objects.filter(code__startswith=area.replace(".", ""), lat__isnull=True).select_related("kelurahan"):
        lat, lon = map_point(t.kelurahan, t.number)
        edit_tps(t.code, lat=lat, lon=lon)
        placed += 1
    return placed


def make_tps_everywhere(area: str = "32.71", **fields) -> list[Tps]:
    """One TPS, placed on the map, in every kelurahan of `area` that has none yet (as every
    kelurahan of the demo has its TPS)."""
    made = []
    for kelurahan in Region.objects.filter(code__startswith=area + ".", level=4, tps_set__isnull=True):
        lat, lon = map_point(kelurahan)
        made.append(make_tps(kelurahan.code, 1, **{"lat": lat, "lon": lon, **fields}))
    return made
