"""The audit log and a TPS's history in words: every action by its label, every field by the
label users know, values as words (audit/labels.py), never `tps.created` or `dpt_male: 265`."""

import ast
import re
from pathlib import Path

from django.utils import translation

from deskpilkada import testing
from deskpilkada.audit.labels import Entry, action_label, known_actions
from deskpilkada.audit.models import AuditEntry

APP = Path(__file__).resolve().parents[2]
# Actions named by an expression rather than a literal, as their code builds them.
BUILT = ["cases.status_changed", "desk.demo_seeded"]


def _recorded_actions() -> set[str]:
    """Every action the code writes: the first argument of record/record_many (both sides of a
    conditional), and upsert's action with its _created and _updated."""
    found: set[str] = set(BUILT)
    for path in APP.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "testing.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in ("record", "record_many") and node.args:
                first = node.args[0]
                for value in [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]:
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        found.add(value.value)
            for keyword in node.keywords:
                if keyword.arg == "action" and isinstance(keyword.value, ast.Constant):
                    action = keyword.value.value
                    found |= {f"{action}_created", f"{action}_updated"} if name == "upsert" else {action}
    tally = (APP / "tally" / "actions.py").read_text()
    found |= set(re.findall(r'"(tally\.[a-z_]+)"', tally))  # chosen by status into a variable
    return {a for a in found if re.fullmatch(r"[a-z]+\.[a-z_]+", a)}


def test_every_action_the_code_records_has_a_label():
    unlabelled = sorted(_recorded_actions() - set(known_actions()))
    assert not unlabelled, f"actions without a label in their app's AppConfig.audit_actions: {unlabelled}"
    with translation.override("id"):
        assert action_label("tps.created") == "TPS dibuat"


def _recorded_keys() -> set[tuple[str, str]]:
    """(app, key) of every key written literally in a before/after dict of a record() call."""
    found: set[tuple[str, str]] = set()
    for path in APP.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "testing.py":
            continue
        app = path.relative_to(APP).parts[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            if (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) not in ("record", "record_many"):
                continue
            for keyword in node.keywords:
                if keyword.arg in ("before", "after") and isinstance(keyword.value, ast.Dict):
                    found |= {(app, k.value) for k in keyword.value.keys if isinstance(k, ast.Constant)}
    return found


def test_every_field_the_code_records_literally_has_a_label(db):
    """A key no app labels and no model of its app has shows as a code (the phone walk found
    `replaced_by` on the audit log): each must be named."""
    from django.apps import apps

    from deskpilkada.audit.labels import HIDDEN, _registry

    labelled = {key for labels in _registry()[1].values() for key in labels}
    unlabelled = []
    for app, key in sorted(_recorded_keys()):
        config = next((c for c in apps.get_app_configs() if c.name.endswith("." + app) or c.label == app), None)
        fields = set()
        for model in config.get_models() if config else []:
            fields |= {f.name for f in model._meta.concrete_fields} | {f.attname for f in model._meta.concrete_fields}
        if (app, key) == ("audit", "status"):
            continue  # transition() writes the target's own status field, labelled by its model
        if key not in labelled and key not in fields and key not in HIDDEN:
            unlabelled.append(f"{app}: {key}")
    assert not unlabelled, f"keys recorded without a label (add them to the app's audit_fields): {unlabelled}"


def test_a_tps_history_says_its_fields_and_values_in_words(client_as):
    testing.edit_tps("3271061002028", wheelchair_accessible=False, dpt_male=130)
    html = client_as("kpu").get("/tps/3271061002028/").content.decode()
    history = html.split("Riwayat perubahan", 1)[1]
    assert "TPS diubah" in history and "Dapat diakses kursi roda" in history and "DPT laki-laki" in history
    assert "tidak" in history
    for code in ("tps.updated", "wheelchair_accessible", "dpt_male", "False"):
        assert code not in history


def test_an_entry_names_a_foreign_key_by_its_row_and_leaves_bookkeeping_out(db):
    activity = testing.make_activity("32.71.06.1002", reach=1530)
    entry = AuditEntry.objects.filter(action="outreach.activity_added", target_id=str(activity.pk)).get()
    rows = {label: new for label, _old, new in Entry(entry).changes()}
    assert rows["Kelurahan"] == str(activity.kelurahan) and rows["Jumlah peserta/jangkauan"] == "1.530"
    assert rows["Jenis"] == activity.get_kind_display()
    assert not {"Id", "ID", "Created at"} & set(rows)


def test_the_audit_log_lists_actions_by_label(client_as):
    html = client_as("admin").get("/audit/?action=tps.created").content.decode()
    assert "<td>TPS dibuat</td>" in html
    assert ">tps.created<" not in html and "dpt_male" not in html
