"""Deadlines with frozen time: Bawaslu's 7 days to register from when the event became known, 3
days to follow up from registration and 2 more when information was requested; a first response by
severity for every other category; each deadline's state (pending, due soon, overdue, met, missed,
cancelled); the rules as data of the election; and the periodic check that tells the handlers and
the assignee once, and nobody else."""

import datetime as dt

import pytest

from deskpilkada import clock
from deskpilkada.accounts.models import Organisation
from deskpilkada.cases import actions, deadlines
from deskpilkada.cases.models import Case
from deskpilkada.cases.tests.conftest import KEBON_PEDES, MENTENG_TPS_1, wib
from deskpilkada.elections.deadlines import check_deadlines
from deskpilkada.elections.models import DeadlineRule
from deskpilkada.notifications.models import Notification
from deskpilkada.testing import election, make_case, make_user

pytestmark = pytest.mark.django_db

DAY, HOUR, MINUTE = dt.timedelta(days=1), dt.timedelta(hours=1), dt.timedelta(minutes=1)


def _states(case: Case, at: dt.datetime) -> dict[str, str]:
    with clock.at(at):
        return {d.kind: d.state for d in deadlines.deadlines(case)}


def _fraud(known: str = "2024-11-25 10:00") -> Case:
    known_at = wib(known)
    return make_case("fraud", MENTENG_TPS_1, occurred_at=known_at - 2 * HOUR, known_at=known_at)


def _move(case: Case, at: dt.datetime, *steps: str, by=None) -> Case:
    with clock.at(at):
        for to in steps:
            case = actions.move(case, to, by=by)
    return case


# Bawaslu: 7 days to register, 3 to follow up, +2 when information was requested


def test_a_bawaslu_report_is_due_for_registration_7_days_after_it_became_known():
    case = _fraud("2024-11-25 10:00")
    (registration,) = deadlines.deadlines(case)
    assert registration.kind == "registrasi"
    assert registration.due_at == wib("2024-12-02 10:00")
    assert registration.warn_at == wib("2024-11-30 10:00")  # 48 hours before
    assert "7 hari" in registration.rule
    assert case.due_at == wib("2024-12-02 10:00") and case.deadline_name == registration.name
    assert _states(case, wib("2024-11-30 09:59")) == {"registrasi": "pending"}
    assert _states(case, wib("2024-11-30 10:00")) == {"registrasi": "due_soon"}
    assert _states(case, wib("2024-12-02 10:00")) == {"registrasi": "overdue"}
    with clock.at(wib("2024-11-30 12:00")):
        assert list(Case.objects.due_soon()) == [case] and not Case.objects.overdue().exists()
    with clock.at(wib("2024-12-02 10:00")):
        assert list(Case.objects.overdue()) == [case] and not Case.objects.due_soon().exists()


def test_the_7_days_count_from_when_it_became_known_not_when_it_happened():
    case = make_case("fraud", MENTENG_TPS_1, occurred_at=wib("2024-11-10 10:00"), known_at=wib("2024-11-26 08:00"))
    assert case.due_at == wib("2024-12-03 08:00")


def test_registration_starts_the_3_day_follow_up():
    case = _move(_fraud("2024-11-25 10:00"), wib("2024-11-28 09:00"), "verified")
    assert case.registered_at == wib("2024-11-28 09:00")
    registration, follow_up = deadlines.deadlines(case)
    assert (registration.kind, registration.state) == ("registrasi", "met")
    assert follow_up.kind == "tindak-lanjut"
    assert follow_up.due_at == wib("2024-12-01 09:00") and follow_up.warn_at == wib("2024-11-30 09:00")
    assert case.due_at == wib("2024-12-01 09:00") and "3 hari" in case.deadline_name
    assert _states(case, wib("2024-11-30 08:59"))["tindak-lanjut"] == "pending"
    assert _states(case, wib("2024-11-30 09:00"))["tindak-lanjut"] == "due_soon"
    assert _states(case, wib("2024-12-01 09:00"))["tindak-lanjut"] == "overdue"


def test_asking_for_more_information_gives_the_follow_up_2_more_days():
    case = _move(_fraud("2024-11-25 10:00"), wib("2024-11-28 09:00"), "verified")
    with clock.at(wib("2024-11-29 09:00")):
        case = actions.request_info(case, by=None, note="Mohon nama saksi.")
    follow_up = deadlines.deadlines(case)[1]
    assert follow_up.due_at == wib("2024-12-03 09:00")  # 3 + 2 days from registration
    assert "+" in follow_up.rule
    assert case.due_at == wib("2024-12-03 09:00")
    assert _states(case, wib("2024-12-02 09:00"))["tindak-lanjut"] == "due_soon"
    assert _states(case, wib("2024-12-03 09:00"))["tindak-lanjut"] == "overdue"


