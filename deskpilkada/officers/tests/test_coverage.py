"""Coverage on hand-checked examples: crews complete, trained per required topic, chair untrained,
screened and unfit, per TPS and per kecamatan."""

import datetime as dt

import pytest

from deskpilkada import testing as make
from deskpilkada.officers import actions
from deskpilkada.officers.coverage import crew_of, screening_by_kecamatan, tps_coverage
from deskpilkada.officers.models import Role
from deskpilkada.officers.tests.make import attend, make_crew, make_officer, make_session

KP_028, KP_027, BB_001 = "3271061002028", "3271061002027", "3271041001001"


pytestmark = pytest.mark.django_db


def screen(officer, outcome="fit"):
    return actions.record_screening(
        officer,
        by=None,
        screened_on=dt.date(2024, 11, 10),
        systolic=120,
        diastolic=80,
        blood_sugar=100,
        cholesterol=180,
        outcome=outcome,
        notes="kontrol" if outcome == "fit_notes" else "",
    )


def by_code(coverage):
    return {t.code: t for t in coverage.tps}


def test_a_full_crew_is_complete_and_a_short_one_is_not():
    make_crew(KP_028)
    make_crew(KP_027, kpps=6, linmas=2)
    rows = by_code(tps_coverage(make.election(), "3271061002"))
    assert rows[KP_028].complete and rows[KP_028].kpps == 7 and rows[KP_028].linmas == 2
    assert not rows[KP_027].complete and rows[KP_027].kpps == 6 and rows[KP_027].chair
    assert rows["3271061002001"].present == 0
    totals = tps_coverage(make.election(), "3271061002").totals
    assert totals["tps"] == 5 and totals["complete"] == 1
    assert totals["kpps_needed"] == 35 and totals["kpps"] == 13


def test_a_crew_without_a_chair_is_not_complete():
    make_crew(KP_028, kpps=0)
    for _i in range(7):
        make_officer(KP_028)
    assert not by_code(tps_coverage(make.election(), KP_028))[KP_028].complete


def test_trained_counts_each_kpps_once_per_required_topic_and_names_an_untrained_chair():
    crew = make_crew(KP_028)
    kpps = [o for o in crew if o.role == Role.KPPS]
    chair = kpps[0]
    first, again, counting = make_session("pemungutan"), make_session("pemungutan"), make_session("penghitungan")
    attend(first, kpps[:5])
    attend(again, kpps[3:7])  # two of them twice: still one each
    attend(counting, kpps[1:])  # everyone but the chair
    row = by_code(tps_coverage(make.election(), KP_028))[KP_028]
    assert row.trained == {"pemungutan": 7, "penghitungan": 6}
    assert not row.fully_trained and row.chair and not row.chair_trained
    attend(counting, [chair])
    row = by_code(tps_coverage(make.election(), KP_028))[KP_028]
    assert row.fully_trained and row.chair_trained


def test_an_unticked_attendance_no_longer_counts():
    crew = make_crew(KP_028, linmas=0)
    session = make_session()
    attend(session, crew)
    participant = session.participants.get(officer=crew[0])
    actions.record_attendance(participant, by=None, attended=False)
    assert by_code(tps_coverage(make.election(), KP_028))[KP_028].trained["pemungutan"] == 6


def test_screened_and_unfit_follow_the_latest_screening_and_a_replacement():
    crew = make_crew(KP_028)
    for officer in crew[:8]:
        screen(officer)
    screen(crew[2], "unfit")
    row = by_code(tps_coverage(make.election(), KP_028))[KP_028]
    assert (row.screened, row.unfit, row.fully_screened) == (8, 1, False)
    screen(crew[8], "fit_notes")
    figures = screening_by_kecamatan(make.election(), "3271")
    assert figures["32.71.06"].crews == 1 and figures["32.71.06"].fully_screened == 1
    assert figures["32.71.06"].unfit_open == 1
    assert figures["32.71.04"].crews == 0
    actions.replace_officer(
        crew[2],
        by=None,
        on=dt.date(2024, 11, 20),
        reason="tidak lolos skrining",
        nik="9911111111111111",
        name="Pengganti Demo",
        birth_date=dt.date(1995, 1, 1),
        sex="L",
    )
    figures = screening_by_kecamatan(make.election(), "3271")
    assert figures["32.71.06"].unfit_open == 0 and figures["32.71.06"].fully_screened == 0  # not screened yet


def test_the_crew_of_a_tps_lists_the_chair_first_then_kpps_then_linmas():
    crew = make_crew(BB_001, kpps=3, linmas=1)
    members = crew_of(make.tps(BB_001))
    assert [m.role for m in members] == ["kpps", "kpps", "kpps", "linmas"]
    assert members[0].is_chair and members[0].name == crew[0].name and members[0].phone == "081200000000"


def test_a_replaced_officers_training_no_longer_counts_for_the_crew():
    crew = make_crew(KP_028, linmas=0)
    attend(make_session(), crew)
    actions.replace_officer(
        crew[3],
        by=None,
        on=dt.date(2024, 11, 20),
        reason="mengundurkan diri",
        nik="9922222222222222",
        name="Pengganti Demo",
        birth_date=dt.date(1995, 1, 1),
        sex="P",
    )
    row = by_code(tps_coverage(make.election(), KP_028))[KP_028]
    assert row.kpps == 7 and row.trained["pemungutan"] == 6 and not row.fully_trained
