"""The audit log as a hash chain: every change made behind the app's back is caught, and named."""

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from deskpilkada.audit import chain
from deskpilkada.audit.log import record, record_many
from deskpilkada.audit.models import AuditChainHead, AuditEntry

pytestmark = pytest.mark.django_db


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def lift_triggers(*names: str) -> None:
    """Drop append-only triggers inside the test's transaction (rolled back with it), as a tamperer would."""
    for name in names:
        raw(f"DROP TRIGGER {name} ON audit_auditentry" if connection.vendor == "postgresql" else f"DROP TRIGGER {name}")


def verify_output(**options) -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit_chain", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def entries(db):
    first = record("test.first", by=None, target_repr="satu", after={"a": 1, "teks": "é"})
    second = record("test.second", by=None, target_repr="dua", before={"a": 1}, after={"a": 2.5})
    third = record("test.third", by=None, target_repr="tiga", after=None)
    return first, second, third


def test_each_entry_carries_the_hash_of_the_one_before_it(entries):
    first, second, third = entries
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert AuditChainHead.objects.get().entry_id == third.pk
    assert AuditChainHead.objects.get().hash == third.hash


def test_the_whole_log_verifies_as_written_by_the_app(entries, persona):
    record_many("test.many", by=persona("kpu"), items=[(persona("admin"), None, {"x": i}) for i in range(3)])
    result = chain.verify()
    assert result.ok, result.broken
    assert result.checked == AuditEntry.objects.count()
    assert "Rantai audit utuh" in verify_output()


def test_an_entry_edited_behind_the_apps_back_is_named(entries):
    lift_triggers("audit_no_update")
    raw("UPDATE audit_auditentry SET after = %s WHERE id = %s", ['{"a": 3}', entries[1].pk])
    result = chain.verify()
    assert not result.ok and f"#{entries[1].pk} " in result.broken and "diubah" in result.broken
    with pytest.raises(CommandError, match=f"catatan audit #{entries[1].pk} "):
        verify_output()


def test_an_entry_deleted_behind_the_apps_back_is_named_by_the_one_after_it(entries):
    lift_triggers("audit_no_delete")
    raw("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    result = chain.verify()
    assert not result.ok
    assert f"#{entries[2].pk} " in result.broken and f"#{entries[0].pk}" in result.broken
    assert "dihapus atau disisipkan" in result.broken


def test_the_last_entry_deleted_is_caught_by_the_head(entries):
    lift_triggers("audit_no_delete")
    raw("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])
    result = chain.verify()
    assert not result.ok and f"#{entries[2].pk}" in result.broken and "ujung rantai" in result.broken


def test_an_entry_inserted_behind_the_apps_back_is_named(entries):
    first, _second, third = entries
    raw(
        "INSERT INTO audit_auditentry (at, actor_name, action, target_type, target_id, target_repr, area,"
        " prev_hash, hash)"
        " SELECT at, actor_name, 'test.forged', target_type, target_id, target_repr, area, %s, hash"
        " FROM audit_auditentry WHERE id = %s",
        [third.hash, first.pk],
    )
    forged = AuditEntry.objects.order_by("-pk").first()
    assert forged.action == "test.forged"
    result = chain.verify()
    assert not result.ok and f"#{forged.pk} " in result.broken and "diubah" in result.broken


def test_a_row_slipped_between_two_entries_is_caught(entries):
    _first, second, third = entries
    lift_triggers("audit_no_update", "audit_no_delete")
    # Move the third entry up one id and slip a forged row into its place.
    raw("DELETE FROM audit_auditentry WHERE id = %s", [third.pk])
    raw(
        "INSERT INTO audit_auditentry (id, at, actor_name, action, target_type, target_id, target_repr, area,"
        " prev_hash, hash) VALUES (%s, %s, 'x', 'test.forged', '', '', '', '', %s, %s)",
        [third.pk, third.at, second.hash, "0" * 64],
    )
    result = chain.verify()
    assert not result.ok and f"#{third.pk} " in result.broken


def test_the_database_refuses_a_delete_behind_the_apps_back(entries):
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("DELETE FROM audit_auditentry WHERE id = %s", [entries[0].pk])
    assert AuditEntry.objects.filter(pk=entries[0].pk).exists()


def test_a_head_written_down_is_found_later_and_a_rewritten_history_is_not(entries):
    noted = entries[1].hash
    record("test.later", by=None, target_repr="nanti")
    assert f"{noted[:12]}" in verify_output(against=noted)
    with pytest.raises(CommandError, match="TIDAK ADA DI RANTAI"):
        verify_output(against="f" * 64)


needs_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL")


@pytest.fixture
def committed_audit(django_db_blocker):
    """Threads commit audit rows for real; afterwards they are taken out again (triggers off for the
    cleaning connection alone) and the chain head put back, so the tests after see the world's chain."""
    with django_db_blocker.unblock():
        top, head = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0, chain.head()
    yield top
    with django_db_blocker.unblock(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM audit_auditentry WHERE id > %s", [top])
        cursor.execute("UPDATE audit_auditchainhead SET entry_id = %s, hash = %s WHERE id = 1", list(head))


@needs_postgres
def test_two_transactions_writing_audit_rows_at_once_do_not_fork_the_chain(committed_audit):
    from django.db import connections

    barrier, errors = threading.Barrier(4), []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for i in range(10):
                with transaction.atomic():
                    record("test.concurrent", by=None, target_repr=f"{n}-{i}")
                    if i % 3 == 0:
                        record_many("test.concurrent_many", by=None, items=[])
                        record("test.concurrent", by=None, target_repr=f"{n}-{i}-b")
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors and not any(t.is_alive() for t in threads)
    assert AuditEntry.objects.filter(pk__gt=committed_audit).count() == 4 * 14
    hashes = list(AuditEntry.objects.values_list("prev_hash", flat=True))
    assert len(hashes) == len(set(hashes)), "two entries follow the same one: the chain forked"
    result = chain.verify()
    assert result.ok, result.broken
