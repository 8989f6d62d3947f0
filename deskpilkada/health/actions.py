"""Audited writes of point 9: hospitals and their organisation, in-patients who moved the vote, the
serving TPS, the visit schedule, health posts and the crews' duty notes.

Every action runs in one transaction and writes its audit row; a refusal names the field in
Indonesian (`Refused.field`); an edit carries the version the form was opened at and is refused when
someone else saved in between; a retried submission (the same visit, patient or post again) returns
the row already made instead of counting it twice."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from deskpilkada import clock
from deskpilkada.audit.log import changes, record, snapshot, upsert
from deskpilkada.audit.transitions import TransitionRefused, transition
from deskpilkada.elections.models import Contest, Election
from deskpilkada.health import deadlines
from deskpilkada.health.coverage import contests_for
from deskpilkada.health.models import DutyNote, HealthPost, Hospital, HospitalTps, InpatientVoter, Visit
from deskpilkada.regions.codes import CodeError, normalize_region_code
from deskpilkada.regions.models import Level, Region
from deskpilkada.tps.codes import normalize_tps_code
from deskpilkada.tps.models import Tps
from deskpilkada.voters.keys import InvalidNumber, clean_number, mask_name, nik_hash

MAX_BALLOTS = 5000


class Refused(ValueError):
    """A write that cannot be made as asked; `field` names the form field, `message` says why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


class Stale(Refused):
    """Someone else saved the row since the form was opened."""


def _election(election: Election | None) -> Election:
    election = election or Election.objects.current()
    if election is None:
        raise Refused("election", _("Belum ada pemilihan yang berjalan."))
    return election


# --- hospitals ---------------------------------------------------------------------------------


@transaction.atomic
def save_hospital(*, by, code: str, **values) -> Hospital:
    return upsert(Hospital, {"code": code}, values, by=by, action="health.hospital")


@transaction.atomic
def link_organisation(*, by, hospital: Hospital, organisation) -> Hospital:
    """The hospital's organisation (kind `rumah_sakit`): its staff then see the hospital's schedule."""
    if organisation is not None and organisation.kind != "rumah_sakit":
        raise Refused("organisation", _("Organisasi: harus berjenis rumah sakit."))
    return upsert(Hospital, {"pk": hospital.pk}, {"organisation": organisation}, by=by, action="health.hospital")


# --- in-patients who moved the vote --------------------------------------------------------------


@transaction.atomic
def register_inpatient(
    *,
    by,
    hospital: Hospital,
    nik: str,
    name: str,
    origin_code: str,
    registered_on: dt.date,
    ward: str = "",
    election: Election | None = None,
) -> InpatientVoter:
    """An in-patient who moved the vote to `hospital` (pindah memilih) on `registered_on`, no later than
    the election's deadline. The same NIK again at the same hospital returns the row already made."""
    election = _election(election)
    try:
        digits = clean_number(nik, "NIK")
    except InvalidNumber as e:
        raise Refused("nik", str(e)) from None
    name = (name or "").strip()
    if len(name) < 2:
        raise Refused("name", _("Nama: isi nama pasien."))
    try:
        origin = normalize_region_code(origin_code)
    except CodeError:
        raise Refused(
            "origin_code",
            _("Asal: kode wilayah «%(c)s» tidak valid (mis. 32.71.06.1002 atau 32.01).") % {"c": origin_code},
        ) from None
    contests = list(Contest.objects.filter(election=election).select_related("region"))
    if not contests_for(origin, hospital.region.code, contests):
        raise Refused(
            "origin_code", _("Asal: pemilih dari wilayah %(c)s tidak memilih dalam pemilihan ini.") % {"c": origin}
        )
    last = deadlines.last_day(election)
    if registered_on > last:
        raise Refused(
            "registered_on",
            _("Tanggal pindah memilih: lewat batas %(d)s (H-%(n)s).")
            % {"d": last.strftime("%d-%m-%Y"), "n": election.pindah_memilih_days},
        )
    if registered_on > clock.today():
        raise Refused("registered_on", _("Tanggal pindah memilih: tidak boleh di masa depan."))
    hashed = nik_hash(digits)
    found = InpatientVoter.objects.filter(election=election, nik_hash=hashed).select_related("hospital").first()
    if found is not None:
        if found.hospital_id == hospital.pk:
            return found  # a retried submission
        raise Refused("nik", _("NIK: pemilih ini sudah pindah memilih ke %(h)s.") % {"h": found.hospital.name})
    patient = InpatientVoter.objects.create(
        election=election,
        hospital=hospital,
        nik_hash=hashed,
        name_masked=mask_name(name),
        origin_code=origin,
        ward=(ward or "").strip()[:80],
        registered_on=registered_on,
    )
    record("health.inpatient_registered", by=by, target=patient, after=snapshot(patient))
    return patient


# --- serving TPS -------------------------------------------------------------------------------


def _tps(code: str, field: str = "tps") -> Tps:
    try:
        return Tps.objects.select_related("kelurahan").get(code=normalize_tps_code(code))
    except (CodeError, Tps.DoesNotExist):
        raise Refused(field, _("TPS: «%(c)s» tidak dikenal.") % {"c": code}) from None


