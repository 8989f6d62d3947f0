"""Backup and restore round-trip: a world with C.Hasil versions, corrections, photos and checkpoints is
backed up, wiped and restored, and comes back the same to the last row and byte; a backup that was
tampered with, or that does not match the code's migrations, is refused before anything changes.

The round-trip runs the real commands in processes of their own on a file database (SQLite in the
unit suite; PostgreSQL, in a scratch database, when DATABASE_URL points at PostgreSQL)."""

from __future__ import annotations

import json
import shutil

import pytest
from django.db import connection

from deskpilkada.backups import backup
from deskpilkada.backups.backup import BackupError, check_backup
from deskpilkada.testing_desk import Desk


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory):
    """A desk with a world, backed up: (desk, backup directory, digest before the backup)."""
    desk = Desk(tmp_path_factory.mktemp("desk"), postgres=connection.vendor == "postgresql")
    try:
        desk.command("migrate", "-v0")
        desk.run("-m", "deskpilkada.backups.tests.roundtrip", "build")
        before = desk.json("deskpilkada.backups.tests.roundtrip", "digest")
        target = tmp_path_factory.mktemp("backup") / "nightly"
        out = desk.command("backup", str(target)).stdout
        assert "Backup selesai" in out
        yield desk, target, before
    finally:
        desk.close()


def test_a_backup_restored_into_a_wiped_desk_brings_back_every_row_photo_and_chain(backed_up):
    desk, target, before = backed_up
    assert len(before["media"]) == 3, "the world has three plano photos"
    assert before["tables"]["tally_sheetversion"][0] >= 4 and before["tables"]["audit_auditentry"][0] > 100
    desk.wipe()
    out = desk.command("restore", str(target), "--noinput").stdout
    assert "Restore selesai" in out
    after = desk.json("deskpilkada.backups.tests.roundtrip", "digest")
    assert after["tables"] == before["tables"]
    assert after["media"] == before["media"]
    tally = desk.command("verify_tally_chain").stdout
    assert "Rantai utuh" in tally and "cocok: tanda tangan sah" in tally
    assert "Rantai audit utuh" in desk.command("verify_audit_chain").stdout


def test_the_manifest_names_version_migrations_and_a_checksum_of_every_file(backed_up):
    _desk, target, _before = backed_up
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["app_version"] == backup.app_version() and manifest["engine"] == connection.vendor
    assert manifest["migrations"] == backup.code_migrations()
    files = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(manifest["files"]) == files and manifest["database"] in files
    assert sum(1 for name in files if name.startswith("media/")) == 3


@pytest.fixture
def copy_of(backed_up, tmp_path):
    _desk, target, _before = backed_up
    copy = tmp_path / "copy"
    shutil.copytree(target, copy)
    return copy


def test_a_backup_with_a_changed_photo_is_refused_naming_the_file(copy_of):
    photo = next(p for p in (copy_of / "media").rglob("*") if p.is_file())
    photo.write_bytes(photo.read_bytes() + b"x")
    problems = check_backup(copy_of).problems
    assert problems == [
        f"checksum berkas {photo.relative_to(copy_of).as_posix()} tidak cocok (berkas diubah atau rusak)"
    ]


def test_a_backup_with_a_missing_or_unlisted_file_is_refused(copy_of):
    photo = next(p for p in (copy_of / "media").rglob("*") if p.is_file())
    photo.rename(photo.with_name("lain.png"))
    problems = " ".join(check_backup(copy_of).problems)
    assert "hilang dari backup" in problems and "tidak tercatat di manifest" in problems


def test_a_backup_whose_migrations_differ_from_the_code_is_refused(copy_of, backed_up):
    desk, _target, _before = backed_up
    manifest = json.loads((copy_of / "manifest.json").read_text())
    manifest["migrations"] = [m for m in manifest["migrations"] if m != ["audit", "0004_hash_chain"]]
    manifest["migrations"].append(["tally", "9999_from_the_future"])
    (copy_of / "manifest.json").write_text(json.dumps(manifest))
    problems = " ".join(check_backup(copy_of).problems)
    assert "belum diterapkan di backup: audit.0004_hash_chain" in problems
    assert "tidak dikenal kode ini: tally.9999_from_the_future" in problems
    done = desk.command("restore", str(copy_of), "--noinput", check=False)
    assert done.returncode != 0 and "BACKUP DITOLAK" in done.stderr


def test_a_backup_is_written_only_into_a_new_or_empty_folder(tmp_path):
    (tmp_path / "something").write_text("x")
    with pytest.raises(BackupError, match="tidak kosong"):
        backup.make_backup(tmp_path)


def test_without_the_postgresql_client_tools_the_command_says_so(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda _name: None)
    with pytest.raises(BackupError, match=r"pg_dump tidak ditemukan.*postgresql-client"):
        backup.pg_tool("pg_dump")
