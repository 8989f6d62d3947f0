"""Screenings (physical ranges, who sees the values), training (attendance only once a session has
started, only inside the trainer's area, reminders before a session) and the coverage API."""

import datetime as dt
import io

import pytest

from deskpilkada import clock
from deskpilkada.elections.deadlines import check_deadlines
from deskpilkada.notifications.models import Notification
from deskpilkada.officers import actions
from deskpilkada.officers.models import Session
from deskpilkada.officers.tests.make import make_crew, make_officer, make_session

pytestmark = pytest.mark.django_db

KP_028, BB_001 = "3271061002028", "3271041001001"
GOOD = {"systolic": "120", "diastolic": "80", "blood_sugar": "100", "cholesterol": "180", "outcome": "fit"}


def post_screening(client, officer, **changes):
    data = {**GOOD, "screened_on": "2024-11-10", **changes}
    return client.post(f"/petugas/orang/{officer.pk}/skrining/", data)


@pytest.mark.parametrize(
    ("field", "value"),
    [("systolic", "400"), ("diastolic", "5"), ("blood_sugar", "2000"), ("cholesterol", "10"), ("systolic", "abc")],
)
def test_a_value_outside_physical_range_is_refused_naming_the_field(client_as, field, value):
    officer = make_officer(KP_028)
    response = post_screening(client_as("health"), officer, **{field: value})
    assert response.status_code == 422
    assert f"Kolom {field}:" in response.content.decode()
    assert not officer.screenings.exists()


def test_diastolic_above_systolic_is_refused():
    with pytest.raises(actions.Refused) as refused:
        actions.record_screening(
            make_officer(KP_028),
            by=None,
            screened_on=dt.date(2024, 11, 10),
            systolic=90,
            diastolic=120,
            blood_sugar=100,
            cholesterol=180,
            outcome="fit",
        )
    assert refused.value.field == "diastolic"


def test_an_unfit_officer_is_announced_to_kpu_for_replacement(client_as, persona, django_capture_on_commit_callbacks):
    officer = make_officer(KP_028)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_screening(client_as("health"), officer, outcome="unfit", systolic="190")
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.health == "unfit"
    assert Notification.objects.filter(recipient=persona("kpu"), kind="officers.unfit").exists()
    assert not Notification.objects.filter(recipient=persona("viewer"), kind="officers.unfit").exists()


def test_screening_values_only_for_the_health_office_and_the_outcome_also_for_kpu(client_as):
    officer = make_officer(KP_028)
    post_screening(client_as("health"), officer, systolic="137", notes="tekanan darah tinggi")
    url = f"/petugas/orang/{officer.pk}/"
    health = client_as("health").get(url).content.decode()
    kpu = client_as("kpu").get(url).content.decode()
    viewer = client_as("viewer").get(url).content.decode()
    assert "137/80" in health and "tekanan darah tinggi" in health
    assert "137/80" not in kpu and "Sehat" in kpu
    assert "137/80" not in viewer and "Skrining terakhir" not in viewer


def test_phones_only_for_those_who_call_officers(client_as):
    make_officer(KP_028, phone="081299998888")
    url = f"/petugas/tps/{KP_028}/"
    assert "081299998888" in client_as("pps").get(url).content.decode()
    assert "081299998888" not in client_as("viewer").get(url).content.decode()
    assert client_as("bawaslu").get(url).status_code == 403


def test_health_outside_its_kecamatan_may_not_screen(client_as):
    officer = make_officer(KP_028)  # Tanah Sareal; the puskesmas persona is in Bogor Barat
    assert post_screening(client_as("health_kec"), officer).status_code == 403


def test_attendance_for_a_session_that_has_not_happened_is_refused():
    crew = make_crew(KP_028, kpps=1, linmas=0)
    session = make_session(starts=clock.now() + dt.timedelta(days=1))
    actions.invite(session, by=None)
    with pytest.raises(actions.Refused, match="belum berlangsung"):
        actions.record_attendance(session.participants.get(officer=crew[0]), by=None, attended=True)


def test_a_pps_ticks_attendance_only_inside_its_kelurahan(client_as):
    inside, outside = make_officer(KP_028), make_officer(BB_001)
    session = make_session()
    actions.invite(session, by=None)
    mine = session.participants.get(officer=inside)
    theirs = session.participants.get(officer=outside)
    client = client_as("pps")
    client.post(f"/petugas/bimtek/{session.pk}/hadir/", {"pilih": [mine.pk, theirs.pk], "attended": "1"})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.attended and not theirs.attended


def test_one_tick_from_a_phone_returns_the_row(client_as):
    officer = make_officer(KP_028)
    session = make_session()
    actions.invite(session, by=None)
    p = session.participants.get(officer=officer)
    response = client_as("pps").post(
        f"/petugas/bimtek/{session.pk}/hadir/",
        {"participant": p.pk, "attended": "1", "score": "87,5", "version": p.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and f'id="p-{p.pk}"' in response.content.decode()
    p.refresh_from_db()
    assert p.attended and str(p.score) == "87.50"
    stale = client_as("pps").post(
        f"/petugas/bimtek/{session.pk}/hadir/",
        {"participant": p.pk, "attended": "0", "version": 1},
        headers={"HX-Request": "true"},
    )
    assert stale.status_code == 422 and "diubah orang lain" in stale.content.decode()


def test_the_deadline_check_reminds_the_trainers_of_the_area_before_a_session(django_capture_on_commit_callbacks):
    session = make_session(region="32.71.04", starts=clock.now() + dt.timedelta(hours=10))
    with django_capture_on_commit_callbacks(execute=True):
        result = check_deadlines(models=[Session])
    assert result.warned == 1
    reminded = set(Notification.objects.filter(kind="deadline.due_soon").values_list("recipient__username", flat=True))
    assert "ppk.bogorbarat" in reminded and "operator.kpu" in reminded
    assert "pps.kebonpedes" not in reminded
    assert check_deadlines(models=[Session]).warned == 0
    assert session.due_at == session.starts_at


def test_the_coverage_api_gives_each_tps_and_the_total(client_as):
    make_crew(KP_028)
    body = client_as("viewer").get("/api/v1/officers/coverage/32.71.06.1002").json()
    assert body["region"] == "3271061002" and body["total"]["tps"] == 5 and body["total"]["complete"] == 1
    row = next(t for t in body["tps"] if t["code"] == KP_028)
    assert row["kpps"] == {"needed": 7, "present": 7} and row["linmas"] == {"needed": 2, "present": 2}
    assert row["trained"] == {"pemungutan": 0, "penghitungan": 0} and row["chair"] and not row["chair_trained"]
    assert client_as("pps").get("/api/v1/officers/coverage/32.71.04").status_code == 403


def test_the_invitation_export_names_the_kpps_chair_and_phone_for_those_who_may_call(client_as):
    from openpyxl import load_workbook

    make_officer(KP_028, chair=True, name="Ketua Contoh (demo)", phone="081277776666")
    response = client_as("kpu").get("/undangan/ekspor.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][-2:] == ["ketua_kpps", "hp_ketua_kpps"]
    kp = [r for r in rows if r[0] == KP_028]
    assert kp and kp[0][-2:] == ["Ketua Contoh (demo)", "081277776666"]