@transaction.atomic
def add_serving_tps(*, by, hospital: Hospital, tps_code: str) -> HospitalTps:
    tps = _tps(tps_code)
    found = HospitalTps.objects.filter(hospital=hospital, tps=tps).first()
    if found is not None:
        return found
    row = HospitalTps.objects.create(hospital=hospital, tps=tps)
    record("health.serving_tps_added", by=by, target=hospital, after={"tps": tps.code})
    return row


@transaction.atomic
def remove_serving_tps(*, by, hospital: Hospital, tps: Tps) -> None:
    if Visit.objects.filter(hospital=hospital, tps=tps).exclude(status=Visit.Status.CANCELLED).exists():
        raise Refused("tps", _("TPS: masih punya jadwal kunjungan di rumah sakit ini; batalkan dulu jadwalnya."))
    if HospitalTps.objects.filter(hospital=hospital, tps=tps).delete()[0]:
        record("health.serving_tps_removed", by=by, target=hospital, before={"tps": tps.code})


# --- the visit schedule ---------------------------------------------------------------------------


def _check_visit(hospital: Hospital, tps: Tps, ward: str, starts_at: dt.datetime, ballots: int, election) -> None:
    if not HospitalTps.objects.filter(hospital=hospital, tps=tps).exists():
        raise Refused("tps", _("TPS: %(t)s tidak melayani rumah sakit ini.") % {"t": tps})
    if not ward:
        raise Refused("ward", _("Ruang: isi nama ruang rawat yang dikunjungi."))
    local = timezone.localtime(starts_at)
    if local.date() != election.voting_date or not (election.polls_open <= local.time() <= election.polls_close):
        raise Refused(
            "starts_at",
            _("Waktu kunjungan: harus pada hari pemungutan suara %(d)s, pukul %(a)s–%(b)s.")
            % {
                "d": election.voting_date.strftime("%d-%m-%Y"),
                "a": election.polls_open.strftime("%H.%M"),
                "b": election.polls_close.strftime("%H.%M"),
            },
        )
    if not 0 <= ballots <= MAX_BALLOTS:
        raise Refused(
            "ballots", _("Surat suara dibawa: isi 0 sampai %(n)s.") % {"n": f"{MAX_BALLOTS:,}".replace(",", ".")}
        )


@transaction.atomic
def schedule_visit(
    *,
    by,
    hospital: Hospital,
    tps_code: str,
    ward: str,
    starts_at: dt.datetime,
    ballots: int,
    note: str = "",
    election: Election | None = None,
) -> Visit:
    """A visit of a serving TPS's KPPS to a ward. The same visit again (TPS, ward, time) is not added twice."""
    election = _election(election)
    tps = _tps(tps_code)
    ward = (ward or "").strip()[:80]
    _check_visit(hospital, tps, ward, starts_at, ballots, election)
    found = Visit.objects.filter(hospital=hospital, tps=tps, ward=ward, starts_at=starts_at).first()
    if found is not None:
        return found
    visit = Visit.objects.create(
        hospital=hospital, tps=tps, ward=ward, starts_at=starts_at, ballots=ballots, note=(note or "").strip()[:255]
    )
    record("health.visit_scheduled", by=by, target=visit, after=snapshot(visit))
    return visit


def _lock(visit: Visit, version: int | None) -> Visit:
    current = Visit.objects.select_for_update().select_related("hospital__region").get(pk=visit.pk)
    if version is not None and current.version != version:
        raise Stale(
            "version",
            _("Jadwal ini sudah diubah orang lain sejak formulir dibuka; muat ulang halaman dan periksa lagi."),
        )
    return current


@transaction.atomic
def update_visit(
    *,
    by,
    visit: Visit,
    version: int | None,
    ward: str,
    starts_at: dt.datetime,
    ballots: int,
    tps_code: str,
    note: str = "",
) -> Visit:
    current = _lock(visit, version)
    election = _election(None)
    tps = _tps(tps_code)
    ward = (ward or "").strip()[:80]
    _check_visit(current.hospital, tps, ward, starts_at, ballots, election)
    if current.voters_served is not None and ballots < current.voters_served:
        raise Refused("ballots", _("Surat suara dibawa: tidak boleh kurang dari pemilih yang sudah dilayani."))
    before = snapshot(current)
    current.tps, current.ward, current.starts_at, current.ballots = tps, ward, starts_at, ballots
    current.note = (note or "").strip()[:255]
    current.version = F("version") + 1
    current.save(update_fields=["tps", "ward", "starts_at", "ballots", "note", "version"])
    current.refresh_from_db()
    b, a = changes(before, snapshot(current))
    record("health.visit_updated", by=by, target=current, before=b, after=a)
    return current


