"""Loading C.Hasil in bulk: the CSV/Excel import, Sirekap's per-TPS JSON, and first entries in batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import IO

from django.db import connection, transaction
from django.utils.translation import gettext as _

from deskpilkada import clock, numbers
from deskpilkada.accounts.access import can
from deskpilkada.accounts.models import User
from deskpilkada.audit.log import record
from deskpilkada.elections.models import Contest
from deskpilkada.imports import ImportRejected, RowError, parse_int, read_table
from deskpilkada.regions.codes import CodeError
from deskpilkada.tally import rules
from deskpilkada.tally.actions import build_version, check_form, contest_covers, submit_sheet
from deskpilkada.tally.chain import genesis
from deskpilkada.tally.models import ExternalSheet, RecapFinal, SheetVersion, SheetVote, Source, TallySheet
from deskpilkada.tally.rollup import ancestor_ids, know_ancestors, rewrite_totals
from deskpilkada.tps.codes import normalize_tps_code
from deskpilkada.tps.models import Tps

# --- the CSV/Excel import ------------------------------------------------------------------

RESULT_COLUMNS = ["kode_tps", "pemilihan", *rules.FIELD_KEYS]


@dataclass(frozen=True)
class HeldRow:
    """A row of an import stored as a held sheet, with the rules it breaks."""

    row: int
    tps: Tps
    contest: Contest
    problems: list[dict]


# Held rows listed by name in an import's report; the rest are counted, and listed on the held page.
HELD_SHOWN = 500


@dataclass
class ResultImport:
    counted: int = 0
    held: int = 0
    unchanged: int = 0
    held_rows: list[HeldRow] = field(default_factory=list)  # the first HELD_SHOWN of them
    notes: list[int] = field(default_factory=list)  # rows skipped as notes ("#…")
    contests_held: dict[str, Contest] = field(default_factory=dict)

    @property
    def held_contests(self) -> list[Contest]:
        """The contests of the held rows, each once, in the file's order (a held list per contest)."""
        return list(self.contests_held.values())

    @property
    def held_not_shown(self) -> int:
        return self.held - len(self.held_rows)

    def hold(self, number: int | None, tps: Tps, contest: Contest, problems: list[dict]) -> None:
        self.held += 1
        self.contests_held.setdefault(contest.code, contest)
        if number is not None and len(self.held_rows) < HELD_SHOWN:
            self.held_rows.append(HeldRow(number, tps, contest, rules.described(problems)))

    def summary(self) -> str:
        text = _("%(c)s C.Hasil dihitung, %(h)s ditahan karena melanggar aturan penghitungan, %(u)s tidak berubah") % {
            "c": numbers.number(self.counted),
            "h": numbers.number(self.held),
            "u": numbers.number(self.unchanged),
        }
        if self.notes:
            text += "; " + _("%(n)s baris catatan (diawali #) dilewati") % {"n": numbers.number(len(self.notes))}
        return text


def template_columns(contest: Contest) -> list[str]:
    return [*RESULT_COLUMNS, *[rules.vote_key(c.number) for c in contest.candidates.all()]]


