"""The case workflow: every step of Case.STATUS_STEPS, legal and illegal, on the shared transitions
(audit row, history, the message naming the current status), and the actions around it:
assignment, escalation up the area, duplicates, requests for information, the ASN route in order,
stale forms."""

import datetime as dt

import pytest

from deskpilkada import clock
from deskpilkada.audit.models import AuditEntry
from deskpilkada.audit.transitions import history
from deskpilkada.cases import actions
from deskpilkada.cases.models import Case, CaseStep
from deskpilkada.cases.tests.conftest import BOGOR_BARAT, KEBON_PEDES, MENTENG, MENTENG_TPS_1
from deskpilkada.testing import make_case, region

pytestmark = pytest.mark.django_db

STATUSES = [s.value for s in Case.Status]


def _at(case: Case, status: str) -> Case:
    """The case put in `status` directly (the set-up of a step, not a step)."""
    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize(("start", "to"), [(a, b) for a in STATUSES for b in STATUSES])
def test_every_step_is_allowed_exactly_when_the_table_declares_it(persona, start, to):
    case = _at(make_case("fraud", MENTENG_TPS_1), start)
    before = AuditEntry.objects.filter(action="cases.status_changed").count()
    if to in Case.STATUS_STEPS[start]:
        if to == "duplicate":  # a duplicate names its parent (mark_duplicate sets it before the step)
            Case.objects.filter(pk=case.pk).update(duplicate_of=make_case("fraud", MENTENG_TPS_1))
        moved = actions.move(case, to, by=persona("bawaslu"), note="cek lapangan")
        assert moved.status == to == Case.objects.get(pk=case.pk).status
        entry = AuditEntry.objects.filter(action="cases.status_changed").latest("id")
        assert entry.before == {"status": start}
        assert (entry.after["status"], entry.after["note"]) == (to, "cek lapangan")
        assert entry.actor_name == "bawaslu" and entry.area == MENTENG_TPS_1
        assert [(s.before, s.after) for s in history(case)] == [(start, to)]
    else:
        with pytest.raises(actions.Refused) as refused:
            actions.move(case, to, by=persona("bawaslu"))
        assert refused.value.field == "to"
        assert f"«{Case.Status(start).label}»" in refused.value.message  # names the current status
        assert Case.objects.get(pk=case.pk).status == start
        assert AuditEntry.objects.filter(action="cases.status_changed").count() == before


def test_every_status_has_a_way_on_and_the_closed_ones_only_reopen():
    assert set(Case.STATUS_STEPS) == set(STATUSES)
    for closed in Case.CLOSED:
        assert Case.STATUS_STEPS[closed] == {"reopened"}


def test_a_case_goes_the_whole_way_and_back_with_its_dates(persona):
    bawaslu = persona("bawaslu")
    case = make_case("fraud", MENTENG_TPS_1)
    for to in ("verified", "in_progress", "action_taken", "closed"):
        case = actions.move(case, to, by=bawaslu)
    assert case.registered_at and case.responded_at and case.acted_at
    assert not case.is_open and case.due_at is None
    case = actions.move(case, "reopened", by=bawaslu, note="bukti baru")
    assert case.is_open and case.reopened_at is not None
    assert case.responded_at is None and case.acted_at is None
    assert [s.after for s in history(case)] == ["verified", "in_progress", "action_taken", "closed", "reopened"]
    assert history(case)[-1].note == "bukti baru"


def test_a_form_opened_before_someone_else_changed_the_case_is_refused(persona):
    case = make_case("fraud", MENTENG_TPS_1)
    opened = case.version
    actions.move(case, "verified", by=persona("bawaslu"))
    with pytest.raises(actions.Stale) as stale:
        actions.move(case, "invalid", by=persona("bawaslu_kec"), expected_version=opened)
    assert stale.value.field == "version" and "diubah orang lain" in stale.value.message
    assert Case.objects.get(pk=case.pk).status == "verified"


