"""Audited writes of point 5: sheets, verification, roll-up, D.Hasil, finalisation, imports."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from deskpilkada.accounts.access import can
from deskpilkada.audit.log import record
from deskpilkada.elections.models import Contest
from deskpilkada.regions.models import Region
from deskpilkada.tally import rules
from deskpilkada.tally.chain import (  # noqa: F401 (the chain's functions lived here; callers still import them)
    genesis,
    publish_checkpoint,
    recompute_hash,
    verify_chain,
    version_hash,
)
from deskpilkada.tally.models import (
    DHasil,
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
from deskpilkada.tps.models import Tps
from deskpilkada.writelock import serialized_writes, write_transaction


class Refused(Exception):
    """The submission cannot be a sheet at all (wrong TPS, contest, paslon, frozen recap, stale)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


class Stale(Refused):
    pass


# --- regions of a TPS -------------------------------------------------------------------

_REGION_IDS: dict[str, int] = {}


def ancestor_codes(tps_code: str) -> list[str]:
    c = tps_code
    return [c[0:2], f"{c[0:2]}.{c[2:4]}", f"{c[0:2]}.{c[2:4]}.{c[4:6]}", f"{c[0:2]}.{c[2:4]}.{c[4:6]}.{c[6:10]}"]


def ancestor_ids(tps_code: str) -> list[int]:
    codes = ancestor_codes(tps_code)
    missing = [c for c in codes if c not in _REGION_IDS]
    if missing:
        _REGION_IDS.update(dict(Region.objects.filter(code__in=missing).values_list("code", "pk")))
    return [_REGION_IDS[c] for c in codes if c in _REGION_IDS]


def contest_covers(contest: Contest, tps: Tps) -> bool:
    return tps.code.startswith(contest.region.code.replace(".", ""))


def frozen_region(contest: Contest, tps: Tps) -> str | None:
    """The name of a finalised recap above this TPS, if any (checked on every submission)."""
    names = list(
        RecapFinal.objects.filter(contest=contest, region_id__in=ancestor_ids(tps.code)).values_list(
            "region__name", flat=True
        )[:1]
    )
    return names[0] if names else None


_CANDIDATES: dict[int, tuple[float, frozenset[int]]] = {}
CANDIDATE_CACHE_SECONDS = 60


def ballot_numbers(contest: Contest) -> frozenset[int]:
    """The contest's ballot numbers, cached briefly per process (they are fixed long before voting)."""
    import time

    cached = _CANDIDATES.get(contest.pk)
    if cached and time.monotonic() - cached[0] < CANDIDATE_CACHE_SECONDS:
        return cached[1]
    numbers = frozenset(contest.candidates.values_list("number", flat=True))
    _CANDIDATES[contest.pk] = (time.monotonic(), numbers)
    return numbers


# --- the maintained roll-up -------------------------------------------------------------


@dataclass
class Contribution:
    counted: int = 0
    verified: int = 0
    held: int = 0
    dpt: int = 0
    voters: int = 0
    valid: int = 0
    invalid: int = 0
    votes: dict[int, int] = field(default_factory=dict)

    def minus(self, other: Contribution) -> Contribution:
        numbers = set(self.votes) | set(other.votes)
        return Contribution(
            self.counted - other.counted,
            self.verified - other.verified,
            self.held - other.held,
            self.dpt - other.dpt,
            self.voters - other.voters,
            self.valid - other.valid,
            self.invalid - other.invalid,
            {n: self.votes.get(n, 0) - other.votes.get(n, 0) for n in numbers},
        )


def contribution(sheet: TallySheet | None, version: SheetVersion | None, votes: dict[int, int] | None) -> Contribution:
    if sheet is None or version is None:
        return Contribution()
    if sheet.status == TallySheet.Status.HELD:
        return Contribution(held=1)
    return Contribution(
        counted=1,
        verified=int(sheet.verified),
        dpt=version.dpt,
        voters=version.voters,
        valid=version.valid,
        invalid=version.invalid,
        votes=dict(votes or {}),
    )


