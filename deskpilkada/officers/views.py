"""Point 3's pages: coverage of an area, the TPS list by problem, a TPS's crew, the officer register
(list, export, appointment, import), an officer with screening and replacement, the screening
overview, and training sessions with invitations, attendance ticked on a phone or in bulk, and
material files."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deskpilkada import clock, uploads
from deskpilkada.accounts.access import AuthenticatedHttpRequest, can, grants_for, requires
from deskpilkada.elections.models import Election
from deskpilkada.imports import ImportRejected, table_response
from deskpilkada.lists import Filter, ListPage, bulk, ticked_ids
from deskpilkada.officers import actions, coverage
from deskpilkada.officers.models import Material, Officer, Participant, Role, Screening, Session
from deskpilkada.officers.rules import crew_rules, required_topics, topics
from deskpilkada.regions.codes import CodeError, dotted, undotted
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Tps

VIEW, CONTACTS, HEALTH, MANAGE, TRAIN, SCREEN = (
    "officers.view",
    "officers.contacts",
    "officers.health",
    "officers.manage",
    "officers.train",
    "health.manage",
)


def _election() -> Election:
    election = Election.objects.current()
    if election is None:
        raise Http404(_("Belum ada pemilihan."))
    return election


def area_prefixes(user, cap: str = VIEW) -> list[str]:
    """The undotted codes of the user's areas for `cap` (regions, or a TPS), widest first."""
    out = {undotted(g.region_code) if g.region_code else g.tps_code for g in grants_for(user) if cap in g.caps}
    return sorted((c for c in out if c), key=len)


def reaches(user, code: str, cap: str = VIEW) -> bool:
    return any(code.startswith(p) for p in area_prefixes(user, cap))


def _target(code: str):
    """The Region or Tps an undotted area code names (for `can`)."""
    if len(code) == 13:
        return Tps.objects.filter(code=code).first()
    return Region.objects.filter(code=dotted(code)).first() if code else None


def _area(request, param: str = "wilayah") -> tuple[str, str]:
    """(undotted prefix, its name) of the area a page shows: `wilayah`, else the user's widest area.
    404 for a code that names nothing, 403 outside the user's areas."""
    raw = (request.GET.get(param) or "").strip()
    if not raw:
        prefixes = area_prefixes(request.user)
        if not prefixes:
            raise PermissionDenied
        raw = prefixes[0]
    try:
        code = undotted(raw)
    except CodeError:
        raise Http404(_("Wilayah tidak ditemukan."))
    target = _target(code)
    if target is None:
        raise Http404(_("Wilayah tidak ditemukan."))
    if not reaches(request.user, code):
        raise PermissionDenied
    name = str(target) if isinstance(target, Tps) else target.display_name
    return code, name


def may(request, cap: str, area_code: str) -> bool:
    return can(request.user, cap, _target(area_code)) if area_code else False


def _sees_health(request, officer: Officer) -> bool:
    """The outcome of a named officer's screening: the health office, and KPU who replaces the unfit."""
    return may(request, HEALTH, officer.area_code) or may(request, MANAGE, officer.area_code)


# --- coverage ----------------------------------------------------------------------------------------

PROBLEMS = {
    "kurang": (_("Kru belum lengkap"), lambda t: not t.complete),
    "belum-terlatih": (_("Kru belum terlatih semua materi wajib"), lambda t: not t.fully_trained),
    "ketua": (_("Ketua KPPS belum bimtek"), lambda t: t.chair and not t.chair_trained),
    "belum-skrining": (_("Kru belum semua diperiksa kesehatan"), lambda t: not t.fully_screened),
    "tidak-sehat": (_("Ada petugas tidak sehat belum diganti"), lambda t: t.unfit > 0),
}


def _child_width(prefix: str) -> int:
    return {2: 4, 4: 6, 6: 10}.get(len(prefix), 13)


