"""Point 9's pages: the overview per kecamatan, hospitals and their voting coverage, a hospital's page
(patients, serving TPS, schedule), a visit (the hospital's own schedule page), health posts, officers'
health incidents (cases of the case desk) and the counting night's duty notes."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from deskpilkada.accounts.access import (
    AuthenticatedHttpRequest,
    can,
    get_tps_for_user,
    has_cap,
    home_areas,
    region_scope,
    requires,
)
from deskpilkada.cases.categories import CATEGORIES
from deskpilkada.cases.models import Case
from deskpilkada.elections.models import Election
from deskpilkada.health import actions, forms, officers_link
from deskpilkada.health.access import (
    DUTY,
    MANAGE,
    VIEW,
    get_hospital_for_user,
    hospitals_for,
    is_own,
    may_manage,
    may_schedule,
)
from deskpilkada.health.coverage import coverage
from deskpilkada.health.deadlines import last_day
from deskpilkada.health.incidents import incidents_for
from deskpilkada.health.models import DutyNote, HealthPost, Hospital, InpatientVoter, Visit
from deskpilkada.imports import table_response
from deskpilkada.lists import Filter, ListPage
from deskpilkada.regions.models import Level, Region
from deskpilkada.tps.models import Tps


def _election() -> Election:
    election = Election.objects.current()
    if election is None:
        raise Http404(_("Belum ada pemilihan."))
    return election


def _kecamatan(request, cap: str = VIEW):
    """The kecamatan inside the user's areas for `cap`, and the kecamatan of a kelurahan-limited user."""
    areas = home_areas(request.user, cap)
    codes = {a[:8] for a in areas if len(a) >= 8}
    inside = Q(pk__in=[])
    for a in areas:
        inside |= Q(code__startswith=a + ".")
    return Region.objects.filter(inside | Q(code__in=codes), level=Level.DISTRICT).order_by("code")


def _refuse(form, e: actions.Refused) -> None:
    """The refusal beside its field, or above the form when the field is not shown (the version)."""
    field = form.fields.get(e.field)
    form.add_error(e.field if field is not None and not field.widget.is_hidden else None, e.message)


def _in(code: str, region_code: str) -> bool:
    return code == region_code or code.startswith(region_code + ".")


@requires("desk.view")
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per kecamatan: hospitals with patients and their warnings, health posts, open incidents, crews screened."""
    election = Election.objects.current()
    sees = has_cap(request.user, VIEW)
    kecamatan = list(_kecamatan(request)) if sees else []
    rows = coverage(hospitals_for(request.user), election) if sees else []
    screening = officers_link.screening_by_kecamatan(election) if sees else None
    open_cases = list(incidents_for(request.user).open().values_list("area", flat=True)) if sees else []
    posts = list(
        HealthPost.objects.filter(region_scope(request.user, "desk.view", "kecamatan")).select_related("kecamatan")
    )
    table = []
    for k in kecamatan:
        inside = [r for r in rows if _in(r.hospital.region.code, k.code)]
        table.append(
            {
                "region": k,
                "hospitals": len(inside),
                "with_patients": sum(1 for r in inside if r.patients),
                "warned": sum(1 for r in inside if r.warnings),
                "patients": sum(r.patients for r in inside),
                "posts": sum(1 for p in posts if p.kecamatan_id == k.pk),
                "incidents": sum(1 for a in open_cases if a.startswith(k.undotted_code)),
                "screening": screening.get(k.code) if screening is not None else None,
            }
        )
    city_level = [r for r in rows if r.hospital.region.level != Level.DISTRICT]
    return render(
        request,
        "health/overview.html",
        {
            "sees": sees,
            "table": table,
            "city_level": city_level,
            "posts": posts,
            "officers_missing": screening is None,
            "missing_text": officers_link.missing_text(),
            "deadline": last_day(election) if election else None,
            "election": election,
            "may_manage": has_cap(request.user, MANAGE),
        },
    )


def _coverage_rows(request):
    rows = coverage(hospitals_for(request.user), Election.objects.current())
    area = request.GET.get("wilayah", "")
    if area:
        rows = [r for r in rows if _in(r.hospital.region.code, area)]
    if request.GET.get("peringatan") == "ya":
        rows = [r for r in rows if r.warnings]
    return rows


@requires("desk.view")
def hospital_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The hospital register for every staff role; its voting figures (patients by contest, serving TPS,
    visits, warnings) only for those with `health.view`."""
    election = Election.objects.current()
    sees = has_cap(request.user, VIEW)
    if sees:
        rows = _coverage_rows(request)
        hospitals = [r.hospital for r in rows]
    else:
        rows = []
        hospitals = list(
            Hospital.objects.filter(region_scope(request.user, "desk.view", "region")).select_related("region")
        )
    contests = list(election.contests.order_by("kind", "code")) if election else []
    query = "&".join(f"{k}={request.GET[k]}" for k in ("wilayah", "peringatan") if request.GET.get(k))
    return render(
        request,
        "health/hospital_list.html",
        {
            "sees": sees,
            "rows": rows,
            "hospitals": hospitals,
            "contests": contests,
            "areas": _kecamatan(request),
            "query": query,
            "deadline": last_day(election) if election else None,
        },
    )


