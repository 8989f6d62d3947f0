"""Backup and restore of the whole desk: the database and the uploaded files, with a manifest.

A backup is a directory:

    manifest.json        format, app version, engine, the applied migrations, each table's row
                         count, and the SHA-256 of every other file of the directory
    database.sqlite3     SQLite: a copy through SQLite's online backup API (consistent while the
                         server writes)
    database.pgdump      PostgreSQL: `pg_dump --format=custom`, taken from an exported snapshot
                         that the row counts of the manifest are read from too
    media/…              the uploaded files (plano photos, attachments), copied after the database

The database is copied first and the files after, so that every file a row of the copy names is
in the backup (a file uploaded meanwhile is in it too, unreferenced, which is harmless).

`restore` refuses a backup with a missing, changed or unlisted file, of another engine, or whose
migrations are not exactly the code's; otherwise it replaces the database and the files, and
checks every table's row count against the manifest. A JSON dump (`dumpdata`) is not a backup: it
cuts times to milliseconds (which breaks the C.Hasil hash chain) and leaves the photos behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "deskpilkada-backup-1"
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA = "media"


class BackupError(Exception):
    """A backup that cannot be made or restored, said in words for the operator."""


def app_version() -> str:
    try:
        return metadata.version("deskpilkada")
    except metadata.PackageNotFoundError:  # pragma: no cover (run from a checkout without install)
        return "unknown"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def code_migrations() -> list[list[str]]:
    """Every migration the code holds, as [app, name], sorted."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted([app, name] for app, name in loader.disk_migrations)


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _(
                "%(t)s tidak ditemukan: backup dan restore PostgreSQL memerlukan alat klien PostgreSQL (%(t)s) dengan "
                "versi yang sama atau lebih baru dari servernya. Debian: apt-get install postgresql-client."
            )
            % {"t": name}
        )
    return found


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, env=_pg_env(), capture_output=True, text=True)  # noqa: S603 (fixed tool, our args)
    if done.returncode != 0:
        raise BackupError(_("%(t)s gagal: %(e)s") % {"t": Path(cmd[0]).name, "e": done.stderr.strip()[-2000:]})


def _tables(cursor) -> list[str]:
    return sorted(connection.introspection.table_names(cursor))


def _counts(cursor) -> dict[str, int]:
    qn = connection.ops.quote_name
    out = {}
    for table in _tables(cursor):
        cursor.execute(f"SELECT COUNT(*) FROM {qn(table)}")  # noqa: S608 (table names from the database)
        out[table] = cursor.fetchone()[0]
    return out


def _sqlite_path() -> Path:
    return Path(str(connection.settings_dict["NAME"]))