def test_a_page_refuses_an_illegal_step_naming_the_current_status(client_as):
    case = make_case("fraud", MENTENG_TPS_1)
    response = client_as("bawaslu").post(f"/kasus/{case.pk}/aksi/", {"aksi": "status", "to": "closed"}, follow=True)
    assert "Dari status «baru» tidak dapat berpindah ke «selesai»." in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "new"


# Assignment


def test_assigning_a_person_who_handles_the_case_moves_it_to_assigned(persona):
    case = make_case("fraud", MENTENG_TPS_1)
    case = actions.assign(case, by=persona("bawaslu"), user=persona("bawaslu_kec"), note="tolong cek")
    assert case.status == "assigned" and case.assigned_to == persona("bawaslu_kec")
    assert case.assigned_org == persona("bawaslu_kec").organisation
    entry = AuditEntry.objects.filter(action="cases.case_assigned").latest("id")
    assert entry.after["note"] == "tolong cek"


def test_a_person_who_does_not_handle_the_category_there_cannot_be_assigned(persona):
    case = make_case("fraud", MENTENG_TPS_1)
    for who in ("security", "viewer", "camat"):
        with pytest.raises(actions.Refused) as refused:
            actions.assign(case, by=persona("bawaslu"), user=persona(who))
        assert refused.value.field == "assigned_to"
    outside = make_case("fraud", KEBON_PEDES)  # Tanah Sareal: outside the Panwascam's kecamatan
    with pytest.raises(actions.Refused):
        actions.assign(outside, by=persona("bawaslu"), user=persona("bawaslu_kec"))
    assert Case.objects.get(pk=case.pk).assigned_to is None


def test_assigning_needs_an_organisation_or_a_person(persona):
    with pytest.raises(actions.Refused) as refused:
        actions.assign(make_case("fraud", MENTENG), by=persona("bawaslu"))
    assert refused.value.field == "assigned_to"


def test_an_assignment_while_in_progress_keeps_the_status(persona):
    case = make_case("security", MENTENG_TPS_1)
    case = actions.move(actions.move(case, "verified", by=persona("security")), "in_progress", by=persona("security"))
    case = actions.assign(case, by=persona("security"), user=persona("security_kec"))
    assert case.status == "in_progress" and case.assigned_to == persona("security_kec")


# Escalation, duplicates, information requests


def test_escalation_goes_up_the_area_and_stops_at_the_city(persona):
    case = make_case("security", MENTENG)
    assert case.handling_region == region(MENTENG)
    case = actions.escalate(case, by=persona("security_kec"), note="perlu personel kota")
    assert case.handling_region == region(BOGOR_BARAT)
    case = actions.escalate(case, by=persona("security_kec"))
    assert case.handling_region == region("32.71")
    with pytest.raises(actions.Refused) as refused:
        actions.escalate(case, by=persona("security"))
    assert refused.value.field == "handling_region"
    steps = list(case.steps.values_list("kind", "outcome"))
    assert steps == [("escalation", "perlu personel kota"), ("escalation", "")]
    assert AuditEntry.objects.filter(action="cases.case_escalated", target_id=str(case.pk)).count() == 2


def test_a_duplicate_points_at_the_first_case_of_its_chain_and_closes(persona):
    first = make_case("fraud", MENTENG_TPS_1)
    second = actions.mark_duplicate(make_case("fraud", MENTENG_TPS_1), of=first, by=persona("bawaslu"))
    third = actions.mark_duplicate(make_case("fraud", MENTENG_TPS_1), of=second, by=persona("bawaslu"))
    assert second.status == third.status == "duplicate"
    assert second.duplicate_of == third.duplicate_of == first
    assert history(third)[-1].note == f"Duplikat dari {first}"
    assert set(first.duplicates.all()) == {second, third}


def test_a_case_cannot_duplicate_itself_or_another_category(persona):
    case = make_case("fraud", MENTENG_TPS_1)
    with pytest.raises(actions.Refused):
        actions.mark_duplicate(case, of=case, by=persona("bawaslu"))
    with pytest.raises(actions.Refused) as refused:
        actions.mark_duplicate(case, of=make_case("security", MENTENG_TPS_1), by=persona("bawaslu"))
    assert refused.value.field == "duplicate_of"
    assert Case.objects.get(pk=case.pk).status == "new"