TOTAL_FIELDS = ("tps_counted", "tps_verified", "tps_held", "dpt", "voters", "valid", "invalid")


_READY: set[tuple[int, int, int]] = set()


def ensure_totals_for(contest: Contest, tps: Tps) -> None:
    """Make sure the roll-up rows above this TPS exist (a contest, TPS or paslon added later)."""
    key = (contest.pk, tps.kelurahan_id, len(ballot_numbers(contest)))
    if key in _READY:
        return
    have = RegionVote.objects.filter(contest=contest, region_id=tps.kelurahan_id).count()
    if have < len(ballot_numbers(contest)):
        ensure_totals(contest)
    _READY.add(key)


def apply_delta(contest_id: int, tps_code: str, d: Contribution) -> None:
    """Add a sheet's change to every region above its TPS: two statements, whatever the depth.

    Plain SQL on purpose: this runs for every accepted sheet on election night, and building the
    same UPDATE through ORM expressions costs more than the database work itself.
    """
    from django.db import connection

    regions = ancestor_ids(tps_code)
    region_list = ", ".join(["%s"] * len(regions))
    changes = [
        (name, value)
        for name, value in zip(
            TOTAL_FIELDS, (d.counted, d.verified, d.held, d.dpt, d.voters, d.valid, d.invalid), strict=True
        )
        if value
    ]
    moved = [(n, v) for n, v in sorted(d.votes.items()) if v]
    with connection.cursor() as cursor:
        if connection.features.has_select_for_update and (changes or moved):
            # Lock the shared rows (province, regency, kecamatan) in one order in every transaction:
            # an UPDATE alone locks them in heap order, which differs between row versions and
            # deadlocked two workers in the national benchmark.
            cursor.execute(
                f"SELECT id FROM tally_regiontotal WHERE contest_id = %s AND region_id IN ({region_list}) "  # noqa: S608
                "ORDER BY id FOR UPDATE",
                [contest_id, *regions],
            )
            if moved:
                cursor.execute(
                    f"SELECT id FROM tally_regionvote WHERE contest_id = %s AND region_id IN ({region_list}) "  # noqa: S608
                    "ORDER BY id FOR UPDATE",
                    [contest_id, *regions],
                )
        if changes or moved:  # updated_at moves with any change: the public pages' ETag follows it
            sets = ", ".join([*(f"{name} = {name} + %s" for name, _v in changes), "updated_at = %s"])
            cursor.execute(
                f"UPDATE tally_regiontotal SET {sets} "  # noqa: S608 (names are constants)
                f"WHERE contest_id = %s AND region_id IN ({region_list})",
                [*(v for _n, v in changes), timezone.now(), contest_id, *regions],
            )
        if moved:
            cases = " ".join("WHEN %s THEN %s" for _m in moved)
            numbers = ", ".join(["%s"] * len(moved))
            cursor.execute(
                f"UPDATE tally_regionvote SET votes = votes + CASE number {cases} ELSE 0 END "  # noqa: S608
                f"WHERE contest_id = %s AND region_id IN ({region_list}) AND number IN ({numbers})",
                [*(x for pair in moved for x in pair), contest_id, *regions, *(n for n, _v in moved)],
            )


