"""The shared mechanisms every point's register uses: status transitions with history, deadlines
from rules kept as data, notifications after commit (issue "Make room for six more modules")."""

import datetime as dt
import itertools

import pytest
from django.db import connection, models, transaction
from django.test.utils import isolate_apps
from django.utils import timezone

from deskpilkada import clock
from deskpilkada.accounts.access import users_reaching
from deskpilkada.audit.models import AuditEntry
from deskpilkada.audit.transitions import TransitionRefused, entered_at, history, transition
from deskpilkada.elections.deadlines import Deadlined, DeadlineQuerySet, apply_rule, check_deadlines
from deskpilkada.elections.models import DeadlineRule, Election
from deskpilkada.notifications.actions import notify
from deskpilkada.notifications.models import Notification
from deskpilkada.notifications.tasks import send_notification_emails

with isolate_apps("deskpilkada.notifications"):

    class Ticket(Deadlined):
        """A register as a point's app would declare it: statuses, steps, a deadline, an area."""

        class Status(models.TextChoices):
            RECEIVED = "received", "diterima"
            CHECKING = "checking", "diperiksa"
            CLOSED = "closed", "selesai"
            REJECTED = "rejected", "ditolak"

        title = models.CharField(max_length=80)
        status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
        event_at = models.DateTimeField(null=True)
        area_code = models.CharField(max_length=13, default="327104")

        STATUS_STEPS = {"received": {"checking", "rejected"}, "checking": {"closed", "received"}}
        DEADLINE_CAP = "tally.verify"

        objects = DeadlineQuerySet.as_manager()

        class Meta:
            app_label = "notifications"

        def __str__(self):
            return self.title

        def audit_area(self):
            return self.area_code


@pytest.fixture(scope="module")
def ticket_table(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Ticket)
        yield
        with connection.schema_editor() as editor:
            editor.delete_model(Ticket)


@pytest.fixture
def make_ticket(ticket_table, db):
    counter = itertools.count(1)

    def make(**fields) -> Ticket:
        return Ticket.objects.create(title=f"Kasus {next(counter)}", **fields)

    return make


@pytest.fixture
def make_rule(db):
    def make(**fields) -> DeadlineRule:
        defaults = {"subject": "notifications.ticket", "code": "lapor", "name": "Laporan", "amount": 7}
        defaults.update(fields)
        return DeadlineRule.objects.create(election=Election.objects.get(code="pilkada-2024"), **defaults)

    return make


STATUSES = [s.value for s in Ticket.Status]


@pytest.mark.parametrize(("start", "to"), [(a, b) for a in STATUSES for b in STATUSES])
def test_every_step_is_allowed_exactly_when_the_model_declares_it(make_ticket, persona, start, to):
    ticket = make_ticket(status=start)
    legal = to in Ticket.STATUS_STEPS.get(start, set())
    if legal:
        transition(ticket, to, by=persona("bawaslu"), note="cek")
        assert Ticket.objects.get(pk=ticket.pk).status == to
        entry = AuditEntry.objects.filter(action="notifications.status_changed").latest("id")
        assert entry.before == {"status": start} and entry.after == {
            "status": to,
            "note": "cek",
            "at": clock.now().isoformat(),
        }
        assert entry.area == "327104"
    else:
        with pytest.raises(TransitionRefused) as refused:
            transition(ticket, to, by=persona("bawaslu"))
        assert Ticket.Status(start).label in str(refused.value)
        assert Ticket.objects.get(pk=ticket.pk).status == start


def test_the_history_is_read_back_from_the_audit_log(make_ticket, persona):
    ticket = make_ticket()
    transition(ticket, "checking", by=persona("bawaslu"), note="mulai")
    transition(ticket, "received", by=persona("bawaslu"), note="kurang bukti")
    transition(ticket, "checking", by=persona("bawaslu"))
    steps = history(ticket)
    assert [(s.before, s.after) for s in steps] == [
        ("received", "checking"),
        ("checking", "received"),
        ("received", "checking"),
    ]
    assert steps[1].note == "kurang bukti" and steps[0].by == "bawaslu"
    assert entered_at(ticket, "checking") == steps[2].at


def test_a_refused_step_writes_nothing(make_ticket, persona):
    ticket = make_ticket(status="closed")
    before = AuditEntry.objects.count()
    with pytest.raises(TransitionRefused):
        transition(ticket, "checking", by=persona("bawaslu"))
    assert AuditEntry.objects.count() == before


def _at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text))


def test_a_deadline_counts_from_the_event(make_ticket, make_rule):
    rule = make_rule(anchor=DeadlineRule.Anchor.EVENT, amount=7, warn_hours=48)
    ticket = make_ticket(event_at=_at("2024-11-20T10:00"))
    apply_rule(ticket, rule)
    assert ticket.due_at == _at("2024-11-27T10:00") and ticket.warn_at == _at("2024-11-25T10:00")
    assert rule.describe() == "7 hari sejak kejadian diketahui"


def test_a_deadline_counts_back_from_voting_day(make_ticket, make_rule):
    rule = make_rule(anchor=DeadlineRule.Anchor.VOTING_DAY, amount=-1, unit=DeadlineRule.Unit.DAYS, code="h1")
    ticket = make_ticket()
    apply_rule(ticket, rule)
    assert ticket.due_at == _at("2024-11-26T00:00")