def test_a_follow_up_done_in_time_is_met_and_late_is_missed():
    in_time = _move(_fraud(), wib("2024-11-28 09:00"), "verified")
    in_time = _move(in_time, wib("2024-12-01 08:00"), "in_progress", "action_taken")
    assert {d.kind: d.state for d in deadlines.deadlines(in_time)} == {"registrasi": "met", "tindak-lanjut": "met"}
    assert in_time.due_at is None  # nothing is due any more

    late = _move(_fraud(), wib("2024-11-28 09:00"), "verified")
    late = _move(late, wib("2024-12-01 10:00"), "in_progress", "action_taken")
    assert {d.kind: d.state for d in deadlines.deadlines(late)} == {"registrasi": "met", "tindak-lanjut": "missed"}

    extended = _move(_fraud(), wib("2024-11-28 09:00"), "verified")
    with clock.at(wib("2024-11-28 10:00")):
        extended = actions.request_info(extended, by=None, note="Bukti foto?")
    extended = _move(extended, wib("2024-12-02 10:00"), "in_progress", "action_taken")  # inside the +2 days
    assert deadlines.deadlines(extended)[1].state == "met"


def test_a_registration_after_7_days_is_missed():
    case = _fraud("2024-11-15 10:00")
    assert _states(case, clock.now()) == {"registrasi": "overdue"}
    case = _move(case, clock.now(), "verified")
    assert deadlines.deadlines(case)[0].state == "missed"


def test_a_case_closed_before_its_deadline_leaves_it_cancelled():
    case = _move(_fraud(), wib("2024-11-28 09:00"), "verified", "invalid")
    assert [d.state for d in deadlines.deadlines(case)] == ["met", "cancelled"]
    assert case.due_at is None and case.deadline_name == ""


def test_an_asn_case_has_bawaslus_deadlines_too():
    known = wib("2024-11-26 09:00")
    case = make_case("asn", MENTENG_TPS_1, occurred_at=known - HOUR, known_at=known)
    assert [(d.kind, d.due_at) for d in deadlines.deadlines(case)] == [("registrasi", known + 7 * DAY)]


# Every other category: a first response by severity


@pytest.mark.parametrize(
    ("severity", "hours", "warn"), [("critical", 2, 1), ("high", 12, 3), ("medium", 24, 6), ("low", 72, 12)]
)
@pytest.mark.parametrize("category", ["security", "hoax", "health", "disaster", "logistics", "other"])
def test_other_categories_get_a_response_deadline_by_severity(category, severity, hours, warn):
    known = wib("2024-11-27 08:00")
    case = make_case(category, MENTENG_TPS_1, occurred_at=known - HOUR, known_at=known, severity=severity)
    (response,) = deadlines.deadlines(case)
    due = known + hours * HOUR
    assert (response.kind, response.due_at, response.warn_at) == (f"respons-{severity}", due, due - warn * HOUR)
    assert case.due_at == due
    assert _states(case, due - warn * HOUR - MINUTE) == {response.kind: "pending"}
    assert _states(case, due - warn * HOUR) == {response.kind: "due_soon"}
    assert _states(case, due) == {response.kind: "overdue"}


def test_a_response_in_time_is_met_and_late_is_missed(persona):
    known = wib("2024-11-27 12:00")
    quick = make_case("security", MENTENG_TPS_1, occurred_at=known, known_at=known, severity="critical")
    quick = _move(quick, known + HOUR, "verified", "in_progress")
    assert [d.state for d in deadlines.deadlines(quick)] == ["met"] and quick.due_at is None
    slow = make_case("security", MENTENG_TPS_1, occurred_at=known, known_at=known, severity="critical")
    slow = _move(slow, known + 3 * HOUR, "assigned", "in_progress")
    assert [d.state for d in deadlines.deadlines(slow)] == ["missed"]


def test_verifying_alone_is_not_a_response():
    known = wib("2024-11-27 12:00")
    case = make_case("security", MENTENG_TPS_1, occurred_at=known, known_at=known, severity="critical")
    case = _move(case, known + HOUR, "verified")
    assert case.responded_at is None and case.due_at == known + 2 * HOUR


def test_a_reopened_case_needs_a_response_again_counted_from_the_reopening():
    known = wib("2024-11-26 12:00")
    case = make_case("health", MENTENG_TPS_1, occurred_at=known, known_at=known, severity="high")
    case = _move(case, known + HOUR, "verified", "in_progress", "action_taken", "closed")
    assert case.due_at is None
    reopened = wib("2024-11-27 15:00")
    case = _move(case, reopened, "reopened")
    assert [(d.due_at, d.state) for d in deadlines.deadlines(case)] == [(reopened + 12 * HOUR, "pending")]
    assert case.due_at == reopened + 12 * HOUR


def test_a_change_of_severity_moves_the_response_deadline(persona):
    known = wib("2024-11-27 12:00")
    case = make_case("security", MENTENG_TPS_1, occurred_at=known, known_at=known, severity="low")
    assert case.due_at == known + 72 * HOUR
    case = actions.update_details(case, by=persona("security"), details={}, severity="critical")
    assert case.due_at == known + 2 * HOUR and case.deadline_name == "Respons kasus kritis"