def template_rows(contest: Contest, example: Tps | None) -> list[list]:
    """The C.Hasil template's rows under the header: a note, and an example for `example` (its
    registered DPT, three in four voting, figures that add up). Both begin with "#", so an import
    skips them: the example never becomes a sheet of a real TPS."""
    columns = template_columns(contest)
    if example is None:
        return [[_("# Satu baris per TPS: kode TPS 13 digit, kode pemilihan, lalu angka-angka C.Hasil.")]]
    numbers = [c.number for c in contest.candidates.all()]
    voters = example.dpt * 3 // 4
    invalid = voters // 50
    valid = voters - invalid
    votes = [valid // len(numbers)] * len(numbers) if numbers else []
    if votes:
        votes[0] += valid - sum(votes)
    sheet = rules.balanced_sheet(example.dpt, votes, invalid=invalid, damaged=1)
    flat = {**sheet.as_flat(), **{rules.vote_key(n): v for n, v in zip(numbers, votes, strict=True)}}
    note = _(
        "# Contoh di baris berikut: TPS %(tps)s (DPT %(dpt)d), angka yang seimbang. Baris yang diawali # "
        "dilewati saat impor; isi data Anda mulai baris berikutnya, satu baris per TPS."
    ) % {"tps": example.code, "dpt": example.dpt}
    return [[note], ["#" + example.code, contest.code, *[flat[c] for c in columns[2:]]]]


CHUNK = 2000  # rows checked (and written) together: one TPS query per chunk, memory flat in the file's size


def import_results(fileobj: IO[bytes], *, by: User | None, source: str = Source.CSV) -> ResultImport:
    """CSV/Excel of C.Hasil, one row per TPS per contest. A malformed row refuses the file;
    a well-formed row that breaks a counting rule is stored as a held sheet.

    Two streaming passes, as the DPT import: the first checks every row (memory holds one chunk and
    the (contest, TPS) pairs seen), the second reads the file again and writes chunk by chunk in one
    transaction: first entries in bulk (checked and chained as any sheet, one audit row per chunk),
    changed sheets through `submit_sheet`, the totals rewritten at the end."""
    checks = _ImportRules.load()
    errors: list[RowError] = []
    seen: dict[int, int] = {}
    result = ResultImport()
    for chunk in _chunks(_table(fileobj, result.notes)):
        for _row in checks.checked(chunk, by=by, errors=errors, seen=seen):
            pass
    if errors:
        raise ImportRejected(errors)
    if not seen:
        raise ImportRejected([RowError(0, "", _("Berkas tidak berisi baris data."))])
    fileobj.seek(0)
    touched: set[int] = set()
    with transaction.atomic():
        for chunk in _chunks(_table(fileobj, None)):
            rows = list(checks.checked(chunk, by=by, errors=errors, seen=None))
            if errors:  # the file changed between the passes
                raise ImportRejected(errors)
            _write_batch(
                rows, by=by, source=Source.CSV, named=source, result=result, touched=touched, skip_unchanged=True
            )
        if touched:
            rewrite_totals(by=by, contests=list(Contest.objects.filter(pk__in=touched)))
        record(
            "tally.results_imported",
            by=by,
            after={"source": source, "counted": result.counted, "held": result.held, "unchanged": result.unchanged},
        )
    return result


def _table(fileobj: IO[bytes], notes: list[int] | None) -> Iterator[tuple[int, dict[str, str]]]:
    return read_table(
        fileobj, required=RESULT_COLUMNS, optional=rules.OPTIONAL_KEYS, pattern=r"paslon_\d+", notes=notes
    )


def _chunks(rows: Iterator[tuple[int, dict[str, str]]]) -> Iterator[list[tuple[int, dict[str, str]]]]:
    while chunk := list(islice(rows, CHUNK)):
        yield chunk


@dataclass
class _ImportRules:
    """What every row is checked against, read once: the contests, their ballot numbers, the
    finalised recaps."""

    contests: dict[str, Contest]
    candidates: dict[str, list[int]]
    finals: set[tuple[int, int]]

    @classmethod
    def load(cls) -> _ImportRules:
        contests = {
            c.code: c for c in Contest.objects.select_related("election", "region").prefetch_related("candidates")
        }
        return cls(
            contests=contests,
            candidates={code: sorted(c.number for c in contest.candidates.all()) for code, contest in contests.items()},
            finals=set(RecapFinal.objects.values_list("contest_id", "region_id")),
        )

    def checked(
        self,
        chunk: list[tuple[int, dict[str, str]]],
        *,
        by: User | None,
        errors: list[RowError],
        seen: dict[int, int] | None,
    ) -> Iterator[tuple[int, Tps, Contest, rules.Sheet]]:
        """The chunk's well-formed rows; the others' errors appended. `seen` ({(contest, TPS): row})
        finds a pair given twice; without it (the writing pass) the first pass has looked already."""
        codes: dict[int, str | None] = {}
        for number, row in chunk:
            try:
                codes[number] = normalize_tps_code(row["kode_tps"])
            except CodeError as exc:
                errors.append(RowError(number, "kode_tps", str(exc)))
                codes[number] = None
        wanted = {c for c in codes.values() if c}
        found = {t.code: t for t in Tps.objects.filter(code__in=wanted).select_related("kelurahan")}
        know_ancestors(found)
        for number, row in chunk:
            start = len(errors)
            code = codes[number]
            tps = found.get(code) if code else None
            if code and tps is None:
                errors.append(RowError(number, "kode_tps", _("TPS %(c)s tidak ada") % {"c": code}))
            contest = self.contests.get(row["pemilihan"])
            if contest is None:
                errors.append(RowError(number, "pemilihan", _("pemilihan «%(c)s» tidak ada") % {"c": row["pemilihan"]}))
            sheet = self._sheet(number, row, contest, errors)
            if contest is not None and tps is not None:
                self._check_place(number, tps, contest, by, errors)
            # A row without its TPS or contest has an error above: the checks below only tell mypy.
            if len(errors) > start or code is None or tps is None or contest is None:
                continue
            if seen is not None:
                first = seen.setdefault(contest.pk << 32 | tps.pk, number)
                if first != number:
                    errors.append(
                        RowError(
                            number,
                            "kode_tps",
                            _("duplikat: TPS dan pemilihan yang sama di baris %(r)d") % {"r": first},
                        )
                    )
                    continue
            yield number, tps, contest, sheet

    def _sheet(self, number: int, row: dict[str, str], contest: Contest | None, errors: list[RowError]) -> rules.Sheet:
        numbers: dict[str, int] = {}
        votes: dict[int, int] = {}
        extra: dict[str, int] = {}
        for key in rules.FIELD_KEYS:
            try:
                numbers[key] = parse_int(row[key], minimum=-rules.MAX_FIGURE, maximum=rules.MAX_FIGURE)
            except ValueError as exc:
                errors.append(RowError(number, key, str(exc)))
        for key in rules.OPTIONAL_KEYS:
            if row.get(key, "") != "":
                try:
                    extra[key] = parse_int(row[key], minimum=-rules.MAX_FIGURE, maximum=rules.MAX_FIGURE)
                except ValueError as exc:
                    errors.append(RowError(number, key, str(exc)))
        if contest is not None:
            ballot = self.candidates[contest.code]
            for n in ballot:
                key = rules.vote_key(n)
                if key not in row:
                    errors.append(RowError(number, key, _("kolom suara paslon %(n)d tidak ada") % {"n": n}))
                    continue
                try:
                    votes[n] = parse_int(row[key], minimum=-rules.MAX_FIGURE, maximum=rules.MAX_FIGURE)
                except ValueError as exc:
                    errors.append(RowError(number, key, str(exc)))
            for k in row:
                if k.startswith("paslon_") and row[k] and int(k[7:]) not in ballot:
                    errors.append(RowError(number, k, _("paslon ini tidak ada di %(c)s") % {"c": contest.code}))
        return rules.Sheet(numbers=numbers, votes=votes, extra=extra)

    def _check_place(self, number: int, tps: Tps, contest: Contest, by: User | None, errors: list[RowError]) -> None:
        """The TPS within the contest's region and the user's area, its recap not final."""
        if not contest_covers(contest, tps):
            errors.append(RowError(number, "kode_tps", _("TPS di luar wilayah %(c)s") % {"c": contest.code}))
        if getattr(by, "pk", None) and not can(by, "tally.enter", tps):
            errors.append(RowError(number, "kode_tps", _("TPS di luar wilayah kewenangan Anda")))
        if any((contest.pk, r) in self.finals for r in ancestor_ids(tps.code)):
            errors.append(RowError(number, "kode_tps", _("rekapitulasi wilayah TPS ini sudah final")))


# --- Sirekap -------------------------------------------------------------------------------

SIREKAP_FIELDS = {
    "pengguna_dpt_j": "pengguna_dpt",
    "pengguna_dptb_j": "pengguna_dptb",
    "pengguna_non_dpt_j": "pengguna_dpk",
    "suara_sah": "suara_sah",
    "suara_tidak_sah": "suara_tidak_sah",
    "pemilih_dpt_j": "dpt",
    "pemilih_dpt_l": "dpt_laki",
    "pemilih_dpt_p": "dpt_perempuan",
    "pengguna_total_j": "pengguna_total",
    "suara_total": "suara_total",
}


def parse_sirekap(data: dict, mapping: dict[str, int]) -> tuple[dict[str, int], list[str], str]:
    """Sirekap's per-TPS JSON -> (flat figures by our keys, image URLs, ts). Unknown paslon ids raise."""
    figures: dict[str, int] = {}
    for sid, votes in (data.get("chart") or {}).items():
        if sid in ("null", "persen") or votes is None:
            continue
        if sid not in mapping:
            raise ValueError(_("id paslon Sirekap %(id)s tidak dipetakan ke nomor urut") % {"id": sid})
        figures[rules.vote_key(mapping[sid])] = int(votes)
    for src, key in SIREKAP_FIELDS.items():
        value = (data.get("administrasi") or {}).get(src)
        if value is not None:
            figures[key] = int(value)
    images = [u for u in (data.get("images") or []) if u]
    return figures, images, str(data.get("ts") or "")


@transaction.atomic
def import_sirekap(items: list[tuple[str, dict]], *, by: User | None, contest: Contest) -> int:
    """(TPS code, Sirekap JSON) pairs -> ExternalSheet rows, kept apart from our count."""
    mapping = {str(k): int(v) for k, v in (contest.sirekap_ids or {}).items()}
    errors: list[RowError] = []
    ready: list[tuple[Tps, dict[str, int], list[str], str]] = []
    for index, (code, data) in enumerate(items, start=1):
        tps = Tps.objects.filter(code=code).first()
        if tps is None or not contest_covers(contest, tps):
            errors.append(
                RowError(index, "kode_tps", _("TPS %(c)s tidak ada di wilayah %(k)s") % {"c": code, "k": contest.code})
            )
            continue
        try:
            ready.append((tps, *parse_sirekap(data, mapping)))
        except (ValueError, TypeError, AttributeError) as exc:
            errors.append(RowError(index, code, str(exc)))
    if errors:
        raise ImportRejected(errors)
    for tps, figures, images, ts in ready:
        ExternalSheet.objects.update_or_create(
            contest=contest, tps=tps, source="sirekap", defaults={"figures": figures, "images": images, "source_ts": ts}
        )
    record("tally.sirekap_imported", by=by, target=contest, after={"sheets": len(ready)})
    return len(ready)


# --- bulk first entries ---------------------------------------------------------------------


def _link_first_versions(sheet_ids: list[int]) -> None:
    """Point freshly loaded sheets at their first version, and set their status from it."""
    if not sheet_ids:
        return
    marks = ", ".join(["%s"] * len(sheet_ids))
    first = "SELECT v.{col} FROM tally_sheetversion v WHERE v.sheet_id = tally_tallysheet.id AND v.number = 1"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE tally_tallysheet SET latest_id = ({first.format(col='id')}), "  # noqa: S608 (constants)
            f"status = CASE WHEN ({first.format(col='passed')}) THEN 'counted' ELSE 'held' END "
            f"WHERE id IN ({marks})",
            sheet_ids,
        )


