"""Audited writes of points 2 and 7: checklist answers and their warnings, TPS hazards, mitigation
plans, weather warnings, relocations (through tps.actions.relocate_tps), vulnerability (by hand
and by import), deployment, posts and patrols, and the election's thresholds and ratios.

Every action runs in one transaction with a keyword-only `by`, writes its audit row, keeps the
TPS's `TpsState` current (summary.refresh) and notifies only after commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from deskpilkada import clock, numbers
from deskpilkada.audit.log import changes, record, record_many, snapshot
from deskpilkada.audit.transitions import transition
from deskpilkada.elections.models import Election
from deskpilkada.imports import ImportRejected, RowError, parse_bool, read_table
from deskpilkada.notifications.actions import notify
from deskpilkada.readiness import rules as ruledata
from deskpilkada.readiness import summary
from deskpilkada.readiness.models import (
    ChecklistAnswer,
    ChecklistItem,
    Deployment,
    Force,
    Level,
    MitigationPlan,
    ReadinessRules,
    ReadinessWarning,
    SecurityPost,
    TpsHazard,
    TpsVulnerability,
    VulnerabilityClass,
    WeatherWarning,
)
from deskpilkada.regions.codes import CodeError
from deskpilkada.regions.models import Region, RegionHazard
from deskpilkada.tps.actions import RelocationRefused, relocate_tps
from deskpilkada.tps.codes import normalize_tps_code
from deskpilkada.tps.models import Relocation, Tps
from deskpilkada.uploads import UploadRefused, check_image


class Refused(ValueError):
    """A write that cannot be made as asked; `field` names the input at fault, the message says why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _election(election: Election | None) -> Election:
    found = election or Election.objects.current()
    if found is None:
        raise Refused("", _("Belum ada pemilihan."))
    return found


# --- the checklist --------------------------------------------------------------------------------


def clean_answer(item: ChecklistItem, raw: str) -> str:
    """The stored form of an answer to `item`; Refused naming the item when it is not one."""
    value = (raw or "").strip().lower()
    if item.kind == ChecklistItem.Kind.YES_NO:
        if value in {"ya", "y", "yes", "1", "true"}:
            return "ya"
        if value in {"tidak", "t", "no", "0", "false"}:
            return "tidak"
        raise Refused(item.code, _("«%(q)s»: jawab ya atau tidak.") % {"q": item.label})
    if item.kind == ChecklistItem.Kind.NUMBER:
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            raise Refused(item.code, _("«%(q)s»: isi angka.") % {"q": item.label}) from None
        if number < 0 or number > 100_000:
            raise Refused(item.code, _("«%(q)s»: angka 0 sampai 100.000.") % {"q": item.label})
        return f"{number:g}"
    allowed = [v for v, _label in item.choices]
    if value not in allowed:
        raise Refused(
            item.code,
            _("«%(q)s»: pilih salah satu: %(c)s.") % {"q": item.label, "c": ", ".join(lbl for _v, lbl in item.choices)},
        )
    return value


@dataclass
class ChecklistResult:
    answered: int = 0
    opened: list[ReadinessWarning] = field(default_factory=list)
    resolved: list[ReadinessWarning] = field(default_factory=list)


