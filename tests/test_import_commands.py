"""The import commands share one base (`imports.ImportCommand`): its user look-up, row report and summary."""

import json

import pytest
from django.core.management import CommandError, call_command

from deskpilkada.audit.models import AuditEntry
from deskpilkada.tps.models import Tps


@pytest.mark.parametrize(
    "command",
    [
        ["import_tps", "x.csv"],
        ["import_results", "x.csv"],
        ["import_dpt", "x.csv", "--election", "pilkada-2024"],
        ["import_sirekap", "x.json", "--contest", "pilwalkot-bogor-2024"],
        ["import_regions", "x"],
        ["import_boundaries", "x.geojson"],
    ],
)
def test_every_import_command_refuses_an_unknown_user_before_reading(db, command):
    with pytest.raises(CommandError, match="Pengguna «nobody» tidak ada"):
        call_command(*command, "--user", "nobody")


def test_a_missing_file_is_named(db, tmp_path):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("import_tps", str(tmp_path / "missing.csv"))


def test_the_named_user_is_the_one_the_audit_log_names(db, tmp_path, capsys):
    path = tmp_path / "tps.csv"
    path.write_text("kode_tps,dpt_laki,dpt_perempuan\n3271061002025,201,202\n")
    call_command("import_tps", str(path), "--user", "operator.kpu")
    assert capsys.readouterr().out.startswith("Selesai: ")
    assert Tps.objects.get(code="3271061002025").dpt == 403
    assert AuditEntry.objects.filter(actor__username="operator.kpu", action__startswith="tps.").exists()


def test_an_unreadable_sirekap_file_refuses_the_import_and_is_named(db, tmp_path):
    (tmp_path / "3271061002025.json").write_text(json.dumps({"chart": {}}))
    (tmp_path / "3271061002026.json").write_text("{not json")
    with pytest.raises(CommandError) as refused:
        call_command("import_sirekap", str(tmp_path), "--contest", "pilwalkot-bogor-2024")
    assert "tidak ada yang disimpan (1 kesalahan)" in str(refused.value)
    assert "3271061002026.json" in str(refused.value)