HOSPITAL_COLUMNS = [
    "kode_rs",
    "nama",
    "kecamatan",
    "pasien",
    "per_pemilihan",
    "tps_pelayan",
    "kunjungan",
    "selesai",
    "dilayani",
    "peringatan",
]


@requires(VIEW)
def hospital_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    rows = _coverage_rows(request)
    return table_response(
        fmt,
        "rumah-sakit-pemilih-rawat-inap",
        HOSPITAL_COLUMNS,
        (
            [
                r.hospital.code,
                r.hospital.name,
                r.hospital.region.display_name,
                r.patients,
                "; ".join(f"{k}: {v}" for k, v in r.by_contest.items()),
                " ".join(r.serving_tps),
                len(r.scheduled),
                r.done,
                r.voters_served,
                " ".join(r.warning_texts()),
            ]
            for r in rows
        ),
    )


def _tps_choices(hospital) -> list[tuple[str, str]]:
    return [(s.tps.code, str(s.tps)) for s in hospital.serving.select_related("tps__kelurahan")]


@requires("desk.view")
def hospital_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """A hospital: its in-patients by contest, serving TPS (and their crew), the schedule; the managers
    register patients and serving TPS, the managers and the hospital itself plan visits."""
    hospital = get_hospital_for_user(request, code)
    election = _election()
    manage, schedule = may_manage(request.user, hospital), may_schedule(request.user, hospital)
    which = request.POST.get("form", "")
    patient_form = forms.InpatientForm(request.POST if which == "pasien" else None, prefix="p")
    tps_form = forms.ServingTpsForm(request.POST if which == "tps" else None, prefix="t")
    visit_form = forms.VisitForm(
        request.POST if which == "kunjungan" else None, prefix="v", tps_choices=_tps_choices(hospital)
    )
    if request.method == "POST":
        if (which in ("pasien", "tps") and not manage) or (which == "kunjungan" and not schedule) or not which:
            raise PermissionDenied
        form = {"pasien": patient_form, "tps": tps_form, "kunjungan": visit_form}.get(which)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if which == "pasien":
                    actions.register_inpatient(by=request.user, hospital=hospital, election=election, **data)
                    messages.success(request, _("Pasien dicatat pindah memilih ke %(h)s.") % {"h": hospital})
                elif which == "tps":
                    actions.add_serving_tps(by=request.user, hospital=hospital, tps_code=data["tps_code"])
                    messages.success(request, _("TPS pelayan ditambahkan."))
                else:
                    data.pop("version", None)
                    actions.schedule_visit(by=request.user, hospital=hospital, election=election, **data)
                    messages.success(request, _("Kunjungan dijadwalkan."))
            except actions.Refused as e:
                _refuse(form, e)
            else:
                return redirect(hospital)
    row = coverage([hospital], election)[0]
    crews = {code: officers_link.crew_of(Tps.objects.get(code=code), election) for code in row.serving_tps}
    patients = (
        InpatientVoter.objects.filter(hospital=hospital, election=election)
        if (manage or has_cap(request.user, VIEW) or is_own(request.user, hospital))
        else InpatientVoter.objects.none()
    )
    return render(
        request,
        "health/hospital_detail.html",
        {
            "hospital": hospital,
            "row": row,
            "contests": list(election.contests.order_by("kind", "code")),
            "patients": patients,
            "crews": crews,
            "missing_text": officers_link.missing_text(),
            "manage": manage,
            "schedule": schedule,
            "patient_form": patient_form,
            "tps_form": tps_form,
            "visit_form": visit_form,
            "deadline": last_day(election),
            "voting_day": election.voting_date,
        },
    )