@transaction.atomic
def ensure_totals(contest: Contest) -> int:
    """Create the roll-up rows of every region of the contest that has TPS; refresh TPS/DPT counts."""
    prefix = contest.region.code.replace(".", "")
    tps = Tps.objects.filter(code__startswith=prefix)
    counts: dict[str, tuple[int, int]] = {}
    for length in (2, 4, 6, 10):
        if length < len(prefix):
            continue
        for row in (
            tps.annotate(key=Substr("code", 1, length))
            .values("key")
            .annotate(n=Count("id"), m=Sum("dpt_male"), f=Sum("dpt_female"))
        ):
            k = row["key"]
            dotted = ".".join(p for p in (k[0:2], k[2:4], k[4:6], k[6:10]) if p)
            counts[dotted] = (row["n"], (row["m"] or 0) + (row["f"] or 0))
    regions = dict(Region.objects.filter(code__in=counts).values_list("code", "pk"))
    existing = {t.region_id: t for t in RegionTotal.objects.filter(contest=contest)}
    new, changed = [], []
    for code, (n, dpt) in counts.items():
        rid = regions.get(code)
        if rid is None:
            continue
        total = existing.get(rid)
        if total is None:
            new.append(RegionTotal(contest=contest, region_id=rid, tps_total=n, dpt_registered=dpt))
        elif (total.tps_total, total.dpt_registered) != (n, dpt):
            total.tps_total, total.dpt_registered = n, dpt
            changed.append(total)
    RegionTotal.objects.bulk_create(new, batch_size=2000)
    RegionTotal.objects.bulk_update(changed, ["tps_total", "dpt_registered"], batch_size=2000)
    numbers = list(contest.candidates.values_list("number", flat=True))
    have = set(RegionVote.objects.filter(contest=contest).values_list("region_id", "number"))
    RegionVote.objects.bulk_create(
        [
            RegionVote(contest=contest, region_id=rid, number=n)
            for rid in regions.values()
            for n in numbers
            if (rid, n) not in have
        ],
        batch_size=5000,
    )
    return len(new)


# --- submitting a sheet ---------------------------------------------------------------------


def _check_form(contest: Contest, tps: Tps, sheet: rules.Sheet, finals: set | None = None) -> None:
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
    if finals is not None:
        frozen = next((str(r) for r in ancestor_ids(tps.code) if (contest.pk, r) in finals), None)
    else:
        frozen = frozen_region(contest, tps)
    if frozen:
        raise Refused(
            "kode_tps", _("Rekapitulasi %(r)s sudah final; C.Hasil di wilayah ini tidak dapat diubah.") % {"r": frozen}
        )


@write_transaction
def submit_sheet(
    *,
    by,
    tps: Tps,
    contest: Contest,
    sheet: rules.Sheet,
    source: str,
    reason: str = "",
    expected_version: int | None = None,
) -> SheetVersion:
    """Store a new version of the TPS's C.Hasil, checked; a failing one is held, never lost.

    Updates the roll-up of every region above the TPS in the same transaction.
    """
    _check_form(contest, tps, sheet)
    row = (
        TallySheet.objects.select_for_update(of=("self",))
        .select_related("latest")
        .filter(contest=contest, tps=tps)
        .first()
    )
    if row is None:
        try:
            with transaction.atomic():
                row = TallySheet.objects.create(contest=contest, tps=tps, status=TallySheet.Status.HELD)
        except IntegrityError:  # created by a concurrent first entry: wait for it and take its lock
            row = (
                TallySheet.objects.select_for_update(of=("self",))
                .select_related("latest")
                .get(contest=contest, tps=tps)
            )
    row.contest, row.tps = contest, tps
    if expected_version is not None and expected_version != row.version_count:
        raise Stale(
            "versi",
            _("C.Hasil ini baru saja diubah orang lain (versi %(n)d). Muat ulang, periksa, lalu kirim lagi.")
            % {"n": row.version_count},
        )
    if row.version_count and not reason.strip():
        raise Refused("alasan", _("C.Hasil ini sudah ada: koreksi wajib disertai alasan."))
    ensure_totals_for(contest, tps)
    previous = row.latest
    before = contribution(row, previous, previous.votes_dict() if previous else None)
    problems = [p.as_dict() for p in rules.check(sheet, contest.election.tally_limits(), registered_dpt=tps.dpt)]
    number = row.version_count + 1
    now = timezone.now()
    prev_hash = previous.hash if previous else genesis(contest.code, tps.code)
    username = by.username if getattr(by, "pk", None) else ""
    digest = version_hash(
        prev_hash,
        contest_code=contest.code,
        tps_code=tps.code,
        number=number,
        source=source,
        by=username,
        at=now.isoformat(),
        reason=reason,
        figures=sheet.as_flat(),
        passed=not problems,
        problems=problems,
    )
    version = SheetVersion.objects.create(
        sheet=row,
        number=number,
        source=source,
        entered_by=by if username else None,
        entered_at=now,
        reason=reason,
        extra=sheet.extra,
        passed=not problems,
        problems=problems,
        prev_hash=prev_hash,
        hash=digest,
        **{col: sheet.get(key) for key, col in SheetVersion.COLUMNS.items()},
    )
    SheetVote.objects.bulk_create(
        [SheetVote(version=version, number=n, votes=v) for n, v in sorted(sheet.votes.items())]
    )
    row.latest, row.version_count = version, number
    row.status = TallySheet.Status.COUNTED if not problems else TallySheet.Status.HELD
    row.verified = row.disputed = False
    row.save(update_fields=["latest", "version_count", "status", "verified", "disputed", "updated_at"])
    apply_delta(contest.pk, tps.code, contribution(row, version, sheet.votes).minus(before))
    if frozen_region(contest, tps):  # finalised while this sheet waited for the total rows' locks
        raise Refused("kode_tps", _("Rekapitulasi wilayah ini baru saja difinalkan; C.Hasil tidak disimpan."))
    action = "tally.sheet_held" if problems else ("tally.sheet_corrected" if number > 1 else "tally.sheet_counted")
    record(
        action,
        by=by,
        target=row,
        target_repr=f"C.Hasil {contest.code} TPS {tps.code}",
        after={"version": number, "source": source, "figures": sheet.as_flat(), "problems": problems, "reason": reason},
    )
    return version


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
def submit_second_entry(*, by, sheet: TallySheet, figures: rules.Sheet) -> Verification:
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
def confirm_against_photo(*, by, sheet: TallySheet, expected_version: int | None = None) -> Verification:
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