@transaction.atomic
def mark_visit_done(*, by, visit: Visit, voters_served: int | None, version: int | None, note: str = "") -> Visit:
    """The visit took place and served `voters_served` voters (no more than the ballots carried)."""
    current = _lock(visit, version)
    if current.status == Visit.Status.DONE:
        if current.voters_served == voters_served:
            return current  # a retried submission
        raise Refused("voters_served", _("Kunjungan ini sudah ditandai selesai."))
    if voters_served is None:
        raise Refused("voters_served", _("Pemilih dilayani: isi jumlah pemilih yang dilayani."))
    if voters_served < 0 or voters_served > current.ballots:
        raise Refused(
            "voters_served",
            _("Pemilih dilayani: tidak boleh melebihi surat suara yang dibawa (%(n)s).") % {"n": current.ballots},
        )
    try:
        transition(
            current,
            Visit.Status.DONE,
            by=by,
            note=note,
            also={"voters_served": voters_served, "version": current.version + 1},
        )
    except TransitionRefused as e:
        raise Refused("status", str(e)) from None
    return current


@transaction.atomic
def set_visit_status(*, by, visit: Visit, to: str, version: int | None, note: str = "") -> Visit:
    """Cancel a planned visit, or plan again a done or cancelled one (its count cleared)."""
    current = _lock(visit, version)
    if to == Visit.Status.DONE:
        raise Refused("status", _("Status: tandai selesai dengan jumlah pemilih yang dilayani."))
    also: dict = {"version": current.version + 1}
    if to == Visit.Status.PLANNED:
        also["voters_served"] = None
    try:
        transition(current, to, by=by, note=note, also=also)
    except TransitionRefused as e:
        raise Refused("status", str(e)) from None
    return current


# --- health posts -------------------------------------------------------------------------------


@transaction.atomic
def save_health_post(
    *,
    by,
    kecamatan: Region,
    kind: str,
    name: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    address: str = "",
    phone: str = "",
    staff: int = 0,
) -> HealthPost:
    """A health post or an on-call puskesmas of a kecamatan; the same name in the same kecamatan is updated."""
    if kecamatan.level != Level.DISTRICT:
        raise Refused("kecamatan", _("Kecamatan: pilih sebuah kecamatan."))
    if kind not in HealthPost.Kind.values:
        raise Refused("kind", _("Jenis: pilihan «%(k)s» tidak dikenal.") % {"k": kind})
    name = (name or "").strip()
    if len(name) < 3:
        raise Refused("name", _("Nama: isi nama pos atau puskesmas."))
    if closes_at <= opens_at:
        raise Refused("closes_at", _("Siaga sampai: harus setelah waktu siaga mulai."))
    if closes_at - opens_at > dt.timedelta(days=3):
        raise Refused("closes_at", _("Siaga sampai: paling lama 3 hari setelah siaga mulai."))
    if not 0 <= staff <= 500:
        raise Refused("staff", _("Tenaga kesehatan: isi 0 sampai 500."))
    values = {
        "kind": kind,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "address": (address or "").strip()[:200],
        "phone": (phone or "").strip()[:30],
        "staff": staff,
    }
    return upsert(HealthPost, {"kecamatan": kecamatan, "name": name[:120]}, values, by=by, action="health.post")


# --- the counting night's duty hours --------------------------------------------------------------


@transaction.atomic
def save_duty_note(
    *,
    by,
    tps: Tps,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    crew_present: int,
    rest_note: str = "",
    version: int | None = None,
    election: Election | None = None,
) -> DutyNote:
    """The hours the TPS's crew was on duty (one note per TPS): from before the polls open to the end of
    the count, which in 2019 ran past the next morning."""
    election = _election(election)
    if ended_at <= started_at:
        raise Refused("ended_at", _("Selesai bertugas: harus setelah mulai bertugas."))
    if ended_at - started_at > dt.timedelta(hours=48):
        raise Refused("ended_at", _("Selesai bertugas: paling lama 48 jam setelah mulai."))
    day = election.voting_date
    if not (day - dt.timedelta(days=1) <= timezone.localtime(started_at).date() <= day):
        raise Refused("started_at", _("Mulai bertugas: pada hari pemungutan suara atau sehari sebelumnya."))
    limit = election.kpps_per_tps + election.linmas_per_tps
    if not 0 <= crew_present <= limit:
        raise Refused("crew_present", _("Anggota yang bertugas: isi 0 sampai %(n)s.") % {"n": limit})
    values = {
        "started_at": started_at,
        "ended_at": ended_at,
        "crew_present": crew_present,
        "rest_note": rest_note[:255],
    }
    current = DutyNote.objects.select_for_update().filter(election=election, tps=tps).first()
    if current is None:
        try:
            with transaction.atomic():
                note = DutyNote.objects.create(election=election, tps=tps, **values)
        except IntegrityError:
            raise Stale("version", _("Catatan TPS ini baru saja disimpan orang lain; muat ulang halaman.")) from None
        record("health.duty_note_created", by=by, target=note, after=snapshot(note))
        return note
    if version is not None and current.version != version:
        raise Stale("version", _("Catatan ini sudah diubah orang lain sejak formulir dibuka; muat ulang halaman."))
    before = snapshot(current)
    for k, v in values.items():
        setattr(current, k, v)
    current.version += 1
    current.save(update_fields=[*values, "version"])
    b, a = changes(before, snapshot(current))
    record("health.duty_note_updated", by=by, target=current, before=b, after=a)
    return current