def test_more_information_is_asked_once_of_a_registered_bawaslu_report(persona):
    hoax = make_case("hoax", MENTENG)
    with pytest.raises(actions.Refused):
        actions.request_info(hoax, by=persona("comms"), note="tautan?")
    case = make_case("fraud", MENTENG_TPS_1)
    with pytest.raises(actions.Refused):  # not registered yet
        actions.request_info(case, by=persona("bawaslu"), note="saksi?")
    case = actions.move(case, "verified", by=persona("bawaslu"))
    case = actions.request_info(case, by=persona("bawaslu"), note="nama saksi?")
    assert case.info_requested and case.steps.get().kind == "info_request"
    with pytest.raises(actions.Refused) as refused:
        actions.request_info(case, by=persona("bawaslu"), note="lagi")
    assert "sudah pernah" in refused.value.message


# The ASN route


def test_the_asn_route_goes_in_order_with_a_reference_each(persona):
    case = make_case("asn", MENTENG, details={"civil_servant": "Fulan", "nip": "198001012005011001"})
    bawaslu, civil = persona("bawaslu"), persona("civil")
    with pytest.raises(actions.Refused) as refused:
        actions.add_step(case, by=civil, kind="bkn", on=case.known_at.date(), reference="BKN/1")
    assert refused.value.field == "kind" and "rekomendasi Bawaslu" in refused.value.message
    with pytest.raises(actions.Refused):
        actions.add_step(case, by=civil, kind="sanction", on=case.known_at.date(), reference="SK/1")
    with pytest.raises(actions.Refused) as refused:
        actions.add_step(case, by=bawaslu, kind="recommendation", on=case.known_at.date())
    assert refused.value.field == "reference"
    actions.add_step(case, by=bawaslu, kind="recommendation", on=case.known_at.date(), reference="REK/01")
    with pytest.raises(actions.Refused) as refused:
        actions.add_step(case, by=bawaslu, kind="recommendation", on=case.known_at.date(), reference="REK/02")
    assert "sudah dicatat" in refused.value.message
    with pytest.raises(actions.Refused):
        actions.add_step(case, by=civil, kind="sanction", on=case.known_at.date(), reference="SK/1")
    actions.add_step(case, by=civil, kind="bkn", on=case.known_at.date(), reference="BKN/1", outcome="terbukti")
    actions.add_step(case, by=civil, kind="sanction", on=case.known_at.date(), reference="SK/1", outcome="teguran")
    assert list(case.steps.values_list("kind", flat=True)) == ["recommendation", "bkn", "sanction"]
    assert Case.objects.get(pk=case.pk).recommended_at is not None


def test_the_asn_steps_belong_to_asn_cases_and_no_step_is_dated_ahead(persona):
    fraud = make_case("fraud", MENTENG)
    with pytest.raises(actions.Refused):
        actions.add_step(fraud, by=persona("bawaslu"), kind="recommendation", on=fraud.known_at.date(), reference="R")
    asn = make_case("asn", MENTENG)
    with pytest.raises(actions.Refused) as refused:
        tomorrow = asn.known_at.date() + dt.timedelta(days=2)
        actions.add_step(asn, by=persona("bawaslu"), kind="recommendation", on=tomorrow, reference="R")
    assert refused.value.field == "on"
    with pytest.raises(actions.Refused) as refused:
        actions.add_step(asn, by=persona("bawaslu"), kind="referral", on=asn.known_at.date())
    assert refused.value.field == "organisation"


def test_the_case_page_refuses_an_asn_step_out_of_order(client_as):
    case = make_case("asn", MENTENG)
    day = case.known_at.date().isoformat()
    response = client_as("bawaslu").post(
        f"/kasus/{case.pk}/aksi/", {"aksi": "step", "kind": "sanction", "on": day, "reference": "SK/9"}, follow=True
    )
    assert "Catat dahulu langkah «keputusan BKN»." in response.content.decode()
    assert not CaseStep.objects.filter(case=case).exists()


