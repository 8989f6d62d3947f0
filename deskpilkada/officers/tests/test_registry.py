"""The registry's rules at the date of appointment: age, two crews at once, crew size and chair."""

import datetime as dt

import pytest

from deskpilkada import testing as make
from deskpilkada.officers import actions
from deskpilkada.officers.models import Officer, Role
from deskpilkada.officers.tests.make import make_officer, nik

pytestmark = pytest.mark.django_db

TPS = "3271061002028"


def test_a_kpps_of_55_at_the_appointment_date_is_appointed_and_one_of_56_is_refused():
    appointed = dt.date(2024, 10, 28)
    ok = make_officer(TPS, born=dt.date(1969, 10, 28), appointed=appointed)  # 55 that very day
    assert ok.age_on(appointed) == 55
    with pytest.raises(actions.Refused) as refused:
        make_officer(TPS, born=dt.date(1968, 10, 27), appointed=appointed)  # 56 the day before
    assert refused.value.field == "tanggal_lahir"
    assert "paling tinggi 55 tahun" in refused.value.message


def test_a_kpps_who_turns_17_after_the_appointment_date_is_refused():
    with pytest.raises(actions.Refused, match="minimal 17 tahun"):
        make_officer(TPS, born=dt.date(2007, 10, 29), appointed=dt.date(2024, 10, 28))
    make_officer(TPS, born=dt.date(2007, 10, 28), appointed=dt.date(2024, 10, 28))


def test_the_age_limit_is_data_of_the_election():
    from deskpilkada.officers.models import CrewRule
    from deskpilkada.officers.rules import crew_rules

    crew_rules(make.election())
    CrewRule.objects.filter(role=Role.KPPS).update(max_age=60)
    make_officer(TPS, born=dt.date(1966, 1, 1))


def test_a_ppk_has_no_upper_age_limit():
    make_officer("32.71.04", Role.PPK, born=dt.date(1950, 1, 1))


def test_nobody_serves_in_two_crews_at_once():
    same = nik()
    make_officer(TPS, number=same)
    with pytest.raises(actions.Refused) as refused:
        make_officer("3271041001001", number=same)
    assert refused.value.field == "nik"
    assert "TPS 028 Kebon Pedes" in refused.value.message


def test_a_person_whose_first_crew_ended_before_the_new_appointment_may_serve_again():
    same = nik()
    first = make_officer(TPS, number=same, appointed=dt.date(2024, 10, 1))
    actions.end_officer(first, by=None, on=dt.date(2024, 10, 20), reason="mengundurkan diri")
    again = make_officer("3271041001001", number=same, appointed=dt.date(2024, 10, 21))
    assert again.active


def test_a_crew_takes_no_more_than_its_size_and_one_chair():
    make_officer(TPS, chair=True)
    with pytest.raises(actions.Refused, match="sudah punya ketua"):
        make_officer(TPS, chair=True)
    for _i in range(6):
        make_officer(TPS)
    with pytest.raises(actions.Refused, match="sudah lengkap"):
        make_officer(TPS)


def test_linmas_have_no_chair():
    with pytest.raises(actions.Refused) as refused:
        make_officer(TPS, Role.LINMAS, chair=True)
    assert refused.value.field == "jabatan"


def test_a_replacement_takes_the_seat_and_the_chair_of_the_officer_it_replaces():
    chair = make_officer(TPS, chair=True)
    new = actions.replace_officer(
        chair,
        by=None,
        on=dt.date(2024, 11, 20),
        reason="tidak lolos skrining",
        nik=nik(),
        name="Pengganti Demo",
        birth_date=dt.date(1995, 1, 1),
        sex="L",
    )
    chair.refresh_from_db()
    assert chair.ended_on == dt.date(2024, 11, 20) and chair.replaced_by == new
    assert new.is_chair and new.tps_id == chair.tps_id and new.replaces == chair
    assert Officer.objects.active().filter(area_code=TPS, is_chair=True).get() == new


def test_the_nik_is_kept_only_as_its_keyed_hash():
    number = nik()
    officer = make_officer(TPS, number=number)
    assert officer.nik_hash != number and len(officer.nik_hash) == 32
    assert number not in str(Officer.objects.filter(pk=officer.pk).values().get())


def test_an_operator_outside_the_area_may_not_appoint(persona):
    from deskpilkada.accounts.models import User

    limited = make.make_user("kpu_operator", "32.71")
    make_officer(TPS, by=limited)
    assert isinstance(limited, User)