# --- idempotent submission -----------------------------------------------------------------


def submit_once(*, user, key: str, body, submit) -> tuple[int, dict]:
    """Run `submit()` -> (status, body) once per (user, key); a retry gets the first answer.

    `body` is the parsed request: its fingerprint is taken over canonical JSON, so the same data
    re-serialised (other key order, other spacing) is the same request. A key longer than the
    column is refused, never truncated (two long keys would otherwise share an answer).
    The key row is inserted first: a concurrent retry blocks on its unique index until the first
    commits, then finds the stored answer. A failed submit stores nothing, so it may be retried.
    """
    import json

    from django.db import IntegrityError

    from deskpilkada.tally.models import IdempotencyKey

    longest = IdempotencyKey._meta.get_field("key").max_length
    if len(key) > longest:
        raise Refused("Idempotency-Key", _("paling banyak %(n)d karakter.") % {"n": longest})
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    fingerprint = hashlib.sha256(canonical.encode()).hexdigest()
    with serialized_writes(), transaction.atomic():
        try:
            with transaction.atomic():
                slot = IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint)
        except IntegrityError:
            slot = None
        if slot is not None:
            status, body = submit()
            slot.status, slot.response = status, body
            slot.save(update_fields=["status", "response"])
            return status, body
    first = IdempotencyKey.objects.get(user=user, key=key)
    if first.fingerprint != fingerprint:
        raise Refused("Idempotency-Key", _("kunci ini sudah dipakai untuk isi kiriman yang berbeda."))
    return first.status, first.response


# --- photos -----------------------------------------------------------------------------


@transaction.atomic
def add_photo(*, by, sheet: TallySheet, upload) -> SheetPhoto:
    from deskpilkada.uploads import UploadRefused, check_image

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
    *, by, contest: Contest, kecamatan: Region, voters: int, valid: int, invalid: int, votes: dict[int, int]
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
def finalise_recap(*, by, contest: Contest, region: Region) -> RecapFinal:
    from deskpilkada.regions.models import Level

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


def source_for(user) -> str:
    from deskpilkada.accounts.access import grants_for

    return Source.KPPS if any(g.role == "kpps" for g in grants_for(user)) else Source.MANUAL


# --- imports ------------------------------------------------------------------------------

RESULT_COLUMNS = ["kode_tps", "pemilihan", *rules.FIELD_KEYS]