@requires(VIEW)
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    prefix, name = _area(request)
    election = _election()
    cov = coverage.tps_coverage(election, prefix)
    width = _child_width(prefix)
    groups: dict[str, list] = {}
    for row in cov.tps:
        groups.setdefault(row.code[:width], []).append(row)
    names = (
        dict(Region.objects.filter(code__in=[dotted(c) for c in groups]).values_list("code", "name"))
        if width < 13
        else {}
    )
    areas = []
    for code, rows in sorted(groups.items()):
        part = coverage.Coverage(rows, cov.topics)
        areas.append({"code": code, "name": names.get(dotted(code), code), "totals": part.totals})
    context = {
        "prefix": prefix,
        "name": name,
        "totals": cov.totals,
        "areas": areas,
        "child_is_tps": width == 13,
        "problems": [(k, v[0]) for k, v in PROBLEMS.items()],
        "rules": crew_rules(election),
        "topics": cov.topics,
        "can_manage": may(request, MANAGE, prefix),
    }
    return render(request, "officers/home.html", context)


def _problem_rows(request, prefix: str):
    election = _election()
    cov = coverage.tps_coverage(election, prefix)
    problem = request.GET.get("masalah", "")
    rows = cov.tps
    if problem in PROBLEMS:
        rows = [t for t in rows if PROBLEMS[problem][1](t)]
    return cov, rows, problem


@requires(VIEW)
def tps_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    prefix, name = _area(request)
    cov, rows, problem = _problem_rows(request, prefix)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    tps_names = {
        t.code: str(t) for t in Tps.objects.filter(code__in=[r.code for r in page]).select_related("kelurahan")
    }
    query = "&".join(f"{k}={v}" for k, v in (("wilayah", prefix), ("masalah", problem)) if v)
    context = {
        "prefix": prefix,
        "name": name,
        "page": page,
        "rows": [(r, tps_names.get(r.code, r.code)) for r in page],
        "topics": cov.topics,
        "problem": problem,
        "problem_label": PROBLEMS[problem][0] if problem in PROBLEMS else "",
        "problems": [(k, v[0]) for k, v in PROBLEMS.items()],
        "query": query,
    }
    return render(request, "officers/tps_list.html", context)


@requires(VIEW)
def tps_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    prefix, _name = _area(request)
    cov, rows, _problem = _problem_rows(request, prefix)
    columns = [
        _("kode TPS"),
        _("KPPS perlu"),
        _("KPPS ada"),
        _("Linmas perlu"),
        _("Linmas ada"),
        _("ada ketua"),
        _("ketua terlatih"),
        *[_("terlatih: %(t)s") % {"t": name} for _c, name in cov.topics],
        _("sudah skrining"),
        _("tidak sehat"),
        _("lengkap"),
    ]
    yes, no = _("ya"), _("tidak")
    data = (
        [
            r.code,
            r.kpps_needed,
            r.kpps,
            r.linmas_needed,
            r.linmas,
            yes if r.chair else no,
            yes if r.chair_trained else no,
            *[r.trained[c] for c, _n in cov.topics],
            r.screened,
            r.unfit,
            yes if r.complete else no,
        ]
        for r in rows
    )
    return table_response(fmt, f"cakupan-petugas-{prefix}", columns, data)


