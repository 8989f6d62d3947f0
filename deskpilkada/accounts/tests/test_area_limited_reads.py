"""What accounts limited to one kecamatan, kelurahan or TPS see once they are in, and what they may write.

The permission matrix proves who gets into each URL; these tests prove that a list, a map, an export
or an aggregate shows such an account nothing of another area, that objects of another area answer
403, and that writes outside the area (or without the capability) are refused.
"""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from deskpilkada import testing as make
from deskpilkada.accounts.models import User
from deskpilkada.regions.models import Region
from deskpilkada.tally import actions as tally
from deskpilkada.tally.models import TallySheet
from deskpilkada.testing import PNG, make_sheet
from deskpilkada.tps.models import Tps

MAYOR, GOVERNOR = "pilwalkot-bogor-2024", "pilgub-jabar-2024"
BOGOR_BARAT, KEBON_PEDES, KPPS_TPS = "32.71.04", "32.71.06.1002", "3271061002028"
TPS_BOGOR_BARAT, TPS_TANAH_SAREAL, TPS_BOGOR_SELATAN = "3271041001001", "3271061002001", "3271011001001"
# The area of each area-limited persona (a region code, or the code of its one TPS).
AREAS = {
    "bawaslu_kec": BOGOR_BARAT,
    "security_kec": BOGOR_BARAT,
    "health_kec": BOGOR_BARAT,
    "hospital": BOGOR_BARAT,
    "ppk": BOGOR_BARAT,
    "camat": BOGOR_BARAT,
    "pps": KEBON_PEDES,
    "lurah": KEBON_PEDES,
    "kpps": KPPS_TPS,
    "admin_prov": "32",
}
# A province outside the world (and outside the province-wide account): its region, TPS and rows.
OUTSIDE_PROVINCE = {"36": "Banten", "36.71": "Kota Tangerang", "36.71.01": "Tangerang", "36.71.01.1001": "Sukarasa"}
OUTSIDE_VILLAGE, TPS_OUTSIDE_PROVINCE = "36.71.01.1001", "3671011001001"
TPS_BOGOR_BARAT_EMPTY = "3271041001003"  # a TPS of Bogor Barat the rows below leave without a sheet
# Votes of a sheet with a turnout under the election's 30 % floor (60 voters of 250): an anomaly.
LOW = {MAYOR: (10, 10, 10, 10, 10), GOVERNOR: (15, 15, 10, 10)}


@pytest.fixture(scope="module", autouse=True)
def area_rows(django_db_setup, django_db_blocker):
    """The rows below, made once for the module's tests in a transaction rolled back after them
    (each test runs in a savepoint of it, as usual)."""
    with django_db_blocker.unblock(), transaction.atomic():
        make_area_rows()
        yield
        transaction.set_rollback(True)


