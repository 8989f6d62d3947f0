"""Audited writes of point 5: a sheet's versions and photos, its verification, D.Hasil, finalisation.

The roll-up these keep is in `rollup.py`, the hash chain in `chain.py`, bulk loads in `loading.py`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deskpilkada import clock
from deskpilkada.accounts.access import grants_for
from deskpilkada.accounts.models import User
from deskpilkada.audit.log import build_entry, record, record_entries
from deskpilkada.elections.models import Contest
from deskpilkada.regions.models import Level, Region
from deskpilkada.tally import rules
from deskpilkada.tally.chain import genesis, version_hash
from deskpilkada.tally.models import (
    DHasil,
    IdempotencyKey,
    RecapFinal,
    RegionTotal,
    RegionVote,
    SheetPhoto,
    SheetVersion,
    SheetVote,
    Source,
    TallySheet,
    Verification,
)
from deskpilkada.tally.rollup import (
    TOTAL_FIELDS,
    Contribution,
    ancestor_ids,
    apply_delta,
    ballot_numbers,
    contribution,
    ensure_totals,
    ensure_totals_for,
)
from deskpilkada.tps.models import Tps
from deskpilkada.uploads import UploadRefused, check_image
from deskpilkada.writelock import serialized_writes, write_transaction


class Refused(Exception):
    """The submission cannot be a sheet at all (wrong TPS, contest, paslon, frozen recap, stale)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


class Stale(Refused):
    pass


# --- submitting a sheet ---------------------------------------------------------------------


def contest_covers(contest: Contest, tps: Tps) -> bool:
    return tps.code.startswith(contest.region.undotted_code)


def frozen_region(contest: Contest, tps: Tps) -> str | None:
    """The name of a finalised recap above this TPS, if any (checked on every submission)."""
    names = list(
        RecapFinal.objects.filter(contest=contest, region_id__in=ancestor_ids(tps.code)).values_list(
            "region__name", flat=True
        )[:1]
    )
    return names[0] if names else None


def check_form(contest: Contest, tps: Tps, sheet: rules.Sheet, finals: set[tuple[int, int]] | None = None) -> None:
    """Refuse what cannot be a sheet of this contest at all; `finals` (contest id, region id) pairs
    spare a bulk load one query per sheet."""
    check_paslon(contest, tps, sheet)
    if finals is not None:
        frozen = next((str(r) for r in ancestor_ids(tps.code) if (contest.pk, r) in finals), None)
    else:
        frozen = frozen_region(contest, tps)
    if frozen:
        raise frozen_refusal(frozen)


def check_paslon(contest: Contest, tps: Tps, sheet: rules.Sheet) -> None:
    """The part of `check_form` that needs no query: the TPS inside the contest, every paslon and only them."""
    if not contest_covers(contest, tps):
        raise Refused("kode_tps", _("TPS %(tps)s berada di luar wilayah %(c)s.") % {"tps": tps.code, "c": contest.name})
    numbers = ballot_numbers(contest)
    unknown = sorted(set(sheet.votes) - numbers)
    if unknown:
        raise Refused(
            rules.vote_key(unknown[0]),
            _("Paslon nomor %(n)d tidak ada di %(c)s.") % {"n": unknown[0], "c": contest.code},
        )
    missing = sorted(numbers - set(sheet.votes))
    if missing:
        raise Refused(rules.vote_key(missing[0]), _("Suara paslon %(n)d wajib diisi.") % {"n": missing[0]})


def frozen_refusal(region_name: str) -> Refused:
    return Refused(
        "kode_tps",
        _("Rekapitulasi %(r)s sudah final; C.Hasil di wilayah ini tidak dapat diubah.") % {"r": region_name},
    )


def build_version(
    row: TallySheet,
    *,
    tps: Tps,
    contest: Contest,
    sheet: rules.Sheet,
    number: int,
    prev_hash: str,
    source: str,
    by: User | None,
    reason: str,
    at: datetime,
) -> SheetVersion:
    """Version `number` of `row`, not yet saved: checked against the counting rules, chained to `prev_hash`."""
    problems = [p.as_dict() for p in rules.check(sheet, contest.election.tally_limits(), registered_dpt=tps.dpt)]
    username = by.username if by is not None and by.pk else ""
    digest = version_hash(
        prev_hash,
        contest_code=contest.code,
        tps_code=tps.code,
        number=number,
        source=source,
        by=username,
        at=at.isoformat(),
        reason=reason,
        figures=sheet.as_flat(),
        passed=not problems,
        problems=problems,
    )
    return SheetVersion(
        sheet=row,
        number=number,
        source=source,
        entered_by=by if username else None,
        entered_at=at,
        reason=reason,
        extra=sheet.extra,
        passed=not problems,
        problems=problems,
        prev_hash=prev_hash,
        hash=digest,
        **{col: sheet.get(key) for key, col in SheetVersion.COLUMNS.items()},
    )