@requires(VIEW)
def tps_crew(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    try:
        digits = undotted(code)
    except CodeError:
        raise Http404(_("TPS tidak ditemukan."))
    tps = Tps.objects.select_related("kelurahan__parent").filter(code=digits).first()
    if tps is None:
        raise Http404(_("TPS tidak ditemukan."))
    if not reaches(request.user, tps.code):
        raise PermissionDenied
    election = _election()
    row = coverage.tps_coverage(election, tps.code).tps[0]
    members = list(
        Officer.objects.active().filter(election=election, area_code=tps.code).order_by("role", "-is_chair", "name")
    )
    required = required_topics(election, Role.KPPS)
    attended = set(Participant.objects.filter(officer__in=members, attended=True).values_list("officer_id", "topic_id"))
    crew = [(o, [(t, (o.pk, t.pk) in attended) for t in required]) for o in members]
    context = {
        "tps": tps,
        "row": row,
        "crew": crew,
        "required": required,
        "contacts": may(request, CONTACTS, tps.code),
        "health": may(request, HEALTH, tps.code) or may(request, MANAGE, tps.code),
        "can_manage": may(request, MANAGE, tps.code),
    }
    return render(request, "officers/tps.html", context)


# --- the register ---------------------------------------------------------------------------------------


def _visible_officers(request):
    q = Q(pk__in=[])
    for prefix in area_prefixes(request.user):
        q |= Q(area_code__startswith=prefix)
    return Officer.objects.filter(q, election=_election())


def _filter_area(rows, value: str):
    try:
        return rows.filter(area_code__startswith=undotted(value))
    except CodeError:
        return rows.none()


FILTERS = [
    Filter("wilayah", _filter_area),
    Filter("badan", lambda rows, v: rows.filter(role=v)),
    Filter("status", lambda rows, v: rows.filter(ended_on__isnull=(v != "berhenti"))),
    Filter("q", lambda rows, v: rows.filter(name__icontains=v)),
]


def _officer_page(request) -> ListPage:
    rows = _visible_officers(request).select_related("tps__kelurahan", "region").order_by("area_code", "role", "pk")
    return ListPage(request, rows, filters=FILTERS, defaults={"status": "aktif"})


@requires(VIEW)
def officer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = _officer_page(request)
    context = {"roles": Role.choices, "contacts": bool(area_prefixes(request.user, CONTACTS))}
    return page.render("officers/list.html", context)


@requires(VIEW)
def officer_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    page = _officer_page(request)
    contacts = area_prefixes(request.user, CONTACTS)
    columns = [_("nama"), _("badan"), _("jabatan"), _("wilayah"), _("TPS"), _("tanggal pengangkatan"), _("nomor HP")]

    def row(o: Officer) -> list:
        phone = o.phone if any(o.area_code.startswith(p) for p in contacts) else ""
        place = o.tps.kelurahan.name if o.tps is not None else o.region.name
        return [
            o.name,
            o.get_role_display(),
            _("Ketua") if o.is_chair else _("Anggota"),
            place,
            o.tps.code if o.tps is not None else "",
            o.appointed_on,
            phone,
        ]

    return page.export(fmt, "petugas", columns, row)


def _person_fields(request) -> dict:
    p = request.POST
    return {
        "nik": p.get("nik", ""),
        "name": p.get("nama", ""),
        "birth_date": p.get("tanggal_lahir", ""),
        "sex": p.get("jenis_kelamin", ""),
        "phone": p.get("no_hp", ""),
        "address": p.get("alamat", ""),
    }


def _date(raw: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        raise actions.Refused(field, _("tanggal tidak valid (YYYY-MM-DD)")) from None


@requires(MANAGE)
def appoint(request: AuthenticatedHttpRequest) -> HttpResponse:
    error = None
    if request.method == "POST":
        p = request.POST
        try:
            officer = actions.appoint_officer(
                by=request.user,
                election=_election(),
                role=p.get("badan_adhoc", ""),
                is_chair=p.get("jabatan") == "ketua",
                region_code=p.get("kode_wilayah", ""),
                tps_number=p.get("no_tps", ""),
                appointed_on=_date(p.get("tmt", ""), "tmt"),
                **_person_fields(request),
            )
        except actions.Refused as exc:
            error = exc
        else:
            messages.success(request, _("%(who)s diangkat.") % {"who": officer})
            return redirect(officer.get_absolute_url())
    context = {"error": error, "roles": Role.choices, "values": request.POST, "today": clock.today()}
    return render(request, "officers/appoint.html", context)


@requires(MANAGE)
def import_file(request: AuthenticatedHttpRequest) -> HttpResponse:
    report = result = None
    if request.method == "POST" and request.FILES.get("file"):
        try:
            result = actions.import_officers(request.FILES["file"], by=request.user, election=_election())
        except ImportRejected as exc:
            report = exc
    return render(
        request, "officers/import.html", {"report": report, "result": result, "rules": crew_rules(_election())}
    )


TEMPLATE_ROWS = [
    [
        "# Contoh (baris yang diawali # dilewati). NIK 16 angka; tanggal YYYY-MM-DD; "
        "badan_adhoc PPK, PPS, KPPS atau LINMAS"
    ],
    [
        "# 9900000000000001",
        "Nama Contoh",
        "1985-04-12",
        "P",
        "081234567890",
        "Jl. Contoh 1",
        "KPPS",
        "Ketua",
        "32.71.06.1002",
        "28",
        "2024-10-28",
    ],
    [
        "# 9900000000000002",
        "Nama Contoh Dua",
        "1979-01-30",
        "L",
        "081234567891",
        "Jl. Contoh 2",
        "PPK",
        "Anggota",
        "32.71.06",
        "",
        "2024-05-16",
    ],
]


@requires(MANAGE)
def template(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    return table_response(fmt, "templat-petugas", actions.COLUMNS, TEMPLATE_ROWS)


def _officer_for(request, pk: int) -> Officer:
    officer = get_object_or_404(Officer.objects.select_related("tps__kelurahan", "region", "election"), pk=pk)
    if not reaches(request.user, officer.area_code):
        raise PermissionDenied
    return officer


@requires(VIEW)
def officer_detail(request: AuthenticatedHttpRequest, pk: int, error=None) -> HttpResponse:
    officer = _officer_for(request, pk)
    health = _sees_health(request, officer)
    context = {
        "officer": officer,
        "contacts": may(request, CONTACTS, officer.area_code),
        "health": health,
        "values": may(request, HEALTH, officer.area_code),
        "screenings": officer.screenings.all() if health else [],
        "participations": officer.participations.select_related("session__topic").order_by("session__starts_at"),
        "can_screen": officer.active and may(request, SCREEN, officer.area_code),
        "can_manage": officer.active and may(request, MANAGE, officer.area_code),
        "outcomes": Screening.Outcome.choices,
        "today": clock.today(),
        "error": error,
        "posted": request.POST if error else {},
        "age": officer.age_on(officer.appointed_on),
    }
    return render(request, "officers/officer.html", context, status=422 if error else 200)


@requires(SCREEN)
@require_POST
def screen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    officer = _officer_for(request, pk)
    if not may(request, SCREEN, officer.area_code):
        raise PermissionDenied
    p = request.POST
    try:
        actions.record_screening(
            officer,
            by=request.user,
            screened_on=_date(p.get("screened_on", ""), "screened_on"),
            systolic=p.get("systolic", ""),
            diastolic=p.get("diastolic", ""),
            blood_sugar=p.get("blood_sugar", ""),
            cholesterol=p.get("cholesterol", ""),
            outcome=p.get("outcome", ""),
            notes=p.get("notes", ""),
            place=p.get("place", ""),
        )
    except actions.Refused as exc:
        return officer_detail(request, pk, error=exc)
    messages.success(request, _("Hasil skrining disimpan."))
    return redirect(officer.get_absolute_url())


@requires(MANAGE)
@require_POST
def replace(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    officer = _officer_for(request, pk)
    if not may(request, MANAGE, officer.area_code):
        raise PermissionDenied
    p = request.POST
    try:
        version = _int(p.get("version", ""))
        new = actions.replace_officer(
            officer,
            by=request.user,
            on=_date(p.get("on", ""), "on"),
            reason=p.get("reason", ""),
            version=version,
            **_person_fields(request),
        )
    except (actions.Refused, ValueError) as exc:
        if not isinstance(exc, actions.Refused):
            exc = actions.Refused("version", _("versi tidak valid"))
        return officer_detail(request, pk, error=exc)
    messages.success(request, _("%(old)s diganti oleh %(new)s.") % {"old": officer.name, "new": new.name})
    return redirect(new.get_absolute_url())


@requires(VIEW)
def screening(request: AuthenticatedHttpRequest) -> HttpResponse:
    prefix, name = _area(request)
    election = _election()
    figures = coverage.screening_by_kecamatan(election, prefix)
    names = dict(Region.objects.filter(code__in=list(figures)).values_list("code", "name"))
    unfit = Officer.objects.active().within(prefix).filter(election=election, health=Officer.Health.UNFIT)
    named = [o for o in unfit.select_related("tps__kelurahan", "region")[:200] if _sees_health(request, o)]
    context = {
        "prefix": prefix,
        "name": name,
        "rows": [(code, names.get(code, code), f) for code, f in figures.items()],
        "unfit_count": unfit.count(),
        "unfit": named,
    }
    return render(request, "officers/screening.html", context)


# --- training -----------------------------------------------------------------------------------------


def visible_sessions_for(user, election: Election):
    """Sessions whose area holds one of the user's areas or lies inside one."""
    q = Q(pk__in=[])
    for prefix in area_prefixes(user):
        q |= Q(area_code__startswith=prefix)
        for width in (2, 4, 6, 10):
            if width < len(prefix):
                q |= Q(area_code=prefix[:width])
    return Session.objects.filter(q, election=election).select_related("topic", "region")


def _visible_sessions(request):
    return visible_sessions_for(request.user, _election())


def _session_for(request, pk: int) -> Session:
    session = _visible_sessions(request).filter(pk=pk).first()
    if session is None:
        if Session.objects.filter(pk=pk).exists():
            raise PermissionDenied
        raise Http404(_("Sesi tidak ditemukan."))
    return session


@requires(VIEW)
def session_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    sessions = list(_visible_sessions(request).order_by("starts_at"))
    now = clock.now()
    context = {
        "upcoming": [s for s in sessions if s.starts_at > now],
        "past": [s for s in sessions if s.starts_at <= now][::-1],
        "can_manage": bool(area_prefixes(request.user, MANAGE)),
    }
    return render(request, "officers/sessions.html", context)


@requires(MANAGE)
def session_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    election = _election()
    error = None
    if request.method == "POST":
        p = request.POST
        try:
            topic = next((t for t in topics(election) if str(t.pk) == p.get("topic")), None)
            if topic is None:
                raise actions.Refused("topic", _("pilih materi"))
            try:
                region = Region.objects.by_code(p.get("region", ""))
            except (CodeError, Region.DoesNotExist):
                raise actions.Refused("region", _("wilayah tidak dikenal")) from None
            starts = _datetime(p.get("starts_at", ""), "starts_at")
            session = actions.create_session(
                by=request.user,
                election=election,
                topic=topic,
                title=p.get("title", ""),
                starts_at=starts,
                ends_at=_datetime(p.get("ends_at", ""), "ends_at"),
                place=p.get("place", ""),
                trainer=p.get("trainer", ""),
                target_roles=p.getlist("target_roles"),
                region=region,
            )
            if p.get("invite"):
                actions.invite(session, by=request.user)
        except actions.Refused as exc:
            error = exc
        else:
            messages.success(request, _("Sesi bimtek dibuat."))
            return redirect(session.get_absolute_url())
    context = {
        "error": error,
        "topics": topics(election),
        "roles": Role.choices,
        "values": request.POST,
        "areas": area_prefixes(request.user, MANAGE),
    }
    return render(request, "officers/session_form.html", context)


def _datetime(raw: str, field: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat((raw or "").strip())
    except ValueError:
        raise actions.Refused(field, _("waktu tidak valid")) from None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _participants(request, session: Session):
    q = Q(pk__in=[])
    for prefix in area_prefixes(request.user):
        q |= Q(area_code__startswith=prefix)
    return session.participants.filter(q).select_related("officer__tps__kelurahan", "officer__region")


@requires(VIEW)
def session_detail(request: AuthenticatedHttpRequest, pk: int, report: ImportRejected | None = None) -> HttpResponse:
    session = _session_for(request, pk)
    rows = _participants(request, session).order_by("area_code", "officer__role", "-officer__is_chair", "officer__name")
    wilayah = (request.GET.get("wilayah") or "").strip()
    if wilayah:
        rows = rows.filter(area_code__startswith=undotted(wilayah) if wilayah.replace(".", "").isdigit() else "x")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    train = area_prefixes(request.user, TRAIN)
    context = {
        "session": session,
        "page": page,
        "rows": [(p, any(p.area_code.startswith(t) for t in train)) for p in page],
        "started": session.starts_at <= clock.now(),
        "attended": rows.filter(attended=True).count(),
        "invited": rows.count(),
        "can_manage": may(request, MANAGE, session.area_code),
        "can_train": bool(train),
        "wilayah": wilayah,
        "query": f"wilayah={wilayah}" if wilayah else "",
        "report": report,
    }
    return render(request, "officers/session.html", context, status=422 if report else 200)


@requires(MANAGE)
@require_POST
def session_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    if not may(request, MANAGE, session.area_code):
        raise PermissionDenied
    n = actions.invite(session, by=request.user)
    messages.success(request, _("%(n)d petugas diundang.") % {"n": n})
    return redirect(session.get_absolute_url())


@requires(TRAIN)
@require_POST
def attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One tick (htmx from the phone: the row comes back) or the ticked rows of the list at once."""
    session = _session_for(request, pk)
    rows = _participants(request, session)
    train = area_prefixes(request.user, TRAIN)
    one = request.POST.get("participant")
    if one:
        participant = get_object_or_404(rows, pk=int(one) if one.isdigit() else 0)
        error = None
        try:
            participant = actions.record_attendance(
                participant,
                by=request.user,
                attended=request.POST.get("attended") == "1",
                score=request.POST.get("score", ""),
                version=_int(request.POST.get("version", "")),
            )
        except actions.Refused as exc:
            error = exc.message
        if request.headers.get("HX-Request"):
            context = {"p": participant, "may": True, "started": True, "session": session, "row_error": error}
            return render(request, "officers/session.html#participant", context, status=422 if error else 200)
        if error:
            messages.error(request, error)
        return redirect(session.get_absolute_url())
    attended = request.POST.get("attended", "1") == "1"
    mine = Q(pk__in=[])
    for prefix in train:
        mine |= Q(area_code__startswith=prefix)
    result = bulk(
        rows.filter(mine),
        ticked_ids(request),
        lambda p: actions.record_attendance(p, by=request.user, attended=attended),
    )
    messages.info(request, result.message())
    for _p, reason in result.refused[:1]:
        messages.error(request, reason)
    return redirect(session.get_absolute_url())


@requires(TRAIN)
@require_POST
def attendance_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The session's sign-in list uploaded at once (nik, nilai): all or nothing, with a row report."""
    session = _session_for(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Pilih berkas daftar hadir (CSV atau Excel) lebih dulu."))
        return redirect(session.get_absolute_url())
    try:
        n = actions.import_attendance(session, upload, by=request.user)
    except ImportRejected as exc:
        return session_detail(request, pk, report=exc)
    messages.success(request, _("Daftar hadir dicatat: %(n)d kehadiran berubah.") % {"n": n})
    return redirect(session.get_absolute_url())


def _int(raw: str) -> int:
    """A version sent back by a form: 0 (never current) for anything but digits."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0


@requires(MANAGE)
@require_POST
def material_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    if not may(request, MANAGE, session.area_code):
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Pilih berkas materi."))
    else:
        try:
            actions.add_material(session, by=request.user, upload=upload)
        except actions.Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Materi diunggah."))
    return redirect(session.get_absolute_url())


@requires(VIEW)
def material(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    item = get_object_or_404(Material.objects.select_related("session"), pk=pk)
    _session_for(request, item.session_id)
    response = uploads.serve(item.file, item.content_type or None)
    response["Content-Disposition"] = f'inline; filename="{item.name}"'
    return response
