"""Every audit entry gets the area it belongs to, so that readers see only their own area's entries.

Existing entries are given the area of their target (a TPS, a region, a C.Hasil sheet, a user);
the append-only triggers are lifted for that one backfill and put back (on SQLite, where adding the
column rebuilds the table, the trigger is created again in any case).
"""

from django.db import migrations, models

WIDTHS = (2, 4, 6, 10, 13)


def _common(codes):
    codes = [c for c in codes if c]
    if not codes:
        return ""
    shared = min(codes, key=len)
    for code in codes:
        while not code.startswith(shared):
            shared = shared[:-1]
    return max((shared[:w] for w in WIDTHS if w <= len(shared)), key=len, default="")


def backfill(apps, schema_editor):
    Entry = apps.get_model("audit", "AuditEntry")
    Tps = apps.get_model("tps", "Tps")
    Region = apps.get_model("regions", "Region")
    Sheet = apps.get_model("tally", "TallySheet")
    Assignment = apps.get_model("accounts", "RoleAssignment")
    areas: dict[tuple[str, str], str] = {}
    for pk, code in Tps.objects.values_list("pk", "code"):
        areas["tps.tps", str(pk)] = code
    for pk, code in Region.objects.values_list("pk", "code"):
        areas["regions.region", str(pk)] = code.replace(".", "")
    for pk, code in Sheet.objects.values_list("pk", "tps__code"):
        areas["tally.tallysheet", str(pk)] = code
    by_user: dict[int, list[str]] = {}
    for user_id, region, tps in Assignment.objects.values_list("user_id", "region__code", "tps__code"):
        by_user.setdefault(user_id, []).append(tps or (region or "").replace(".", ""))
    for user_id, codes in by_user.items():
        areas["accounts.user", str(user_id)] = _common(codes)
    todo: dict[str, list[int]] = {}
    rows = Entry.objects.filter(target_type__in=["tps.tps", "regions.region", "tally.tallysheet", "accounts.user"])
    for pk, kind, target in rows.values_list("pk", "target_type", "target_id").iterator():
        if area := areas.get((kind, target)):
            todo.setdefault(area, []).append(pk)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_no_update")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_update")
    for area, pks in todo.items():
        for i in range(0, len(pks), 500):
            Entry.objects.filter(pk__in=pks[i : i + 500]).update(area=area)
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_no_update")
    elif vendor == "sqlite":
        # SQLite rebuilt the table for the new column, which dropped its trigger: put it back in any case.
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_update")
        schema_editor.execute(
            "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditentry "
            "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_triggers"),
        ("tps", "0001_initial"),
        ("regions", "0001_initial"),
        ("accounts", "0001_initial"),
        ("tally", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="area",
            field=models.CharField(blank=True, default="", max_length=13, verbose_name="wilayah"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["area", "-at"], name="audit_audit_area_592e6a_idx"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