LOCK_SHEETS = """
INSERT INTO tally_tallysheet (contest_id, tps_id, status, verified, disputed, version_count, updated_at)
VALUES {values}
ON CONFLICT (contest_id, tps_id) DO UPDATE SET version_count = tally_tallysheet.version_count
RETURNING contest_id, tps_id, id, status, verified, disputed, latest_id, version_count
"""


def locked_sheets(pairs: list[tuple[Contest, Tps]]) -> dict[tuple[int, int], TallySheet]:
    """The sheets of these (contest, TPS) pairs, made where it is the first entry, their rows locked
    until the transaction ends: one statement, in (contest, TPS) order, the order every writer takes
    them in. A concurrent first entry waits for the other's commit and then takes its row
    (PostgreSQL's ON CONFLICT DO UPDATE locks it; SQLite has one writer at a time)."""
    by_key = {(c.pk, t.pk): (c, t) for c, t in pairs}
    keys = sorted(by_key)
    now = timezone.now()
    sql = LOCK_SHEETS.format(values=", ".join(["(%s, %s, 'held', %s, %s, 0, %s)"] * len(keys)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [x for c, t in keys for x in (c, t, False, False, now)])
        rows = cursor.fetchall()
    out = {}
    for contest_id, tps_id, pk, status, verified, disputed, latest_id, count in rows:
        contest, tps = by_key[(contest_id, tps_id)]
        row = TallySheet(
            id=pk,
            contest=contest,
            tps=tps,
            status=status,
            verified=bool(verified),
            disputed=bool(disputed),
            latest_id=latest_id,
            version_count=count,
        )
        row._state.adding, row._state.db = False, connection.alias
        out[(contest_id, tps_id)] = row
    return out


def submit_sheet(
    *,
    by: User | None,
    tps: Tps,
    contest: Contest,
    sheet: rules.Sheet,
    source: str,
    reason: str = "",
    expected_version: int | None = None,
    photo: File | None = None,
    savepoint: bool = True,
) -> SheetVersion:
    """Store a new version of the TPS's C.Hasil, checked; a failing one is held, never lost.

    Updates the roll-up of every region above the TPS in the same transaction, and adds the plano
    `photo` when one is given: a refused photo refuses the sheet too, so nothing is half-saved.
    `savepoint=False` spares two statements inside a caller's transaction that is rolled back
    whole on any refusal (`submit_once`); the caller's transaction is unusable after a refusal.
    """
    with serialized_writes(), transaction.atomic(savepoint=savepoint):
        return _submit_sheet(
            by=by,
            tps=tps,
            contest=contest,
            sheet=sheet,
            source=source,
            reason=reason,
            expected_version=expected_version,
            photo=photo,
        )


def _submit_sheet(
    *,
    by: User | None,
    tps: Tps,
    contest: Contest,
    sheet: rules.Sheet,
    source: str,
    reason: str,
    expected_version: int | None,
    photo: File | None,
) -> SheetVersion:
    check_paslon(contest, tps, sheet)  # a finalised recap is checked below, once its totals are locked
    row = locked_sheets([(contest, tps)])[(contest.pk, tps.pk)]
    if expected_version is not None and expected_version != row.version_count:
        raise Stale(
            "versi",
            _("C.Hasil ini baru saja diubah orang lain (versi %(n)d). Muat ulang, periksa, lalu kirim lagi.")
            % {"n": row.version_count},
        )
    if row.version_count and not reason.strip():
        raise Refused("alasan", _("C.Hasil ini sudah ada: koreksi wajib disertai alasan."))
    ensure_totals_for(contest, tps)
    previous = SheetVersion.objects.get(pk=row.latest_id) if row.latest_id else None
    before = contribution(row, previous, previous.votes_dict() if previous else None)
    number = row.version_count + 1
    version = build_version(
        row,
        tps=tps,
        contest=contest,
        sheet=sheet,
        number=number,
        prev_hash=previous.hash if previous else genesis(contest.code, tps.code),
        source=source,
        by=by,
        reason=reason,
        at=clock.now(),
    )
    version.save(force_insert=True)
    problems = version.problems
    SheetVote.objects.bulk_create(
        [SheetVote(version=version, number=n, votes=v) for n, v in sorted(sheet.votes.items())]
    )
    row.latest, row.version_count = version, number
    row.status = TallySheet.Status.COUNTED if not problems else TallySheet.Status.HELD
    row.verified = row.disputed = False
    row.save(update_fields=["latest", "version_count", "status", "verified", "disputed", "updated_at"])
    apply_delta(contest.pk, tps.code, contribution(row, version, sheet.votes).minus(before))
    frozen = frozen_region(contest, tps)  # after the totals' locks: a finalisation waits for this sheet, or is seen
    if frozen:
        raise frozen_refusal(frozen)
    action = "tally.sheet_held" if problems else ("tally.sheet_corrected" if number > 1 else "tally.sheet_counted")
    record(
        action,
        by=by,
        target=row,
        target_repr=f"C.Hasil {contest.code} TPS {tps.code}",
        after={"version": number, "source": source, "figures": sheet.as_flat(), "problems": problems, "reason": reason},
    )
    if photo:
        add_photo(by=by, sheet=row, upload=photo)
    return version


# --- a batch of sheets in one transaction ---------------------------------------------------


@dataclass
class Entry:
    """One sheet of a batch, its TPS and contest already found and the sender's access checked."""

    tps: Tps
    contest: Contest
    sheet: rules.Sheet
    reason: str = ""
    expected_version: int | None = None


def _lock_totals(pairs: set[tuple[int, int]]) -> None:
    """Lock the total and vote rows of these (contest, region) pairs in id order (PostgreSQL)."""
    if not pairs or not connection.features.has_select_for_update:
        return
    marks = ", ".join(["(%s, %s)"] * len(pairs))
    flat = [x for pair in sorted(pairs) for x in pair]
    with connection.cursor() as cursor:
        for table in ("tally_regiontotal", "tally_regionvote"):
            cursor.execute(
                f"SELECT id FROM {table} WHERE (contest_id, region_id) IN ({marks}) ORDER BY id FOR UPDATE",  # noqa: S608
                flat,
            )


def _apply_deltas(deltas: dict[tuple[int, int], Contribution]) -> None:
    """Add the summed change of a batch to every (contest, region) it touches: one executemany per table."""
    now = timezone.now()
    totals = ", ".join(f"{name} = {name} + %s" for name in TOTAL_FIELDS)
    total_rows: list[tuple[Any, ...]] = []
    vote_rows: list[list[int]] = []
    for (contest_id, region_id), d in sorted(deltas.items()):
        figures = (d.counted, d.verified, d.held, d.dpt, d.voters, d.valid, d.invalid)
        if any(figures) or any(d.votes.values()):
            total_rows.append((*figures, now, contest_id, region_id))
        vote_rows += [[v, contest_id, region_id, n] for n, v in sorted(d.votes.items()) if v]
    with connection.cursor() as cursor:
        if total_rows:
            cursor.executemany(
                f"UPDATE tally_regiontotal SET {totals}, updated_at = %s WHERE contest_id = %s AND region_id = %s",  # noqa: S608
                total_rows,
            )
        if vote_rows:
            cursor.executemany(
                "UPDATE tally_regionvote SET votes = votes + %s "
                "WHERE contest_id = %s AND region_id = %s AND number = %s",
                vote_rows,
            )


def _add(into: Contribution, d: Contribution) -> None:
    for name in ("counted", "verified", "held", "dpt", "voters", "valid", "invalid"):
        setattr(into, name, getattr(into, name) + getattr(d, name))
    for n, v in d.votes.items():
        into.votes[n] = into.votes.get(n, 0) + v


@write_transaction
def submit_sheets(*, by: User | None, entries: list[Entry], source: str) -> list[SheetVersion | Refused]:
    """Many sheets in one transaction, each with the checks, version, hash chain link, audit row
    and roll-up of `submit_sheet`, written in bulk: the sheets made and locked in one statement, the
    versions, votes and audit rows in one INSERT each, the sheets moved in one UPDATE, the roll-up
    summed per region and added with one executemany per table. What cannot be stored is refused
    before anything is written (a stale or unexplained correction, a paslon that is not in the
    contest, a finalised recap seen after the totals are locked), and answered in its place. A second
    sheet of the same TPS and contest in the batch goes through `submit_sheet` after the others."""
    out: list[SheetVersion | Refused | None] = [None] * len(entries)
    first: list[int] = []
    again: list[int] = []
    seen: set[tuple[int, int]] = set()
    for i, e in enumerate(entries):
        try:
            check_paslon(e.contest, e.tps, e.sheet)
        except Refused as exc:
            out[i] = exc
            continue
        key = (e.contest.pk, e.tps.pk)
        (again if key in seen else first).append(i)
        seen.add(key)
    rows = locked_sheets([(entries[i].contest, entries[i].tps) for i in first]) if first else {}
    previous = {
        v.pk: v
        for v in SheetVersion.objects.filter(
            pk__in=[r.latest_id for r in rows.values() if r.latest_id]
        ).prefetch_related("votes")
    }
    at = clock.now()
    planned = []  # (index, row, version, change)
    for i in first:
        e = entries[i]
        row = rows[(e.contest.pk, e.tps.pk)]
        if e.expected_version is not None and e.expected_version != row.version_count:
            out[i] = Stale(
                "versi",
                _("C.Hasil ini baru saja diubah orang lain (versi %(n)d). Muat ulang, periksa, lalu kirim lagi.")
                % {"n": row.version_count},
            )
            continue
        if row.version_count and not e.reason.strip():
            out[i] = Refused("alasan", _("C.Hasil ini sudah ada: koreksi wajib disertai alasan."))
            continue
        ensure_totals_for(e.contest, e.tps)
        last = previous.get(row.latest_id) if row.latest_id else None
        before = contribution(row, last, last.votes_dict() if last else None)
        number = row.version_count + 1
        version = build_version(
            row,
            tps=e.tps,
            contest=e.contest,
            sheet=e.sheet,
            number=number,
            prev_hash=last.hash if last else genesis(e.contest.code, e.tps.code),
            source=source,
            by=by,
            reason=e.reason,
            at=at,
        )
        row.status = TallySheet.Status.COUNTED if not version.problems else TallySheet.Status.HELD
        row.verified = row.disputed = False
        planned.append((i, row, version, contribution(row, version, e.sheet.votes).minus(before)))
    regions = {i: ancestor_ids(entries[i].tps.code) for i, *_rest in planned}
    _lock_totals({(entries[i].contest.pk, r) for i, ids in regions.items() for r in ids})
    finals = {
        (c, r): name
        for c, r, name in RecapFinal.objects.filter(
            contest_id__in={entries[i].contest.pk for i in regions},
            region_id__in={r for ids in regions.values() for r in ids},
        ).values_list("contest_id", "region_id", "region__name")
    }
    kept = []
    for i, row, version, change in planned:
        frozen = next((finals[(row.contest_id, r)] for r in regions[i] if (row.contest_id, r) in finals), None)
        if frozen:
            out[i] = frozen_refusal(frozen)
        else:
            kept.append((i, row, version, change))
    SheetVersion.objects.bulk_create([version for _i, _row, version, _c in kept])
    SheetVote.objects.bulk_create(
        [
            SheetVote(version=version, number=n, votes=v)
            for i, _row, version, _c in kept
            for n, v in sorted(entries[i].sheet.votes.items())
        ]
    )
    deltas: dict[tuple[int, int], Contribution] = {}
    audit = []
    for i, row, version, change in kept:
        row.latest, row.version_count = version, version.number
        for r in regions[i]:
            _add(deltas.setdefault((row.contest_id, r), Contribution()), change)
        e = entries[i]
        action = (
            "tally.sheet_held"
            if version.problems
            else ("tally.sheet_corrected" if version.number > 1 else "tally.sheet_counted")
        )
        audit.append(
            build_entry(
                action,
                by=by,
                target=row,
                target_repr=f"C.Hasil {e.contest.code} TPS {e.tps.code}",
                after={
                    "version": version.number,
                    "source": source,
                    "figures": e.sheet.as_flat(),
                    "problems": version.problems,
                    "reason": e.reason,
                },
            )
        )
        out[i] = version
    kept_rows = {row.pk for _i, row, _v, _c in kept}
    empty = [r.pk for r in rows.values() if r.version_count == 0 and r.pk not in kept_rows]
    if empty:  # made above for a first entry that was then refused: gone again, as a single sheet's would be
        TallySheet.objects.filter(pk__in=empty, version_count=0, latest__isnull=True).delete()
    with connection.cursor() as cursor:  # one executemany: bulk_update's CASE expressions cost more than the writes
        cursor.executemany(
            "UPDATE tally_tallysheet SET latest_id = %s, version_count = %s, status = %s, verified = %s, "
            "disputed = %s, updated_at = %s WHERE id = %s",
            [(row.latest_id, row.version_count, row.status, False, False, at, row.pk) for _i, row, _v, _c in kept],
        )
    _apply_deltas(deltas)
    record_entries(audit)
    for i in again:
        e = entries[i]
        try:
            out[i] = submit_sheet(
                by=by,
                tps=e.tps,
                contest=e.contest,
                sheet=e.sheet,
                source=source,
                reason=e.reason,
                expected_version=e.expected_version,
            )
        except Refused as exc:
            out[i] = exc
    done = [r for r in out if r is not None]
    assert len(done) == len(entries)  # every entry is answered, in its place
    return done


def figures_differ(a: dict[str, int], b: dict[str, int]) -> list[dict]:
    keys = [*rules.FIELD_KEYS, *sorted(k for k in set(a) | set(b) if k.startswith("paslon_"))]
    keys += [k for k in rules.OPTIONAL_KEYS if k in a and k in b]
    return [{"field": k, "first": a.get(k), "second": b.get(k)} for k in keys if a.get(k) != b.get(k)]


def _set_verified(row: TallySheet, verified: bool, disputed: bool) -> None:
    before = contribution(row, row.latest, None)
    row.verified, row.disputed = verified, disputed
    row.save(update_fields=["verified", "disputed", "updated_at"])
    after = contribution(row, row.latest, None)
    apply_delta(row.contest_id, row.tps.code, Contribution(verified=after.verified - before.verified))


@transaction.atomic
def submit_second_entry(*, by: User, sheet: TallySheet, figures: rules.Sheet) -> Verification:
    """An independent second entry: verifies the sheet when it matches field by field."""
    row = TallySheet.objects.select_for_update(of=("self",)).select_related("latest", "tps").get(pk=sheet.pk)
    version = row.latest
    if version is None:
        raise Refused("kode_tps", _("Belum ada C.Hasil untuk TPS ini."))
    if version.entered_by_id == by.pk:
        raise Refused("kode_tps", _("Entri kedua harus oleh orang lain, bukan yang mengisi entri pertama."))
    first, second = version.as_sheet().as_flat(), figures.as_flat()
    diffs = figures_differ(first, second)
    check = Verification.objects.create(
        sheet=row,
        version=version,
        kind=Verification.Kind.SECOND_ENTRY,
        by=by,
        figures=second,
        differences=diffs,
        matches=not diffs,
    )
    _set_verified(row, verified=not diffs and row.status == TallySheet.Status.COUNTED, disputed=bool(diffs))
    record(
        "tally.second_entry_matched" if not diffs else "tally.second_entry_differs",
        by=by,
        target=row,
        after={"version": version.number, "differences": diffs},
    )
    return check


@transaction.atomic
def confirm_against_photo(*, by: User, sheet: TallySheet, expected_version: int | None = None) -> Verification:
    row = TallySheet.objects.select_for_update(of=("self",)).select_related("latest", "tps").get(pk=sheet.pk)
    version = row.latest
    if expected_version is not None and expected_version != row.version_count:
        raise Stale("versi", _("C.Hasil ini berubah sejak halaman dibuka. Periksa lagi angkanya dengan foto."))
    if version is None or row.status != TallySheet.Status.COUNTED:
        raise Refused("kode_tps", _("Hanya C.Hasil yang lolos pemeriksaan yang dapat diverifikasi."))
    if version.entered_by_id == by.pk:
        raise Refused("kode_tps", _("Verifikator tidak boleh orang yang mengisi C.Hasil ini."))
    if not row.photos.exists():
        raise Refused("foto", _("Belum ada foto plano untuk dicocokkan."))
    check = Verification.objects.create(
        sheet=row, version=version, kind=Verification.Kind.PHOTO_CHECK, by=by, matches=True
    )
    _set_verified(row, verified=True, disputed=False)
    record("tally.photo_confirmed", by=by, target=row, after={"version": version.number})
    return check


def _second_entry_sheet(first: rules.Sheet, second: dict[str, int]) -> rules.Sheet:
    """The second entry's figures as a sheet; the optional figures it did not ask for stay the first's."""
    return rules.Sheet(
        numbers={k: second[k] for k in rules.FIELD_KEYS},
        votes={int(k.split("_", 1)[1]): v for k, v in second.items() if k.startswith("paslon_")},
        extra={**first.extra, **{k: second[k] for k in rules.OPTIONAL_KEYS if k in second}},
    )


KEEP_FIRST, KEEP_SECOND = "pertama", "kedua"


@write_transaction
def resolve_dispute(
    *, by: User, sheet: TallySheet, keep: str, reason: str = "", expected_version: int | None = None
) -> Verification | SheetVersion:
    """Settle a sheet whose second entry differs, through the existing steps, after comparing both
    with the plano: `keep="pertama"` confirms the first entry against the photo; `keep="kedua"`
    makes the second entry a correction (a new version, with `reason`), which is then verified
    again like any correction. One audit row names the choice, with both figures of each field."""
    row = TallySheet.objects.select_for_update(of=("self",)).select_related("latest", "tps").get(pk=sheet.pk)
    if not row.disputed or row.latest is None:
        raise Refused("pilih", _("C.Hasil ini tidak dalam sengketa."))
    if expected_version is not None and expected_version != row.version_count:
        raise Stale("versi", _("C.Hasil ini berubah sejak halaman dibuka. Periksa lagi kedua entri dengan foto."))
    check = (
        row.verifications.filter(kind=Verification.Kind.SECOND_ENTRY, matches=False, version=row.latest)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )
    if check is None:
        raise Refused("pilih", _("Entri kedua yang berbeda tidak ditemukan untuk versi ini."))
    first = row.latest.as_sheet()
    if keep == KEEP_FIRST:
        outcome: Verification | SheetVersion = confirm_against_photo(by=by, sheet=row, expected_version=None)
        version_number = row.latest.number
    elif keep == KEEP_SECOND:
        if not reason.strip():
            raise Refused("alasan", _("Tulis alasannya: apa yang terlihat di foto plano atau formulir asli."))
        text = _("Sengketa: entri kedua (%(who)s) dipakai — %(why)s") % {"who": check.by, "why": reason.strip()}
        correction = submit_sheet(
            by=by,
            tps=row.tps,
            contest=row.contest,
            sheet=_second_entry_sheet(first, check.figures),
            source=source_for(by),
            reason=text[:300],
        )
        outcome, version_number = correction, correction.number
    else:
        raise Refused("pilih", _("Pilih entri pertama atau entri kedua."))
    record(
        "tally.dispute_resolved",
        by=by,
        target=row,
        target_repr=f"C.Hasil {row.contest.code} TPS {row.tps.code}",
        before={d["field"]: d["first"] for d in check.differences},
        after={
            "kept": keep,
            "version": version_number,
            "second_entry_by": check.by.username,
            "figures": {d["field"]: d["first" if keep == KEEP_FIRST else "second"] for d in check.differences},
            "reason": reason.strip(),
        },
    )
    return outcome


# --- idempotent submission -----------------------------------------------------------------


def submit_once(
    *, user: User, key: str, body: Any, submit: Callable[[], tuple[int, dict[str, Any]]]
) -> tuple[int, Any]:
    """Run `submit()` -> (status, body) once per (user, key); a retry gets the first answer (the
    JSON stored with the key).

    `body` is the parsed request: its fingerprint is taken over canonical JSON, so the same data
    re-serialised (other key order, other spacing) is the same request. A key longer than the
    column is refused, never truncated (two long keys would otherwise share an answer).
    The key row is inserted first: a concurrent retry blocks on its unique index until the first
    commits, then finds the stored answer. A failed submit stores nothing, so it may be retried.
    """
    longest = IdempotencyKey._meta.get_field("key").max_length
    if longest is not None and len(key) > longest:  # a CharField's, always set
        raise Refused("Idempotency-Key", _("paling banyak %(n)d karakter.") % {"n": longest})
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    fingerprint = hashlib.sha256(canonical.encode()).hexdigest()
    with serialized_writes(), transaction.atomic():
        slot = _claim_key(user, key, fingerprint)
        if slot is not None:
            status, answer = submit()
            IdempotencyKey.objects.filter(pk=slot).update(status=status, response=answer)
            return status, answer
    first = IdempotencyKey.objects.get(user=user, key=key)
    if first.fingerprint != fingerprint:
        raise Refused("Idempotency-Key", _("kunci ini sudah dipakai untuk isi kiriman yang berbeda."))
    return first.status, first.response


CLAIM_KEY = """
INSERT INTO tally_idempotencykey (user_id, key, fingerprint, status, created_at) VALUES (%s, %s, %s, 0, %s)
ON CONFLICT (user_id, key) DO NOTHING RETURNING id
"""


def _claim_key(user: User, key: str, fingerprint: str) -> int | None:
    """The new key row's id, or None when the key is taken: one statement (no savepoint), and a
    concurrent first use of the key is waited for (PostgreSQL's ON CONFLICT waits for its commit)."""
    with connection.cursor() as cursor:
        cursor.execute(CLAIM_KEY, [user.pk, key, fingerprint, timezone.now()])
        row = cursor.fetchone()
    return row[0] if row else None


# --- photos -----------------------------------------------------------------------------


@transaction.atomic
def add_photo(*, by: User | None, sheet: TallySheet, upload: File) -> SheetPhoto:
    try:
        kind = check_image(upload, settings.PHOTO_MAX_BYTES)
    except UploadRefused as exc:
        raise Refused("foto", str(exc))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    photo = SheetPhoto.objects.create(
        sheet=sheet,
        version=sheet.latest,
        file=upload,
        sha256=digest.hexdigest(),
        content_type=kind,
        size=upload.size,
        uploaded_by=by,
    )
    record("tally.photo_added", by=by, target=sheet, after={"sha256": photo.sha256, "size": photo.size})
    return photo


# --- D.Hasil and finalisation -------------------------------------------------------------


@transaction.atomic
def record_d_hasil(
    *, by: User, contest: Contest, kecamatan: Region, voters: int, valid: int, invalid: int, votes: dict[int, int]
) -> DHasil:
    entry = DHasil.objects.create(
        contest=contest,
        kecamatan=kecamatan,
        entered_by=by,
        voters=voters,
        valid=valid,
        invalid=invalid,
        votes={str(n): v for n, v in sorted(votes.items())},
    )
    record(
        "tally.d_hasil_entered",
        by=by,
        target=entry,
        target_repr=f"D.Hasil {contest.code} {kecamatan.name}",
        after={"voters": voters, "valid": valid, "invalid": invalid, "votes": entry.votes},
    )
    return entry


@transaction.atomic
def finalise_recap(*, by: User, contest: Contest, region: Region) -> RecapFinal:
    if region.level not in (Level.DISTRICT, Level.REGENCY):
        raise Refused("wilayah", _("Hanya rekap kecamatan atau kota yang dapat difinalkan."))
    if RecapFinal.objects.filter(contest=contest, region=region).exists():
        raise Refused("wilayah", _("Rekap ini sudah final."))
    if region.level == Level.REGENCY:
        open_ = region.children.exclude(pk__in=RecapFinal.objects.filter(contest=contest).values("region_id"))
        if open_.exists():
            raise Refused(
                "wilayah",
                _("Finalkan dulu rekap semua kecamatan: %(k)s.")
                % {"k": ", ".join(open_.values_list("name", flat=True))},
            )
    ensure_totals(contest)
    # Lock the region's totals: a sheet still being saved below it finishes first, or sees the final.
    total = RegionTotal.objects.select_for_update().get(contest=contest, region=region)
    snapshot = {
        "tps_total": total.tps_total,
        "tps_counted": total.tps_counted,
        "tps_verified": total.tps_verified,
        "tps_held": total.tps_held,
        "voters": total.voters,
        "valid": total.valid,
        "invalid": total.invalid,
        "votes": {str(v.number): v.votes for v in RegionVote.objects.filter(contest=contest, region=region)},
    }
    final = RecapFinal.objects.create(contest=contest, region=region, finalised_by=by, snapshot=snapshot)
    record("tally.recap_finalised", by=by, target=final, target_repr=f"{contest.code} {region.name}", after=snapshot)
    return final


def source_for(user: User | None) -> str:
    return Source.KPPS if any(g.role == "kpps" for g in grants_for(user)) else Source.MANUAL