def _copy_sqlite(target: Path) -> tuple[list[list[str]], dict[str, int]]:
    source = sqlite3.connect(_sqlite_path(), timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        migrations = sorted([a, n] for a, n in copy.execute("SELECT app, name FROM django_migrations"))
        tables = [r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        counts = {
            t: copy.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]  # noqa: S608 (names from the copy)
            for t in sorted(tables)
            if not t.startswith("sqlite_")
        }
    finally:
        copy.close()
        source.close()
    return migrations, counts


def _dump_postgres(target: Path) -> tuple[list[list[str]], dict[str, int]]:
    pg_dump = pg_tool("pg_dump")
    # One snapshot for the dump and for the counts and migrations of the manifest.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", "-f", str(target)])
        cursor.execute("SELECT app, name FROM django_migrations")
        migrations = sorted([a, n] for a, n in cursor.fetchall())
        counts = _counts(cursor)
    return migrations, counts


def _files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def make_backup(directory: Path, *, say: Callable[[str], None] = lambda _text: None) -> dict:
    """Write a backup of the database and the uploaded files into `directory` (new or empty)."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(_("Folder %(d)s tidak kosong: backup ditulis ke folder baru atau kosong.") % {"d": directory})
    directory.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "sqlite":
        database = SQLITE_FILE
        migrations, counts = _copy_sqlite(directory / database)
    elif vendor == "postgresql":
        database = PG_FILE
        migrations, counts = _dump_postgres(directory / database)
    else:
        raise BackupError(_("Mesin basis data %(v)s tidak didukung.") % {"v": vendor})
    say(_("Basis data disalin (%(v)s, %(n)d tabel).") % {"v": vendor, "n": len(counts)})
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.copytree(media, directory / MEDIA)
    manifest = {
        "format": FORMAT,
        "app_version": app_version(),
        "created_at": timezone.now().isoformat(),
        "engine": vendor,
        "database": database,
        "migrations": migrations,
        "tables": counts,
        "files": _files(directory),
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    return manifest


@dataclass
class Checked:
    manifest: dict
    problems: list[str]


def check_backup(directory: Path) -> Checked:
    """The manifest of the backup and every reason it must not be restored (none: it may be)."""
    directory = Path(directory)
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(
            _("%(p)s tidak ada: %(d)s bukan folder backup Desk Pilkada.") % {"p": MANIFEST, "d": directory}
        )
    try:
        manifest = json.loads(path.read_text())
    except ValueError as exc:
        raise BackupError(_("%(p)s rusak: %(e)s") % {"p": path, "e": exc}) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(_("Format backup %(f)s tidak dikenal.") % {"f": manifest.get("format")})
    problems = []
    listed = manifest.get("files", {})
    found = _files(directory)
    for name, digest in sorted(listed.items()):
        if name not in found:
            problems.append(_("berkas %(f)s hilang dari backup") % {"f": name})
        elif found[name] != digest:
            problems.append(_("checksum berkas %(f)s tidak cocok (berkas diubah atau rusak)") % {"f": name})
    problems += [
        _("berkas %(f)s tidak tercatat di manifest") % {"f": name} for name in sorted(set(found) - set(listed))
    ]
    if manifest.get("database") not in listed:
        problems.append(_("manifest tidak mencatat berkas basis data"))
    if manifest.get("engine") != connection.vendor:
        problems.append(
            _("backup ini dari %(b)s, padahal aplikasi memakai %(a)s")
            % {"b": manifest.get("engine"), "a": connection.vendor}
        )
    ours, theirs = {tuple(m) for m in code_migrations()}, {tuple(m) for m in manifest.get("migrations", [])}
    if ours != theirs:
        missing = ", ".join(f"{a}.{n}" for a, n in sorted(ours - theirs)[:10])
        extra = ", ".join(f"{a}.{n}" for a, n in sorted(theirs - ours)[:10])
        text = _("migrasi backup tidak sama dengan kode ini (versi backup %(v)s, kode %(c)s)") % {
            "v": manifest.get("app_version"),
            "c": app_version(),
        }
        if missing:
            text += "; " + _("belum diterapkan di backup: %(m)s") % {"m": missing}
        if extra:
            text += "; " + _("tidak dikenal kode ini: %(m)s") % {"m": extra}
        problems.append(text + ". " + _("Pulihkan dengan versi aplikasi yang membuat backup itu, lalu migrate."))
    return Checked(manifest, problems)


def _restore_sqlite(directory: Path, manifest: dict) -> None:
    target = _sqlite_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    connections.close_all()
    source = sqlite3.connect(directory / manifest["database"])
    live = sqlite3.connect(target, timeout=60)
    try:
        source.backup(live)
    finally:
        live.close()
        source.close()


def _restore_postgres(directory: Path, manifest: dict) -> None:
    pg_restore = pg_tool("pg_restore")
    connections.close_all()
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "-d",
            str(connection.settings_dict["NAME"]),
            str(directory / manifest["database"]),
        ]
    )


def _restore_media(directory: Path) -> int:
    media = Path(settings.MEDIA_ROOT)
    source = directory / MEDIA
    incoming = media.with_name(media.name + ".restoring")
    old = media.with_name(media.name + ".replaced")
    shutil.rmtree(incoming, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, incoming)
    else:
        incoming.mkdir(parents=True)
    if media.exists():
        media.rename(old)
    incoming.rename(media)
    shutil.rmtree(old, ignore_errors=True)
    return sum(1 for p in media.rglob("*") if p.is_file())


def restore_backup(directory: Path, *, say: Callable[[str], None] = lambda _text: None) -> dict:
    """Check the backup, then bring its database and files back in place of the current ones."""
    directory = Path(directory)
    checked = check_backup(directory)
    if checked.problems:
        raise BackupError(
            _("BACKUP DITOLAK, tidak ada yang diubah:\n%(p)s") % {"p": "\n".join(f"  - {p}" for p in checked.problems)}
        )
    manifest = checked.manifest
    if manifest["engine"] == "sqlite":
        _restore_sqlite(directory, manifest)
    else:
        _restore_postgres(directory, manifest)
    say(_("Basis data dipulihkan dari backup %(t)s.") % {"t": manifest["created_at"]})
    files = _restore_media(directory)
    say(_("%(n)d berkas unggahan dipulihkan.") % {"n": files})
    with connection.cursor() as cursor:
        counts = _counts(cursor)
    wrong = [
        _("tabel %(t)s: %(a)d baris, manifest %(b)d") % {"t": t, "a": counts.get(t, -1), "b": n}
        for t, n in sorted(manifest["tables"].items())
        if counts.get(t) != n
    ]
    if wrong:
        raise BackupError(_("Setelah restore, jumlah baris tidak cocok:\n%(w)s") % {"w": "\n".join(wrong)})
    return manifest
