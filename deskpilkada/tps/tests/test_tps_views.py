import pytest

from deskpilkada import testing as make
from deskpilkada.audit.models import AuditEntry
from deskpilkada.regions.models import Level, Region
from deskpilkada.tps.models import Tps

KEBON_PEDES_028 = "3271061002028"
PALEDANG = "32.71.03.1002"
LAPAS = "Lapas Kelas IIA Paledang, Jl. Paledang No. 2"


@pytest.fixture
def tps028(db):
    """TPS 028 Kebon Pedes as the register holds it: placed on the map, with its RT and RW."""
    return make.edit_tps(KEBON_PEDES_028, lat=-6.5415, lon=106.7931, rt="003", rw="005")


@pytest.fixture
def lapas(db):
    """The two TPS of the Paledang prison (Bogor Tengah), as in the demo."""
    return [
        make.make_tps(PALEDANG, n, address=LAPAS, special_kind=Tps.SpecialKind.PRISON, special_place="Lapas Paledang")
        for n in (901, 902)
    ]


def _form(tps: Tps, **changes):
    data = {
        "address": tps.address,
        "rt": tps.rt,
        "rw": tps.rw,
        "lat": tps.lat,
        "lon": tps.lon,
        "dpt_male": tps.dpt_male,
        "dpt_female": tps.dpt_female,
        "special_kind": tps.special_kind,
        "special_place": tps.special_place,
        "version": tps.version,
    }
    if tps.wheelchair_accessible:
        data["wheelchair_accessible"] = "on"
    data.update(changes)
    return data


def test_the_list_is_limited_to_the_users_area(client_as):
    make.make_tps("32.71.04.1002", 1)  # another kelurahan of Bogor Barat
    make.make_tps("32.71.06.1001", 1)  # and of Tanah Sareal, outside the PPS's kelurahan
    assert client_as("ppk").get("/tps/").context["count"] == Tps.objects.filter(code__startswith="327104").count() == 3
    assert client_as("pps").get("/tps/").context["count"] == Tps.objects.filter(code__startswith="3271061002").count()
    assert client_as("kpps").get("/tps/").context["count"] == 1


