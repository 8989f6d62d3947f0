import pytest
from django.db import IntegrityError, InternalError, OperationalError, connection, transaction
from django.db.utils import DatabaseError

from deskpilkada.audit.log import record, snapshot
from deskpilkada.audit.models import AppendOnlyError, AuditEntry


@pytest.fixture
def entry(db):
    return record("test.something", by=None, target_repr="x", after={"a": 1})


def test_an_audit_entry_cannot_be_edited(entry):
    entry.action = "test.other"
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_an_audit_entry_cannot_be_deleted(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")


def test_the_database_refuses_an_update_behind_the_apps_back(entry):
    errors = (DatabaseError, IntegrityError, InternalError, OperationalError)
    with pytest.raises(errors), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'forged' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.something"


def test_secrets_are_masked_in_snapshots(persona):
    user = persona("admin")
    snap = snapshot(user)
    assert snap["password"] == "***"
    assert record("test.masked", by=user, after={"nik": "3271010101010001", "ok": 1}).after == {"nik": "***", "ok": 1}


def test_the_audit_page_is_readable_by_the_desk_and_filters_by_action(client_as):
    response = client_as("admin").get("/audit/", {"action": "tps."})
    assert response.status_code == 200
    assert all(e.action.startswith("tps.") for e in response.context["page"])
