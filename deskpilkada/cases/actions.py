"""Audited writes to the case register: intake (staff, public, API, import), the workflow, assignment,
escalation, referrals, the ASN route, comments, attachments and hoax clarifications.

Every action runs in one transaction, writes its audit row, keeps the case's deadline current
(deadlines.py) and notifies after commit (notifications.actions.notify)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from deskpilkada import clock
from deskpilkada.accounts.access import can, users_reaching
from deskpilkada.accounts.models import Organisation, User
from deskpilkada.audit.log import record, snapshot
from deskpilkada.audit.transitions import TransitionRefused, transition
from deskpilkada.cases import deadlines
from deskpilkada.cases.access import REPORT, handler_caps, handlers, may_handle
from deskpilkada.cases.categories import CATEGORIES, DetailError, clean_details
from deskpilkada.cases.models import Case, CaseAttachment, CaseComment, CaseStep, Clarification, Severity
from deskpilkada.cases.similarity import find_group, text_of
from deskpilkada.elections.models import Election
from deskpilkada.notifications.actions import notify
from deskpilkada.regions.codes import CodeError, normalize_region_code, undotted
from deskpilkada.regions.models import Level, Region
from deskpilkada.tps.codes import normalize_tps_code
from deskpilkada.tps.models import Tps
from deskpilkada.uploads import UploadRefused, check_image

MAX_ATTACHMENT = 10 * 2**20
PDF_MAGIC = b"%PDF-"


class Refused(ValueError):
    """A write that cannot be made as asked; `field` names the form field, `message` says why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


class Stale(Refused):
    """Someone else changed the case since the form was opened."""


def find_place(code: str) -> tuple[Tps | None, Region]:
    """The TPS (13 digits, dotted or not) or the kelurahan/kecamatan of `code`; Refused("place_code")."""
    raw = (code or "").strip()
    if not raw:
        raise Refused("place_code", _("Isi tempat kejadian: kode kelurahan, kecamatan atau TPS."))
    digits = undotted(raw)
    if len(digits) == 13:
        try:
            tps = Tps.objects.select_related("kelurahan").get(code=normalize_tps_code(raw))
        except (CodeError, Tps.DoesNotExist):
            raise Refused("place_code", _("TPS «%(c)s» tidak dikenal.") % {"c": raw}) from None
        return tps, tps.kelurahan
    try:
        region = Region.objects.get(code=normalize_region_code(raw), level__in=[Level.DISTRICT, Level.VILLAGE])
    except (CodeError, Region.DoesNotExist):
        raise Refused("place_code", _("Kelurahan atau kecamatan «%(c)s» tidak dikenal.") % {"c": raw}) from None
    return None, region


def _check_times(occurred_at: dt.datetime, known_at: dt.datetime) -> None:
    now = clock.now()
    if occurred_at > now + dt.timedelta(minutes=5):
        raise Refused("occurred_at", _("Waktu kejadian tidak boleh di masa depan."))
    if known_at > now + dt.timedelta(minutes=5):
        raise Refused("known_at", _("Waktu diketahui tidak boleh di masa depan."))
    if known_at < occurred_at:
        raise Refused("known_at", _("Waktu diketahui tidak boleh sebelum waktu kejadian."))


def _notify(case: Case, kind: str, title: str, *, users: Iterable[User] | None = None, exclude=None) -> None:
    notify(
        kind=kind,
        title=title,
        url=case.get_absolute_url(),
        target=case,
        users=list(users) if users is not None else handlers(case),
        exclude=exclude,
    )