@dataclass
class ResultImport:
    counted: int = 0
    held: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return _("%(c)d C.Hasil dihitung, %(h)d ditahan karena melanggar aturan penghitungan, %(u)d tidak berubah") % {
            "c": self.counted,
            "h": self.held,
            "u": self.unchanged,
        }


def import_results(fileobj, *, by, source: str = Source.CSV) -> ResultImport:
    """CSV/Excel of C.Hasil, one row per TPS per contest. A malformed row refuses the file;
    a well-formed row that breaks a counting rule is stored as a held sheet."""
    from deskpilkada.imports import ImportRejected, RowError, parse_int, read_table
    from deskpilkada.regions.codes import CodeError
    from deskpilkada.tps.codes import normalize_tps_code

    contests = {c.code: c for c in Contest.objects.select_related("election", "region").prefetch_related("candidates")}
    candidates = {code: sorted(c.number for c in contest.candidates.all()) for code, contest in contests.items()}
    errors, parsed, seen = [], [], {}
    rows = read_table(fileobj, required=RESULT_COLUMNS, optional=rules.OPTIONAL_KEYS, pattern=r"paslon_\d+")
    tps_cache: dict[str, Tps | None] = {}
    for number, row in rows:
        start = len(errors)
        try:
            code = normalize_tps_code(row["kode_tps"])
        except CodeError as exc:
            errors.append(RowError(number, "kode_tps", str(exc)))
            code = None
        if code and code not in tps_cache:
            tps_cache[code] = Tps.objects.filter(code=code).first()
        tps = tps_cache.get(code) if code else None
        if code and tps is None:
            errors.append(RowError(number, "kode_tps", _("TPS %(c)s tidak ada") % {"c": code}))
        contest = contests.get(row["pemilihan"])
        if contest is None:
            errors.append(RowError(number, "pemilihan", _("pemilihan «%(c)s» tidak ada") % {"c": row["pemilihan"]}))
        numbers, votes, extra = {}, {}, {}
        for key in rules.FIELD_KEYS:
            try:
                numbers[key] = parse_int(row[key], minimum=-1_000_000, maximum=1_000_000)
            except ValueError as exc:
                errors.append(RowError(number, key, str(exc)))
        for key in rules.OPTIONAL_KEYS:
            if row.get(key, "") != "":
                try:
                    extra[key] = parse_int(row[key], minimum=-1_000_000, maximum=1_000_000)
                except ValueError as exc:
                    errors.append(RowError(number, key, str(exc)))
        if contest is not None:
            for n in candidates[contest.code]:
                key = rules.vote_key(n)
                if key not in row:
                    errors.append(RowError(number, key, _("kolom suara paslon %(n)d tidak ada") % {"n": n}))
                    continue
                try:
                    votes[n] = parse_int(row[key], minimum=-1_000_000, maximum=1_000_000)
                except ValueError as exc:
                    errors.append(RowError(number, key, str(exc)))
            others = [
                k for k in row if k.startswith("paslon_") and int(k[7:]) not in candidates[contest.code] and row[k]
            ]
            for k in others:
                errors.append(RowError(number, k, _("paslon ini tidak ada di %(c)s") % {"c": contest.code}))
            if tps is not None and not contest_covers(contest, tps):
                errors.append(RowError(number, "kode_tps", _("TPS di luar wilayah %(c)s") % {"c": contest.code}))
            if tps is not None and getattr(by, "pk", None) and not can(by, "tally.enter", tps):
                errors.append(RowError(number, "kode_tps", _("TPS di luar wilayah kewenangan Anda")))
            if tps is not None and frozen_region(contest, tps):
                errors.append(RowError(number, "kode_tps", _("rekapitulasi wilayah TPS ini sudah final")))
        if len(errors) > start:
            continue
        key = (contest.code, code)
        if key in seen:
            errors.append(
                RowError(
                    number, "kode_tps", _("duplikat: TPS dan pemilihan yang sama di baris %(r)d") % {"r": seen[key]}
                )
            )
            continue
        seen[key] = number
        parsed.append((tps, contest, rules.Sheet(numbers=numbers, votes=votes, extra=extra)))
    if errors:
        raise ImportRejected(errors)
    if not parsed:
        raise ImportRejected([RowError(0, "", _("Berkas tidak berisi baris data."))])
    result = ResultImport()
    with transaction.atomic():
        for tps, contest, sheet in parsed:
            existing = TallySheet.objects.filter(contest=contest, tps=tps).select_related("latest").first()
            if existing and existing.latest and existing.latest.as_sheet().as_flat() == sheet.as_flat():
                result.unchanged += 1
                continue
            reason = _("impor %(s)s") % {"s": source} if existing and existing.version_count else ""
            version = submit_sheet(by=by, tps=tps, contest=contest, sheet=sheet, source=Source.CSV, reason=reason)
            if version.passed:
                result.counted += 1
            else:
                result.held += 1
        record(
            "tally.results_imported",
            by=by,
            after={"source": source, "counted": result.counted, "held": result.held, "unchanged": result.unchanged},
        )
    return result


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
def import_sirekap(items: list[tuple[str, dict]], *, by, contest: Contest) -> int:
    """(TPS code, Sirekap JSON) pairs -> ExternalSheet rows, kept apart from our count."""
    from deskpilkada.imports import ImportRejected, RowError
    from deskpilkada.tally.models import ExternalSheet

    mapping = {str(k): int(v) for k, v in (contest.sirekap_ids or {}).items()}
    errors, ready = [], []
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


