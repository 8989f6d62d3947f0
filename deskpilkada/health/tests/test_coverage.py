"""Hospital voting coverage: the warning, the counts by contest, the H-7 deadline, NIK never in clear."""

import datetime as dt

import pytest

from deskpilkada.audit.models import AuditEntry
from deskpilkada.health import actions
from deskpilkada.health.coverage import NO_SCHEDULE, NO_TPS, coverage, warnings_for
from deskpilkada.health.deadlines import last_day
from deskpilkada.health.models import InpatientVoter
from deskpilkada.health.tests.make import TPS_BB, make_hospital, make_patient, make_visit
from deskpilkada.testing import GOVERNOR, MAYOR, election

pytestmark = pytest.mark.django_db


def _row(h):
    return coverage([h], election())[0]


@pytest.mark.parametrize(
    ("patients", "serving", "scheduled", "expected"),
    [
        (0, 0, 0, []),  # nobody to serve: no warning
        (3, 0, 0, [NO_TPS, NO_SCHEDULE]),
        (3, 1, 0, [NO_SCHEDULE]),
        (3, 0, 1, [NO_TPS]),
        (3, 1, 2, []),
    ],
)
def test_the_warning_by_hand(patients, serving, scheduled, expected):
    assert warnings_for(patients, serving, scheduled) == expected


def test_a_hospital_with_patients_warns_until_it_has_a_serving_tps_and_a_visit():
    h = make_hospital()
    assert _row(h).warnings == []  # no patients yet
    make_patient(h)
    assert _row(h).warnings == [NO_TPS, NO_SCHEDULE]
    actions.add_serving_tps(by=None, hospital=h, tps_code=TPS_BB)
    assert _row(h).warnings == [NO_SCHEDULE]
    visit = make_visit(h)
    row = _row(h)
    assert row.warnings == [] and row.covered
    actions.set_visit_status(by=None, visit=visit, to="cancelled", version=visit.version)
    assert _row(h).warnings == [NO_SCHEDULE]  # a cancelled visit serves nobody


def test_patients_are_counted_by_contest_those_from_elsewhere_in_the_province_for_governor_only():
    h = make_hospital()
    for origin in ("32.71.06.1002", "32.71.01.1001", "32.71"):  # Kota Bogor: both contests
        make_patient(h, origin=origin)
    for origin in ("32.01", "32.76.01"):  # Kabupaten Bogor, Kota Depok: the governor only
        make_patient(h, origin=origin)
    row = _row(h)
    assert row.patients == 5
    assert row.by_contest == {GOVERNOR: 5, MAYOR: 3}


def test_a_voter_from_outside_the_province_is_refused_naming_the_origin():
    with pytest.raises(actions.Refused) as e:
        make_patient(make_hospital(), origin="31.71")  # Jakarta
    assert e.value.field == "origin_code" and "Asal" in e.value.message


def test_the_deadline_is_h_minus_7_from_the_elections_rules_and_a_later_registration_is_refused():
    assert last_day(election()) == dt.date(2024, 11, 20)
    h = make_hospital()
    make_patient(h, on=dt.date(2024, 11, 20))
    with pytest.raises(actions.Refused) as e:
        make_patient(h, on=dt.date(2024, 11, 21))
    assert e.value.field == "registered_on" and "20-11-2024" in e.value.message


def test_the_deadline_follows_the_rule_kept_as_data():
    from deskpilkada.health.deadlines import rule

    r = rule(election())
    r.amount = -5
    r.save(update_fields=["amount"])
    assert last_day(election()) == dt.date(2024, 11, 22)


def test_a_retried_registration_is_not_counted_twice_and_another_hospital_is_refused():
    h, other = make_hospital(), make_hospital(name="RS Uji Lain")
    first = make_patient(h, nik="9700000000009999", name="PASIEN ULANG")
    again = make_patient(h, nik="9700 0000 0000 9999", name="PASIEN ULANG")
    assert again.pk == first.pk and _row(h).patients == 1
    with pytest.raises(actions.Refused) as e:
        make_patient(other, nik="9700000000009999")
    assert e.value.field == "nik"


def test_a_patients_nik_and_name_are_never_stored_or_audited_in_clear():
    h = make_hospital()
    patient = make_patient(h, nik="9711223344556677", name="BUDI SANTOSO")
    stored = InpatientVoter.objects.filter(pk=patient.pk).values()[0]
    assert "9711223344556677" not in str(stored) and "BUDI SANTOSO" not in str(stored)
    assert patient.name_masked == "BU** SA*****"
    audit = str(list(AuditEntry.objects.filter(target_type="health.inpatientvoter").values("before", "after")))
    assert "9711223344556677" not in audit and "SANTOSO" not in audit