def answer_checklist(
    *,
    by,
    tps: Tps,
    answers: dict[str, str],
    notes: dict[str, str] | None = None,
    photos: dict | None = None,
    election: Election | None = None,
) -> ChecklistResult:
    """Record answers (item code -> answer) at a TPS. Each becomes the item's current answer (the earlier
    ones stay as history); a flagging answer opens a warning with the item's owner and due date (or keeps
    the open one), an answer that no longer flags closes it. Refused, naming the item, for an unknown item,
    an answer that is not one, or a photo that is not a photo or too large — and then nothing is saved."""
    election = _election(election)
    items = {i.code: i for i in ruledata.checklist(election)}
    notes, photos = notes or {}, photos or {}
    cleaned: dict[str, str] = {}
    for code, raw in answers.items():
        if code not in items:
            raise Refused(code, _("Butir daftar periksa «%(c)s» tidak dikenal.") % {"c": code})
        if raw in (None, ""):
            continue
        cleaned[code] = clean_answer(items[code], raw)
    for code, upload in photos.items():
        if code not in cleaned:
            raise Refused(
                code, _("Foto «%(q)s» dikirim tanpa jawaban.") % {"q": items[code].label if code in items else code}
            )
        try:
            check_image(upload, settings.PHOTO_MAX_BYTES)
        except UploadRefused as exc:
            raise Refused(f"foto_{code}", f"{items[code].label}: {exc}") from None
    if not cleaned:
        raise Refused("", _("Isi setidaknya satu butir daftar periksa."))
    now = clock.now()
    result = ChecklistResult()
    with transaction.atomic():
        locked = Tps.objects.select_for_update().get(pk=tps.pk)
        for code, value in cleaned.items():
            item = items[code]
            previous = ChecklistAnswer.objects.filter(tps=locked, item=item, current=True).first()
            if previous is not None:
                ChecklistAnswer.objects.filter(pk=previous.pk).update(current=False)
            answer = ChecklistAnswer(
                tps=locked,
                item=item,
                value=value,
                flagged=item.flags(value),
                note=(notes.get(code) or "")[:300],
                answered_at=now,
                answered_by=by if getattr(by, "pk", None) else None,
            )
            if code in photos:
                answer.photo.save(f"{locked.code}-{code}.{_extension(photos[code])}", photos[code], save=False)
            answer.save()
            record(
                "readiness.checklist_answered",
                by=by,
                target=locked,
                before={"item": code, "value": previous.value} if previous else None,
                after={
                    "item": code,
                    "value": value,
                    "flagged": answer.flagged,
                    "note": answer.note,
                    "photo": answer.photo,
                },
            )
            result.answered += 1
            _follow_warning(locked, item, answer, by=by, now=now, result=result)
        summary.refresh([locked.pk], election)
        for warning in result.opened:
            notify(
                kind="readiness.warning_opened",
                title=_("Peringatan kesiapan: %(item)s — %(tps)s") % {"item": warning.item.label, "tps": locked},
                url=warning.get_absolute_url(),
                target=warning,
                role=warning.owner_role,
                area=locked.code,
                exclude=by,
            )
    return result


def _extension(upload) -> str:
    kind = check_image(upload, settings.PHOTO_MAX_BYTES)
    return {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}[kind]