@transaction.atomic
def report_case(
    *,
    by: User | None,
    category: str,
    description: str,
    place_code: str,
    occurred_at: dt.datetime,
    known_at: dt.datetime | None = None,
    title: str = "",
    severity: str = Severity.MEDIUM,
    details: dict | None = None,
    source: str = Case.Source.STAFF,
    reporter_name: str = "",
    reporter_contact: str = "",
    anonymous: bool = False,
    lat: float | None = None,
    lon: float | None = None,
    election: Election | None = None,
) -> Case:
    """Take in a case from a staff member, the public, the API or an import; checked, never half-saved."""
    if category not in CATEGORIES:
        raise Refused("category", _("Kategori «%(c)s» tidak dikenal.") % {"c": category})
    description = (description or "").strip()
    if len(description) < 10:
        raise Refused("description", _("Uraikan kejadiannya (paling sedikit 10 karakter)."))
    if len(description) > 5000:
        raise Refused("description", _("Uraian paling banyak 5.000 karakter."))
    if severity not in Severity.values:
        raise Refused("severity", _("Tingkat «%(s)s» tidak dikenal.") % {"s": severity})
    election = election or Election.objects.current()
    if election is None:
        raise Refused("category", _("Belum ada pemilihan yang berjalan."))
    tps, region = find_place(place_code)
    known_at = known_at or clock.now()
    _check_times(occurred_at, known_at)
    if source in (Case.Source.STAFF, Case.Source.IMPORT) and by is not None and not can(by, REPORT, tps or region):
        raise Refused("place_code", _("Tempat kejadian di luar wilayah kewenangan Anda."))
    try:
        details = clean_details(category, details or {})
    except DetailError as e:
        raise Refused(e.field, e.message) from None
    if lat is None and tps is not None and tps.lat is not None:
        lat, lon = tps.lat, tps.lon
    case = Case(
        election=election,
        category=category,
        title=(title.strip() or description.splitlines()[0])[:200],
        description=description,
        severity=severity,
        details=details,
        tps=tps,
        region=region,
        area=tps.code if tps else region.undotted_code,
        lat=lat,
        lon=lon,
        occurred_at=occurred_at,
        known_at=known_at,
        source=source,
        reporter_name="" if anonymous else reporter_name.strip()[:120],
        reporter_contact="" if anonymous else reporter_contact.strip()[:120],
        anonymous=anonymous,
        handling_region=region,
        created_by=by,
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    case.match_text = text_of(case)
    case.group_id = find_group(case)
    deadlines.refresh(case)
    case.save()
    record(
        "cases.case_reported",
        by=by,
        target=case,
        after={
            **(snapshot(case, ["category", "title", "severity", "area", "source", "occurred_at", "known_at"]) or {}),
            "group": case.group_id,  # the id, without reading the group's first case
        },
    )
    if case.group_id is None:  # a sighting of a case already known tells nobody again
        _notify(case, "cases.new", _("Kasus baru: %(case)s") % {"case": case}, exclude=by)
    return case


def _save(case: Case, fields: list[str]) -> None:
    case.updated_at = clock.now()
    case.version = F("version") + 1
    case.save(update_fields=[*fields, "updated_at", "version"])
    case.refresh_from_db(fields=["version"])


def _locked(case: Case, expected_version: int | None) -> Case:
    # of=("self",): PostgreSQL locks no nullable side of an outer join (the assignee, the organisation).
    rows = Case.objects.select_for_update(of=("self",)).select_related("assigned_to", "assigned_org")
    current = rows.get(pk=case.pk)
    if expected_version is not None and current.version != expected_version:
        raise Stale(
            "version",
            _("Kasus ini baru saja diubah orang lain (versi %(n)d). Muat ulang, periksa, lalu coba lagi.")
            % {"n": current.version},
        )
    return current


@transaction.atomic
def move(case: Case, to: str, *, by: User | None, note: str = "", expected_version: int | None = None) -> Case:
    """Move the case through its workflow (Case.STATUS_STEPS), keeping the dates its deadlines count from."""
    case = _locked(case, expected_version)
    now = clock.now()
    also: dict = {}
    if (
        case.category in deadlines.BAWASLU
        and to in (Case.Status.VERIFIED, Case.Status.IN_PROGRESS)  # verified, or taken on without it
        and (case.registered_at is None or case.status == Case.Status.REOPENED)
    ):
        also["registered_at"] = now  # taken on by Bawaslu: registered, the follow-up counts from here
    if to in (Case.Status.IN_PROGRESS, Case.Status.ACTION_TAKEN) and case.responded_at is None:
        also["responded_at"] = now
    if to == Case.Status.ACTION_TAKEN and case.acted_at is None:
        also["acted_at"] = now
    legal = to in Case.STATUS_STEPS.get(case.status, set())
    if legal and to == Case.Status.DUPLICATE and case.duplicate_of_id is None:
        raise Refused("to", _("Tandai duplikat dengan menyebut nomor kasus induknya."))
    if to == Case.Status.REOPENED:
        also.update(responded_at=None, acted_at=None, reopened_at=now, duplicate_of=None)
    try:
        transition(case, to, by=by, note=note, also=also)
    except TransitionRefused as e:
        raise Refused("to", str(e)) from None
    _save(case, deadlines.refresh(case))
    if to == Case.Status.REOPENED:
        _notify(case, "cases.reopened", _("Kasus dibuka kembali: %(case)s") % {"case": case}, exclude=by)
    return case


@transaction.atomic
def assign(
    case: Case,
    *,
    by: User | None,
    organisation: Organisation | None = None,
    user: User | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """Give the case to an organisation and/or a person (who must be able to handle it there)."""
    case = _locked(case, expected_version)
    if organisation is None and user is None:
        raise Refused("assigned_to", _("Pilih organisasi atau petugas penanggung jawab."))
    if user is not None:
        if not user.is_active or not may_handle(user, case):
            raise Refused(
                "assigned_to", _("%(user)s tidak menangani kasus kategori ini di wilayah ini.") % {"user": user}
            )
        organisation = organisation or user.organisation
    before = snapshot(case, ["assigned_org", "assigned_to"])
    case.assigned_org, case.assigned_to = organisation, user
    _save(case, ["assigned_org", "assigned_to"])
    record(
        "cases.case_assigned",
        by=by,
        target=case,
        before=before,
        after={**(snapshot(case, ["assigned_org", "assigned_to"]) or {}), "note": note},
    )
    if case.status in (Case.Status.NEW, Case.Status.VERIFIED, Case.Status.REOPENED):
        case = move(case, Case.Status.ASSIGNED, by=by, note=note)
    recipients = [user] if user is not None else handlers(case, organisation=organisation)
    _notify(
        case,
        "cases.assigned",
        _("Kasus ditugaskan kepada Anda: %(case)s") % {"case": case},
        users=recipients,
        exclude=by,
    )
    return case


@transaction.atomic
def escalate(case: Case, *, by: User | None, note: str = "") -> Case:
    """Hand the case up one level of the area (kelurahan → kecamatan → kota), with a step and a notice."""
    case = _locked(case, None)
    current = case.handling_region
    if current.level <= Level.REGENCY or current.parent is None:
        raise Refused("handling_region", _("Kasus sudah ditangani di tingkat kabupaten/kota."))
    case.handling_region = current.parent
    _save(case, ["handling_region"])
    CaseStep.objects.create(case=case, kind=CaseStep.Kind.ESCALATION, on=clock.today(), outcome=note, by=by)
    record(
        "cases.case_escalated",
        by=by,
        target=case,
        before={"handling_region": current.code},
        after={"handling_region": case.handling_region.code, "note": note},
    )
    level_users = [
        u
        for cap in handler_caps(case)
        for u in users_reaching(cap=cap, area=case.area)
        if any(a.region_id == case.handling_region.pk for a in u.assignments.all())
    ]
    _notify(
        case,
        "cases.escalated",
        _("Kasus dinaikkan ke %(region)s: %(case)s") % {"region": case.handling_region, "case": case},
        users=level_users,
        exclude=by,
    )
    return case


@transaction.atomic
def mark_duplicate(case: Case, *, of: Case, by: User | None, note: str = "") -> Case:
    if of.pk == case.pk or of.duplicate_of_id == case.pk:
        raise Refused("duplicate_of", _("Kasus tidak dapat menjadi duplikat dirinya sendiri."))
    if of.category != case.category:
        raise Refused(
            "duplicate_of", _("Kasus induk harus berkategori sama (%(c)s).") % {"c": case.get_category_display()}
        )
    case = _locked(case, None)
    root = of.duplicate_of or of
    case.duplicate_of = root
    _save(case, ["duplicate_of"])
    case = move(case, Case.Status.DUPLICATE, by=by, note=note or _("Duplikat dari %(of)s") % {"of": root})
    return case


@transaction.atomic
def ungroup(case: Case, *, by: User | None, note: str = "") -> Case:
    """Take a report out of the group it was put in as a sighting: it becomes a case of its own, with
    its own deadlines, and its handlers hear of it as a new case."""
    case = _locked(case, None)
    if case.group_id is None:
        raise Refused("group", _("Kasus ini bukan laporan serupa dari kasus lain."))
    leader = case.group_id
    case.group = None
    _save(case, ["group", *deadlines.refresh(case)])
    record("cases.case_ungrouped", by=by, target=case, before={"group": leader}, after={"group": None, "note": note})
    _notify(
        case, "cases.new", _("Kasus baru (dipisahkan dari #%(n)s): %(case)s") % {"n": leader, "case": case}, exclude=by
    )
    return case


@transaction.atomic
def request_info(case: Case, *, by: User | None, note: str) -> Case:
    """Bawaslu asks the reporter for more: the follow-up deadline gets its extra days (once)."""
    case = _locked(case, None)
    if case.category not in deadlines.BAWASLU or case.registered_at is None:
        raise Refused("note", _("Keterangan tambahan hanya untuk laporan Bawaslu yang sudah diregistrasi."))
    if case.info_requested:
        raise Refused("note", _("Keterangan tambahan sudah pernah diminta untuk kasus ini."))
    case.info_requested = True
    _save(case, ["info_requested", *deadlines.refresh(case)])
    CaseStep.objects.create(case=case, kind=CaseStep.Kind.INFO_REQUEST, on=clock.today(), outcome=note, by=by)
    record("cases.info_requested", by=by, target=case, after={"note": note, "due_at": case.due_at})
    return case


@transaction.atomic
def add_comment(case: Case, *, by: User, text: str, is_outcome: bool = False) -> CaseComment:
    text = (text or "").strip()
    if not text:
        raise Refused("text", _("Catatan kosong."))
    if len(text) > 5000:
        raise Refused("text", _("Catatan paling banyak 5.000 karakter."))
    comment = CaseComment.objects.create(case=case, author=by, text=text, is_outcome=is_outcome, created_at=clock.now())
    record(
        "cases.comment_added",
        by=by,
        target=comment,
        target_repr=str(case),
        after={"is_outcome": is_outcome, "text": text[:200]},
    )
    return comment


def check_attachment(upload) -> str:
    """The content type of an image or PDF upload within the size limit; else Refused("file")."""
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        if upload.size > MAX_ATTACHMENT:
            raise Refused("file", _("Berkas terlalu besar (batas %(mb)d MB).") % {"mb": MAX_ATTACHMENT // 2**20})
        return "application/pdf"
    try:
        return check_image(upload, MAX_ATTACHMENT)
    except UploadRefused:
        raise Refused("file", _("Lampiran harus foto (JPEG, PNG, WebP) atau PDF, paling besar 10 MB.")) from None


@transaction.atomic
def add_attachment(case: Case, *, by: User | None, upload) -> CaseAttachment:
    kind = check_attachment(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    item = CaseAttachment(
        case=case,
        name=(getattr(upload, "name", "") or "lampiran")[-120:],
        content_type=kind,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
        uploaded_at=clock.now(),
    )
    item.file.save(
        f"{digest.hexdigest()[:16]}.{'pdf' if kind == 'application/pdf' else kind.split('/')[1]}", upload, save=False
    )
    item.save()
    record(
        "cases.attachment_added", by=by, target=item, target_repr=str(case), after={"sha256": item.sha256, "type": kind}
    )
    return item


@transaction.atomic
def add_step(
    case: Case, *, by: User | None, kind: str, on: dt.date, reference: str = "", outcome: str = "", organisation=None
) -> CaseStep:
    """Record a step of the case's route outside the desk. The ASN route goes in order: Bawaslu's
    recommendation, then BKN's decision, then the sanction by the mayor as appointing official."""
    case = _locked(case, None)
    if kind not in CaseStep.Kind.values or kind == CaseStep.Kind.ESCALATION:  # escalation is its own action
        raise Refused("kind", _("Langkah «%(k)s» tidak dikenal.") % {"k": kind})
    if on > clock.today():
        raise Refused("on", _("Tanggal langkah tidak boleh di masa depan."))
    if kind in CaseStep.ASN_ROUTE:
        if case.category != "asn":
            raise Refused("kind", _("Langkah ini hanya untuk kasus netralitas ASN."))
        done = set(case.steps.values_list("kind", flat=True))
        index = CaseStep.ASN_ROUTE.index(kind)
        if kind in done:
            raise Refused("kind", _("Langkah «%(k)s» sudah dicatat.") % {"k": CaseStep.Kind(kind).label})
        if index and CaseStep.ASN_ROUTE[index - 1] not in done:
            before = CaseStep.Kind(CaseStep.ASN_ROUTE[index - 1]).label
            raise Refused("kind", _("Catat dahulu langkah «%(k)s».") % {"k": before})
        if not reference.strip():
            raise Refused("reference", _("Isi nomor surat langkah ini."))
    if kind == CaseStep.Kind.REFERRAL and organisation is None:
        raise Refused("organisation", _("Pilih organisasi tujuan."))
    step = CaseStep.objects.create(
        case=case,
        kind=kind,
        on=on,
        reference=reference.strip(),
        outcome=outcome.strip(),
        organisation=organisation,
        by=by,
    )
    record(
        "cases.step_added",
        by=by,
        target=step,
        target_repr=str(case),
        after=snapshot(step, ["kind", "on", "reference", "outcome", "organisation"]),
    )
    if kind == CaseStep.Kind.RECOMMENDATION:
        case.recommended_at = clock.now()
        _save(case, ["recommended_at"])
        _notify(
            case,
            "cases.recommended",
            _("Rekomendasi Bawaslu netralitas ASN: %(case)s") % {"case": case},
            users=users_reaching(cap="asn.manage", area=case.area),
            exclude=by,
        )
    if kind == CaseStep.Kind.REFERRAL and organisation is not None:
        _notify(
            case,
            "cases.referred",
            _("Kasus diteruskan kepada %(org)s: %(case)s") % {"org": organisation, "case": case},
            users=User.objects.filter(organisation=organisation, is_active=True),
            exclude=by,
        )
    return step


@transaction.atomic
def publish_clarification(
    case: Case, *, by: User | None, title: str, text: str, claim: str, verdict: str = ""
) -> Clarification:
    """Publish (or correct) the public clarification of a hoax case at /klarifikasi/. The claim is
    written for the public by the handler: never the report's own text, which may name the reporter."""
    if case.category != "hoax":
        raise Refused("category", _("Klarifikasi hanya untuk kasus hoaks."))
    verdict = verdict or case.details.get("verdict", "")
    if verdict not in ("hoax", "misleading", "true", "unverifiable"):
        raise Refused("verdict", _("Isi hasil cek fakta sebelum mempublikasikan klarifikasi."))
    if len(title.strip()) < 5:
        raise Refused("title", _("Isi judul klarifikasi."))
    if len(text.strip()) < 20:
        raise Refused("text", _("Isi klarifikasi paling sedikit 20 karakter."))
    claim = (claim or "").strip()
    if len(claim) < 10:
        raise Refused("claim", _("Tulis klaim yang beredar untuk masyarakat (paling sedikit 10 karakter)."))
    item, created = Clarification.objects.update_or_create(
        case=case,
        defaults={
            "title": title.strip()[:200],
            "claim": claim,
            "verdict": verdict,
            "text": text.strip(),
            "published_at": clock.now(),
            "published_by": by,
        },
    )
    if case.details.get("verdict") != verdict:
        case.details = {**case.details, "verdict": verdict}
        _save(case, ["details"])
    record(
        "cases.clarification_published" if created else "cases.clarification_corrected",
        by=by,
        target=item,
        after=snapshot(item, ["title", "verdict", "published_at"]),
    )
    return item


@transaction.atomic
def update_details(
    case: Case, *, by: User | None, details: dict, severity: str | None = None, expected_version: int | None = None
) -> Case:
    """Change the category's details (and the severity) of a case; audited with before and after."""
    case = _locked(case, expected_version)
    try:
        cleaned = clean_details(case.category, details)
    except DetailError as e:
        raise Refused(e.field, e.message) from None
    if severity is not None and severity not in Severity.values:
        raise Refused("severity", _("Tingkat «%(s)s» tidak dikenal.") % {"s": severity})
    before = {"details": case.details, "severity": case.severity}
    case.details = cleaned
    if severity:
        case.severity = severity
    _save(case, ["details", "severity", *deadlines.refresh(case)])
    record(
        "cases.case_updated", by=by, target=case, before=before, after={"details": cleaned, "severity": case.severity}
    )
    return case