# --- recount and chain check ---------------------------------------------------------------

LEVEL_LENGTHS = (2, 4, 6, 10)


def _dotted(key: str) -> str:
    return ".".join(p for p in (key[0:2], key[2:4], key[4:6], key[6:10]) if p)


RECOUNT_TOTALS = """
SELECT s.contest_id, substr(t.code, 1, {n}),
       count(*) FILTER (WHERE s.status = 'counted'),
       count(*) FILTER (WHERE s.status = 'counted' AND s.verified),
       count(*) FILTER (WHERE s.status = 'held'),
       coalesce(sum(v.dpt) FILTER (WHERE s.status = 'counted'), 0),
       coalesce(sum(v.voters_dpt + v.voters_dptb + v.voters_dpk) FILTER (WHERE s.status = 'counted'), 0),
       coalesce(sum(v.valid) FILTER (WHERE s.status = 'counted'), 0),
       coalesce(sum(v.invalid) FILTER (WHERE s.status = 'counted'), 0)
FROM tally_tallysheet s JOIN tps_tps t ON t.id = s.tps_id JOIN tally_sheetversion v ON v.id = s.latest_id
{where} GROUP BY s.contest_id, substr(t.code, 1, {n})
"""
RECOUNT_VOTES = """
SELECT s.contest_id, substr(t.code, 1, {n}), sv.number, sum(sv.votes)
FROM tally_sheetvote sv JOIN tally_tallysheet s ON s.latest_id = sv.version_id JOIN tps_tps t ON t.id = s.tps_id
WHERE s.status = 'counted' {and_where} GROUP BY s.contest_id, substr(t.code, 1, {n}), sv.number
"""


def recount(contest: Contest | None = None) -> tuple[dict, dict]:
    """Totals from scratch, one plain SQL GROUP BY per level over the latest version of every sheet,
    for one contest or all: ({(contest id, region code): figures}, {(contest id, region, paslon): votes})."""
    from django.db import connection

    where, params = ("WHERE s.contest_id = %s", [contest.pk]) if contest is not None else ("", [])
    totals: dict = {}
    votes: dict = {}
    codes: dict[str, str] = {}
    with connection.cursor() as cursor:
        for n in LEVEL_LENGTHS:
            cursor.execute(RECOUNT_TOTALS.format(n=n, where=where), params)
            for cid, key, *figures in cursor.fetchall():
                code = codes.get(key) or codes.setdefault(key, _dotted(key))
                totals[(cid, code)] = dict(zip(TOTAL_FIELDS, figures, strict=True))
            cursor.execute(RECOUNT_VOTES.format(n=n, and_where=where.replace("WHERE", "AND")), params)
            for cid, key, number, total in cursor.fetchall():
                votes[(cid, codes.get(key) or codes.setdefault(key, _dotted(key)), number)] = total
    return totals, votes


