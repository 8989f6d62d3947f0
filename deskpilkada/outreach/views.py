import datetime as dt
from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from deskpilkada import clock, drafts, uploads
from deskpilkada.accounts.access import (
    AuthenticatedHttpRequest,
    can,
    get_tps_for_user,
    has_cap,
    region_scope,
    requires,
    tps_scope,
)
from deskpilkada.elections.models import Election
from deskpilkada.imports import xlsx_response
from deskpilkada.officers.coverage import chairs_of
from deskpilkada.outreach import actions, progress
from deskpilkada.outreach.forms import InvitationForm
from deskpilkada.outreach.models import InvitationDay, OutreachActivity
from deskpilkada.outreach.progress import TpsProgress
from deskpilkada.regions.codes import CodeError
from deskpilkada.regions.maps import label_points, region_features
from deskpilkada.regions.models import Level, Region
from deskpilkada.tps.codes import normalize_tps_code
from deskpilkada.tps.forms import ImportForm
from deskpilkada.tps.models import Tps

KELURAHAN_SHOWN = 25
PICK_LIST = 60  # up to this many TPS to report for, each is listed; more, and the code is typed


def _current_election() -> Election:
    election = Election.objects.current()
    if election is None:
        raise Http404(_("Belum ada pemilihan."))
    return election


def _state(request: HttpRequest) -> tuple[Election, int, list[TpsProgress]]:
    election = _current_election()
    try:
        days_before = int(request.GET.get("hari", ""))
    except ValueError:
        days_before = progress.default_days_before(election)
    days_before = min(max(days_before, 1), 3)
    rows = progress.progress(election, Tps.objects.filter(tps_scope(request.user, "desk.view")), days_before)
    return election, days_before, rows


@requires("desk.view")
def invitations(request: AuthenticatedHttpRequest) -> HttpResponse:
    election, days_before, rows = _state(request)
    behind = sorted((r for r in rows if r.behind), key=lambda r: -r.shortfall)
    kelurahan = [g for g in progress.by_area(rows, "kelurahan") if g["behind"]]
    page = Paginator(behind, 50).get_page(request.GET.get("page"))
    reportable = Tps.objects.filter(tps_scope(request.user, "invitations.record")).select_related("kelurahan")
    return render(
        request,
        "outreach/invitations.html",
        {
            "election": election,
            "days_before": days_before,
            "as_of": election.h_minus(days_before),
            "threshold": election.invitation_threshold(days_before),
            "kecamatan": progress.by_area(rows, "kecamatan"),
            "kelurahan": kelurahan if request.GET.get("kelurahan") == "semua" else kelurahan[:KELURAHAN_SHOWN],
            "kelurahan_count": len(kelurahan),
            "page": page,
            "recordable": {r.tps.pk for r in page if can(request.user, "invitations.record", r.tps)},
            "may_record": has_cap(request.user, "invitations.record"),
            # A kelurahan's or a TPS's own list; a whole city types the TPS code instead.
            "reportable": list(reportable.order_by("code")[: PICK_LIST + 1]),
            "pick_list": PICK_LIST,
            "can_import_dpt": has_cap(request.user, "dpt.import"),
            "query": urlencode({"hari": days_before}),
            "behind_count": len(behind),
            "total": len(rows),
            "handled": sum(r.handled for r in rows),
            "dpt": sum(r.dpt for r in rows),
        },
    )


