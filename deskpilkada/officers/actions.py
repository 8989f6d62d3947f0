"""Audited writes of point 3: appointing officers (one by one, or a whole recruitment export at once),
ending and replacing them, their health screenings, training sessions, invitations and attendance.

Every action runs in one transaction and writes its audit row inside it. A refusal is
`Refused(field, message)`: the field (or the file's row and column) and the reason in Indonesian.
NIK reaches no table, log or audit row: only its keyed hash (voters/keys.py) is kept.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from deskpilkada import clock, numbers
from deskpilkada.accounts.access import can, grants_for
from deskpilkada.audit.log import record, record_many, snapshot
from deskpilkada.elections.deadlines import apply_rule
from deskpilkada.elections.models import DeadlineRule, Election
from deskpilkada.imports import ImportRejected, RowError, read_table
from deskpilkada.notifications.actions import notify
from deskpilkada.officers.models import (
    TPS_ROLES,
    Material,
    Officer,
    Participant,
    Role,
    Screening,
    Session,
    Topic,
)
from deskpilkada.officers.rules import Rule, age_error, crew_rules
from deskpilkada.progress import Progress
from deskpilkada.regions.codes import CodeError, code_range, dotted, undotted
from deskpilkada.regions.models import Level, Region
from deskpilkada.tps.models import Tps
from deskpilkada.uploads import UploadRefused, check_image
from deskpilkada.voters import keys
from deskpilkada.voters.actions import parse_date
from deskpilkada.writelock import serialized_writes

MANAGE, TRAIN, SCREEN = "officers.manage", "officers.train", "health.manage"
MAX_MATERIAL = 20 * 2**20


class Refused(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


class Stale(Refused):
    pass


# --- checking one appointment ---------------------------------------------------------------------

ROLE_WORDS = {"ppk": Role.PPK, "pps": Role.PPS, "kpps": Role.KPPS, "linmas": Role.LINMAS, "satlinmas": Role.LINMAS}
CHAIR_WORDS = {"ketua": True, "anggota": False}
SEXES = {"L": "L", "P": "P", "LAKI-LAKI": "L", "PEREMPUAN": "P"}
_PHONE = re.compile(r"^\+?[0-9]{8,15}$")


def clean_phone(raw: str) -> str:
    text = re.sub(r"[ .()-]", "", raw or "")
    if text and not _PHONE.fullmatch(text):
        raise ValueError(_("nomor HP harus 8–15 angka (boleh diawali +)"))
    return text


@dataclass
class Place:
    """Where a crew serves: its region (kecamatan or kelurahan), TPS and undotted area code."""

    region_id: int
    tps_id: int | None
    area_code: str


class Places:
    """Looks up the crew's place of a row. The regions and TPS of a kecamatan are read in two queries the
    first time one of its codes appears (the import's cache), so a province's export costs two queries per
    kecamatan, not one per row."""

    def __init__(self) -> None:
        self.today = clock.today()
        self.regions: dict[str, tuple[int, int]] = {}  # dotted code -> (id, level)
        self.tps: dict[int, dict[int, int]] = {}  # kelurahan id -> {number: tps id}
        self.loaded: set[str] = set()  # dotted kecamatan codes read
        self.codes: dict[str, str] = {}  # the text of the file -> dotted code

    def _load(self, code: str) -> None:
        kecamatan = ".".join(code.split(".")[:3])
        if kecamatan in self.loaded:
            return
        self.loaded.add(kecamatan)
        rows = Region.objects.filter(code_range("code", kecamatan))
        self.regions.update({c: (pk, level) for c, pk, level in rows.values_list("code", "pk", "level")})
        for kel_id, number, pk in Tps.objects.filter(code_range("code", undotted(kecamatan))).values_list(
            "kelurahan_id", "number", "pk"
        ):
            self.tps.setdefault(kel_id, {})[number] = pk

    def dotted(self, raw: str) -> str:
        code = self.codes.get(raw)
        if code is None:
            try:
                code = dotted(undotted(raw))
            except CodeError as exc:
                raise Refused("kode_wilayah", str(exc)) from None
            self.codes[raw] = code
        return code

    def find(self, role: str, region_code: str, tps_number: str) -> Place:
        code = self.dotted(region_code)
        if code.count(".") >= 2:
            self._load(code)
        found = self.regions.get(code)
        want = Level.DISTRICT if role == Role.PPK else Level.VILLAGE
        if found is None or found[1] != want:
            level = _("kecamatan") if want == Level.DISTRICT else _("kelurahan/desa")
            raise Refused("kode_wilayah", _("%(c)s bukan kode %(level)s yang dikenal") % {"c": code, "level": level})
        if role not in TPS_ROLES:
            if tps_number:
                raise Refused("no_tps", _("%(role)s tidak bertugas di TPS: kosongkan") % {"role": Role(role).label})
            return Place(found[0], None, code.replace(".", ""))
        try:
            number = int(tps_number)
        except ValueError:
            raise Refused("no_tps", _("nomor TPS wajib untuk %(role)s") % {"role": Role(role).label}) from None
        tps_id = self.tps.get(found[0], {}).get(number)
        if tps_id is None:
            raise Refused("no_tps", _("TPS %(n)03d tidak ada di kelurahan %(c)s") % {"n": number, "c": code})
        return Place(found[0], tps_id, code.replace(".", "") + f"{number:03d}")


@dataclass
class Person:
    name: str
    nik_hash: str
    birth_date: dt.date
    sex: str
    phone: str
    address: str


def check_person(
    *, nik: str, name: str, birth_date, sex: str, phone: str, address: str, today: dt.date | None = None
) -> Person:
    """The person's fields checked (Refused names the field); NIK kept only as its keyed hash."""
    try:
        clean = keys.clean_number(nik, "NIK")
    except keys.InvalidNumber as exc:
        raise Refused("nik", str(exc)) from None
    name = " ".join((name or "").split())
    if not name:
        raise Refused("nama", _("nama kosong"))
    if len(name) > 120:
        raise Refused("nama", _("nama lebih dari 120 huruf"))
    if not isinstance(birth_date, dt.date):
        try:
            birth_date = parse_date(str(birth_date))
        except ValueError as exc:
            raise Refused("tanggal_lahir", str(exc)) from None
    if birth_date.year < 1900 or birth_date > (today or clock.today()):
        raise Refused("tanggal_lahir", _("tanggal lahir di luar rentang yang mungkin"))
    code = SEXES.get((sex or "").strip().upper())
    if code is None:
        raise Refused("jenis_kelamin", _("isi L atau P"))
    try:
        phone = clean_phone(phone)
    except ValueError as exc:
        raise Refused("no_hp", str(exc)) from None
    return Person(name, keys.nik_hash(clean), birth_date, code, phone, " ".join((address or "").split())[:255])


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def check_age(rule: Rule, person: Person, appointed_on: dt.date) -> None:
    problem = age_error(rule, age_on(person.birth_date, appointed_on))
    if problem:
        raise Refused("tanggal_lahir", problem)


def serving_elsewhere(election: Election, nik_hashes, on: dt.date | None = None) -> dict[str, Officer]:
    """{nik hash: the officer} of these people already in a crew that serves on `on` or later."""
    rows = Officer.objects.filter(election=election, nik_hash__in=list(nik_hashes))
    if on is not None:
        rows = rows.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    else:
        rows = rows.filter(ended_on__isnull=True)
    return {o.nik_hash: o for o in rows.select_related("tps__kelurahan", "region")}


def crew_name(officer: Officer) -> str:
    where = str(officer.tps) if officer.tps_id else officer.region.name
    return f"{officer.get_role_display()} {where}"


def two_crews_message(other: Officer) -> str:
    return _("orang ini sudah bertugas di kru lain pada tanggal itu: %(crew)s") % {"crew": crew_name(other)}


def crew_counts(election: Election, area_code: str, role: str) -> tuple[int, int]:
    """(serving officers, chairs) of one crew."""
    agg = (
        Officer.objects.active()
        .filter(election=election, area_code=area_code, role=role)
        .aggregate(n=Count("id"), chairs=Count("id", filter=Q(is_chair=True)))
    )
    return agg["n"], agg["chairs"]


def crew_full_message(rule: Rule, area_code: str) -> str:
    return _("kru %(role)s %(area)s sudah lengkap (%(n)d orang)") % {
        "role": Role(rule.role).label,
        "area": area_code,
        "n": rule.size,
    }


def chair_taken_message(rule: Rule, area_code: str) -> str:
    return _("kru %(role)s %(area)s sudah punya ketua") % {"role": Role(rule.role).label, "area": area_code}


def _require_area(by, cap: str, area_code: str, field: str = "kode_wilayah") -> None:
    if not getattr(by, "pk", None):
        return  # the system (commands, the demo)
    target = Tps.objects.filter(code=area_code).first() if len(area_code) == 13 else None
    if target is None:
        target = Region.objects.filter(code=dotted(area_code)).first()
    if target is None or not can(by, cap, target):
        raise Refused(field, _("di luar wilayah kewenangan Anda"))


# --- appointing, ending, replacing -----------------------------------------------------------------

OFFICER_FIELDS = ["name", "birth_date", "sex", "phone", "address", "role", "is_chair", "area_code", "appointed_on"]


@transaction.atomic
def appoint_officer(
    *,
    by,
    election: Election,
    role: str,
    is_chair: bool,
    nik: str,
    name: str,
    birth_date,
    sex: str,
    phone: str = "",
    address: str = "",
    region_code: str,
    tps_number: str = "",
    appointed_on: dt.date,
    replaces: Officer | None = None,
) -> Officer:
    """One officer into one crew: the age at the date of appointment, nobody in two crews at once,
    the crew's size and its one chair, all from the election's rules."""
    if role not in Role.values:
        raise Refused("badan_adhoc", _("isi PPK, PPS, KPPS atau LINMAS"))
    rule = crew_rules(election)[role]
    place = Places().find(role, region_code, str(tps_number or ""))
    _require_area(by, MANAGE, place.area_code)
    person = check_person(nik=nik, name=name, birth_date=birth_date, sex=sex, phone=phone, address=address)
    check_age(rule, person, appointed_on)
    if is_chair and not rule.chairs:
        raise Refused("jabatan", _("%(role)s tidak memiliki ketua") % {"role": Role(role).label})
    other = serving_elsewhere(election, [person.nik_hash], appointed_on).get(person.nik_hash)
    if other is not None and other != replaces:
        raise Refused("nik", two_crews_message(other))
    n, chairs = crew_counts(election, place.area_code, role)
    if replaces is not None:
        n, chairs = n - 1, chairs - int(replaces.is_chair)
    if n >= rule.size:
        raise Refused("kode_wilayah", crew_full_message(rule, place.area_code))
    if is_chair and chairs >= rule.chairs:
        raise Refused("jabatan", chair_taken_message(rule, place.area_code))
    officer = Officer.objects.create(
        election=election,
        role=role,
        is_chair=is_chair,
        name=person.name,
        nik_hash=person.nik_hash,
        birth_date=person.birth_date,
        sex=person.sex,
        phone=person.phone,
        address=person.address,
        area_code=place.area_code,
        region_id=place.region_id,
        tps_id=place.tps_id,
        appointed_on=appointed_on,
        replaces=replaces,
    )
    record("officers.appointed", by=by, target=officer, after=snapshot(officer, OFFICER_FIELDS))
    return officer


@transaction.atomic
def end_officer(officer: Officer, *, by, on: dt.date, reason: str, version: int | None = None) -> Officer:
    """The officer stops serving on `on` (resigned, unfit, deceased …); the seat is then open."""
    locked = Officer.objects.select_for_update().get(pk=officer.pk)
    _require_area(by, MANAGE, locked.area_code, "officer")
    if version is not None and locked.version != version:
        raise Stale("version", _("Data petugas ini sudah diubah orang lain; muat ulang halaman."))
    if locked.ended_on is not None:
        raise Refused("ended_on", _("Petugas ini sudah berhenti pada %(d)s.") % {"d": date_format(locked.ended_on)})
    if on < locked.appointed_on:
        raise Refused("ended_on", _("tanggal berhenti sebelum tanggal pengangkatan"))
    reason = " ".join((reason or "").split())
    if not reason:
        raise Refused("end_reason", _("alasan wajib diisi"))
    locked.ended_on, locked.end_reason, locked.version = on, reason[:200], locked.version + 1
    locked.save(update_fields=["ended_on", "end_reason", "version"])
    Participant.objects.filter(officer=locked).update(serving=False)
    record("officers.ended", by=by, target=locked, after={"ended_on": on, "end_reason": locked.end_reason})
    return locked


@transaction.atomic
def replace_officer(
    officer: Officer,
    *,
    by,
    on: dt.date,
    reason: str,
    nik: str,
    name: str,
    birth_date,
    sex: str,
    phone: str = "",
    address: str = "",
    version: int | None = None,
) -> Officer:
    """End `officer` on `on` and appoint the replacement to the same seat (role, crew, chair)."""
    old = end_officer(officer, by=by, on=on, reason=reason, version=version)
    tps = old.tps
    new = appoint_officer(
        by=by,
        election=old.election,
        role=old.role,
        is_chair=old.is_chair,
        nik=nik,
        name=name,
        birth_date=birth_date,
        sex=sex,
        phone=phone,
        address=address,
        region_code=tps.kelurahan.code if tps else old.region.code,
        tps_number=str(tps.number) if tps else "",
        appointed_on=on,
        replaces=old,
    )
    record("officers.replaced", by=by, target=old, after={"replaced_by": new.name})
    return new


# --- the import ------------------------------------------------------------------------------------

COLUMNS = [
    "nik",
    "nama",
    "tanggal_lahir",
    "jenis_kelamin",
    "no_hp",
    "alamat",
    "badan_adhoc",
    "jabatan",
    "kode_wilayah",
    "no_tps",
    "tmt",
]
# Columns of the recruitment export that are accepted and not kept.
IGNORED = ["no", "tempat_lahir", "usia", "pendidikan", "pekerjaan", "email", "status"]
BATCH = 5000
INSERT_COLUMNS = [
    "election_id",
    "role",
    "is_chair",
    "name",
    "nik_hash",
    "birth_date",
    "sex",
    "phone",
    "address",
    "area_code",
    "region_id",
    "tps_id",
    "appointed_on",
    "end_reason",
    "health",
    "version",
]


@dataclass
class ImportResult:
    imported: int
    by_role: dict[str, int]

    def summary(self) -> str:
        parts = ", ".join(f"{Role(r).label} {numbers.number(n)}" for r, n in self.by_role.items() if n)
        return _("%(n)s petugas diimpor (%(parts)s)") % {"n": numbers.number(self.imported), "parts": parts or "—"}


class _Abort(Exception):
    pass


def import_officers(fileobj, *, by, election: Election, progress_total: int | None = None) -> ImportResult:
    """A recruitment export (CSV or Excel) into the registry: streamed, checked row by row (age at the
    appointment date, two crews at once, crew size and chair, places, the importer's area), written in
    batches inside one transaction that is rolled back when any row is bad (all-or-nothing, a report
    naming each row and column). Memory holds one batch, the crew counts and the NIK digests seen."""
    rules = crew_rules(election)
    errors: list[RowError] = []
    seen: dict[bytes, int] = {}
    places = Places()
    crews: dict[tuple[str, str], list[int]] = {}  # (area, role) -> [officers, chairs], file + database
    existing: dict[tuple[str, str], tuple[int, int]] = {
        (area, role): (n, chairs)
        for area, role, n, chairs in Officer.objects.active()
        .filter(election=election)
        .values_list("area_code", "role")
        .annotate(n=Count("id"), chairs=Count("id", filter=Q(is_chair=True)))
        .order_by()
    }
    allowed: dict[str, bool] = {}
    by_role = dict.fromkeys(Role.values, 0)
    imported = 0
    bar = Progress(_("Impor petugas"), progress_total) if progress_total else None
    try:
        with serialized_writes(), transaction.atomic():
            batch: list[tuple[int, tuple]] = []
            for number, row in read_table(fileobj, required=COLUMNS, optional=IGNORED):
                values = _parse_row(number, row, election, rules, errors, seen, places, crews, existing, allowed, by)
                if bar:
                    bar.advance()
                if values is None:
                    continue
                batch.append((number, values))
                if len(batch) >= BATCH:
                    imported += _write_batch(batch, election, errors, by_role, bool(existing))
                    batch = []
            imported += _write_batch(batch, election, errors, by_role, bool(existing))
            if errors:
                raise _Abort
            if not imported:
                errors.append(RowError(0, "", _("Berkas tidak berisi baris data.")))
                raise _Abort
            record("officers.imported", by=by, target=election, after={"officers": imported, **by_role})
    except _Abort:
        raise ImportRejected(errors) from None
    finally:
        if bar:
            bar.finish()
    return ImportResult(imported, by_role)


def _parse_row(number, row, election, rules, errors, seen, places, crews, existing, allowed, by) -> tuple | None:
    start = len(errors)
    role = ROLE_WORDS.get(row["badan_adhoc"].strip().lower())
    if role is None:
        errors.append(RowError(number, "badan_adhoc", _("isi PPK, PPS, KPPS atau LINMAS")))
        return None
    words = row["jabatan"].strip().lower().split()
    is_chair = CHAIR_WORDS.get(words[0]) if words else False
    if is_chair is None:
        errors.append(RowError(number, "jabatan", _("isi Ketua atau Anggota")))
    rule = rules[role]
    try:
        appointed = parse_date(row["tmt"])
    except ValueError as exc:
        errors.append(RowError(number, "tmt", str(exc)))
        appointed = None
    place = person = None
    try:
        place = places.find(role, row["kode_wilayah"], row["no_tps"])
    except Refused as exc:
        errors.append(RowError(number, exc.field, exc.message))
    if place is not None and by is not None and by.pk:
        key = place.area_code
        if key not in allowed:
            try:
                _require_area(by, MANAGE, key)
                allowed[key] = True
            except Refused:
                allowed[key] = False
        if not allowed[key]:
            errors.append(RowError(number, "kode_wilayah", _("di luar wilayah kewenangan Anda")))
    try:
        person = check_person(
            nik=row["nik"],
            name=row["nama"],
            birth_date=row["tanggal_lahir"],
            sex=row["jenis_kelamin"],
            phone=row["no_hp"],
            address=row["alamat"],
            today=places.today,
        )
    except Refused as exc:
        errors.append(RowError(number, exc.field, exc.message))
    if person is not None and appointed is not None:
        problem = age_error(rule, age_on(person.birth_date, appointed))
        if problem:
            errors.append(RowError(number, "tanggal_lahir", problem))
    if is_chair and not rule.chairs:
        errors.append(RowError(number, "jabatan", _("%(role)s tidak memiliki ketua") % {"role": Role(role).label}))
    if len(errors) > start or person is None or place is None or appointed is None:
        return None
    first = seen.setdefault(bytes.fromhex(person.nik_hash), number)
    if first != number:
        errors.append(
            RowError(number, "nik", _("orang yang sama dengan baris %(r)d: tidak boleh di dua kru") % {"r": first})
        )
        return None
    counts = crews.get((place.area_code, role))
    if counts is None:
        counts = crews[(place.area_code, role)] = list(existing.get((place.area_code, role), (0, 0)))
    if counts[0] >= rule.size:
        errors.append(RowError(number, "kode_wilayah", crew_full_message(rule, place.area_code)))
        return None
    if is_chair and counts[1] >= rule.chairs:
        errors.append(RowError(number, "jabatan", chair_taken_message(rule, place.area_code)))
        return None
    counts[0] += 1
    counts[1] += int(bool(is_chair))
    return (
        election.pk,
        role,
        bool(is_chair),
        person.name,
        person.nik_hash,
        person.birth_date,
        person.sex,
        person.phone,
        person.address,
        place.area_code,
        place.region_id,
        place.tps_id,
        appointed,
        "",
        "",
        1,
    )


def _write_batch(
    batch: list[tuple[int, tuple]], election: Election, errors: list[RowError], by_role, others: bool
) -> int:
    """Insert a batch unless one of its people already serves in a crew (from an earlier import; asked
    only when `others`: the election had serving officers before this file, else the digests seen in
    the file are the whole story)."""
    if not batch:
        return 0
    serving = (
        Officer.objects.filter(election=election, nik_hash__in=[v[4] for _n, v in batch], ended_on__isnull=True)
        if others
        else Officer.objects.none()
    )
    for other in serving.select_related("tps__kelurahan", "region"):
        number = next(n for n, v in batch if v[4] == other.nik_hash)
        errors.append(RowError(number, "nik", two_crews_message(other)))
    if errors:
        return 0  # the transaction will be rolled back: no need to write
    with connection.cursor() as cursor:  # plain executemany: the ORM's per-object cost dominates here
        cursor.executemany(
            f"INSERT INTO officers_officer ({', '.join(INSERT_COLUMNS)}) "  # noqa: S608 (constant names)
            f"VALUES ({', '.join(['%s'] * len(INSERT_COLUMNS))})",
            [v for _n, v in batch],
        )
    for _n, v in batch:
        by_role[v[1]] += 1
    return len(batch)


# --- screening -------------------------------------------------------------------------------------

# Values a living adult can show (outside them the entry is a typing error, not a finding).
PHYSICAL = {
    "systolic": (50, 300, "mmHg"),
    "diastolic": (20, 200, "mmHg"),
    "blood_sugar": (20, 1000, "mg/dL"),
    "cholesterol": (50, 700, "mg/dL"),
}


def check_measure(field: str, value) -> int:
    low, high, unit = PHYSICAL[field]
    try:
        number = int(str(value).strip())
    except ValueError:
        raise Refused(field, _("harus bilangan bulat")) from None
    if not low <= number <= high:
        raise Refused(
            field,
            _("%(v)d %(unit)s di luar rentang fisik yang mungkin (%(low)d–%(high)d)")
            % {"v": number, "unit": unit, "low": low, "high": high},
        )
    return number


@transaction.atomic
def record_screening(
    officer: Officer,
    *,
    by,
    screened_on: dt.date,
    systolic,
    diastolic,
    blood_sugar,
    cholesterol,
    outcome: str,
    notes: str = "",
    place: str = "",
) -> Screening:
    """A screening by the health office; the officer's latest outcome follows it. An unfit officer is
    announced to KPU in the crew's area, who records the replacement."""
    _require_area(by, SCREEN, officer.area_code, "officer")
    values = {f: check_measure(f, v) for f, v in (("systolic", systolic), ("diastolic", diastolic))}
    if values["diastolic"] >= values["systolic"]:
        raise Refused("diastolic", _("diastolik harus lebih rendah dari sistolik"))
    values["blood_sugar"] = check_measure("blood_sugar", blood_sugar)
    values["cholesterol"] = check_measure("cholesterol", cholesterol)
    if outcome not in Screening.Outcome.values:
        raise Refused("outcome", _("pilih hasil pemeriksaan"))
    if screened_on > clock.today():
        raise Refused("screened_on", _("tanggal pemeriksaan belum terjadi"))
    if officer.ended_on is not None:
        raise Refused("officer", _("petugas ini sudah tidak bertugas"))
    notes = " ".join((notes or "").split())[:300]
    if outcome == Screening.Outcome.FIT_NOTES and not notes:
        raise Refused("notes", _("tulis catatannya"))
    screening = Screening.objects.create(
        officer=officer,
        screened_on=screened_on,
        outcome=outcome,
        notes=notes,
        place=(place or "")[:120],
        entered_by=by if getattr(by, "pk", None) else None,
        **values,
    )
    latest = officer.screenings.order_by("-screened_on", "-pk").first()
    if latest is not None and latest.outcome != officer.health:
        Officer.objects.filter(pk=officer.pk).update(health=latest.outcome)
        officer.health = latest.outcome
    record(
        "officers.screened",
        by=by,
        target=screening,
        after={"officer": officer.pk, "screened_on": screened_on, "outcome": outcome},
    )
    if outcome == Screening.Outcome.UNFIT:
        notify(
            kind="officers.unfit",
            title=_("Petugas tidak lolos skrining kesehatan: %(who)s, perlu pengganti") % {"who": crew_name(officer)},
            url=officer.get_absolute_url(),
            target=officer,
            cap=MANAGE,
            area=officer.area_code,
        )
    return screening


# --- training --------------------------------------------------------------------------------------

REMINDER = ("officers.session", "pengingat")


def reminder_rule(election: Election) -> DeadlineRule:
    """The reminder of a session, as data per election: due at its start, warned 24 hours before."""
    rule, _created = DeadlineRule.objects.get_or_create(
        election=election,
        subject=REMINDER[0],
        code=REMINDER[1],
        defaults={
            "name": str(_("Bimtek dimulai")),
            "anchor": DeadlineRule.Anchor.EVENT,
            "amount": 0,
            "unit": DeadlineRule.Unit.HOURS,
            "warn_hours": 24,
        },
    )
    return rule


SESSION_FIELDS = ["title", "topic_id", "starts_at", "ends_at", "place", "trainer", "target_roles", "area_code"]


@transaction.atomic
def create_session(
    *,
    by,
    election: Election,
    topic: Topic,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str,
    trainer: str,
    target_roles: list[str],
    region: Region,
) -> Session:
    if topic.election_id != election.pk:
        raise Refused("topic", _("materi ini bukan untuk pemilihan ini"))
    title = " ".join((title or "").split()) or topic.name
    if ends_at < starts_at:
        raise Refused("ends_at", _("selesai sebelum mulai"))
    roles = [r for r in target_roles if r in Role.values]
    if not roles:
        raise Refused("target_roles", _("pilih paling sedikit satu badan peserta"))
    for field, value in (("place", place), ("trainer", trainer)):
        if not (value or "").strip():
            raise Refused(field, _("wajib diisi"))
    if getattr(by, "pk", None) and not can(by, MANAGE, region):
        raise Refused("region", _("di luar wilayah kewenangan Anda"))
    session = Session(
        election=election,
        topic=topic,
        title=title[:160],
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip()[:200],
        trainer=trainer.strip()[:160],
        target_roles=roles,
        region=region,
        area_code=region.undotted_code,
    )
    apply_rule(session, reminder_rule(election))
    session.save()
    record("officers.session_created", by=by, target=session, after=snapshot(session, SESSION_FIELDS))
    return session


@transaction.atomic
def add_material(session: Session, *, by, upload) -> Material:
    if upload.size > MAX_MATERIAL:
        raise Refused("file", _("Berkas terlalu besar (batas %(mb)d MB).") % {"mb": MAX_MATERIAL // 2**20})
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        kind = "application/pdf"
    else:
        try:
            kind = check_image(upload, MAX_MATERIAL)
        except UploadRefused:
            raise Refused("file", _("Materi harus PDF atau foto (JPEG, PNG, WebP).")) from None
    material = Material.objects.create(
        session=session, file=upload, content_type=kind, name=(upload.name or "materi")[:200]
    )
    record("officers.material_added", by=by, target=session, after={"material": material.name})
    return material


@transaction.atomic
def invite(session: Session, *, by) -> int:
    """Invite every serving officer of the session's target roles inside its area (once each)."""
    officers = (
        Officer.objects.active()
        .within(session.area_code)
        .filter(election=session.election, role__in=session.target_roles)
        .exclude(participations__session=session)
        .values_list("pk", "area_code", "role", "is_chair")
    )
    rows = [
        Participant(
            session=session, officer_id=pk, topic_id=session.topic_id, area_code=area, role=role, is_chair=chair
        )
        for pk, area, role, chair in officers
    ]
    Participant.objects.bulk_create(rows, batch_size=2000)
    record("officers.invited", by=by, target=session, after={"officers": len(rows)})
    return len(rows)


def parse_score(raw) -> Decimal | None:
    text = str(raw if raw is not None else "").replace(",", ".").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise Refused("score", _("nilai harus angka 0–100")) from None
    if not Decimal(0) <= value <= Decimal(100):
        raise Refused("score", _("nilai harus angka 0–100"))
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def record_attendance(
    participant: Participant, *, by, attended: bool, score=None, version: int | None = None
) -> Participant:
    """Tick (or untick) one participant's attendance, with the test score; only once the session has
    started, by a trainer whose area holds the participant's crew."""
    locked = Participant.objects.select_for_update().select_related("session").get(pk=participant.pk)
    session = locked.session
    if session.starts_at > clock.now():
        raise Refused(
            "attended",
            _("Sesi «%(s)s» belum berlangsung (mulai %(t)s): kehadiran belum dapat dicatat.")
            % {"s": session.title, "t": date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")},
        )
    _require_area(by, TRAIN, locked.area_code, "attended")
    if version is not None and locked.version != version:
        raise Stale("version", _("Kehadiran ini sudah diubah orang lain; muat ulang halaman."))
    value = parse_score(score)
    if value is not None and not attended:
        raise Refused("score", _("nilai hanya untuk peserta yang hadir"))
    before = {"attended": locked.attended, "score": locked.score}
    if (locked.attended, locked.score) == (attended, value):
        return locked
    locked.attended, locked.score, locked.version = attended, value, locked.version + 1
    locked.save(update_fields=["attended", "score", "version"])
    record("officers.attendance", by=by, target=locked, before=before, after={"attended": attended, "score": value})
    return locked


@transaction.atomic
def mark_attended(session: Session, *, by, participant_ids, attended: bool = True) -> int:
    """Many participants ticked at once (a list from the session's sign-in sheet): one UPDATE, one audit
    row per participant; only once the session has started, only inside the trainer's area."""
    if session.starts_at > clock.now():
        raise Refused(
            "attended", _("Sesi «%(s)s» belum berlangsung: kehadiran belum dapat dicatat.") % {"s": session.title}
        )
    rows = Participant.objects.filter(session=session, pk__in=list(participant_ids)).exclude(attended=attended)
    if getattr(by, "pk", None):
        mine = Q(pk__in=[])
        for g in grants_for(by):
            if TRAIN in g.caps:
                mine |= Q(area_code__startswith=undotted(g.region_code)) if g.region_code else Q(area_code=g.tps_code)
        rows = rows.filter(mine)
    changed = list(rows)
    Participant.objects.filter(pk__in=[p.pk for p in changed]).update(attended=attended, version=F("version") + 1)
    record_many(
        "officers.attendance",
        by=by,
        items=[(p, {"attended": not attended}, {"attended": attended}) for p in changed],
    )
    return len(changed)


@transaction.atomic
def record_screenings(rows, *, by) -> int:
    """Many screenings at once (the health office's list from a screening day): each row checked as in
    `record_screening` (a bad one refuses them all, naming its officer and field), then bulk-written."""
    made = []
    for officer, values in rows:
        measures = {f: check_measure(f, values[f]) for f in PHYSICAL}
        if measures["diastolic"] >= measures["systolic"]:
            raise Refused("diastolic", _("%(who)s: diastolik harus lebih rendah dari sistolik") % {"who": officer.name})
        if values["outcome"] not in Screening.Outcome.values or values["screened_on"] > clock.today():
            raise Refused("outcome", _("%(who)s: hasil atau tanggal tidak valid") % {"who": officer.name})
        made.append(
            Screening(
                officer=officer,
                screened_on=values["screened_on"],
                outcome=values["outcome"],
                notes=values.get("notes", ""),
                place=values.get("place", ""),
                entered_by=by if getattr(by, "pk", None) else None,
                **measures,
            )
        )
    Screening.objects.bulk_create(made, batch_size=2000)
    for outcome in Screening.Outcome.values:
        Officer.objects.filter(pk__in=[s.officer_id for s in made if s.outcome == outcome]).update(health=outcome)
    record_many(
        "officers.screened",
        by=by,
        items=[(s, None, {"officer": s.officer_id, "screened_on": s.screened_on, "outcome": s.outcome}) for s in made],
    )
    return len(made)


ATTENDANCE_COLUMNS = ["nik", "nilai"]


@transaction.atomic
def import_attendance(session: Session, fileobj, *, by) -> int:
    """The session's sign-in list (CSV or Excel: `nik`, optional `nilai`, `nama` for the reader) ticked
    at once: each NIK must be an invitee of this session inside the trainer's area, each score 0–100;
    all or nothing with a row report. Returns how many attendances changed (each audited)."""
    if session.starts_at > clock.now():
        raise ImportRejected(
            [
                RowError(
                    0, "", _("Sesi «%(s)s» belum berlangsung: kehadiran belum dapat dicatat.") % {"s": session.title}
                )
            ]
        )
    invited = {
        p.officer.nik_hash: p for p in Participant.objects.filter(session=session).select_related("officer", "session")
    }
    errors: list[RowError] = []
    ticks: list[tuple[Participant, Decimal | None]] = []
    seen: dict[str, int] = {}
    for number, row in read_table(fileobj, required=["nik"], optional=["nilai", "nama"]):
        try:
            digest = keys.nik_hash(keys.clean_number(row["nik"], "NIK"))
        except keys.InvalidNumber as exc:
            errors.append(RowError(number, "nik", str(exc)))
            continue
        participant = invited.get(digest)
        if participant is None:
            errors.append(RowError(number, "nik", _("NIK ini tidak diundang ke sesi ini")))
            continue
        if digest in seen:
            errors.append(RowError(number, "nik", _("NIK ganda: sama dengan baris %(r)d") % {"r": seen[digest]}))
            continue
        seen[digest] = number
        try:
            _require_area(by, TRAIN, participant.area_code, "nik")
            ticks.append((participant, parse_score(row.get("nilai", ""))))
        except Refused as exc:
            errors.append(RowError(number, "nilai" if exc.field == "score" else exc.field, exc.message))
    if errors:
        raise ImportRejected(errors)
    if not ticks:
        raise ImportRejected([RowError(0, "", _("Berkas tidak berisi baris data."))])
    changed = 0
    for participant, score in ticks:
        before = participant.version
        if record_attendance(participant, by=by, attended=True, score=score).version != before:
            changed += 1
    return changed
