"""The visit schedule (bad input refused naming the field, in Indonesian; version checks; retries) and who
may see and do what with health data: a hospital sees and updates only its own schedule."""

import pytest

from deskpilkada.health import actions
from deskpilkada.health.models import Visit
from deskpilkada.health.tests.make import RSUD, TPS_BB, TPS_BB2, at, hospital, make_hospital, make_patient, make_visit

pytestmark = pytest.mark.django_db


def _refused(field, **kw):
    h = kw.pop("h", None) or make_hospital()
    actions.add_serving_tps(by=None, hospital=h, tps_code=TPS_BB)
    values = {"tps_code": TPS_BB, "ward": "Melati", "starts_at": at(10), "ballots": 10, **kw}
    with pytest.raises(actions.Refused) as e:
        actions.schedule_visit(by=None, hospital=h, **values)
    assert e.value.field == field
    return e.value.message


def test_a_visit_outside_voting_hours_is_refused_naming_the_time():
    assert "Waktu kunjungan" in _refused("starts_at", starts_at=at(14))
    assert "27-11-2024" in _refused("starts_at", starts_at=at(10).replace(day=26))


def test_a_visit_without_a_ward_or_by_a_tps_that_does_not_serve_the_hospital_is_refused():
    assert "Ruang" in _refused("ward", ward="  ")
    assert "tidak melayani" in _refused("tps", tps_code=TPS_BB2)
    assert "tidak dikenal" in _refused("tps", tps_code="9999")


def test_ballots_out_of_range_are_refused():
    assert "Surat suara dibawa" in _refused("ballots", ballots=10_000_000)


def test_a_retried_visit_is_not_scheduled_twice():
    h = make_hospital()
    first, again = make_visit(h), make_visit(h)
    assert first.pk == again.pk and Visit.objects.filter(hospital=h).count() == 1


def test_voters_served_above_the_ballots_carried_is_refused_and_a_stale_form_too():
    visit = make_visit(make_hospital(), ballots=5)
    with pytest.raises(actions.Refused) as e:
        actions.mark_visit_done(by=None, visit=visit, voters_served=6, version=visit.version)
    assert e.value.field == "voters_served" and "5" in e.value.message
    with pytest.raises(actions.Stale):
        actions.mark_visit_done(by=None, visit=visit, voters_served=4, version=visit.version + 1)
    done = actions.mark_visit_done(by=None, visit=visit, voters_served=4, version=visit.version)
    assert (done.status, done.voters_served) == ("done", 4)
    assert actions.mark_visit_done(by=None, visit=visit, voters_served=4, version=None).pk == visit.pk  # a retry


def test_the_schedule_form_refuses_bad_input_in_indonesian_naming_the_field(client_as):
    h = hospital(RSUD)
    make_visit(h)
    c = client_as("hospital")
    r = c.post(
        h.get_absolute_url(),
        {
            "form": "kunjungan",
            "v-tps_code": TPS_BB,
            "v-ward": "Anggrek",
            "v-starts_at": "besok pagi",
            "v-ballots": "-3",
        },
    )
    assert r.status_code == 200
    errors = r.context["visit_form"].errors
    assert errors["starts_at"] == ["Waktu kunjungan: tanggal dan jam tidak valid."]
    assert errors["ballots"] == ["Surat suara dibawa: tidak boleh negatif."]


def test_the_hospital_marks_its_own_visit_done_with_the_voters_served(client_as):
    h = hospital(RSUD)
    visit = make_visit(h, ballots=12)
    c = client_as("hospital")
    r = c.post(visit.get_absolute_url(), {"form": "selesai", "d-voters_served": "13", "d-version": visit.version})
    assert r.status_code == 200 and "tidak boleh melebihi surat suara" in r.content.decode()
    r = c.post(visit.get_absolute_url(), {"form": "selesai", "d-voters_served": "11", "d-version": visit.version})
    assert r.status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.voters_served) == ("done", 11)


def test_a_hospital_sees_only_its_own_hospital_and_cannot_register_patients_or_serving_tps(client_as):
    own, other = hospital(RSUD), make_hospital(name="RS Lain di Bogor Barat")
    other_visit = make_visit(other)
    c = client_as("hospital")
    assert c.get(own.get_absolute_url()).status_code == 200
    assert c.get(other.get_absolute_url()).status_code == 404
    assert c.get(other_visit.get_absolute_url()).status_code == 404
    assert c.post(other_visit.get_absolute_url(), {"form": "batal", "version": 1}).status_code == 404
    assert c.post(own.get_absolute_url(), {"form": "tps", "t-tps_code": TPS_BB2}).status_code == 403
    assert c.get("/kesehatan/rumah-sakit/").context["rows"] == []  # the register, no hospital's figures
    body = c.get("/api/v1/hospitals/coverage").json()
    assert [x["code"] for x in body["hospitals"]] == [RSUD]


def test_health_figures_go_only_to_those_who_need_them(client_as):
    make_patient(hospital(RSUD))
    for who in ("health", "health_kec", "admin", "viewer", "kpu", "camat"):
        assert client_as(who).get("/api/v1/hospitals/coverage").status_code == 200, who
    for who in ("bawaslu", "security", "comms", "civil", "bpbd", "ppk", "pps", "kpps"):
        assert client_as(who).get("/api/v1/hospitals/coverage").status_code == 403, who
        assert client_as(who).get("/kesehatan/rumah-sakit/").context["rows"] == [], who
        assert client_as(who).get("/kesehatan/insiden/").status_code == 403, who
        assert client_as(who).get(hospital(RSUD).get_absolute_url()).status_code == 404, who


def test_a_kecamatan_health_office_sees_only_the_hospitals_inside_it(client_as):
    inside, outside = make_hospital("32.71.04", "RS Dalam"), make_hospital("32.71.06", "RS Luar")
    body = client_as("health_kec").get("/api/v1/hospitals/coverage").json()
    codes = {x["code"] for x in body["hospitals"]}
    assert inside.code in codes and outside.code not in codes
    assert all(x["region"].startswith("32.71.04") for x in body["hospitals"])


def test_the_coverage_api_answers_per_hospital_exactly(client_as):
    h = make_hospital(name="RS API")
    make_patient(h, origin="32.71.06.1002")
    make_patient(h, origin="32.01")
    visit = make_visit(h, ballots=9)
    body = client_as("health").get("/api/v1/hospitals/coverage").json()
    assert body["election"] == "pilkada-2024" and body["deadline"] == "2024-11-20"
    row = next(x for x in body["hospitals"] if x["code"] == h.code)
    assert row == {
        "code": h.code,
        "name": "RS API",
        "region": "32.71.04",
        "patients": 2,
        "patients_by_contest": {"pilgub-jabar-2024": 2, "pilwalkot-bogor-2024": 1},
        "serving_tps": [{"code": TPS_BB, "name": "TPS 001 Menteng"}],
        "schedule": [
            {
                "id": visit.pk,
                "tps": TPS_BB,
                "ward": "Melati",
                "starts_at": "2024-11-27T10:00:00+07:00",
                "ballots": 9,
                "status": "planned",
                "done": False,
                "voters_served": None,
            }
        ],
        "warning": None,
        "warning_codes": [],
    }
    warned = next(x for x in body["hospitals"] if x["code"] == RSUD)
    assert warned["patients"] == 0 and warned["warning"] is None


def test_the_coverage_api_is_in_the_openapi(client_as):
    schema = client_as("health").get("/api/v1/openapi.json").json()
    assert "/api/v1/hospitals/coverage" in schema["paths"]
