"""Notifications of the case desk: sent only once the transaction commits (a report that rolls back
tells nobody), to the handlers of the category in the case's area, the assignee, the level a case
is escalated to, BKPSDM after Bawaslu's recommendation and the organisation a case is referred to;
never to the one who did it."""

import pytest
from django.db import transaction

from deskpilkada.accounts.models import Organisation
from deskpilkada.cases import actions
from deskpilkada.cases.models import Case
from deskpilkada.cases.tests.conftest import KEBON_PEDES_028, MENTENG, MENTENG_TPS_1
from deskpilkada.notifications.models import Notification
from deskpilkada.testing import make_case

pytestmark = pytest.mark.django_db


def _told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_a_new_case_tells_its_categorys_handlers_in_the_area_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        case = make_case("fraud", MENTENG_TPS_1)
        assert not Notification.objects.exists()  # not before the commit
    assert len(callbacks) == 1
    assert _told("cases.new") == {"bawaslu", "panwascam.bogorbarat"}
    note = Notification.objects.get(kind="cases.new", recipient__username="bawaslu")
    assert note.url == f"/kasus/{case.pk}/" and note.target_id == str(case.pk)


def test_a_report_that_rolls_back_tells_nobody(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make_case("fraud", MENTENG_TPS_1, description="Pembagian amplop di depan TPS 001 Menteng.")
        raise RuntimeError("the import failed further on")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not Case.objects.filter(description__startswith="Pembagian amplop").exists()


def test_a_refused_report_tells_nobody(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(actions.Refused):
        make_case("fraud", MENTENG_TPS_1, severity="parah")
    assert callbacks == [] and not Notification.objects.exists()


def test_the_reporter_is_not_told_of_its_own_report(persona, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_case("fraud", MENTENG_TPS_1, by=persona("bawaslu_kec"))
    assert _told("cases.new") == {"bawaslu"}


def test_a_case_outside_an_area_tells_no_one_of_that_area(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_case("security", KEBON_PEDES_028)
        make_case("hoax", KEBON_PEDES_028)
    assert _told("cases.new") == {"polresta", "diskominfo"}  # not the Polsek of Bogor Barat


def test_an_assignment_tells_the_person_only(persona, django_capture_on_commit_callbacks):
    case = make_case("security", MENTENG_TPS_1)
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign(case, by=persona("security"), user=persona("security_kec"))
    assert _told("cases.assigned") == {"polsek.bogorbarat"}


def test_an_assignment_to_an_organisation_tells_its_handlers_there(persona, django_capture_on_commit_callbacks):
    case = make_case("security", MENTENG_TPS_1)
    polsek = Organisation.objects.get(code="polsek-bogor-barat")
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign(case, by=persona("admin"), organisation=polsek)
    assert _told("cases.assigned") == {"polsek.bogorbarat"}  # not the Polresta


def test_an_escalation_tells_the_handlers_of_the_level_above(persona, django_capture_on_commit_callbacks):
    case = make_case("security", MENTENG)
    with django_capture_on_commit_callbacks(execute=True):
        case = actions.escalate(case, by=None)
    assert _told("cases.escalated") == {"polsek.bogorbarat"}
    with django_capture_on_commit_callbacks(execute=True):
        actions.escalate(case, by=persona("security_kec"))
    assert _told("cases.escalated") == {"polsek.bogorbarat", "polresta"}


def test_reopening_tells_the_handlers(persona, django_capture_on_commit_callbacks):
    case = actions.move(make_case("health", MENTENG), "invalid", by=persona("health"))
    with django_capture_on_commit_callbacks(execute=True):
        actions.move(case, "reopened", by=persona("health"))
    assert _told("cases.reopened") == {"puskesmas.bogorbarat"}


def test_bawaslus_recommendation_tells_bkpsdm(persona, django_capture_on_commit_callbacks):
    case = make_case("asn", MENTENG)
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_step(case, by=persona("bawaslu"), kind="recommendation", on=case.known_at.date(), reference="R/1")
    assert _told("cases.recommended") == {"bkpsdm"}


def test_a_referral_tells_the_organisation_referred_to(persona, django_capture_on_commit_callbacks):
    case = make_case("fraud", MENTENG)
    kpu = Organisation.objects.get(code="kpu-bogor")
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_step(case, by=persona("bawaslu"), kind="referral", on=case.known_at.date(), organisation=kpu)
    assert _told("cases.referred") == {"operator.kpu"}


def test_a_refused_step_tells_nobody(persona, django_capture_on_commit_callbacks):
    case = make_case("asn", MENTENG)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(actions.Refused):
        actions.add_step(case, by=persona("civil"), kind="bkn", on=case.known_at.date(), reference="B/1")
    assert callbacks == [] and not Notification.objects.exists()