def load_sheets(
    rows: Iterable[tuple[Tps, Contest, rules.Sheet]],
    *,
    by: User | None,
    source: str = Source.CSV,
    batch_size: int = 2000,
) -> ResultImport:
    """First entries in bulk (a national import): checked and hash-chained like any sheet, written
    in batches so memory stays flat, one audit row per batch; the totals are recounted at the end.
    A sheet that already exists is a correction and goes through `submit_sheet` instead. The totals
    are rewritten even when a later batch fails, so the committed batches are never left out."""
    result = ResultImport()
    touched: set[int] = set()
    iterator = iter(rows)
    try:
        _load_batches(iterator, by=by, source=source, batch_size=batch_size, result=result, touched=touched)
    finally:
        if touched:
            rewrite_totals(by=by, contests=list(Contest.objects.filter(pk__in=touched)))
    return result


def _load_batches(
    iterator: Iterator[tuple[Tps, Contest, rules.Sheet]],
    *,
    by: User | None,
    source: str,
    batch_size: int,
    result: ResultImport,
    touched: set[int],
) -> None:
    while batch := list(islice(iterator, batch_size)):
        with transaction.atomic():
            _write_batch(
                [(None, t, c, s) for t, c, s in batch],
                by=by,
                source=source,
                result=result,
                touched=touched,
                skip_unchanged=False,
            )