def recount_differences(contest: Contest) -> list[str]:
    fresh, fresh_votes = recount(contest)
    fields = ["tps_counted", "tps_verified", "tps_held", "dpt", "voters", "valid", "invalid"]
    out = []
    for t in RegionTotal.objects.filter(contest=contest).select_related("region"):
        want = fresh.get((contest.pk, t.region.code), dict.fromkeys(fields, 0))
        for f in fields:
            if getattr(t, f) != want[f]:
                out.append(f"{t.region.code} {f}: tersimpan {getattr(t, f)}, hitung ulang {want[f]}")
    stored = set(RegionTotal.objects.filter(contest=contest).values_list("region__code", flat=True))
    top = contest.region.code
    for (cid, code), figures in fresh.items():
        inside = code == top or code.startswith(top + ".")
        if cid == contest.pk and inside and code not in stored and any(figures.values()):
            out.append(f"{code}: baris total tidak ada, hitung ulang {figures}")
    for v in RegionVote.objects.filter(contest=contest).select_related("region"):
        want = fresh_votes.get((contest.pk, v.region.code, v.number), 0)
        if v.votes != want:
            out.append(f"{v.region.code} paslon_{v.number}: tersimpan {v.votes}, hitung ulang {want}")
    return out


@transaction.atomic
def rewrite_totals(*, by, contest: Contest | None = None, contests: list[Contest] | None = None) -> int:
    """Replace the maintained totals with a recount (after a reported difference, or a bulk load).

    Streams the GROUP BY rows into UPDATEs level by level, so memory does not grow with the
    number of regions (a national load rewrites some 180,000 totals and 900,000 vote rows).
    """
    from django.db import connection

    targets = contests if contests is not None else [contest]
    for c in targets:
        ensure_totals(c)
    ids = [c.pk for c in targets]
    region_ids = {code.replace(".", ""): pk for code, pk in Region.objects.values_list("code", "pk")}
    marks = ", ".join(["%s"] * len(ids))
    where = f"WHERE s.contest_id IN ({marks})"
    sets = ", ".join(f"{name} = %s" for name in TOTAL_FIELDS)
    now = timezone.now()
    with connection.cursor() as cursor:
        zero = ", ".join(f"{name} = 0" for name in TOTAL_FIELDS)
        cursor.execute(f"UPDATE tally_regiontotal SET {zero} WHERE contest_id IN ({marks})", ids)  # noqa: S608
        cursor.execute(f"UPDATE tally_regionvote SET votes = 0 WHERE contest_id IN ({marks})", ids)  # noqa: S608
        for n in LEVEL_LENGTHS:
            for sql, update, shape in (
                (
                    RECOUNT_TOTALS.format(n=n, where=where),
                    f"UPDATE tally_regiontotal SET {sets}, updated_at = %s WHERE contest_id = %s AND region_id = %s",  # noqa: S608
                    lambda cid, key, *fig: [*fig, now, cid, region_ids.get(key)],
                ),
                (
                    RECOUNT_VOTES.format(n=n, and_where=where.replace("WHERE", "AND")),
                    "UPDATE tally_regionvote SET votes = %s WHERE contest_id = %s AND region_id = %s AND number = %s",
                    lambda cid, key, number, total: [total, cid, region_ids.get(key), number],
                ),
            ):
                with connection.chunked_cursor() as source:
                    source.execute(sql, ids)
                    while rows := source.fetchmany(5000):
                        cursor.executemany(update, [shape(*row) for row in rows])
    for c in targets:
        record("tally.totals_rewritten", by=by, target=c, after={"source": "recount"})
    return len(targets)


# --- bulk first entries ---------------------------------------------------------------------


def _link_first_versions(sheet_ids: list[int]) -> None:
    """Point freshly loaded sheets at their first version, and set their status from it."""
    from django.db import connection

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


