"""Audited writes of the voters' list: the DPT import and the TPS counts computed from it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from deskpilkada import numbers
from deskpilkada.accounts.access import can
from deskpilkada.audit.log import record, record_many
from deskpilkada.elections.models import Election
from deskpilkada.imports import ImportRejected, RowError, read_table, scan_column
from deskpilkada.memo import forget_process_caches
from deskpilkada.progress import Progress
from deskpilkada.regions.codes import CodeError, dotted
from deskpilkada.regions.models import Level, Region
from deskpilkada.tps.codes import normalize_tps_code
from deskpilkada.tps.models import MAX_VOTERS_PER_TPS, Tps
from deskpilkada.voters import keys
from deskpilkada.voters.models import Voter
from deskpilkada.writelock import serialized_writes

COLUMNS = ["nik", "nkk", "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "alamat", "rt", "rw", "kode_tps"]
SEXES = {"L": "L", "P": "P", "LAKI-LAKI": "L", "PEREMPUAN": "P"}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")
BATCH = 5000


@dataclass
class DptImportResult:
    imported: int
    replaced: int
    kelurahan: int
    tps_updated: int

    def summary(self) -> str:
        return _("%(n)s pemilih diimpor di %(k)s kelurahan (%(r)s baris lama diganti), DPT %(t)s TPS diperbarui") % {
            "n": numbers.number(self.imported),
            "k": numbers.number(self.kelurahan),
            "r": numbers.number(self.replaced),
            "t": numbers.number(self.tps_updated),
        }


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(text: str) -> dt.date:
    match = _ISO.match(text.strip())
    if match:  # the common case, without strptime's cost (815,249 rows in a city's DPT)
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(_("tanggal «%(t)s» tidak valid (gunakan YYYY-MM-DD atau DD-MM-YYYY)") % {"t": text})


class _Abort(Exception):
    pass


def import_dpt(fileobj, *, by, election: Election, progress_total: int | None = None) -> DptImportResult:
    """Stream a DPT file (CSV or Excel) into the voters' list; all-or-nothing with a row report.

    Rows are checked and written in batches inside one transaction that is rolled back if any row
    is bad, so memory holds one batch and the NIK digests seen (for duplicates), never the file.
    Re-importing a kelurahan replaces its rows. The TPS DPT counts are then recomputed.
    """
    errors: list[RowError] = []
    seen: dict[bytes, int] = {}
    tps_cache: dict[str, Tps | None] = {}
    replaced = imported = 0
    bar = Progress(_("Impor DPT"), progress_total) if progress_total else None
    try:
        with serialized_writes(), transaction.atomic():
            # First pass (streaming, kelurahan codes only): the kelurahan this file replaces.
            prefixes = {re.sub(r"\D", "", code)[:10] for code in scan_column(fileobj, "kode_tps")}
            fileobj.seek(0)
            cleared = set(
                Region.objects.filter(
                    level=Level.VILLAGE,
                    code__in=[dotted(p) for p in prefixes if len(p) == 10],
                ).values_list("pk", flat=True)
            )
            replaced = Voter.objects.filter(election=election, tps__kelurahan_id__in=cleared).delete()[0]
            # A NIK may already be registered in a kelurahan the file keeps; with none kept (a whole
            # city's first import), no batch needs to ask.
            others = Voter.objects.filter(election=election).exists()
            batch: list[tuple[int, tuple]] = []
            for number, row in read_table(fileobj, required=COLUMNS):
                voter = _parse(number, row, election, errors, seen, tps_cache, by)
                if bar:
                    bar.advance()
                if voter is None:
                    continue
                batch.append((number, voter))
                if len(batch) >= BATCH:
                    imported += _write_batch(batch, election, errors, others)
                    batch = []
            imported += _write_batch(batch, election, errors, others)
            if errors:
                raise _Abort
            if not imported:
                errors.append(RowError(0, "", _("Berkas tidak berisi baris data.")))
                raise _Abort
            updated = recount_tps_dpt(election=election, kelurahan_ids=cleared, by=by)
            record(
                "voters.dpt_imported",
                by=by,
                target=election,
                after={"voters": imported, "replaced": replaced, "kelurahan": len(cleared), "tps_updated": updated},
            )
    except _Abort:
        raise ImportRejected(errors) from None
    finally:
        if bar:
            bar.finish()
    return DptImportResult(imported, replaced, len(cleared), updated)


INSERT_COLUMNS = [
    "election_id",
    "tps_id",
    "nik_hash",
    "nkk_hash",
    "confirm_dob",
    "confirm_name",
    "name_masked",
    "birth_year",
    "sex",
]


def _write_batch(batch: list[tuple[int, tuple]], election: Election, errors: list[RowError], others: bool) -> int:
    """Insert a batch unless one of its NIK is already registered in a kelurahan the file keeps
    (asked only when `others`: the election has voters outside the kelurahan being replaced)."""
    if not batch:
        return 0
    taken = (
        {}
        if not others
        else dict(
            Voter.objects.filter(election=election, nik_hash__in=[v[2] for _n, v in batch]).values_list(
                "nik_hash", "tps__code"
            )
        )
    )
    for number, voter in batch:
        if voter[2] in taken:
            errors.append(
                RowError(
                    number,
                    "nik",
                    _("NIK sudah terdaftar di TPS %(t)s (kelurahan lain yang tidak ada di berkas ini)")
                    % {"t": taken[voter[2]]},
                )
            )
    if errors:
        return 0  # the transaction will be rolled back: no need to write
    with connection.cursor() as cursor:  # plain executemany: the ORM's per-object cost dominates here
        cursor.executemany(
            f"INSERT INTO voters_voter ({', '.join(INSERT_COLUMNS)}) "  # noqa: S608 (constant names)
            f"VALUES ({', '.join(['%s'] * len(INSERT_COLUMNS))})",
            [v for _n, v in batch],
        )
    return len(batch)


def _parse(number, row, election, errors, seen, tps_cache, by=None) -> tuple | None:
    """A checked row as the values of INSERT_COLUMNS, or None (its errors appended)."""
    start = len(errors)
    nik = nkk = ""
    try:
        nik = keys.clean_number(row["nik"], "NIK")
    except keys.InvalidNumber as exc:
        errors.append(RowError(number, "nik", str(exc)))
    try:
        nkk = keys.clean_number(row["nkk"], "NKK")
    except keys.InvalidNumber as exc:
        errors.append(RowError(number, "nkk", str(exc)))
    name = " ".join(row["nama"].split())
    if not name:
        errors.append(RowError(number, "nama", _("nama kosong")))
    try:
        born = parse_date(row["tanggal_lahir"])
        if born > election.voting_date or born.year < 1900:
            raise ValueError(_("tanggal lahir di luar rentang yang mungkin"))
    except ValueError as exc:
        errors.append(RowError(number, "tanggal_lahir", str(exc)))
        born = None
    sex = SEXES.get(row["jenis_kelamin"].strip().upper())
    if sex is None:
        errors.append(RowError(number, "jenis_kelamin", _("isi L atau P")))
    tps = None
    try:
        code = normalize_tps_code(row["kode_tps"])
        if code not in tps_cache:
            tps_cache[code] = Tps.objects.filter(code=code).select_related("kelurahan").first()
        tps = tps_cache[code]
        if tps is None:
            errors.append(RowError(number, "kode_tps", _("TPS %(c)s tidak ada") % {"c": code}))
    except CodeError as exc:
        errors.append(RowError(number, "kode_tps", str(exc)))
    if tps is not None and getattr(by, "pk", None) and not can(by, "dpt.import", tps):
        errors.append(RowError(number, "kode_tps", _("TPS di luar wilayah kewenangan Anda")))
    if len(errors) > start or tps is None or born is None:
        return None
    digest = keys.nik_hash(nik)
    first = seen.setdefault(bytes.fromhex(digest), number)
    if first != number:
        errors.append(RowError(number, "nik", _("NIK ganda: sama dengan baris %(r)d") % {"r": first}))
        return None
    return (
        election.id,
        tps.id,
        digest,
        keys.nkk_hash(nkk),
        keys.confirm_dob(nik, born.isoformat()),
        keys.confirm_name(nik, name),
        keys.mask_name(name)[:120],
        born.year,
        sex,
    )


def recount_tps_dpt(*, election: Election, kelurahan_ids, by) -> int:
    """Set each TPS's DPT by sex from the imported voters (audited per TPS that changed)."""
    counts: dict[int, dict[str, int]] = {}
    for tps_id, sex, n in (
        Voter.objects.filter(election=election, tps__kelurahan_id__in=kelurahan_ids)
        .values_list("tps_id", "sex")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts.setdefault(tps_id, {})[sex] = n
    over = [(tps_id, sum(c.values())) for tps_id, c in counts.items() if sum(c.values()) > MAX_VOTERS_PER_TPS]
    if over:
        codes = dict(Tps.objects.filter(pk__in=[t for t, _n in over]).values_list("pk", "code"))
        raise ImportRejected(
            [
                RowError(
                    0,
                    "kode_tps",
                    _("TPS %(c)s mendapat %(n)d pemilih, melebihi %(m)d")
                    % {"c": codes[t], "n": n, "m": MAX_VOTERS_PER_TPS},
                )
                for t, n in over
            ]
        )
    changed, audit = [], []
    for tps in Tps.objects.filter(kelurahan_id__in=kelurahan_ids):
        c = counts.get(tps.pk, {})
        male, female = c.get("L", 0), c.get("P", 0)
        if (tps.dpt_male, tps.dpt_female) != (male, female):
            audit.append(
                (
                    tps,
                    {"dpt_male": tps.dpt_male, "dpt_female": tps.dpt_female},
                    {"dpt_male": male, "dpt_female": female},
                )
            )
            tps.dpt_male, tps.dpt_female, tps.version = male, female, tps.version + 1
            changed.append(tps)
    Tps.objects.bulk_update(changed, ["dpt_male", "dpt_female", "version"], batch_size=2000)
    transaction.on_commit(forget_process_caches)  # bulk writes send no signal (memo.ProcessCache)
    record_many("tps.dpt_from_voters", by=by, items=audit)
    return len(changed)