def _follow_warning(
    tps: Tps, item: ChecklistItem, answer: ChecklistAnswer, *, by, now, result: ChecklistResult
) -> None:
    warning = ReadinessWarning.objects.open().filter(tps=tps, item=item).first()
    if answer.flagged and warning is None:
        due = now + dt.timedelta(hours=item.fix_hours)
        warning = ReadinessWarning.objects.create(
            tps=tps,
            item=item,
            answer=answer,
            owner_role=item.owner_role,
            opened_at=now,
            due_at=due,
            warn_at=due - dt.timedelta(hours=max(1, item.fix_hours // 4)),
            deadline_name=_("Perbaikan: %(item)s") % {"item": item.label},
        )
        record(
            "readiness.warning_opened",
            by=by,
            target=warning,
            after={"item": item.code, "value": answer.value, "owner_role": item.owner_role, "due_at": due},
        )
        result.opened.append(warning)
    elif answer.flagged and warning is not None:
        ReadinessWarning.objects.filter(pk=warning.pk).update(answer=answer)
    elif warning is not None:
        transition(
            warning,
            ReadinessWarning.Status.RESOLVED,
            by=by,
            note=_("Jawaban baru tidak lagi menandai: %(a)s") % {"a": item.answer_label(answer.value)},
            also={"due_at": None, "warn_at": None},
        )
        result.resolved.append(warning)


def resolve_warning(warning: ReadinessWarning, *, by, note: str) -> ReadinessWarning:
    """Close a warning by hand (the fix is done before anyone answered again); the note is required."""
    note = (note or "").strip()
    if not note:
        raise Refused("note", _("Tulis apa yang sudah diperbaiki."))
    with transaction.atomic():
        transition(
            warning, ReadinessWarning.Status.RESOLVED, by=by, note=note[:300], also={"due_at": None, "warn_at": None}
        )
        summary.refresh([warning.tps_id])
    return warning


# --- disaster risk ----------------------------------------------------------------------------------


def set_tps_hazard(*, by, tps: Tps, kind: str, level: int, note: str = "") -> TpsHazard:
    """BPBD's level of a hazard at one TPS (NONE: not prone here, whatever the kelurahan's listing)."""
    if kind not in RegionHazard.Kind.values:
        raise Refused("kind", _("Pilih jenis bahaya."))
    if level not in Level.values:
        raise Refused("level", _("Pilih tingkat bahaya."))
    with transaction.atomic():
        existing = TpsHazard.objects.filter(tps=tps, kind=kind).first()
        before = snapshot(existing, ["level", "note"]) if existing else None
        hazard, _created = TpsHazard.objects.update_or_create(
            tps=tps, kind=kind, defaults={"level": level, "note": (note or "")[:300]}
        )
        record(
            "readiness.hazard_set",
            by=by,
            target=hazard,
            before=before,
            after={"kind": kind, "level": level, "note": hazard.note},
        )
    return hazard


def save_mitigation_plan(
    *,
    by,
    tps: Tps,
    measures: str,
    responsible: str,
    due_on: dt.date | None,
    backup_address: str = "",
    backup_lat: float | None = None,
    backup_lon: float | None = None,
) -> MitigationPlan:
    """The TPS's mitigation plan (what, who, by when) and its backup location, created or updated."""
    measures, responsible = (measures or "").strip(), (responsible or "").strip()
    if not measures:
        raise Refused("measures", _("Tulis langkah mitigasinya."))
    if not responsible:
        raise Refused("responsible", _("Isi penanggung jawab mitigasi."))
    if due_on is None:
        raise Refused("due_on", _("Isi tanggal selesai mitigasi."))
    if (backup_lat is None) != (backup_lon is None):
        raise Refused("backup_lon", _("Isi lintang dan bujur lokasi cadangan bersama-sama, atau kosongkan keduanya."))
    values = {
        "measures": measures[:2000],
        "responsible": responsible[:160],
        "due_on": due_on,
        "backup_address": (backup_address or "").strip()[:255],
        "backup_lat": backup_lat,
        "backup_lon": backup_lon,
    }
    fields = list(values)
    with transaction.atomic():
        plan = MitigationPlan.objects.select_for_update().filter(tps=tps).first()
        if plan is None:
            plan = MitigationPlan.objects.create(tps=tps, updated_at=clock.now(), **values)
            record("readiness.plan_created", by=by, target=plan, after=snapshot(plan, fields))
        else:
            before = snapshot(plan, fields)
            for k, v in values.items():
                setattr(plan, k, v)
            b, a = changes(before, snapshot(plan, fields))
            if a:
                plan.updated_at = clock.now()
                plan.save(update_fields=[*fields, "updated_at"])
                record("readiness.plan_updated", by=by, target=plan, before=b, after=a)
        summary.refresh([tps.pk])
    return plan


def add_weather_warning(
    *,
    by,
    region: Region,
    kind: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    text: str,
    raise_by: int = 1,
    source: str = "BMKG",
    election: Election | None = None,
) -> WeatherWarning:
    """A BMKG warning for an area and a time window: it raises the risk of every TPS inside until it ends,
    and those who keep the TPS there (PPS, KPPS, the area heads) hear of it."""
    election = _election(election)
    text = (text or "").strip()
    if kind not in RegionHazard.Kind.values:
        raise Refused("kind", _("Pilih jenis bahaya."))
    if starts_at is None:
        raise Refused("starts_at", _("Isi waktu mulai peringatan."))
    if ends_at is None or ends_at <= starts_at:
        raise Refused("ends_at", _("Waktu berakhir harus setelah waktu mulai."))
    if not text:
        raise Refused("text", _("Tulis isi peringatan (misalnya: hujan lebat pukul 10.00–11.00)."))
    if raise_by not in (1, 2, 3):
        raise Refused("raise_by", _("Kenaikan risiko 1 sampai 3 tingkat."))
    with transaction.atomic():
        warning = WeatherWarning.objects.create(
            election=election,
            region=region,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            raise_by=raise_by,
            text=text[:500],
            source=(source or "BMKG").strip()[:160],
            created_at=clock.now(),
        )
        count = warning.tps().count()
        record(
            "readiness.weather_warning_added",
            by=by,
            target=warning,
            after={
                **(snapshot(warning, ["kind", "starts_at", "ends_at", "raise_by", "text", "source"]) or {}),
                "tps": count,
            },
        )
        title = _("Peringatan cuaca %(kind)s di %(area)s: %(n)s TPS") % {
            "kind": warning.get_kind_display(),
            "area": region.display_name,
            "n": numbers.number(count),
        }
        for cap in ("readiness.manage", "relocation.manage"):
            notify(
                kind="readiness.weather",
                title=title,
                body=warning.text,
                target=warning,
                cap=cap,
                area=region.undotted_code,
                exclude=by,
            )
    return warning


# --- relocation on the day ---------------------------------------------------------------------------


def relocate(
    *,
    by,
    tps: Tps,
    address: str,
    lat: float | None,
    lon: float | None,
    reason: str,
    decided_by: str = "",
    at: dt.datetime | None = None,
    confirm_outside_kelurahan: bool = False,
) -> Relocation:
    """Move a TPS on the day (tps.actions.relocate_tps: the TPS itself, the relocation record, one audit
    row naming both places); the voters must be told: the lurah, PPS and KPPS of the TPS get the notice."""
    if at is not None and at > clock.now() + dt.timedelta(minutes=5):
        raise Refused("at", _("Waktu pemindahan tidak boleh di masa depan."))
    with transaction.atomic():
        try:
            relocation = relocate_tps(
                by=by,
                tps=tps,
                address=address,
                lat=lat,
                lon=lon,
                reason=reason,
                decided_by=decided_by,
                at=at,
                confirm_outside_kelurahan=confirm_outside_kelurahan,
            )
        except RelocationRefused as exc:
            raise Refused(exc.field, str(exc)) from None
        summary.refresh([tps.pk])
        texts = notice_texts(relocation)
        from django.urls import reverse

        url = reverse("readiness:tps", args=[tps.code])
        for role in ("area_head", "pps", "kpps"):
            notify(
                kind="readiness.relocated",
                title=_("TPS dipindahkan: %(tps)s — beri tahu %(n)s pemilih")
                % {"tps": relocation.tps, "n": numbers.number(relocation.voters_affected)},
                body=texts["lurah"],
                url=url,
                target=relocation.tps,
                role=role,
                area=tps.code,
                exclude=by,
            )
    return relocation


def notice_texts(relocation: Relocation) -> dict[str, str]:
    """Ready texts telling voters of a relocation: for the lurah, for RT/RW and for social media."""
    from django.utils import timezone

    tps = relocation.tps
    at = timezone.localtime(relocation.at)
    election = Election.objects.current()
    hours = f"{election.polls_open:%H.%M}–{election.polls_close:%H.%M}" if election is not None else "07.00–13.00"
    place = {
        "tps": f"TPS {tps.number:03d}",
        "kel": tps.kelurahan.name,
        "old": relocation.from_address or _("tempat semula"),
        "new": relocation.to_address,
        "reason": relocation.reason,
        "at": at.strftime("%d-%m-%Y %H.%M"),
        "n": numbers.number(relocation.voters_affected),
        "hours": hours,
    }
    return {
        "lurah": _(
            "Yth. Lurah %(kel)s: %(tps)s %(kel)s dipindahkan dari %(old)s ke %(new)s (%(reason)s), "
            "diputuskan %(at)s WIB. Mohon diteruskan kepada %(n)s pemilih terdaftar di TPS ini."
        )
        % place,
        "rt_rw": _(
            "Pengumuman untuk warga RT/RW: %(tps)s %(kel)s PINDAH ke %(new)s (sebelumnya %(old)s). "
            "Alasan: %(reason)s. Pemungutan suara tetap pukul %(hours)s. Bawa undangan dan KTP-el."
        )
        % place,
        "media_sosial": _(
            "INFO TPS PINDAH — %(tps)s Kel. %(kel)s kini di %(new)s (dulu %(old)s) karena %(reason)s. "
            "Buka pukul %(hours)s. Cek TPS Anda di laman Cek TPS."
        )
        % place,
    }


# --- vulnerability ------------------------------------------------------------------------------------


def assess_vulnerability(
    *, by, tps: Tps, indicators: list[str], note: str = "", election: Election | None = None
) -> TpsVulnerability:
    """Bawaslu's indicators present at a TPS (codes); the score is their weights' sum, the class by the
    election's thresholds. Refused, naming it, for an unknown indicator."""
    election = _election(election)
    known = {i.code: i for i in ruledata.indicators(election)}
    unknown = [c for c in indicators if c not in known]
    if unknown:
        raise Refused("indicators", _("Indikator tidak dikenal: %(c)s.") % {"c": ", ".join(unknown)})
    chosen = [known[c] for c in dict.fromkeys(indicators)]
    rules = ruledata.rules(election)
    with transaction.atomic():
        vuln = _assess(tps, election, chosen, rules, note=note)
        record(
            "readiness.vulnerability_assessed",
            by=by,
            target=vuln,
            after={"indicators": [i.code for i in chosen], "score": vuln.score, "class": vuln.klass},
        )
        summary.refresh([tps.pk], election)
    return vuln


def _assess(tps: Tps, election: Election, chosen: list, rules: ReadinessRules, *, note: str = "") -> TpsVulnerability:
    score = sum(i.weight for i in chosen)
    vuln, _created = TpsVulnerability.objects.update_or_create(
        tps=tps,
        election=election,
        defaults={"score": score, "klass": rules.klass(score), "note": (note or "")[:300], "assessed_at": clock.now()},
    )
    vuln.indicators.set(chosen)
    return vuln


VULN_REQUIRED = ["kode_tps"]


def vulnerability_columns(election: Election) -> list[str]:
    return ["kode_tps", *[i.code for i in ruledata.indicators(election)], "catatan"]


@dataclass
class VulnerabilityImportResult:
    assessed: int
    classes: dict[str, int]

    def summary(self) -> str:
        parts = ", ".join(
            f"{numbers.number(self.classes.get(k, 0))} {label}" for k, label in VulnerabilityClass.choices
        )
        return _("%(n)s TPS dinilai: %(parts)s") % {"n": numbers.number(self.assessed), "parts": parts}


def import_vulnerability(fileobj, *, by, election: Election | None = None, allowed=None) -> VulnerabilityImportResult:
    """One row per TPS: kode_tps, one column per indicator (ya/tidak; a missing column counts as tidak)
    and an optional note. All-or-nothing with a row report; `allowed(tps)` may refuse TPS outside the
    importing user's area."""
    election = _election(election)
    known = ruledata.indicators(election)
    columns = vulnerability_columns(election)
    by_code = {t.code: t for t in Tps.objects.all().only("pk", "code", "kelurahan_id")}
    errors: list[RowError] = []
    parsed: list[tuple[Tps, list, str]] = []
    seen: dict[str, int] = {}
    for number, row in read_table(fileobj, required=VULN_REQUIRED, optional=columns):
        start = len(errors)
        try:
            code = normalize_tps_code(row.get("kode_tps", ""))
        except CodeError as exc:
            errors.append(RowError(number, "kode_tps", str(exc)))
            continue
        tps = by_code.get(code)
        if tps is None:
            errors.append(RowError(number, "kode_tps", _("TPS %(c)s tidak ada di daftar TPS") % {"c": code}))
            continue
        if code in seen:
            errors.append(
                RowError(number, "kode_tps", _("duplikat: TPS yang sama sudah ada di baris %(r)d") % {"r": seen[code]})
            )
            continue
        if allowed is not None and not allowed(tps):
            errors.append(RowError(number, "kode_tps", _("TPS di luar wilayah kewenangan Anda")))
            continue
        chosen = []
        for indicator in known:
            raw = row.get(indicator.code, "")
            if not raw:
                continue
            try:
                if parse_bool(raw):
                    chosen.append(indicator)
            except ValueError as exc:
                errors.append(RowError(number, indicator.code, str(exc)))
        if len(errors) > start:
            continue
        seen[code] = number
        parsed.append((tps, chosen, row.get("catatan", "")))
    if errors:
        raise ImportRejected(errors)
    if not parsed:
        raise ImportRejected([RowError(0, "", _("Berkas tidak berisi baris data."))])
    rules = ruledata.rules(election)
    classes: dict[str, int] = {}
    with transaction.atomic():
        items = []
        for tps, chosen, note in parsed:
            vuln = _assess(tps, election, chosen, rules, note=note)
            classes[vuln.klass] = classes.get(vuln.klass, 0) + 1
            items.append(
                (vuln, None, {"indicators": [i.code for i in chosen], "score": vuln.score, "class": vuln.klass})
            )
        record_many("readiness.vulnerability_assessed", by=by, items=items)
        record("readiness.vulnerability_imported", by=by, after={"tps": len(parsed), **classes})
        summary.refresh([tps.pk for tps, _c, _n in parsed], election)
    return VulnerabilityImportResult(len(parsed), classes)


# --- security deployment -----------------------------------------------------------------------------


def set_deployment(
    *, by, tps: Tps, force: str, count: int | None, unit: str = "", names: str = ""
) -> Deployment | None:
    """The number of personnel of `force` at a TPS (required; 0 removes it), with the unit and names if known."""
    if force not in Force.values:
        raise Refused("force", _("Pilih satuan: Polri, TNI atau Linmas."))
    if count is None or count < 0 or count > 100:
        raise Refused("count", _("Isi jumlah personel, 0 sampai 100."))
    with transaction.atomic():
        existing = Deployment.objects.select_for_update().filter(tps=tps, force=force).first()
        before = snapshot(existing, ["count", "unit", "names"]) if existing else None
        if count == 0:
            if existing is not None:
                record("readiness.deployment_removed", by=by, target=existing, before=before)
                existing.delete()
            summary.refresh([tps.pk])
            return None
        deployment, _created = Deployment.objects.update_or_create(
            tps=tps,
            force=force,
            defaults={
                "count": count,
                "unit": (unit or "").strip()[:160],
                "names": (names or "").strip()[:500],
                "updated_at": clock.now(),
            },
        )
        b, a = changes(before, snapshot(deployment, ["count", "unit", "names"]))
        if a:
            record("readiness.deployment_set", by=by, target=deployment, before=b or None, after={"force": force, **a})
        summary.refresh([tps.pk])
    return deployment


def add_security_post(
    *,
    by,
    region: Region,
    kind: str,
    name: str,
    place: str,
    lat: float | None = None,
    lon: float | None = None,
    unit: str = "",
    election: Election | None = None,
) -> SecurityPost:
    election = _election(election)
    if kind not in SecurityPost.Kind.values:
        raise Refused("kind", _("Pilih pos pengamanan atau rute patroli."))
    if not (name or "").strip():
        raise Refused("name", _("Isi nama pos atau rute."))
    if not (place or "").strip():
        raise Refused("place", _("Isi tempat pos atau jalur rute patroli."))
    if (lat is None) != (lon is None):
        raise Refused("lon", _("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."))
    with transaction.atomic():
        post = SecurityPost.objects.create(
            election=election,
            region=region,
            kind=kind,
            name=name.strip()[:160],
            place=place.strip()[:500],
            lat=lat,
            lon=lon,
            unit=(unit or "").strip()[:160],
            created_at=clock.now(),
        )
        record(
            "readiness.post_added",
            by=by,
            target=post,
            after=snapshot(post, ["kind", "name", "place", "lat", "lon", "unit"]),
        )
    return post


# --- the election's thresholds and ratios ----------------------------------------------------------


def update_rules(
    *, by, election: Election, vulnerable_from: int, very_vulnerable_from: int, needs: dict[str, dict[str, int]]
) -> ReadinessRules:
    """New thresholds and personnel ratios; every TPS of the election is classed again."""
    if vulnerable_from < 1:
        raise Refused("vulnerable_from", _("Skor rawan paling kecil 1."))
    if very_vulnerable_from <= vulnerable_from:
        raise Refused("very_vulnerable_from", _("Skor sangat rawan harus lebih besar dari skor rawan."))
    for klass, row in needs.items():
        if klass not in VulnerabilityClass.values:
            raise Refused("needs", _("Kelas tidak dikenal: %(k)s.") % {"k": klass})
        for force, n in row.items():
            if force not in Force.values or not isinstance(n, int) or not 0 <= n <= 50:
                raise Refused(f"{klass}_{force}", _("Jumlah personel per TPS 0 sampai 50."))
    with transaction.atomic():
        rules = ruledata.rules(election)
        before = snapshot(rules, ["vulnerable_from", "very_vulnerable_from", "needs"])
        rules.vulnerable_from, rules.very_vulnerable_from, rules.needs = vulnerable_from, very_vulnerable_from, needs
        rules.save(update_fields=["vulnerable_from", "very_vulnerable_from", "needs"])
        b, a = changes(before, snapshot(rules, ["vulnerable_from", "very_vulnerable_from", "needs"]))
        record("readiness.rules_updated", by=by, target=rules, before=b, after=a, area="")
        changed = []
        for vuln in TpsVulnerability.objects.filter(election=election).only("pk", "tps_id", "score", "klass"):
            klass = rules.klass(vuln.score)
            if klass != vuln.klass:
                TpsVulnerability.objects.filter(pk=vuln.pk).update(klass=klass)
                changed.append(vuln.tps_id)
        summary.refresh(changed, election)
    return rules


# --- many TPS at once (the demo, the benchmark's province) -----------------------------------------


@transaction.atomic
def load_checklists(rows, *, by, election: Election | None = None) -> int:
    """Answers for many TPS at once, each as `answer_checklist` would record it — current answers,
    warnings with owner and due date, one audit row per answer — written in bulk. `rows`: (tps, {item
    code: answer}, answered_at)."""
    election = _election(election)
    items = {i.code: i for i in ruledata.checklist(election)}
    answers, tps_ids = [], []
    for tps, given, at in rows:
        tps_ids.append(tps.pk)
        for code, raw in given.items():
            item = items[code]
            value = clean_answer(item, raw)
            answers.append(
                ChecklistAnswer(
                    tps=tps,
                    item=item,
                    value=value,
                    flagged=item.flags(value),
                    answered_at=at,
                    answered_by=by if getattr(by, "pk", None) else None,
                )
            )
    ChecklistAnswer.objects.filter(tps_id__in=tps_ids, current=True, item__in=[a.item for a in answers]).update(
        current=False
    )
    made = ChecklistAnswer.objects.bulk_create(answers, batch_size=2000)
    record_many(
        "readiness.checklist_answered",
        by=by,
        items=[(a.tps, None, {"item": a.item.code, "value": a.value, "flagged": a.flagged}) for a in made],
    )
    open_now = set(ReadinessWarning.objects.open().filter(tps_id__in=tps_ids).values_list("tps_id", "item_id"))
    warnings = []
    for a in made:
        if a.flagged and (a.tps_id, a.item_id) not in open_now:
            due = a.answered_at + dt.timedelta(hours=a.item.fix_hours)
            warnings.append(
                ReadinessWarning(
                    tps=a.tps,
                    item=a.item,
                    answer=a,
                    owner_role=a.item.owner_role,
                    opened_at=a.answered_at,
                    due_at=due,
                    warn_at=due - dt.timedelta(hours=max(1, a.item.fix_hours // 4)),
                    deadline_name=_("Perbaikan: %(item)s") % {"item": a.item.label},
                )
            )
    made_warnings = ReadinessWarning.objects.bulk_create(warnings, batch_size=2000)
    record_many(
        "readiness.warning_opened",
        by=by,
        items=[(w, None, {"item": w.item.code, "owner_role": w.owner_role, "due_at": w.due_at}) for w in made_warnings],
    )
    summary.refresh(tps_ids, election)
    return len(made)


@transaction.atomic
def load_vulnerability(rows, *, by, election: Election | None = None) -> dict[str, int]:
    """Assessments of many TPS at once, as `assess_vulnerability` records each: `rows` (tps, [indicator codes])."""
    election = _election(election)
    known = {i.code: i for i in ruledata.indicators(election)}
    rules = ruledata.rules(election)
    tps_ids = [tps.pk for tps, _codes in rows]
    TpsVulnerability.objects.filter(election=election, tps_id__in=tps_ids).delete()
    now = clock.now()
    made = TpsVulnerability.objects.bulk_create(
        [
            TpsVulnerability(
                tps=tps,
                election=election,
                score=(score := sum(known[c].weight for c in codes)),
                klass=rules.klass(score),
                assessed_at=now,
            )
            for tps, codes in rows
        ],
        batch_size=2000,
    )
    through = TpsVulnerability.indicators.through
    through.objects.bulk_create(
        [
            through(tpsvulnerability_id=v.pk, vulnerabilityindicator_id=known[c].pk)
            for v, (_tps, codes) in zip(made, rows, strict=True)
            for c in dict.fromkeys(codes)
        ],
        batch_size=5000,
    )
    record_many(
        "readiness.vulnerability_assessed",
        by=by,
        items=[
            (v, None, {"indicators": list(codes), "score": v.score, "class": v.klass})
            for v, (_t, codes) in zip(made, rows, strict=True)
        ],
    )
    summary.refresh(tps_ids, election)
    classes: dict[str, int] = {}
    for v in made:
        classes[v.klass] = classes.get(v.klass, 0) + 1
    return classes


@transaction.atomic
def load_deployments(rows, *, by) -> int:
    """Personnel for many TPS at once, as `set_deployment` records each: `rows` (tps, force, count, unit)."""
    now = clock.now()
    made = Deployment.objects.bulk_create(
        [
            Deployment(tps=tps, force=force, count=count, unit=unit, updated_at=now)
            for tps, force, count, unit in rows
            if count
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["tps", "force"],
        update_fields=["count", "unit", "updated_at"],
    )
    record_many(
        "readiness.deployment_set",
        by=by,
        items=[(d.tps, None, {"force": d.force, "count": d.count, "unit": d.unit}) for d in made],
    )
    summary.refresh({tps.pk for tps, _f, _c, _u in rows})
    return len(made)