def test_search_finds_by_code_number_and_place(client_as, lapas):
    c = client_as("viewer")
    assert (
        c.get("/tps/", {"q": "3271031002"}).context["count"]
        == Tps.objects.filter(code__startswith="3271031002").count()
    )
    assert c.get("/tps/", {"q": "Lapas"}).context["count"] == 2
    partial = c.get("/tps/", {"q": "Lapas"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"3271031002901" in partial.content


def test_an_edit_is_saved_with_before_and_after_in_the_audit_log(client_as, tps028):
    tps = Tps.objects.get(code=KEBON_PEDES_028)
    response = client_as("kpu").post(
        f"/tps/{tps.code}/ubah/", _form(tps, address="Halaman Masjid Al-Ikhlas"), REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302
    tps.refresh_from_db()
    assert tps.address == "Halaman Masjid Al-Ikhlas" and tps.version == tps028.version + 1
    entry = AuditEntry.objects.filter(action="tps.updated").first()
    assert entry.actor.username == "operator.kpu" and entry.ip == "10.1.2.3"
    assert entry.after == {"address": "Halaman Masjid Al-Ikhlas"}


def test_a_stale_edit_never_overwrites_a_newer_one(client_as, tps028):
    tps = Tps.objects.get(code=KEBON_PEDES_028)
    stale = _form(tps, address="Versi A")
    c = client_as("kpu")
    c.post(f"/tps/{tps.code}/ubah/", _form(tps, address="Versi B"))
    response = c.post(f"/tps/{tps.code}/ubah/", stale)
    assert response.status_code == 200 and "baru saja diubah orang lain" in response.content.decode()
    tps.refresh_from_db()
    assert tps.address == "Versi B"


def test_a_form_error_names_the_field_in_indonesian(client_as, tps028):
    tps = Tps.objects.get(code=KEBON_PEDES_028)
    response = client_as("kpu").post(f"/tps/{tps.code}/ubah/", _form(tps, dpt_male=400, dpt_female=300, lat=""))
    form = response.context["form"]
    assert "melebihi batas 600" in form.errors["dpt_female"][0]
    assert "lintang dan bujur" in form.errors["lon"][0]


def test_creating_a_tps_refuses_a_number_already_used_in_the_kelurahan(client_as):
    kel = Tps.objects.get(code=KEBON_PEDES_028).kelurahan
    data = {"kelurahan": kel.pk, "number": 28, "dpt_male": 1, "dpt_female": 1}
    response = client_as("kpu").post("/tps/baru/", data)
    assert "sudah ada" in response.context["form"].errors["number"][0]
    data["number"] = 555
    assert client_as("kpu").post("/tps/baru/", data).status_code == 302
    assert Tps.objects.filter(code="3271061002555").exists()


def test_map_data_is_geojson_of_the_visible_tps(client_as):
    # Bogor Barat: a TPS in every kelurahan, placed, one of them special; the world's two TPS of
    # Menteng (prone to landslides) placed; one more TPS without a place (not on the map).
    make.make_tps_everywhere("32.71.04")
    make.place_tps("32.71.04")
    make.edit_tps("3271041002001", special_kind=Tps.SpecialKind.HOSPITAL, special_place="RS uji")
    make.make_tps("32.71.04.1003", 2)
    make.place_tps("32.71.01")  # outside the area, on the map too
    data = client_as("ppk").get("/tps/peta/data.geojson").json()
    tps = [f for f in data["features"] if f["properties"]["kind"] == "tps"]
    placed = Tps.objects.filter(code__startswith="327104", lat__isnull=False)
    assert (
        data["type"] == "FeatureCollection"
        and len(tps) == placed.count() == Tps.objects.filter(code__startswith="327104").count() - 1
    )
    lon, lat = tps[0]["geometry"]["coordinates"]
    assert -7 < lat < -6 and 106 < lon < 107
    expected = {
        f["properties"]["code"]: "special"
        if f["properties"]["special"]
        else "hazard"
        if f["properties"]["hazard"]
        else "tps"
        for f in tps
    }
    assert {f["properties"]["code"]: f["properties"]["status"] for f in tps} == expected
    assert set(expected.values()) == {"hazard", "special", "tps"}


def test_map_data_names_the_kecamatan_and_kelurahan_of_the_area_at_their_label_points(client_as):
    make.make_tps_everywhere("32.71")  # every kelurahan of the city has its TPS, placed
    make.place_tps("32.71")
    regions = [
        f
        for f in client_as("ppk").get("/tps/peta/data.geojson").json()["features"]
        if f["properties"]["kind"] == "region"
    ]
    kecamatan = [f["properties"] for f in regions if f["properties"]["level"] == Level.DISTRICT]
    kelurahan = [f["properties"] for f in regions if f["properties"]["level"] == Level.VILLAGE]
    assert [k["name"] for k in kecamatan] == ["Bogor Barat"]
    assert {k["code"] for k in kelurahan} == set(
        Region.objects.filter(parent__code="32.71.04").values_list("code", flat=True)
    )
    # The kecamatan at its own point; a kelurahan with none at the centre of its TPS.
    assert kecamatan[0]["label"] == [106.764, -6.585]
    lon, lat = kelurahan[0]["label"]
    assert -6.61 < lat < -6.56 and 106.74 < lon < 106.79
    assert all(f["geometry"] is None for f in regions)  # no outlines imported


def test_a_dotted_tps_code_in_the_url_is_accepted(client_as):
    assert client_as("viewer").get("/tps/32.71.06.1002.028/").status_code == 200
    assert client_as("viewer").get("/tps/nonsense/").status_code == 404