@requires("desk.view")
def invitations_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The TPS behind on invitations, worst first, with the KPPS chair to call (point 3's registry; the
    phone only for those who may see officers' contacts at that TPS)."""
    _election, days_before, rows = _state(request)
    columns = ["kode_tps", "tps", "kelurahan", "kecamatan", "alamat", "dpt", "tertangani", "rencana", "kurang"]
    columns += ["ketua_kpps", "hp_ketua_kpps"]
    behind = [r for r in sorted(rows, key=lambda r: -r.shortfall) if r.behind]
    chairs = chairs_of(r.tps.pk for r in behind)
    data = [
        [
            r.tps.code,
            r.tps.number,
            r.tps.kelurahan.name,
            r.tps.kelurahan.parent.name if r.tps.kelurahan.parent else "",
            r.tps.address,
            r.dpt,
            r.handled,
            r.expected,
            r.shortfall,
            chairs.get(r.tps.pk, ("", ""))[0],
            chairs.get(r.tps.pk, ("", ""))[1] if can(request.user, "officers.contacts", r.tps) else "",
        ]
        for r in behind
    ]
    return xlsx_response(f"undangan-tertinggal-H-{days_before}", columns, data)


@requires("desk.view")
def invitations_map_data(request: AuthenticatedHttpRequest) -> JsonResponse:
    _election, _days_before, rows = _state(request)
    features: list[dict[str, Any]] = []
    for r in rows:
        t = r.tps
        if t.lat is None or t.lon is None:
            continue
        status = "behind" if r.behind else ("on_plan" if r.handled >= r.expected else "slightly_behind")
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [t.lon, t.lat]},
                "properties": {
                    "kind": "tps",
                    "code": t.code,
                    "number": t.number,
                    "kelurahan": t.kelurahan.name,
                    "address": f"{r.handled}/{r.dpt} ({_('rencana')} {r.expected})",
                    "dpt": r.dpt,
                    "status": status,
                },
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features + region_features(_map_areas(request))})


def _map_areas(request: HttpRequest) -> QuerySet[Region]:
    """The kecamatan and kelurahan a desk map names (and outlines): those of the user's area."""
    return Region.objects.filter(region_scope(request.user, "desk.view"), level__in=[Level.DISTRICT, Level.VILLAGE])


@requires("desk.view")
def invitations_map(request: AuthenticatedHttpRequest) -> HttpResponse:
    _election, days_before, _rows = _state(request)
    return render(request, "outreach/invitations_map.html", {"days_before": days_before})