# Details and intake refusals


def test_details_are_checked_against_the_category_and_named_when_wrong(persona):
    with pytest.raises(actions.Refused) as refused:
        make_case("security", MENTENG, details={"personnel": "dua puluh"})
    assert refused.value.field == "personnel"
    with pytest.raises(actions.Refused) as refused:
        make_case("hoax", MENTENG, details={"link": "javascript:alert(1)"})
    assert refused.value.field == "link"
    case = make_case("security", MENTENG, details={"personnel": "20", "voting_disrupted": "on", "unknown": "x"})
    assert case.details == {"personnel": 20, "voting_disrupted": True}
    case = actions.update_details(case, by=persona("security"), details={"kind": "blockade"}, severity="high")
    assert (case.details, case.severity) == ({"kind": "blockade"}, "high")
    with pytest.raises(actions.Refused) as refused:
        actions.update_details(case, by=persona("security"), details={"kind": "alien"})
    assert refused.value.field == "kind"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": "ufo"}, "category"),
        ({"description": "pendek"}, "description"),
        ({"place": "32.71.99.9999"}, "place_code"),
        ({"place": "3271041001999"}, "place_code"),
        ({"place": ""}, "place_code"),
        ({"severity": "parah"}, "severity"),
    ],
)
def test_a_report_that_cannot_be_taken_is_refused_naming_the_field(changes, field):
    changes = dict(changes)
    args = {"category": changes.pop("category", "fraud"), "place": changes.pop("place", MENTENG)}
    before = Case.objects.count()
    with pytest.raises(actions.Refused) as refused:
        make_case(**args, **changes)
    assert refused.value.field == field
    assert Case.objects.count() == before


def test_a_staff_member_reports_only_inside_its_area(persona):
    with pytest.raises(actions.Refused) as refused:
        make_case("security", KEBON_PEDES, by=persona("security_kec"))
    assert refused.value.field == "place_code"
    assert make_case("security", MENTENG_TPS_1, by=persona("security_kec")).created_by == persona("security_kec")


def test_times_in_the_future_or_known_before_they_happened_are_refused():
    now = clock.now()
    with pytest.raises(actions.Refused) as refused:
        make_case("fraud", MENTENG, occurred_at=now + dt.timedelta(hours=1))
    assert refused.value.field == "occurred_at"
    with pytest.raises(actions.Refused) as refused:
        make_case("fraud", MENTENG, occurred_at=now - dt.timedelta(hours=1), known_at=now - dt.timedelta(hours=2))
    assert refused.value.field == "known_at"


def test_a_report_at_a_tps_takes_the_tps_place_and_area():
    case = make_case("disaster", MENTENG_TPS_1, details={"hazard": "flood", "water_cm": "40"})
    assert case.tps.code == MENTENG_TPS_1 and case.region == region(MENTENG)
    assert case.area == MENTENG_TPS_1 and case.details == {"hazard": "flood", "water_cm": 40}
    dotted = make_case("disaster", "32.71.04.1001.001")
    assert dotted.tps.code == MENTENG_TPS_1


def test_a_duplicate_without_its_parent_is_refused_saying_to_name_it(persona):
    case = make_case("fraud", MENTENG_TPS_1)
    with pytest.raises(actions.Refused) as refused:
        actions.move(case, "duplicate", by=persona("bawaslu"))
    assert "kasus induk" in refused.value.message and Case.objects.get(pk=case.pk).status == "new"


def test_a_bawaslu_case_taken_on_without_verification_is_registered_then(persona):
    """new → assigned → in progress: the follow-up deadline counts from when Bawaslu took it on."""
    case = actions.assign(make_case("fraud", MENTENG_TPS_1), by=persona("bawaslu"), user=persona("bawaslu"))
    assert case.registered_at is None  # assigning is not registering
    case = actions.move(case, "in_progress", by=persona("bawaslu"))
    assert case.registered_at is not None and case.deadline_name.startswith("Tindak lanjut")