def test_a_deadline_counts_from_a_status_change_in_hours(make_ticket, make_rule, persona):
    rule = make_rule(anchor=DeadlineRule.Anchor.STATUS, status="checking", amount=72, unit="hours", code="tindak")
    ticket = make_ticket()
    apply_rule(ticket, rule)
    assert ticket.due_at is None  # not checking yet: nothing is due
    transition(ticket, "checking", by=persona("bawaslu"))
    apply_rule(ticket, rule)
    assert ticket.due_at == entered_at(ticket, "checking") + dt.timedelta(hours=72)


def test_due_soon_and_overdue_follow_the_clock(make_ticket, make_rule):
    rule = make_rule(anchor=DeadlineRule.Anchor.EVENT, amount=3, warn_hours=24)
    ticket = make_ticket(event_at=_at("2024-11-20T10:00"))
    ticket.save(update_fields=apply_rule(ticket, rule))
    assert not Ticket.objects.due_soon(_at("2024-11-22T09:59")).exists()
    assert list(Ticket.objects.due_soon(_at("2024-11-22T10:00"))) == [ticket]
    assert not Ticket.objects.overdue(_at("2024-11-23T09:59")).exists()
    assert list(Ticket.objects.overdue(_at("2024-11-23T10:00"))) == [ticket]
    assert not Ticket.objects.due_soon(_at("2024-11-23T10:00")).exists()


def test_the_periodic_check_notifies_each_deadline_once(make_ticket, make_rule, django_capture_on_commit_callbacks):
    rule = make_rule(anchor=DeadlineRule.Anchor.EVENT, amount=3, warn_hours=24)
    ticket = make_ticket(event_at=_at("2024-11-20T10:00"))
    ticket.save(update_fields=apply_rule(ticket, rule))
    with django_capture_on_commit_callbacks(execute=True):
        first = check_deadlines(_at("2024-11-22T12:00"), models=[Ticket])
        again = check_deadlines(_at("2024-11-22T13:00"), models=[Ticket])
        late = check_deadlines(_at("2024-11-23T11:00"), models=[Ticket])
    assert (first.warned, again.warned, late.overdue) == (1, 0, 1)
    notes = Notification.objects.filter(target_id=str(ticket.pk))
    # tally.verify reaches Kecamatan Bogor Barat for the KPU operator (city) and the PPK (the kecamatan).
    assert {n.recipient.username for n in notes} == {"operator.kpu", "ppk.bogorbarat"}
    assert {n.kind for n in notes} == {"deadline.due_soon", "deadline.overdue"}


def test_a_notification_is_sent_only_after_the_transaction_commits(persona, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notify(kind="test.hello", title="Halo", users=[persona("viewer")])
        assert not Notification.objects.filter(kind="test.hello").exists()
    assert len(callbacks) == 1
    assert Notification.objects.filter(kind="test.hello", recipient=persona("viewer")).count() == 1


def test_a_rolled_back_write_notifies_nobody(persona, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(kind="test.lost", title="Tidak jadi", users=[persona("viewer")])
        raise RuntimeError
    assert callbacks == []
    assert not Notification.objects.filter(kind="test.lost").exists()


def test_recipients_are_found_by_role_capability_and_area(db):
    in_bogor_barat = {u.username for u in users_reaching(cap="audit.view", area="3271041001001")}
    assert {"bawaslu", "panwascam.bogorbarat", "admin.kesbangpol", "admin.jabar", "sekda"} <= in_bogor_barat
    in_kebon_pedes = {u.username for u in users_reaching(cap="audit.view", area="3271061002028")}
    assert "panwascam.bogorbarat" not in in_kebon_pedes
    kpps = {u.username for u in users_reaching(role="kpps", area="3271061002028")}
    assert kpps == {"kpps.kebonpedes028"}
    assert not users_reaching(role="kpps", area="3271061002027").exists()


def test_notifications_are_emailed_by_a_task(persona, mailoutbox, django_capture_on_commit_callbacks):
    user = persona("viewer")
    user.email = "sekda@example.go.id"
    user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="test.mail", title="Rapat koordinasi", body="Pukul 09.00", users=[user])
    row = Notification.objects.get(kind="test.mail")
    send_notification_emails.call([row.pk])
    assert len(mailoutbox) == 1 and "Rapat koordinasi" in mailoutbox[0].subject
    row.refresh_from_db()
    assert row.emailed_at is not None
    assert send_notification_emails.call([row.pk]) == 0  # never twice


def test_the_bell_counts_unread_and_the_list_marks_them_read(client_as, persona, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="test.bell", title="Sheet ditahan", url="/penghitungan/ditahan/", users=[persona("kpu")])
    client = client_as("kpu")
    page = client.get("/notifikasi/").content.decode()
    assert "Sheet ditahan" in page and "1 belum dibaca" in page
    note = Notification.objects.get(kind="test.bell")
    opened = client.post("/notifikasi/dibaca/", {"id": note.pk, "open": "1"})
    assert opened["Location"] == "/penghitungan/ditahan/"
    note.refresh_from_db()
    assert note.read_at is not None
    # Someone else's notification cannot be marked or opened through another account.
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="test.bell2", title="Lagi", url="/penghitungan/", users=[persona("kpu")])
    second = Notification.objects.get(kind="test.bell2")
    other = client_as("viewer").post("/notifikasi/dibaca/", {"id": second.pk, "open": "1"})
    assert other["Location"] == "/notifikasi/"
    second.refresh_from_db()
    assert second.read_at is None