@requires("invitations.record")
def invitations_record(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """A day's invitation report of one TPS: opened with that day's figures; replacing figures
    already reported asks for a confirmation first."""
    tps = get_tps_for_user(request, code, "invitations.record")
    election = _current_election()
    window = [d.isoformat() for d in election.invitation_window()]
    reports = InvitationDay.objects.filter(election=election, tps=tps).order_by("day")
    by_day = {r.day.isoformat(): {k: getattr(r, k) for k in actions.FIELDS} for r in reports}
    asked, today = request.GET.get("tanggal", ""), clock.today().isoformat()
    day = asked if asked in window else (today if today in window else window[-1])
    form = InvitationForm(
        request.POST or None, window=election.invitation_window(), initial={"day": day, **by_day.get(day, {})}
    )
    draft = drafts.key("undangan", tps)
    confirm: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_invitations(
                by=request.user,
                election=election,
                tps=tps,
                day=dt.date.fromisoformat(data["day"]),
                counts={k: data[k] for k in actions.FIELDS},
                replace=request.POST.get("ganti") == "1",
            )
        except actions.NeedsConfirmation as exc:
            confirm = {
                "day": data["day"],
                "label": dt.date.fromisoformat(data["day"]).strftime("%d-%m-%Y"),
                "rows": _replacement(form, exc.before, data),
            }
        except actions.Refused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            drafts.saved(request, messages.SUCCESS, _("Laporan undangan tersimpan."), draft)
            return redirect(f"{reverse('outreach:record', args=[tps.code])}?tanggal={data['day']}")
    return render(
        request,
        "outreach/invitations_record.html",
        {
            "tps": tps,
            "form": form,
            "reports": reports,
            "election": election,
            "handled": sum(r.handled for r in reports),
            "can_record": can(request.user, "invitations.record", tps),
            "by_day": by_day,
            "confirm": confirm,
            "draft_key": draft,
        },
    )


def _replacement(form: InvitationForm, before: dict[str, int], data: dict[str, Any]) -> list[dict[str, Any]]:
    """Each figure of the day, as reported and as it would become, for the confirmation."""
    return [{"label": form.fields[k].label, "before": before[k], "after": data[k]} for k in actions.FIELDS]


@requires("invitations.record")
def invitations_pick(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The report form of the TPS whose code was typed: any TPS of the user's area, behind or not."""
    code = request.GET.get("kode", "").strip()
    try:
        normal = normalize_tps_code(code) if code else ""
    except CodeError:
        normal = ""
    tps = Tps.objects.filter(tps_scope(request.user, "invitations.record"), code=normal).first() if normal else None
    if tps is None:
        if code:
            messages.error(request, _("TPS %(c)s tidak ada di wilayah laporan Anda.") % {"c": code})
        return redirect("outreach:invitations")
    return redirect("outreach:record", code=tps.code)


def _month_grid(items: list[OutreachActivity], month: dt.date) -> list[list[dict[str, Any]]]:
    """Weeks (Monday first) of `month`, each day with its activities."""
    import calendar

    by_day: dict[dt.date, list[OutreachActivity]] = {}
    for a in items:
        by_day.setdefault(a.date, []).append(a)
    weeks = calendar.Calendar().monthdatescalendar(month.year, month.month)
    return [
        [{"date": d, "in_month": d.month == month.month, "items": by_day.get(d, [])} for d in week] for week in weeks
    ]


@requires("desk.view")
def activities(request: AuthenticatedHttpRequest) -> HttpResponse:
    from django.core.exceptions import PermissionDenied
    from django.db.models import Count, Sum

    from deskpilkada.accounts.access import has_cap
    from deskpilkada.outreach.forms import ActivityForm

    election = _current_election()
    area = region_scope(request.user, "desk.view", "kelurahan")
    may_add = has_cap(request.user, "outreach.manage")
    kelurahan_qs = Region.objects.filter(region_scope(request.user, "outreach.manage"), level=Level.VILLAGE)
    form = ActivityForm(request.POST or None, request.FILES or None, kelurahan_qs=kelurahan_qs)
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.add_activity(by=request.user, election=election, **form.cleaned_data)
            except actions.Refused as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Kegiatan sosialisasi tercatat."))
                return redirect("outreach:activities")
    items = list(OutreachActivity.objects.filter(election=election).filter(area).select_related("kelurahan__parent"))
    try:
        month = dt.date.fromisoformat(request.GET.get("bulan", "") + "-01")
        if not 2000 <= month.year <= 2100:
            raise ValueError
    except ValueError:
        month = (items[0].date if items else election.voting_date).replace(day=1)
    coverage: dict[str, dict[str, tuple[int, int | None]]] = {}
    for kel, segment, n, reach in (
        OutreachActivity.objects.filter(election=election)
        .filter(area)
        .values_list("kelurahan__name", "segment")
        .annotate(n=Count("id"), r=Sum("reach"))
    ):
        coverage.setdefault(kel, {})[segment] = (n, reach)
    kelurahan = {a.kelurahan_id: a.kelurahan for a in items}
    centres = label_points(kelurahan.values())
    counts = Counter(a.kelurahan_id for a in items)
    points = [
        {
            "lat": centres[k][0],
            "lon": centres[k][1],
            "text": n,
            "count": n,
            "title": kelurahan[k].name,
            "status": "activity",
        }
        for k, n in counts.items()
        if k in centres
    ]
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "outreach/activities.html",
        {
            "items": items[:200],
            "form": form if may_add else None,
            "segments": OutreachActivity.Segment.choices,
            "coverage": sorted(coverage.items()),
            "weeks": _month_grid(items, month),
            "month": month,
            "previous": previous,
            "following": following,
            "map_points": points,
            "map_regions": region_features(_map_areas(request)),
        },
    )


@requires("desk.view")
def activity_photo(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    from django.core.exceptions import PermissionDenied

    activity = OutreachActivity.objects.select_related("kelurahan").filter(pk=pk).first()
    if activity is None or not activity.photo:
        raise Http404
    if not can(request.user, "desk.view", activity.kelurahan):
        raise PermissionDenied
    return uploads.serve(activity.photo, activity.photo_type or None)


@requires("desk.view")
def priority_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    from deskpilkada.accounts.access import has_cap, region_scope
    from deskpilkada.outreach.priority import priorities

    election = _current_election()
    form = ImportForm(request.POST or None, request.FILES or None)
    report = imported = None
    if request.method == "POST":
        if not has_cap(request.user, "outreach.manage"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if form.is_valid():
            from deskpilkada.imports import ImportRejected

            try:
                imported = actions.import_turnout(form.cleaned_data["file"], by=request.user)
            except ImportRejected as exc:
                report = exc
    rows = priorities(election, region_scope(request.user, "desk.view"))
    return render(
        request,
        "outreach/priority.html",
        {
            "page": Paginator(rows, 50).get_page(request.GET.get("page")),
            "count": len(rows),
            "election": election,
            "form": form if has_cap(request.user, "outreach.manage") else None,
            "report": report,
            "imported": imported,
        },
    )