def _write_batch(
    batch: Sequence[tuple[int | None, Tps, Contest, rules.Sheet]],
    *,
    by: User | None,
    source: str,
    result: ResultImport,
    touched: set[int],
    skip_unchanged: bool,
    named: str = "",
) -> None:
    """Write checked rows ((file row or None, TPS, contest, sheet)): a TPS's first entry in bulk,
    checked and chained as any sheet, with one audit row for the batch; a correction through
    `submit_sheet`; with `skip_unchanged`, a row equal to the sheet's latest version is left alone.
    `source` is the versions' kind (a `Source`); `named`, the import's own name for it ("rekap-manual"),
    says it in the reasons and the audit. The caller holds the transaction and rewrites the totals of
    `touched` afterwards."""
    label = named or source
    keys = {(tps.pk, contest.pk) for _n, tps, contest, _sheet in batch}
    existing = {
        (s.tps_id, s.contest_id): s
        for s in TallySheet.objects.filter(
            tps_id__in={k[0] for k in keys}, contest_id__in={k[1] for k in keys}
        ).select_related("latest")
    }
    fresh = [(n, t, c, s) for n, t, c, s in batch if (t.pk, c.pk) not in existing]
    for number, tps, contest, sheet in batch:
        old = existing.get((tps.pk, contest.pk))
        if old is None:
            continue
        if skip_unchanged and old.latest and old.latest.as_sheet().as_flat() == sheet.as_flat():
            result.unchanged += 1
            continue
        reason = _("impor %(s)s") % {"s": label} if old.version_count else ""
        version = submit_sheet(by=by, tps=tps, contest=contest, sheet=sheet, source=source, reason=reason)
        if version.passed:
            result.counted += 1
        else:
            result.hold(number, tps, contest, version.problems)
    now = clock.now()
    finals = set(RecapFinal.objects.values_list("contest_id", "region_id"))
    for _n, tps, contest, sheet in fresh:
        check_form(contest, tps, sheet, finals)
    sheets = TallySheet.objects.bulk_create(
        [TallySheet(contest=c, tps=t, status=TallySheet.Status.HELD, version_count=1) for _n, t, c, _s in fresh]
    )
    versions: list[SheetVersion] = []
    for row, (number, tps, contest, sheet) in zip(sheets, fresh, strict=True):
        version = build_version(
            row,
            tps=tps,
            contest=contest,
            sheet=sheet,
            number=1,
            prev_hash=genesis(contest.code, tps.code),
            source=source,
            by=by,
            reason="",
            at=now,
        )
        versions.append(version)
        row.status = TallySheet.Status.COUNTED if version.passed else TallySheet.Status.HELD
        if version.passed:
            result.counted += 1
        else:
            result.hold(number, tps, contest, version.problems)
        touched.add(contest.pk)
    SheetVersion.objects.bulk_create(versions)
    SheetVote.objects.bulk_create(
        [
            SheetVote(version=v, number=n, votes=x)
            for v, (_n, _t, _c, s) in zip(versions, fresh, strict=True)
            for n, x in sorted(s.votes.items())
        ]
    )
    _link_first_versions([row.pk for row in sheets])
    if fresh:
        record(
            "tally.sheets_loaded",
            by=by,
            target_repr=f"{len(fresh)} C.Hasil",
            after={"source": label, "sheets": len(fresh), "first": fresh[0][1].code, "last": fresh[-1][1].code},
        )