@requires("desk.view")
def visit_detail(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    """One visit of the schedule: the hospital (or a manager) edits it, marks it done with the voters
    served, cancels or plans it again. Others who may see the hospital read it."""
    hospital = get_hospital_for_user(request, code)
    visit = get_object_or_404(
        Visit.objects.select_related("tps__kelurahan", "hospital__region"), pk=pk, hospital=hospital
    )
    allowed = may_schedule(request.user, hospital)
    which = request.POST.get("form", "")
    local = timezone.localtime(visit.starts_at).replace(tzinfo=None)
    initial = {
        "tps_code": visit.tps.code,
        "ward": visit.ward,
        "starts_at": local,
        "ballots": visit.ballots,
        "note": visit.note,
        "version": visit.version,
    }
    edit = forms.VisitForm(
        request.POST if which == "ubah" else None, prefix="e", initial=initial, tps_choices=_tps_choices(hospital)
    )
    done = forms.VisitDoneForm(
        request.POST if which == "selesai" else None, prefix="d", initial={"version": visit.version}
    )
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        try:
            if which == "ubah" and edit.is_valid():
                d = edit.cleaned_data
                actions.update_visit(
                    by=request.user,
                    visit=visit,
                    version=d["version"],
                    ward=d["ward"],
                    starts_at=d["starts_at"],
                    ballots=d["ballots"],
                    tps_code=d["tps_code"],
                    note=d["note"],
                )
                messages.success(request, _("Jadwal kunjungan disimpan."))
                return redirect(visit)
            if which == "selesai" and done.is_valid():
                d = done.cleaned_data
                actions.mark_visit_done(
                    by=request.user, visit=visit, voters_served=d["voters_served"], version=d["version"], note=d["note"]
                )
                messages.success(request, _("Kunjungan ditandai selesai."))
                return redirect(visit)
            if which in ("batal", "jadwalkan"):
                to = Visit.Status.CANCELLED if which == "batal" else Visit.Status.PLANNED
                version = request.POST.get("version", "")
                actions.set_visit_status(
                    by=request.user, visit=visit, to=to, version=int(version) if version.isdigit() else None
                )
                messages.success(request, _("Status kunjungan diubah."))
                return redirect(visit)
        except actions.Refused as e:
            form = edit if which == "ubah" else done
            if which in ("batal", "jadwalkan"):
                messages.error(request, e.message)
                return redirect(visit)
            _refuse(form, e)
    return render(
        request,
        "health/visit.html",
        {
            "hospital": hospital,
            "visit": visit,
            "allowed": allowed,
            "edit": edit,
            "done": done,
            "crew": officers_link.crew_of(visit.tps, Election.objects.current()),
            "missing_text": officers_link.missing_text(),
        },
    )


POST_FILTERS = [
    Filter("wilayah", lambda qs, v: qs.filter(kecamatan__code__startswith=v[:8])),
    Filter("jenis", lambda qs, v: qs.filter(kind=v)),
]
POST_COLUMNS = ["kecamatan", "jenis", "nama", "alamat", "telepon", "siaga_mulai", "siaga_sampai", "tenaga_kesehatan"]


def _posts(request) -> ListPage:
    rows = HealthPost.objects.filter(region_scope(request.user, "desk.view", "kecamatan")).select_related("kecamatan")
    return ListPage(request, rows, filters=POST_FILTERS)


@requires("desk.view")
def posts(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Health posts and on-call puskesmas per kecamatan (public service information, for every staff role)."""
    return _posts(request).render(
        "health/posts.html",
        {
            "areas": _kecamatan(request, "desk.view"),
            "kinds": HealthPost.Kind.choices,
            "may_manage": has_cap(request.user, MANAGE),
        },
    )


@requires("desk.view")
def posts_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    return _posts(request).export(
        fmt,
        "pos-kesehatan",
        POST_COLUMNS,
        lambda p: [
            p.kecamatan.name,
            p.get_kind_display(),
            p.name,
            p.address,
            p.phone,
            timezone.localtime(p.opens_at),
            timezone.localtime(p.closes_at),
            p.staff,
        ],
    )


@requires(MANAGE)
def post_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    areas = list(_kecamatan(request, MANAGE))
    election = Election.objects.current()
    initial = {}
    if election:
        opens = dt.datetime.combine(election.voting_date, dt.time(6, 0))
        initial = {"opens_at": opens, "closes_at": opens + dt.timedelta(hours=24)}
    form = forms.HealthPostForm(request.POST or None, kecamatan=[(k.code, k.name) for k in areas], initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        kecamatan = next(k for k in areas if k.code == d.pop("kecamatan"))
        try:
            actions.save_health_post(by=request.user, kecamatan=kecamatan, **d)
        except actions.Refused as e:
            _refuse(form, e)
        else:
            messages.success(request, _("Pos kesehatan disimpan."))
            return redirect("health:posts")
    return render(request, "health/post_form.html", {"form": form})


INCIDENT_FILTERS = [
    Filter("wilayah", lambda qs, v: qs.filter(area__startswith=v.replace(".", ""))),
    Filter(
        "status",
        lambda qs, v: (
            qs.exclude(status__in=Case.CLOSED)
            if v == "terbuka"
            else (qs.filter(status__in=Case.CLOSED) if v == "selesai" else qs)
        ),
    ),
    Filter("tingkat", lambda qs, v: qs.filter(severity=v)),
]
INCIDENT_COLUMNS = [
    "nomor",
    "judul",
    "status",
    "tingkat",
    "tempat",
    "nama",
    "peran",
    "jenis",
    "dibawa_ke",
    "kondisi",
    "diketahui",
]


def _incidents(request) -> ListPage:
    return ListPage(
        request,
        incidents_for(request.user).order_by("-known_at", "-pk"),
        filters=INCIDENT_FILTERS,
        defaults={"status": "terbuka"},
    )


@requires(VIEW)
def incidents(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Officers' health incidents: the health cases of the case desk, followed up there until closed."""
    kinds = dict(next(d.choices for d in CATEGORIES["health"].details if d.name == "kind"))
    conditions = dict(next(d.choices for d in CATEGORIES["health"].details if d.name == "condition"))
    return _incidents(request).render(
        "health/incidents.html",
        {
            "areas": _kecamatan(request),
            "kinds": kinds,
            "conditions": conditions,
            "may_report": can(request.user, MANAGE),
        },
    )


@requires(VIEW)
def incidents_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    kinds = dict(next(d.choices for d in CATEGORIES["health"].details if d.name == "kind"))
    conditions = dict(next(d.choices for d in CATEGORIES["health"].details if d.name == "condition"))

    def row(c: Case) -> list:
        d = c.details or {}
        return [
            c.pk,
            c.title,
            c.get_status_display(),
            c.get_severity_display(),
            str(c.tps or c.region),
            d.get("person", ""),
            d.get("person_role", ""),
            str(kinds.get(d.get("kind", ""), "")),
            d.get("taken_to", ""),
            str(conditions.get(d.get("condition", ""), "")),
            timezone.localtime(c.known_at),
        ]

    return _incidents(request).export(fmt, "insiden-kesehatan", INCIDENT_COLUMNS, row)


@requires(VIEW)
def duty(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The counting night's duty notes per TPS, longest shift first."""
    from deskpilkada.accounts.access import tps_scope

    election = Election.objects.current()
    rows = DutyNote.objects.filter(tps_scope(request.user, VIEW, "tps"), election=election).select_related(
        "tps__kelurahan"
    )
    area = request.GET.get("wilayah", "")
    if area:
        rows = rows.filter(tps__code__startswith=area.replace(".", ""))
    notes = sorted(rows, key=lambda n: -n.hours)
    return render(
        request, "health/duty.html", {"notes": notes, "areas": _kecamatan(request), "area": area, "long_hours": 20}
    )


@requires(DUTY)
def duty_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    tps = get_tps_for_user(request, code, DUTY)
    election = _election()
    note = DutyNote.objects.filter(election=election, tps=tps).first()
    initial = (
        {
            "started_at": timezone.localtime(note.started_at).replace(tzinfo=None),
            "ended_at": timezone.localtime(note.ended_at).replace(tzinfo=None),
            "crew_present": note.crew_present,
            "rest_note": note.rest_note,
            "version": note.version,
        }
        if note
        else {
            "started_at": dt.datetime.combine(election.voting_date, dt.time(6, 0)),
            "crew_present": election.kpps_per_tps + election.linmas_per_tps,
        }
    )
    form = forms.DutyNoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_duty_note(by=request.user, tps=tps, election=election, **form.cleaned_data)
        except actions.Refused as e:
            _refuse(form, e)
        else:
            messages.success(request, _("Catatan jam tugas disimpan."))
            return redirect("health:duty_edit", code=tps.code)
    return render(request, "health/duty_form.html", {"tps": tps, "form": form, "note": note})
