import pytest
from django.test import Client

from deskpilkada import testing as make
from deskpilkada.accounts.actions import create_api_token
from deskpilkada.audit.models import AuditEntry
from deskpilkada.tps.models import Tps


@pytest.fixture
def api_as(persona):
    def make(name: str) -> Client:
        _token, raw = create_api_token(by=None, user=persona(name), name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


def test_the_api_lists_only_tps_in_the_callers_area(api_as):
    for n in range(1, 106):  # more than a page (100) in Bogor Barat
        make.make_tps("32.71.04.1002", n)
    make.make_tps("32.71.01.1002", 1)
    data = api_as("ppk").get("/api/v1/tps", {"page": 1}).json()
    assert data["count"] == Tps.objects.filter(code__startswith="327104").count() == 107
    assert len(data["items"]) == 100 and all(item["code"].startswith("327104") for item in data["items"])
    last = api_as("ppk").get("/api/v1/tps", {"page": 2}).json()["items"]
    assert len(last) == 7 and all(item["code"].startswith("327104") for item in last)


def test_a_tps_is_read_by_dotted_or_undotted_code(api_as):
    c = api_as("viewer")
    assert c.get("/api/v1/tps/32.71.06.1002.028").json()["code"] == "3271061002028"
    assert c.get("/api/v1/tps/3271061002028").json()["kecamatan"] == "Tanah Sareal"


def test_patch_applies_and_audits_with_the_current_version(api_as):
    tps = Tps.objects.get(code="3271061002028")
    response = api_as("kpu").patch(
        f"/api/v1/tps/{tps.code}",
        {"version": tps.version, "address": "Lapangan RW 03"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["version"] == tps.version + 1
    assert AuditEntry.objects.filter(
        action="tps.updated", target_id=str(tps.pk), actor__username="operator.kpu"
    ).exists()


def test_patch_with_a_stale_version_is_refused_with_409(api_as):
    tps = Tps.objects.get(code="3271061002028")
    c = api_as("kpu")
    c.patch(f"/api/v1/tps/{tps.code}", {"version": tps.version, "rt": "009"}, content_type="application/json")
    stale = c.patch(f"/api/v1/tps/{tps.code}", {"version": tps.version, "rt": "001"}, content_type="application/json")
    assert stale.status_code == 409
    tps.refresh_from_db()
    assert tps.rt == "009"


def test_bad_values_are_refused_naming_the_field(api_as):
    c = api_as("kpu")
    too_many = c.patch(
        "/api/v1/tps/3271061002028", {"version": 1, "dpt_male": 500, "dpt_female": 200}, content_type="application/json"
    )
    assert too_many.status_code == 422 and "dpt_male + dpt_female" in too_many.json()["detail"]
    negative = c.patch("/api/v1/tps/3271061002028", {"version": 1, "dpt_male": -1}, content_type="application/json")
    assert negative.status_code == 422 and "dpt_male" in str(negative.json())


def test_create_refuses_an_unknown_kelurahan_and_a_duplicate_number(api_as):
    c = api_as("kpu")
    unknown = c.post("/api/v1/tps", {"kelurahan": "32.71.09.9999", "number": 1}, content_type="application/json")
    assert unknown.status_code == 422
    dup = c.post("/api/v1/tps", {"kelurahan": "3271061002", "number": 28}, content_type="application/json")
    assert dup.status_code == 409
    ok = c.post(
        "/api/v1/tps",
        {"kelurahan": "3271061002", "number": 600, "dpt_male": 3, "dpt_female": 4},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["dpt"] == 7


def test_session_auth_needs_the_csrf_token_for_writes(persona):
    c = Client(enforce_csrf_checks=True)
    c.force_login(persona("kpu"))
    response = c.patch("/api/v1/tps/3271061002028", {"version": 1}, content_type="application/json")
    assert response.status_code in (401, 403)


def test_openapi_docs_are_served(client, db):
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/tps/{code}" in schema["paths"]


def test_elections_and_regions_api(api_as):
    for village in ("32.71.02.1001", "32.71.05.1001"):  # a TPS in each kecamatan the world has none in
        make.make_tps(village, 1)
    c = api_as("viewer")
    elections = c.get("/api/v1/elections").json()
    assert elections[0]["code"] == "pilkada-2024" and len(elections[0]["contests"]) == 2
    region = c.get("/api/v1/regions/3271").json()
    assert sum(ch["tps"] for ch in region["children"]) == Tps.objects.filter(code__startswith="3271").count() == 13
    assert all(ch["tps"] for ch in region["children"]) and len(region["children"]) == 6


def test_patch_refuses_a_latitude_without_a_longitude(api_as):
    tps = make.edit_tps("3271061002028", lat=-6.5415, lon=106.7931)  # placed on the map
    response = api_as("kpu").patch(
        f"/api/v1/tps/{tps.code}", {"version": tps.version, "lon": None}, content_type="application/json"
    )
    assert response.status_code == 422 and "lon" in response.json()["detail"]
    tps.refresh_from_db()
    assert tps.lon is not None


@pytest.mark.parametrize(
    "field",
    ["address", "rt", "rw", "dpt_male", "dpt_female", "special_kind", "special_place", "wheelchair_accessible"],
)
def test_patch_with_a_null_for_a_not_null_field_is_refused_naming_the_field(api_as, field):
    tps = Tps.objects.get(code="3271061002028")
    response = api_as("kpu").patch(
        f"/api/v1/tps/{tps.code}", {"version": tps.version, field: None}, content_type="application/json"
    )
    assert response.status_code == 422 and response["Content-Type"].startswith("application/json")
    assert response.json()["errors"] == [{"field": field, "message": response.json()["errors"][0]["message"]}]
    assert "tidak boleh null" in response.json()["errors"][0]["message"]
    assert Tps.objects.get(pk=tps.pk).version == tps.version


@pytest.mark.parametrize("page", ["4611686018427387904", "1000001", "0", "-1", "satu"])
def test_a_page_out_of_range_answers_422_naming_the_page(api_as, page):
    response = api_as("ppk").get("/api/v1/tps", {"page": page})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["page"]


def test_a_page_past_the_last_answers_an_empty_list(api_as):
    response = api_as("ppk").get("/api/v1/tps", {"page": 999_999, "page_size": 10**30})
    assert response.status_code == 200 and response.json()["items"] == []
