"""The audit log becomes a hash chain (audit/chain.py), and SQLite gains the DELETE trigger it lacked.

Existing entries are chained in id order (the UPDATE trigger is lifted for that one backfill). A
trigger moves the chain head on every insert. On SQLite the DELETE trigger lets only Django's
`flush` through (the test runner empties tables with DELETE; `flush` sets a flag the trigger reads
through a function the app registers on its connections); any other connection is refused, and
the `sqlite3` shell, which lacks the function, cannot delete either.
"""

import django.utils.timezone
from django.db import migrations, models

from deskpilkada.audit.chain import COLUMNS, GENESIS, entry_hash

REFUSE = "SELECT RAISE(ABORT, 'audit entries are append-only')"
SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS audit_no_update",
    "DROP TRIGGER IF EXISTS audit_no_delete",
    "DROP TRIGGER IF EXISTS audit_chain_head",
    f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditentry BEGIN {REFUSE}; END",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_auditentry WHEN NOT deskpilkada_audit_flushing() "
    f"BEGIN {REFUSE}; END",
    "CREATE TRIGGER audit_chain_head AFTER INSERT ON audit_auditentry "
    "BEGIN UPDATE audit_auditchainhead SET entry_id = NEW.id, hash = NEW.hash WHERE id = 1; END",
]
PG_HEAD = """
CREATE OR REPLACE FUNCTION audit_move_head() RETURNS trigger AS $$
BEGIN
  UPDATE audit_auditchainhead SET (entry_id, hash) = (SELECT id, hash FROM new_rows ORDER BY id DESC LIMIT 1)
  WHERE id = 1;
  RETURN NULL;
END; $$ LANGUAGE plpgsql;
CREATE TRIGGER audit_chain_head AFTER INSERT ON audit_auditentry REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION audit_move_head();
"""


def chain_existing(apps, schema_editor):
    Entry = apps.get_model("audit", "AuditEntry")
    Head = apps.get_model("audit", "AuditChainHead")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_no_update")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_update")
    prev, last, batch = GENESIS, 0, []
    for entry in Entry.objects.order_by("pk").iterator(chunk_size=2000):
        entry.prev_hash = prev
        entry.hash = prev = entry_hash(prev, {name: getattr(entry, name) for name in COLUMNS})
        last = entry.pk
        batch.append(entry)
        if len(batch) >= 1000:
            Entry.objects.bulk_update(batch, ["prev_hash", "hash"])
            batch = []
    Entry.objects.bulk_update(batch, ["prev_hash", "hash"])
    Head.objects.create(pk=1, entry_id=last, hash=prev)
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_no_update")
        schema_editor.execute(PG_HEAD)
    elif vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def unchain(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_chain_head ON audit_auditentry")
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_move_head()")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_chain_head")
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_delete")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_area")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="waktu"),
        ),
        migrations.AddField(
            model_name="auditentry", name="prev_hash", field=models.CharField(default="", max_length=64)
        ),
        migrations.AddField(model_name="auditentry", name="hash", field=models.CharField(default="", max_length=64)),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("entry_id", models.BigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
            ],
            options={"verbose_name": "ujung rantai audit"},
        ),
        migrations.RunPython(chain_existing, unchain),
    ]