def test_the_rules_are_data_of_the_election_and_changing_one_changes_new_deadlines():
    make_case("security")  # installs the defaults the first time
    rules = DeadlineRule.objects.filter(election=election(), subject="cases.case")
    assert set(rules.values_list("code", flat=True)) == {
        "registrasi",
        "tindak-lanjut",
        "tambahan",
        "respons-critical",
        "respons-high",
        "respons-medium",
        "respons-low",
    }
    rules.filter(code="respons-high").update(amount=6)
    rules.filter(code="registrasi").update(amount=14)
    known = wib("2024-11-27 12:00")
    high = make_case("security", MENTENG_TPS_1, occurred_at=known, known_at=known, severity="high")
    fraud = make_case("fraud", MENTENG_TPS_1, occurred_at=known, known_at=known)
    assert high.due_at == known + 6 * HOUR
    assert fraud.due_at == known + 14 * DAY


# The periodic check: the handlers and the assignee hear of it once, nobody else does


def _told(case: Case) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for n in Notification.objects.filter(target_type="cases.case", target_id=str(case.pk)):
        out.setdefault(n.kind, set()).add(n.recipient.username)
    return out


def test_the_check_tells_the_handlers_in_the_area_once_when_due_soon_and_once_when_overdue(
    django_capture_on_commit_callbacks,
):
    case = _fraud("2024-11-21 10:00")  # due 28 Nov 10:00, warned from 26 Nov 10:00: due soon on election night
    with django_capture_on_commit_callbacks(execute=True):
        first = check_deadlines(models=[Case])
        again = check_deadlines(wib("2024-11-27 21:00"), models=[Case])
    assert (first.warned, first.overdue, again.warned, again.overdue) == (1, 0, 0, 0)
    assert _told(case) == {"deadline.due_soon": {"bawaslu", "panwascam.bogorbarat"}}
    with django_capture_on_commit_callbacks(execute=True):
        late = check_deadlines(wib("2024-11-28 10:00"), models=[Case])
        later = check_deadlines(wib("2024-11-28 11:00"), models=[Case])
    assert (late.overdue, later.overdue) == (1, 0)
    told = _told(case)
    assert told == {
        "deadline.due_soon": {"bawaslu", "panwascam.bogorbarat"},
        "deadline.overdue": {"bawaslu", "panwascam.bogorbarat"},
    }
    assert Notification.objects.filter(target_id=str(case.pk), kind="deadline.overdue").count() == 2
    case.refresh_from_db()
    assert case.warned_at == clock.now() and case.overdue_noted_at == wib("2024-11-28 10:00")


def test_once_assigned_the_check_tells_the_assigned_organisation_and_the_person(
    persona, django_capture_on_commit_callbacks
):
    bawaslu_kota = Organisation.objects.get(code="bawaslu-bogor")
    pkd = make_user("bawaslu", "32.71.04.1001")  # a village supervisor of another organisation
    case = actions.assign(_fraud("2024-11-21 10:00"), by=persona("bawaslu"), organisation=bawaslu_kota, user=pkd)
    with django_capture_on_commit_callbacks(execute=True):
        check_deadlines(models=[Case])
    # Bawaslu Kota's handlers and the person; not the Panwascam (another organisation), not security,
    # the camat or the desk (they see the case but do not handle it).
    assert _told(case) == {"deadline.due_soon": {"bawaslu", pkd.username}}


def test_a_new_deadline_is_told_again_but_the_same_one_never_twice(django_capture_on_commit_callbacks):
    case = _fraud("2024-11-21 10:00")
    with django_capture_on_commit_callbacks(execute=True):
        check_deadlines(models=[Case])
    case = _move(case, wib("2024-11-27 20:00"), "verified")  # the follow-up replaces the registration
    assert case.warned_at is None and case.due_at == wib("2024-11-30 20:00")
    with django_capture_on_commit_callbacks(execute=True):
        check_deadlines(wib("2024-11-29 21:00"), models=[Case])
        check_deadlines(wib("2024-11-29 22:00"), models=[Case])
    assert Notification.objects.filter(target_id=str(case.pk), kind="deadline.due_soon").count() == 4  # 2 × 2


def test_the_check_tells_nobody_of_a_case_outside_their_area(django_capture_on_commit_callbacks):
    known = wib("2024-11-21 10:00")
    case = make_case("fraud", KEBON_PEDES, occurred_at=known, known_at=known)  # Tanah Sareal
    with django_capture_on_commit_callbacks(execute=True):
        check_deadlines(models=[Case])
    assert _told(case) == {"deadline.due_soon": {"bawaslu"}}  # not the Panwascam of Bogor Barat


def test_an_asn_case_past_the_recommendation_is_told_to_bkpsdm_too(persona, django_capture_on_commit_callbacks):
    known = wib("2024-11-21 10:00")
    case = make_case("asn", MENTENG_TPS_1, occurred_at=known, known_at=known)
    actions.add_step(case, by=persona("bawaslu"), kind="recommendation", on=known.date(), reference="REK/1")
    with django_capture_on_commit_callbacks(execute=True):
        check_deadlines(models=[Case])
    assert _told(case)["deadline.due_soon"] == {"bawaslu", "panwascam.bogorbarat", "bkpsdm"}