def load_sheets(rows, *, by, source: str = Source.CSV, batch_size: int = 2000) -> ResultImport:
    """First entries in bulk (a national import): checked and hash-chained like any sheet, written
    in batches so memory stays flat, one audit row per batch; the totals are recounted at the end.
    A sheet that already exists is a correction and goes through `submit_sheet` instead. The totals
    are rewritten even when a later batch fails, so the committed batches are never left out."""
    result = ResultImport()
    touched: set[int] = set()
    iterator = iter(rows)
    username = by.username if getattr(by, "pk", None) else ""
    try:
        _load_batches(
            iterator, by=by, source=source, batch_size=batch_size, result=result, touched=touched, username=username
        )
    finally:
        if touched:
            rewrite_totals(by=by, contests=list(Contest.objects.filter(pk__in=touched)))
    return result


def _load_batches(iterator, *, by, source, batch_size, result, touched, username) -> None:
    from itertools import islice

    while batch := list(islice(iterator, batch_size)):
        with transaction.atomic():
            keys = {(tps.pk, contest.pk) for tps, contest, _sheet in batch}
            existing = set(
                TallySheet.objects.filter(
                    tps_id__in={k[0] for k in keys}, contest_id__in={k[1] for k in keys}
                ).values_list("tps_id", "contest_id")
            )
            fresh = [(t, c, s) for t, c, s in batch if (t.pk, c.pk) not in existing]
            for tps, contest, sheet in batch:
                if (tps.pk, contest.pk) in existing:
                    submit_sheet(
                        by=by,
                        tps=tps,
                        contest=contest,
                        sheet=sheet,
                        source=source,
                        reason=_("impor %(s)s") % {"s": source},
                    )
            now = timezone.now()
            finals = set(RecapFinal.objects.values_list("contest_id", "region_id"))
            for tps, contest, sheet in fresh:
                _check_form(contest, tps, sheet, finals)
            sheets = TallySheet.objects.bulk_create(
                [TallySheet(contest=c, tps=t, status=TallySheet.Status.HELD, version_count=1) for t, c, _s in fresh]
            )
            versions = []
            for row, (tps, contest, sheet) in zip(sheets, fresh, strict=True):
                problems = [
                    p.as_dict() for p in rules.check(sheet, contest.election.tally_limits(), registered_dpt=tps.dpt)
                ]
                prev = genesis(contest.code, tps.code)
                digest = version_hash(
                    prev,
                    contest_code=contest.code,
                    tps_code=tps.code,
                    number=1,
                    source=source,
                    by=username,
                    at=now.isoformat(),
                    reason="",
                    figures=sheet.as_flat(),
                    passed=not problems,
                    problems=problems,
                )
                versions.append(
                    SheetVersion(
                        sheet=row,
                        number=1,
                        source=source,
                        entered_by=by if username else None,
                        entered_at=now,
                        extra=sheet.extra,
                        passed=not problems,
                        problems=problems,
                        prev_hash=prev,
                        hash=digest,
                        **{col: sheet.get(key) for key, col in SheetVersion.COLUMNS.items()},
                    )
                )
                row.status = TallySheet.Status.COUNTED if not problems else TallySheet.Status.HELD
                if problems:
                    result.held += 1
                else:
                    result.counted += 1
                touched.add(contest.pk)
            SheetVersion.objects.bulk_create(versions)
            SheetVote.objects.bulk_create(
                [
                    SheetVote(version=v, number=n, votes=x)
                    for v, (_t, _c, s) in zip(versions, fresh, strict=True)
                    for n, x in sorted(s.votes.items())
                ]
            )
            _link_first_versions([row.pk for row in sheets])
            if fresh:
                record(
                    "tally.sheets_loaded",
                    by=by,
                    target_repr=f"{len(fresh)} C.Hasil",
                    after={
                        "source": source,
                        "sheets": len(fresh),
                        "first": fresh[0][0].code,
                        "last": fresh[-1][0].code,
                    },
                )
