"""The world the backup round-trip runs on, built and measured in a process of its own (against a
file database under DESKPILKADA_VAR_DIR): `python -m deskpilkada.backups.tests.roundtrip build|digest`."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path


def build() -> None:
    from deskpilkada import testing
    from deskpilkada.tally.chain import publish_all_checkpoints

    testing.build_world()
    first = testing.make_counted("3271061002028")
    testing.make_photo(first)
    testing.make_photo(first, testing.PNG + b"\x00second photo")
    testing.make_correction("3271061002028", votes=(51, 59, 70, 20, 30), reason="salah baca")
    testing.make_held("3271061002001")
    testing.make_counted("3271041001001", testing.GOVERNOR)
    testing.make_photo(testing.make_counted("3271011001001"))
    publish_all_checkpoints(by=None)


def digest() -> dict:
    """Every table's row count and a digest of its content (rows in a fixed order), and every uploaded file's."""
    from django.conf import settings
    from django.db import connection

    out: dict = {"tables": {}, "media": {}}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from the database)
            rows = sorted(repr(row) for row in cursor.fetchall())
            out["tables"][table] = [len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()]
    media = Path(settings.MEDIA_ROOT)
    for path in sorted(media.rglob("*")):
        if path.is_file():
            out["media"][path.relative_to(media).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1] == "build":
        build()
    else:
        print(json.dumps(digest()))