def make_area_rows() -> None:
    """Rows of every kind these tests read, inside and outside each persona's area: the eleven TPS
    of the world in four kecamatan placed on the map, one more in Bogor Barat and one in another
    province; C.Hasil counted, held, disputed, far below the turnout floor (anomalies) and read
    differently by Sirekap, in both contests; D.Hasil; invitation reports, outreach activities,
    turnout history and a hazard outside the province. Disputes lie outside Kebon Pedes, as in the
    demo (`test_a_kelurahan_pps_sees_none_of_the_disputes_of_another_kecamatan`); the sweep adds one."""
    for code, name in OUTSIDE_PROVINCE.items():
        make.make_region(code, name)
    make.make_tps(OUTSIDE_VILLAGE, 1, lat=-6.178, lon=106.630)
    make.make_tps("32.71.04.1001", 3)
    make.make_hazard(OUTSIDE_VILLAGE, "banjir")
    for i, t in enumerate(Tps.objects.filter(lat__isnull=True).select_related("kelurahan__parent")):
        lat, lon = t.kelurahan.parent.lat, t.kelurahan.parent.lon
        make.edit_tps(t.code, lat=round(lat + 0.001 * (i % 5), 6), lon=round(lon + 0.001 * (i // 5), 6))
    ppk, verifier = User.objects.get(username="ppk.bogorbarat"), make.make_user("kpu_operator", password=None)
    kebon_pedes, bogor_barat, bogor_selatan, bogor_tengah = "3271061002", "3271041001", "3271011001", "3271031002"
    for contest in (MAYOR, GOVERNOR):
        make.make_counted(kebon_pedes + "001", contest)
        make.make_held(kebon_pedes + "025", contest)
        make.make_counted(KPPS_TPS, contest, votes=LOW[contest])
        barat = make.make_counted(bogor_barat + "001", contest, votes=LOW[contest])
        make.make_held(bogor_barat + "002", contest)
        selatan = make.make_counted(bogor_selatan + "001", contest, votes=LOW[contest])
        make.make_held(bogor_selatan + "002", contest)
        make.make_counted(bogor_tengah + "001", contest)
        make.make_second_entry(barat, by=ppk, votes=(20, 10, 10, 10) if contest == GOVERNOR else (20, 10, 10, 10, 0))
        make.make_second_entry(
            selatan, by=verifier, votes=(20, 10, 10, 10) if contest == GOVERNOR else (15, 5, 10, 10, 10)
        )
        for code in (KPPS_TPS, bogor_barat + "001", bogor_selatan + "001", bogor_tengah + "001"):
            make.make_sirekap(code, contest, misread={1: 99})
        for kecamatan in ("32.71.04", "32.71.06", "32.71.01"):
            make.make_d_hasil(kecamatan, contest, offset={2: 3})
    window = make.election().invitation_window()
    for code, first, last in (
        (KPPS_TPS, 150, 100),  # on plan
        (kebon_pedes + "001", 40, 20),  # behind
        (bogor_barat + "001", 150, 100),
        (bogor_selatan + "001", 30, 0),
        (bogor_tengah + "002", 150, 100),
        (TPS_OUTSIDE_PROVINCE, 100, 50),
    ):
        make.make_invitations(code, first, day=window[0])
        make.make_invitations(code, last)
    for village in ("32.71.06.1002", "32.71.04.1001", "32.71.01.1001", "32.71.03.1002", OUTSIDE_VILLAGE):
        make.make_activity(village, organiser=f"Penyelenggara {village}")
        make.make_turnout(village, voters=600)


# Every page and API read that lists or aggregates data (public pages are public by design).
LIST_URLS = [
    "/",
    *[f"/titik/{slug}/" for slug in ("logistik", "kesiapan-tps", "sosialisasi", "penghitungan", "kesehatan")],
    "/wilayah/",
    "/tps/",
    "/tps/?page=2",
    "/tps/?kecamatan=32.71.01",
    "/tps/?kelurahan=32.71.01.1001",
    "/tps/?q=3271",
    "/tps/peta/data.geojson",
    "/tps/peta/data.geojson?kecamatan=32.71.01",
    "/tps/ekspor.csv",
    "/tps/ekspor.xlsx",
    "/tps/ekspor.csv?kecamatan=32.71.01",
    "/kesehatan/rumah-sakit/",
    "/undangan/",
    "/undangan/?hari=3",
    "/undangan/ekspor.xlsx",
    "/undangan/peta/data.geojson",
    "/sosialisasi/",
    "/sosialisasi/prioritas/",
    "/pemilihan/",
    "/pemilihan/pilkada-2024/",
    "/api/v1/tps",
    "/api/v1/tps?kecamatan=32.71.01",
    "/api/v1/tps?q=3271",
    "/api/v1/me",
    *[
        url + f"?pemilihan={contest}"
        for contest in (MAYOR, GOVERNOR)
        for url in (
            "/penghitungan/",
            "/penghitungan/ditahan/",
            "/penghitungan/sengketa/",
            "/penghitungan/anomali/",
            "/penghitungan/sirekap/",
            "/penghitungan/ruang-situasi/",
        )
    ],
]
# Pages of the persona's own area (by its region code), where it has one.
OWN_AREA_URLS = {
    BOGOR_BARAT: [
        f"/wilayah/{BOGOR_BARAT}/",
        f"/api/v1/regions/{BOGOR_BARAT}",
        f"/penghitungan/d-hasil/{MAYOR}/{BOGOR_BARAT}/",
        f"/penghitungan/d-hasil/{GOVERNOR}/{BOGOR_BARAT}/",
    ],
    KEBON_PEDES: [f"/wilayah/{KEBON_PEDES}/", f"/api/v1/regions/{KEBON_PEDES}"],
}


def undotted(code: str) -> str:
    return code.replace(".", "")


def text_of(response) -> str:
    """The body as text; an Excel workbook as its cell values."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheet" in response.get("Content-Type", ""):
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
        rows = (row for sheet in book for row in sheet.iter_rows(values_only=True))
        return "\n".join("\t".join(str(v) for v in row if v is not None) for row in rows)
    return raw.decode()


def foreign_marks(text: str, area: str) -> set[str]:
    """TPS codes, region codes and region names in `text` that lie outside `area` (its ancestors,
    which name where the area lies, are not outside)."""
    area = undotted(area)

    def outside(code: str) -> bool:
        code = undotted(code)
        return not (code.startswith(area) or area.startswith(code))

    inside_names = [r.name for r in Region.objects.all() if not outside(r.code)]
    found = {c for c in re.findall(r"(?<!\d)(32\d{11})(?!\d)", text) if outside(c)}
    found |= {c for c in re.findall(r"(?<![\d.])(32\.71\.\d\d(?:\.\d{4})?)(?![\d.])", text) if outside(c)}
    # ... and those of another province (the codes of its TPS and its kecamatan and kelurahan).
    tps_codes, region_codes = set(Tps.objects.values_list("code", flat=True)), {r.code for r in Region.objects.all()}
    found |= {c for c in re.findall(r"(?<!\d)(\d{13})(?!\d)", text) if c in tps_codes and outside(c)}
    codes = re.findall(r"(?<![\d.])(\d\d\.\d\d\.\d\d(?:\.\d{4})?)(?![\d.])", text)
    found |= {c for c in codes if c in region_codes and outside(c)}
    for region in Region.objects.all():
        named = re.search(rf"\b{re.escape(region.name)}\b", text)
        if named and outside(region.code) and not any(region.name in name for name in inside_names):
            found.add(region.name)
    return found


def leaks(client, urls, area) -> dict[str, object]:
    """url -> what it showed from outside `area` (or its status when it did not answer 200). The
    request's own filter values, echoed back in links and form fields, are not shown data."""
    from urllib.parse import parse_qsl, urlsplit

    out = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            out[url] = response.status_code
            continue
        text = text_of(response)
        for _name, value in parse_qsl(urlsplit(url).query):
            text = text.replace(value, "")
        if marks := foreign_marks(text, area):
            out[url] = sorted(marks)[:10]
    return out


def tps_in(area: str):
    return Tps.objects.filter(code__startswith=undotted(area))


# --- reads: lists, maps, exports and aggregates ---------------------------------------------------


@pytest.fixture
def every_kind(db, settings, tmp_path):
    """What the sweep adds to the rows of every test: a dispute inside Kebon Pedes (on the KPPS's
    TPS), one plano photo shared by TPS of three kecamatan, hospitals inside and outside each area,
    and more than a page of TPS in Bogor Barat."""
    settings.MEDIA_ROOT = tmp_path
    verifier = make.make_user("kpu_operator", password=None)
    sheet = TallySheet.objects.get(contest__code=MAYOR, tps__code=KPPS_TPS)
    make.make_second_entry(sheet.latest, by=verifier, votes=(20, 10, 10, 10, 0))
    for code in (KPPS_TPS, TPS_BOGOR_BARAT, TPS_BOGOR_SELATAN):
        make.make_photo(TallySheet.objects.get(contest__code=MAYOR, tps__code=code).latest)
    for area, name in (
        ("32.71.04", "RS Uji Bogor Barat"),
        (KEBON_PEDES, "RS Uji Kebon Pedes"),
        ("32.71.01", "RS Uji Bogor Selatan"),
        ("36.71", "RS Uji Kota Tangerang"),
    ):
        make.make_hospital(area, name)
    for number in range(4, 55):
        make.make_tps("32.71.04.1001", number, lat=-6.585 + number / 10_000, lon=106.764)


@pytest.mark.parametrize("who", sorted(AREAS))
def test_no_list_map_export_or_aggregate_shows_anything_outside_the_persona_area(client_as, who, every_kind):
    area = AREAS[who]
    assert leaks(client_as(who), LIST_URLS + OWN_AREA_URLS.get(area, []), area) == {}


# The pages of LIST_URLS that name no TPS or region of their rows (the desk's tiles, the election,
# the caller): the sweep reads names and codes; the tiles' figures are checked by area below.
UNNAMED = {
    "/",
    *[f"/titik/{slug}/" for slug in ("logistik", "kesiapan-tps", "sosialisasi", "penghitungan", "kesehatan")],
    "/pemilihan/",
    "/pemilihan/pilkada-2024/",
    "/api/v1/me",
}
# The lists that show the rows of another province to an account there (no contest covers it).
PROVINCE_LISTS = {
    "/wilayah/",
    "/tps/",
    "/tps/peta/data.geojson",
    "/tps/ekspor.csv",
    "/tps/ekspor.xlsx",
    "/kesehatan/rumah-sakit/",
    "/undangan/",
    "/undangan/ekspor.xlsx",
    "/undangan/peta/data.geojson",
    "/sosialisasi/",
    "/sosialisasi/prioritas/",
    "/api/v1/tps",
}


def test_the_sweep_would_see_a_leak(client_as, client, every_kind):
    """The detector itself: a city-wide account's TPS list names other kecamatan; every other list
    of LIST_URLS shows it rows outside each area (there are rows to leak, and the sweep sees them);
    and an account of another province is shown that province's rows, outside the province-wide one."""
    assert foreign_marks(text_of(client_as("bawaslu").get("/tps/?kecamatan=32.71.01")), BOGOR_BARAT)
    for area in (BOGOR_BARAT, KEBON_PEDES, KPPS_TPS):
        assert set(LIST_URLS) - set(leaks(client_as("bawaslu"), LIST_URLS, area)) == UNNAMED, area
    client.force_login(make.make_user("desk_viewer", "36", password=None))
    assert set(leaks(client, LIST_URLS, "32")) >= PROVINCE_LISTS


def test_a_kecamatan_bawaslu_sees_only_held_sheets_of_its_kecamatan(client_as):
    held = TallySheet.objects.held().filter(contest__code=MAYOR)
    assert held.exclude(tps__code__startswith="327104").exists()  # there are held sheets elsewhere
    rows = client_as("bawaslu_kec").get(f"/penghitungan/ditahan/?pemilihan={MAYOR}").context["rows"]
    assert {s.pk for s in rows} == set(held.filter(tps__code__startswith="327104").values_list("pk", flat=True))


def test_a_kelurahan_pps_sees_none_of_the_disputes_of_another_kecamatan(client_as):
    disputed = TallySheet.objects.disputed().filter(contest__code=MAYOR)
    assert disputed.exists() and not disputed.filter(tps__code__startswith="3271061002")  # none in Kebon Pedes
    assert client_as("pps").get(f"/penghitungan/sengketa/?pemilihan={MAYOR}").context["rows"] == []
    home = client_as("pps").get(f"/penghitungan/?pemilihan={MAYOR}").context
    assert (home["held"], home["disputed"]) == (
        TallySheet.objects.held().filter(contest__code=MAYOR, tps__code__startswith="3271061002").count(),
        0,
    )


def test_the_situation_room_of_a_kecamatan_shows_its_own_totals_not_the_city(client_as):
    context = client_as("security_kec").get(f"/penghitungan/ruang-situasi/?pemilihan={MAYOR}").context
    assert context["city"].region.code == BOGOR_BARAT
    assert [t.region.code for t in context["kecamatan"]] == [BOGOR_BARAT]
    # Held, disputed and anomalous sheets lie in Bogor Barat and outside it: the room shows some.
    assert context["held"] and context["disputed"] and context["anomalies"]
    assert all(s.tps.code.startswith("327104") for s in [*context["held"], *context["disputed"]])
    assert all(a["tps"].code.startswith("327104") for a in context["anomalies"])


def test_the_tally_home_of_a_kelurahan_shows_the_kelurahan_total_only(client_as):
    totals = client_as("lurah").get(f"/penghitungan/?pemilihan={MAYOR}").context["totals"]
    assert [t.region.code for t in totals] == [KEBON_PEDES]


def test_anomaly_and_sirekap_lists_of_a_kecamatan_hold_only_its_tps(client_as):
    c = client_as("ppk")
    anomalies = c.get(f"/penghitungan/anomali/?pemilihan={GOVERNOR}").context["rows"]
    sirekap = c.get(f"/penghitungan/sirekap/?pemilihan={MAYOR}").context["rows"]
    assert anomalies and sirekap
    assert all(r["tps"].code.startswith("327104") for r in [*anomalies, *sirekap])


def test_a_shared_photo_anomaly_names_only_the_tps_the_reader_may_see(client_as, persona, settings, tmp_path):
    """The same plano on a TPS of Bogor Barat and one of Tanah Sareal: the Bogor Barat reader is
    warned, but told only that the other TPS lies outside its area, not which one it is."""
    from deskpilkada.elections.models import Contest

    settings.MEDIA_ROOT = tmp_path
    kpu, mayor = persona("kpu"), Contest.objects.select_related("election", "region").get(code=MAYOR)
    for code in (TPS_BOGOR_BARAT, TPS_TANAH_SAREAL):  # both counted already: these are corrections
        tps = Tps.objects.get(code=code)
        version = tally.submit_sheet(
            by=kpu, tps=tps, contest=mayor, sheet=make_sheet(tps.dpt), source="manual", reason="uji foto sama"
        )
        assert version.sheet.status == TallySheet.Status.COUNTED
        tally.add_photo(by=kpu, sheet=version.sheet, upload=SimpleUploadedFile("plano.png", PNG))

    def same_photo(who):
        rows = client_as(who).get(f"/penghitungan/anomali/?pemilihan={MAYOR}").context["rows"]
        return {r["tps"].code: str(r["message"]) for r in rows if r["kind"] == "same_photo"}

    local = same_photo("bawaslu_kec")
    assert list(local) == [TPS_BOGOR_BARAT]
    assert TPS_TANAH_SAREAL not in local[TPS_BOGOR_BARAT] and "1 TPS di luar wilayah Anda" in local[TPS_BOGOR_BARAT]
    city = same_photo("bawaslu")
    assert TPS_TANAH_SAREAL in city[TPS_BOGOR_BARAT] and TPS_BOGOR_BARAT in city[TPS_TANAH_SAREAL]
    assert "luar wilayah" not in city[TPS_BOGOR_BARAT]


def test_tps_list_map_export_and_api_of_a_kecamatan_count_only_its_tps(client_as):
    c, expected = client_as("health_kec"), tps_in(BOGOR_BARAT)
    assert c.get("/tps/").context["count"] == expected.count()
    assert c.get("/tps/?kecamatan=32.71.01").context["count"] == 0
    features = [f["properties"] for f in c.get("/tps/peta/data.geojson").json()["features"]]
    codes = {f["code"] for f in features if f["kind"] == "tps"}
    assert codes == set(expected.filter(lat__isnull=False).values_list("code", flat=True))
    assert all(f["code"].startswith(BOGOR_BARAT) for f in features if f["kind"] == "region")
    exported = text_of(c.get("/tps/ekspor.csv")).splitlines()[1:]
    assert len(exported) == expected.count()
    assert c.get("/api/v1/tps").json()["count"] == expected.count()


def test_a_kpps_lists_only_its_own_tps(client_as):
    c = client_as("kpps")
    assert [t.code for t in c.get("/tps/").context["page"]] == [KPPS_TPS]
    assert [t["code"] for t in c.get("/api/v1/tps").json()["items"]] == [KPPS_TPS]
    features = c.get("/undangan/peta/data.geojson").json()["features"]
    assert {f["properties"]["code"] for f in features if f["properties"]["kind"] == "tps"} == {KPPS_TPS}


def test_invitation_progress_of_a_kelurahan_counts_only_its_tps(client_as):
    context = client_as("lurah").get("/undangan/").context
    assert context["total"] == tps_in(KEBON_PEDES).count()
    assert [g["region"].code for g in context["kecamatan"]] == ["32.71.06"]  # its own kecamatan, one row
    assert [g["region"].code for g in context["kelurahan"]] == [KEBON_PEDES]


# The TPS whose invitations are on plan at H-1 (area_rows): every other TPS is behind.
ON_PLAN = {KPPS_TPS, TPS_BOGOR_BARAT, "3271031002002"}


@pytest.mark.parametrize("who", sorted(AREAS))
def test_the_desk_tiles_of_an_area_count_only_its_rows(client_as, who):
    """The figures of the desk's tiles (which name no TPS, so the sweep cannot read them) are those
    of the persona's area: TPS counted and held per contest, TPS behind on invitations."""
    from deskpilkada.elections.models import Contest

    tiles = client_as(who).get("/desk/").context["tiles"]
    figures = {str(f.label): (f.value, f.of) for t in tiles for f in t["tile"].figures}
    tps = tps_in(AREAS[who])
    for contest in Contest.objects.filter(code__in=(MAYOR, GOVERNOR)):
        sheets = TallySheet.objects.filter(contest=contest, tps__in=tps)
        assert figures[f"{contest.name}: TPS dihitung"] == (sheets.counted().count(), tps.count())
        assert figures[f"{contest.name}: ditahan"][0] == sheets.held().count()
    assert figures["TPS tertinggal undangan (H-1)"] == (tps.exclude(code__in=ON_PLAN).count(), tps.count())
    everywhere = TallySheet.objects.filter(contest__code=MAYOR)
    assert everywhere.counted().exclude(tps__in=tps).exists() or who == "admin_prov"  # rows outside to leak
    assert everywhere.held().exclude(tps__in=tps).exists() or who == "admin_prov"


def test_activities_and_priorities_of_a_kecamatan_are_its_kelurahan_only(client_as):
    c = client_as("camat")
    items = c.get("/sosialisasi/").context["items"]
    assert items and all(a.kelurahan.code.startswith(BOGOR_BARAT + ".") for a in items)
    rows = c.get("/sosialisasi/prioritas/").context["page"].paginator.object_list  # every page
    assert rows and all(p.kelurahan.code.startswith(BOGOR_BARAT + ".") for p in rows)


def test_the_hospital_list_of_a_kecamatan_holds_only_hospitals_inside_it(client_as):
    from deskpilkada.health.models import Hospital

    inside = Hospital.objects.create(
        code="UJI-BB", name="RS Uji Bogor Barat", region=Region.objects.get(code=BOGOR_BARAT)
    )
    Hospital.objects.create(code="UJI-TS", name="RS Uji Tanah Sareal", region=Region.objects.get(code="32.71.06"))
    shown = client_as("health_kec").get("/kesehatan/rumah-sakit/").context["hospitals"]
    assert inside in shown and all(h.region.code.startswith(BOGOR_BARAT) for h in shown)
    assert not [h for h in shown if h.code == "UJI-TS"]


# --- objects of another area -----------------------------------------------------------------------

OUTSIDE_OBJECTS = {
    BOGOR_BARAT: [
        f"/tps/{TPS_TANAH_SAREAL}/",
        f"/penghitungan/tps/{TPS_TANAH_SAREAL}/{MAYOR}/",
        f"/penghitungan/d-hasil/{MAYOR}/32.71.06/",
        "/wilayah/32.71/",
        f"/wilayah/{KEBON_PEDES}/",
        f"/api/v1/tps/{TPS_TANAH_SAREAL}",
        "/api/v1/regions/32.71.06",
        f"/api/v1/tally-sheets/{MAYOR}/{TPS_BOGOR_SELATAN}",
    ],
    KEBON_PEDES: [
        f"/tps/{TPS_BOGOR_BARAT}/",
        f"/penghitungan/tps/{TPS_BOGOR_BARAT}/{MAYOR}/",
        f"/penghitungan/d-hasil/{MAYOR}/{BOGOR_BARAT}/",
        "/wilayah/32.71.06/",
        f"/wilayah/{BOGOR_BARAT}/",
        f"/api/v1/tps/{TPS_BOGOR_BARAT}",
        f"/api/v1/regions/{BOGOR_BARAT}",
        f"/api/v1/tally-sheets/{MAYOR}/{TPS_BOGOR_BARAT}",
    ],
    KPPS_TPS: [
        f"/tps/{TPS_TANAH_SAREAL}/",
        f"/penghitungan/tps/{TPS_TANAH_SAREAL}/{MAYOR}/",
        f"/wilayah/{KEBON_PEDES}/",
        f"/undangan/tps/{TPS_TANAH_SAREAL}/",
        f"/api/v1/tps/{TPS_TANAH_SAREAL}",
        f"/api/v1/regions/{KEBON_PEDES}",
        f"/api/v1/tally-sheets/{MAYOR}/{TPS_TANAH_SAREAL}",
    ],
}


@pytest.mark.parametrize("who", sorted(set(AREAS) - {"admin_prov"}))
def test_objects_of_another_area_answer_403(client_as, who):
    c = client_as(who)
    assert {url: c.get(url).status_code for url in OUTSIDE_OBJECTS[AREAS[who]]} == dict.fromkeys(
        OUTSIDE_OBJECTS[AREAS[who]], 403
    )


def test_an_activity_photo_is_served_inside_the_area_and_refused_outside(client_as, settings, tmp_path):
    from deskpilkada.elections.models import Election
    from deskpilkada.outreach import actions as outreach

    settings.MEDIA_ROOT = tmp_path

    def activity(code):
        return outreach.add_activity(
            by=None,
            election=Election.objects.current(),
            kind="tatap_muka",
            segment="umum",
            date=Election.objects.current().h_minus(5),
            kelurahan=Region.objects.get(code=code),
            organiser="Uji",
            reach=10,
            photo=SimpleUploadedFile("a.png", PNG),
        )

    inside, outside = activity("32.71.04.1001"), activity(KEBON_PEDES)
    c = client_as("bawaslu_kec")
    assert c.get(f"/sosialisasi/foto/{inside.pk}/")["Content-Type"] == "image/png"
    assert c.get(f"/sosialisasi/foto/{outside.pk}/").status_code == 403
    assert client_as("pps").get(f"/sosialisasi/foto/{inside.pk}/").status_code == 403
    assert client_as("kpps").get(f"/sosialisasi/foto/{outside.pk}/").status_code == 403  # a TPS holds no activity


# --- writes ----------------------------------------------------------------------------------------


def write_urls(tps_code: str, kecamatan: str) -> list[str]:
    return [
        f"/tps/{tps_code}/ubah/",
        "/tps/baru/",
        "/tps/impor/",
        f"/undangan/tps/{tps_code}/",
        f"/penghitungan/tps/{tps_code}/{MAYOR}/isi/",
        f"/penghitungan/tps/{tps_code}/{MAYOR}/verifikasi/",
        f"/penghitungan/d-hasil/{MAYOR}/{kecamatan}/",
        f"/penghitungan/final/{MAYOR}/{kecamatan}/",
        "/penghitungan/impor/",
        "/sosialisasi/",
        "/sosialisasi/prioritas/",
        "/dpt/impor/",
    ]


@pytest.mark.parametrize("who", ["bawaslu_kec", "security_kec", "health_kec", "camat"])
def test_a_kecamatan_persona_without_write_capabilities_is_refused_every_write(client_as, who):
    c = client_as(who)
    urls = write_urls(TPS_BOGOR_BARAT, BOGOR_BARAT) + write_urls(TPS_TANAH_SAREAL, "32.71.06")
    assert {url: c.post(url, {"x": "1"}).status_code for url in urls} == dict.fromkeys(urls, 403)
    api = [
        c.post("/api/v1/tps", {"kelurahan": "32.71.04.1001", "number": 777}, content_type="application/json"),
        c.patch(f"/api/v1/tps/{TPS_BOGOR_BARAT}", {"version": 1}, content_type="application/json"),
        c.post("/api/v1/tally-sheets", _sheet_body(TPS_BOGOR_BARAT), content_type="application/json"),
        c.post("/api/v1/tally-sheets/batch", [_sheet_body(TPS_BOGOR_BARAT)], content_type="application/json"),
    ]
    assert [r.status_code for r in api] == [403] * 4


def _sheet_body(code: str) -> dict:
    sheet = make_sheet(500, votes=(50, 60, 70, 80, 30))
    flat = {k: v for k, v in sheet.as_flat().items() if not k.startswith("paslon_")}
    return {"kode_tps": code, "pemilihan": MAYOR, **flat, "paslon": {str(n): v for n, v in sheet.votes.items()}}


def test_a_ppk_cannot_write_the_count_of_another_kecamatan(client_as, persona):
    c = client_as("ppk")
    outside = Tps.objects.get(code=TPS_TANAH_SAREAL)
    before = TallySheet.objects.filter(tps=outside).count()
    body = {k: str(v) for k, v in make_sheet(outside.dpt).as_flat().items()}
    assert c.post(f"/penghitungan/tps/{TPS_TANAH_SAREAL}/{MAYOR}/isi/", body).status_code == 403
    assert c.post(f"/penghitungan/tps/{TPS_TANAH_SAREAL}/{MAYOR}/verifikasi/", body).status_code == 403
    assert c.post(f"/penghitungan/d-hasil/{MAYOR}/32.71.06/", {"pengguna": 1}).status_code == 403
    assert c.post(f"/penghitungan/final/{MAYOR}/32.71.06/").status_code == 403
    single = c.post("/api/v1/tally-sheets", _sheet_body(TPS_TANAH_SAREAL), content_type="application/json")
    assert single.status_code == 403
    batch = c.post("/api/v1/tally-sheets/batch", [_sheet_body(TPS_TANAH_SAREAL)], content_type="application/json")
    assert batch.status_code == 200 and batch.json()["stored"] == 0 and not batch.json()["items"][0]["ok"]
    assert TallySheet.objects.filter(tps=outside).count() == before


def test_a_ppk_still_writes_the_count_of_its_own_kecamatan(client_as):
    # A TPS of the kecamatan without a sheet (a sheet already there would need a reason to correct).
    tps = Tps.objects.filter(code__startswith="327104").exclude(sheets__contest__code=MAYOR).get()
    assert tps.code == TPS_BOGOR_BARAT_EMPTY
    response = client_as("ppk").post("/api/v1/tally-sheets", _sheet_body(tps.code), content_type="application/json")
    assert response.status_code == 201
    assert TallySheet.objects.filter(tps=tps, contest__code=MAYOR).exists()


def test_a_pps_and_a_kpps_record_invitations_only_inside_their_area(client_as):
    from deskpilkada.elections.models import Election

    day = Election.objects.current().invitation_window()[0].isoformat()
    data = {"day": day, "delivered": 10, "moved": 0, "deceased": 0, "unknown": 0, "refused": 0, "other": 0}
    data["ganti"] = "1"  # that day is reported already (area_rows): replacing its figures is confirmed
    assert client_as("pps").post(f"/undangan/tps/{TPS_TANAH_SAREAL}/", data).status_code == 302
    assert client_as("pps").post(f"/undangan/tps/{TPS_BOGOR_BARAT}/", data).status_code == 403
    assert client_as("kpps").post(f"/undangan/tps/{KPPS_TPS}/", data).status_code == 302
    assert client_as("kpps").post(f"/undangan/tps/{TPS_TANAH_SAREAL}/", data).status_code == 403
    from deskpilkada.outreach.models import InvitationDay

    delivered = dict(InvitationDay.objects.filter(day=day).values_list("tps__code", "delivered"))
    assert (delivered[TPS_TANAH_SAREAL], delivered[KPPS_TPS], delivered[TPS_BOGOR_BARAT]) == (10, 10, 150)


def test_turnout_history_import_refuses_regions_outside_the_importers_area(client_as, persona):
    """A desk admin of another kabupaten may not overwrite Kota Bogor's turnout history."""
    from deskpilkada.accounts import actions as accounts
    from deskpilkada.accounts.models import Role
    from deskpilkada.imports import ImportRejected
    from deskpilkada.outreach import actions as outreach
    from deskpilkada.outreach.models import TurnoutHistory
    from deskpilkada.regions.models import Level

    elsewhere = Region.objects.create(
        code="32.01", name="Kabupaten Uji", level=Level.REGENCY, parent=Region.objects.get(code="32")
    )
    admin = accounts.create_user(
        by=None, username="admin.uji", password=None, organisation=persona("admin").organisation, full_name="Admin Uji"
    )
    accounts.assign_role(by=None, user=admin, role=Role.objects.get(code="desk_admin"), region=elsewhere)
    rows = b"kode_wilayah,pemilihan,tahun,dpt,pengguna\n32.71.06.1002,Pilpres Uji,2019,1000,800\n"
    with pytest.raises(ImportRejected) as refused:
        outreach.import_turnout(io.BytesIO(rows), by=admin)
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "kode_wilayah")]
    assert outreach.import_turnout(io.BytesIO(rows), by=persona("admin_prov")) == 1  # the province reaches it
    assert TurnoutHistory.objects.filter(label="Pilpres Uji").count() == 1
