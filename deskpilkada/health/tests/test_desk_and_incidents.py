"""Point 9 on the desk home and the officers' health incidents read from the case desk."""

import pytest

from deskpilkada import testing as make
from deskpilkada.cases import actions as cases
from deskpilkada.health.desk import health
from deskpilkada.health.tests.make import RSUD, TPS_BB, hospital, make_hospital, make_patient, make_visit

pytestmark = pytest.mark.django_db


def _figures(user) -> dict:
    return {f.label: (f.value, f.of) for f in health.tile(user).figures}


def test_the_tile_counts_hospitals_served_warned_and_open_health_incidents(persona):
    served, warned = make_hospital(name="RS Terlayani"), make_hospital(name="RS Tanpa Jadwal")
    make_patient(served)
    make_visit(served)
    make_patient(warned)
    make.make_case("health", TPS_BB, details={"person": "PETUGAS UJI", "kind": "fatigue"})
    closed = make.make_case("health", TPS_BB)
    for to in ("verified", "in_progress", "action_taken", "closed"):
        closed = cases.move(closed, to, by=None)
    figures = _figures(persona("health"))
    assert figures["RS berpasien terlayani"] == (1, 2)
    assert figures["RS berpasien tanpa TPS atau jadwal"] == (1, None)
    assert figures["Insiden kesehatan terbuka"] == (1, None)
    assert figures["Kru terskrining lengkap"] == (0, 0)  # the world has no officers


def test_health_figures_stay_off_the_tile_of_roles_that_do_not_need_them(persona):
    make_patient(hospital(RSUD))
    assert health.tile(persona("bawaslu")).figures == []
    own = health.tile(persona("hospital")).figures
    assert [f.label for f in own] == ["Kunjungan selesai: RS Umum Daerah Kota Bogor"]


def test_the_hospital_is_told_to_do_its_schedule(persona):
    make_visit(hospital(RSUD))
    tasks = health.tasks(persona("hospital"))
    assert [(t.title, t.count) for t in tasks] == [
        ("Jadwal kunjungan pemilih rawat inap: RS Umum Daerah Kota Bogor", 1)
    ]


def test_the_incident_list_reads_the_health_cases_with_their_details(client_as):
    case = make.make_case(
        "health",
        TPS_BB,
        details={"person": "PETUGAS UJI 7", "person_role": "ketua KPPS", "kind": "fainting", "taken_to": "Puskesmas"},
        severity="high",
    )
    make.make_case("fraud", TPS_BB)
    r = client_as("health").get("/kesehatan/insiden/")
    assert [c.pk for c in r.context["page"]] == [case.pk]
    text = r.content.decode()
    assert "PETUGAS UJI 7" in text and "pingsan" in text and "Puskesmas" in text
    cases.move(case, "invalid", by=None)
    assert client_as("health").get("/kesehatan/insiden/").context["page"].paginator.count == 0
    assert client_as("health").get("/kesehatan/insiden/?status=selesai").context["page"].paginator.count == 1
    response = client_as("health").get("/kesehatan/insiden/ekspor/csv/?status=")
    export = b"".join(response.streaming_content).decode()
    assert "PETUGAS UJI 7" in export and "pingsan" in export


def test_a_health_case_refuses_an_unknown_kind_naming_the_field():
    with pytest.raises(cases.Refused) as e:
        make.make_case("health", TPS_BB, details={"kind": "flu_burung"})
    assert e.value.field == "kind"


def test_a_duty_note_refuses_an_end_before_its_start_and_is_kept_once_per_tps(client_as):
    c = client_as("kpps")
    url = "/kesehatan/jam-tugas/3271061002028/"
    r = c.post(url, {"started_at": "2024-11-27T06:00", "ended_at": "2024-11-27T05:00", "crew_present": "9"})
    assert r.context["form"].errors["ended_at"] == ["Selesai bertugas: harus setelah mulai bertugas."]
    r = c.post(url, {"started_at": "2024-11-27T06:00", "ended_at": "2024-11-28T02:30", "crew_present": "9"})
    assert r.status_code == 302
    from deskpilkada.health.models import DutyNote

    note = DutyNote.objects.get(tps__code="3271061002028")
    assert note.hours == 20.5
    r = c.post(
        url, {"started_at": "2024-11-27T06:00", "ended_at": "2024-11-28T03:00", "crew_present": "9", "version": "99"}
    )
    assert "diubah orang lain" in r.content.decode()
    assert client_as("kpps").get("/kesehatan/jam-tugas/3271041001001/").status_code == 403  # another TPS
