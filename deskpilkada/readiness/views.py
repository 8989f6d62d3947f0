"""Pages of points 2 and 7: the overview, the layered map, the lists (open warnings, risky TPS, security
gaps, relocations, weather warnings, vulnerability per indicator) and the TPS page with its forms."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from deskpilkada import clock, uploads
from deskpilkada.accounts.access import (
    AuthenticatedHttpRequest,
    can,
    get_tps_for_user,
    home_areas,
    region_scope,
    requires,
    tps_scope,
)
from deskpilkada.audit.models import AuditEntry
from deskpilkada.elections.models import Election
from deskpilkada.imports import ImportRejected, table_response
from deskpilkada.lists import Filter, ListPage
from deskpilkada.readiness import actions, forms, summary
from deskpilkada.readiness import rules as ruledata
from deskpilkada.readiness.models import (
    ChecklistAnswer,
    Deployment,
    Force,
    MitigationPlan,
    ReadinessWarning,
    SecurityPost,
    TpsHazard,
    TpsVulnerability,
    VulnerabilityClass,
    WeatherWarning,
)
from deskpilkada.regions.maps import region_features
from deskpilkada.regions.models import Level, Region
from deskpilkada.tps.models import Relocation, Tps

VIEW = "desk.view"


def _election() -> Election:
    election = Election.objects.current()
    if election is None:
        raise Http404(_("Belum ada pemilihan."))
    return election


def visible_tps(request, cap: str = VIEW):
    return Tps.objects.filter(tps_scope(request.user, cap))


def _areas(request, cap: str = VIEW):
    return Region.objects.filter(
        region_scope(request.user, cap), level__in=[Level.REGENCY, Level.DISTRICT, Level.VILLAGE]
    )


def _rows(request, area: str = ""):
    rows = visible_tps(request)
    if area:
        rows = summary.code_prefix(rows, area.replace(".", ""))
    return summary.readiness_rows(rows.select_related(None), _election())


@requires(VIEW)
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    # One level below the user's widest area: cities of a province, kecamatan of a city, kelurahan below.
    levels = [code.count(".") for code in home_areas(request.user, VIEW)]
    width = {0: 4, 1: 6}.get(min(levels, default=2), 10)
    totals, by_area = summary.area_totals(visible_tps(request), width, _election())
    names = dict(Region.objects.filter(code__in=[_dotted(c) for c in by_area]).values_list("code", "name"))
    context = {
        "totals": totals,
        "areas": [(names.get(_dotted(code), code), _dotted(code), t) for code, t in sorted(by_area.items())],
        "weather": summary.in_force_now().filter(election=_election()),
        "can": _caps(request),
    }
    return render(request, "readiness/overview.html", context)


def _dotted(code: str) -> str:
    from deskpilkada.regions.codes import dotted

    return dotted(code)


def _caps(request, target=None) -> dict[str, bool]:
    return {
        name: can(request.user, cap, target)
        for name, cap in (
            ("checklist", "readiness.manage"),
            ("relocate", "relocation.manage"),
            ("hazards", "hazards.manage"),
            ("vulnerability", "risk.manage"),
            ("security", "security.manage"),
        )
    }


def _may_close(caps: dict[str, bool]) -> bool:
    """Who closes a warning by hand: those who fill the TPS's checklist or manage the TPS."""
    return caps["checklist"] or caps["relocate"]


# --- the map ------------------------------------------------------------------------------------------


@requires(VIEW)
def map_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    layer = request.GET.get("lapisan", "kesiapan")
    return render(
        request, "readiness/map.html", {"layer": layer if layer in dict(LAYERS) else "kesiapan", "layers": LAYERS}
    )


LAYERS = [
    ("kesiapan", _lazy("Kesiapan")),
    ("bahaya", _lazy("Risiko bencana")),
    ("kerawanan", _lazy("Kerawanan")),
    ("keamanan", _lazy("Celah keamanan")),
    ("relokasi", _lazy("Dipindahkan")),
]


@requires(VIEW)
def map_data(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Every visible TPS with a point, with the state of every layer, and the regions' names and outlines."""
    area = request.GET.get("wilayah", "").strip()
    rows = _rows(request, area)
    words = _note_words()
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
            "properties": {
                "kind": "tps",
                "code": r.code,
                "number": r.number,
                "kelurahan": r.kelurahan,
                "address": r.address,
                "dpt": r.dpt,
                "layers": {
                    "kesiapan": r.readiness_status,
                    "bahaya": f"risk{int(r.risk)}",
                    "kerawanan": {"": "unknown", "tidak_rawan": "vuln0", "rawan": "vuln1", "sangat_rawan": "vuln2"}[
                        r.vuln_class
                    ],
                    "keamanan": "gap" if r.gap else "covered",
                    "relokasi": "relocated" if r.relocated else "tps",
                },
                "note": _map_note(r, words),
            },
        }
        for r in rows
        if r.lat is not None and r.lon is not None
    ]
    regions = Region.objects.filter(region_scope(request.user, VIEW), level__in=[Level.DISTRICT, Level.VILLAGE])
    if area:  # the names and outlines of that area only (a province's desk looking at one city)
        dotted_area = _dotted(area.replace(".", "")[:10]) if area.replace(".", "").isdigit() else area
        regions = regions.filter(code__startswith=dotted_area)
    return JsonResponse({"type": "FeatureCollection", "features": features + region_features(regions)})


def _note_words() -> dict[str, str]:
    """The popup's words, translated once per map rather than once per TPS."""
    return {
        "checklist": _("daftar periksa %(a)s/%(n)s"),
        "warnings": _("%(n)s peringatan terbuka"),
        "no_plan": _("rawan bencana tanpa rencana mitigasi"),
        "gap": _("kurang %(n)s personel"),
        "moved": _("dipindahkan"),
    }


def _map_note(r: summary.TpsReadiness, words: dict[str, str]) -> str:
    parts = [words["checklist"] % {"a": r.answered, "n": r.items}]
    if r.open_warnings:
        parts.append(words["warnings"] % {"n": r.open_warnings})
    if r.risky and not r.has_plan:
        parts.append(words["no_plan"])
    if r.gap:
        parts.append(words["gap"] % {"n": r.gap})
    if r.relocated:
        parts.append(words["moved"])
    return "; ".join(parts)


# --- lists ----------------------------------------------------------------------------------------------

WARNING_FILTERS = [
    Filter("wilayah", lambda qs, v: qs.filter(tps__code__startswith=v.replace(".", ""))),
    Filter("butir", lambda qs, v: qs.filter(item__code=v)),
    Filter("lewat", lambda qs, v: qs.filter(due_at__lte=clock.now()) if v == "ya" else qs),
]
WARNING_COLUMNS = ["kode_tps", "tps", "butir", "jawaban", "penanggung_jawab", "dibuka", "tenggat"]


def _warnings_page(request) -> ListPage:
    rows = (
        ReadinessWarning.objects.open()
        .filter(tps_scope(request.user, VIEW, "tps"))
        .select_related("tps__kelurahan", "item", "answer")
        .order_by("due_at", "pk")
    )
    return ListPage(request, rows, filters=WARNING_FILTERS)


@requires(VIEW)
def warnings(request: AuthenticatedHttpRequest) -> HttpResponse:
    listing = _warnings_page(request)
    items = ruledata.checklist(_election())
    return listing.render("readiness/warnings.html", {"items": items, "now": clock.now(), "areas": _areas(request)})


def _warning_row(w: ReadinessWarning) -> list:
    return [
        w.tps.code,
        str(w.tps),
        w.item.label,
        w.item.answer_label(w.answer.value),
        w.owner_role,
        w.opened_at,
        w.due_at,
    ]


@requires(VIEW)
def warnings_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    return _warnings_page(request).export(fmt, "peringatan-kesiapan", WARNING_COLUMNS, _warning_row)


RISK_COLUMNS = ["kode_tps", "tps", "bahaya", "tingkat", "rencana_mitigasi", "lokasi_cadangan", "peringatan_cuaca"]


def _risky(request):
    rows = [r for r in _rows(request, request.GET.get("wilayah", "")) if r.risky]
    missing = request.GET.get("tanpa", "")
    if missing == "rencana":
        rows = [r for r in rows if not r.has_plan]
    elif missing == "cadangan":
        rows = [r for r in rows if not r.has_backup]
    return rows


@requires(VIEW)
def risky(request: AuthenticatedHttpRequest) -> HttpResponse:
    from django.core.paginator import Paginator

    rows = _risky(request)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={request.GET[k]}" for k in ("wilayah", "tanpa") if request.GET.get(k))
    return render(
        request,
        "readiness/risky.html",
        {"page": page, "count": len(rows), "query": query, "areas": _areas(request), "kinds": dict(_kind_labels())},
    )


def _kind_labels():
    from deskpilkada.regions.models import RegionHazard

    return RegionHazard.Kind.choices


@requires(VIEW)
def risky_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    labels = dict(_kind_labels())
    rows = (
        [
            r.code,
            f"TPS {r.number:03d} {r.kelurahan}",
            ", ".join(str(labels.get(k, k)) for k in r.hazards),
            int(r.risk),
            "ya" if r.has_plan else "tidak",
            "ya" if r.has_backup else "tidak",
            "ya" if r.weather else "tidak",
        ]
        for r in _risky(request)
    )
    return table_response(fmt, "tps-rawan-bencana", RISK_COLUMNS, rows)


SECURITY_COLUMNS = [
    "kode_tps",
    "tps",
    "kelas",
    "perlu_polri",
    "ada_polri",
    "perlu_tni",
    "ada_tni",
    "perlu_linmas",
    "ada_linmas",
    "kurang",
]


def _gaps(request):
    return [r for r in _rows(request, request.GET.get("wilayah", "")) if r.gap]


@requires(VIEW)
def security(request: AuthenticatedHttpRequest) -> HttpResponse:
    from django.core.paginator import Paginator

    rows = _rows(request, request.GET.get("wilayah", ""))
    gaps = [r for r in rows if r.gap]
    names = dict(Region.objects.filter(level__in=[Level.DISTRICT, Level.VILLAGE]).values_list("code", "name"))
    kecamatan = [(names.get(_dotted(c), c), _dotted(c), t) for c, t in sorted(summary.totals_by(rows, 6).items())]
    kelurahan = [(names.get(_dotted(c), c), _dotted(c), t) for c, t in sorted(summary.totals_by(gaps, 10).items())]
    election = _election()
    posts = SecurityPost.objects.filter(region_scope(request.user, VIEW, "region"), election=election).select_related(
        "region"
    )
    context = {
        "page": Paginator(gaps, 50).get_page(request.GET.get("page")),
        "count": len(gaps),
        "totals": summary.totals(rows),
        "kecamatan": kecamatan,
        "kelurahan": kelurahan,
        "posts": posts,
        "needs": ruledata.rules(election).needs_table(),
        "classes": VulnerabilityClass.choices,
        "query": f"wilayah={request.GET['wilayah']}" if request.GET.get("wilayah") else "",
        "areas": _areas(request),
        "can_post": can(request.user, "security.manage"),
    }
    return render(request, "readiness/security.html", context)


@requires(VIEW)
def security_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    rows = (
        [
            r.code,
            f"TPS {r.number:03d} {r.kelurahan}",
            r.vuln_class or "belum_dinilai",
            r.needed["polri"],
            r.assigned["polri"],
            r.needed["tni"],
            r.assigned["tni"],
            r.needed["linmas"],
            r.assigned["linmas"],
            r.gap,
        ]
        for r in _gaps(request)
    )
    return table_response(fmt, "celah-keamanan-tps", SECURITY_COLUMNS, rows)


@requires(VIEW)
def vulnerability(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The counts per indicator as Bawaslu publishes them, and per class."""
    election = _election()
    scope = tps_scope(request.user, VIEW, "tps")
    assessed = TpsVulnerability.objects.filter(scope, election=election)
    counts = dict(assessed.values("indicators").annotate(n=Count("tps", distinct=True)).values_list("indicators", "n"))
    indicators = [(i, counts.get(i.pk, 0)) for i in ruledata.indicators(election)]
    classes = dict(assessed.values("klass").annotate(n=Count("pk")).values_list("klass", "n"))
    context = {
        "indicators": indicators,
        "classes": [(label, classes.get(k, 0), k) for k, label in VulnerabilityClass.choices],
        "assessed": assessed.count(),
        "tps": visible_tps(request).count(),
        "rules": ruledata.rules(election),
        "can_import": can(request.user, "risk.manage"),
    }
    return render(request, "readiness/vulnerability.html", context)


@requires("risk.manage")
def vulnerability_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    election = _election()
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report = result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.import_vulnerability(
                form.cleaned_data["file"],
                by=request.user,
                election=election,
                allowed=lambda t: can(request.user, "risk.manage", t),
            )
        except ImportRejected as exc:
            report = exc
    context = {"form": form, "report": report, "result": result, "columns": actions.vulnerability_columns(election)}
    return render(request, "readiness/vulnerability_import.html", context)


@requires("risk.manage")
def vulnerability_template(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    election = _election()
    columns = actions.vulnerability_columns(election)
    note = [
        _(
            "# Baris yang diawali # dilewati. Satu baris per TPS: kode_tps 13 digit; setiap kolom indikator "
            "diisi ya atau tidak (kosong: tidak); catatan boleh kosong."
        )
    ]
    example = visible_tps(request, "risk.manage").order_by("code").first()
    rows = [note] + ([["#" + example.code] + ["tidak"] * (len(columns) - 2) + [""]] if example else [])
    return table_response(fmt, "templat-tps-rawan", columns, rows)


@requires(VIEW)
def relocations(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = (
        Relocation.objects.filter(tps_scope(request.user, VIEW, "tps"))
        .select_related("tps__kelurahan")
        .order_by("-at", "-pk")
    )
    listing = ListPage(
        request, rows, filters=[Filter("wilayah", lambda qs, v: qs.filter(tps__code__startswith=v.replace(".", "")))]
    )
    return listing.render(
        "readiness/relocations.html", {"texts": {r.pk: actions.notice_texts(r) for r in listing.page}}
    )


@requires(VIEW)
def weather(request: AuthenticatedHttpRequest) -> HttpResponse:
    election = _election()
    rows = WeatherWarning.objects.filter(election=election).select_related("region").order_by("-starts_at", "-pk")
    listing = ListPage(request, rows)
    visible = visible_tps(request)
    counts = {w.pk: visible.filter(code__startswith=w.region.undotted_code).count() for w in listing.page}
    return listing.render(
        "readiness/weather.html", {"counts": counts, "now": clock.now(), "can_add": can(request.user, "hazards.manage")}
    )


@requires(VIEW)
def weather_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A weather warning and every TPS inside its area that the reader may see, with their risk now."""
    warning = get_object_or_404(WeatherWarning.objects.select_related("region"), pk=pk)
    rows = summary.readiness_rows(
        visible_tps(request).filter(code__startswith=warning.region.undotted_code), warning.election
    )
    return render(
        request,
        "readiness/weather_detail.html",
        {"warning": warning, "rows": rows, "kinds": dict(_kind_labels()), "now": clock.now()},
    )


@requires("hazards.manage")
def weather_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    regions = _areas(request, "hazards.manage")
    form = forms.WeatherForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            warning = actions.add_weather_warning(
                by=request.user,
                region=regions.get(code=data["region"]),
                kind=data["kind"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                raise_by=data["raise_by"],
                text=data["text"],
                source=data["source"],
            )
        except actions.Refused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Peringatan cuaca dicatat."))
            return redirect("readiness:weather_detail", pk=warning.pk)
    return render(
        request,
        "readiness/form.html",
        {"form": form, "title": _("Peringatan cuaca baru (BMKG)"), "back": "readiness:weather"},
    )


@requires("security.manage")
def post_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    regions = _areas(request, "security.manage")
    form = forms.PostForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_security_post(by=request.user, region=regions.get(code=data.pop("region")), **data)
        except actions.Refused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Pos atau rute patroli dicatat."))
            return redirect("readiness:security")
    return render(
        request,
        "readiness/form.html",
        {"form": form, "title": _("Pos pengamanan atau rute patroli"), "back": "readiness:security"},
    )


# --- one TPS ---------------------------------------------------------------------------------------


@requires(VIEW)
def tps_page(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    tps = get_tps_for_user(request, code, VIEW)
    election = _election()
    row = summary.readiness_rows(Tps.objects.filter(pk=tps.pk), election)[0]
    caps = _caps(request, tps)
    answers = ChecklistAnswer.objects.filter(tps=tps, item__election=election).select_related("item", "answered_by")
    context = {
        "tps": tps,
        "row": row,
        "items": ruledata.checklist(election),
        "current": {a.item_id: a for a in answers if a.current},
        "history": [a for a in answers if not a.current][:30],
        "warnings": ReadinessWarning.objects.filter(tps=tps).select_related("item").order_by("status", "due_at"),
        "refined": TpsHazard.objects.filter(tps=tps),
        "kinds": dict(_kind_labels()),
        "plan": MitigationPlan.objects.filter(tps=tps).first(),
        "vulnerability": TpsVulnerability.objects.filter(tps=tps, election=election)
        .prefetch_related("indicators")
        .first(),
        "deployments": Deployment.objects.filter(tps=tps),
        "relocations": tps.relocations.all(),
        "audit": AuditEntry.objects.for_target(tps).filter(
            action__in=["tps.relocated", "readiness.checklist_answered"]
        )[:20],
        "can": caps,
        "now": clock.now(),
    }
    context["can_close"] = _may_close(caps)
    return render(request, "readiness/tps.html", context)


@requires(VIEW)
@require_POST
def warning_resolve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Close a warning by hand once its fix is done, with a note: for those who fill the TPS's checklist
    (PPS, KPPS) or manage the TPS (KPU, PPK) in its area."""
    warning = get_object_or_404(ReadinessWarning.objects.select_related("tps"), pk=pk)
    tps = get_tps_for_user(request, warning.tps.code, VIEW)
    if not _may_close(_caps(request, tps)):
        raise PermissionDenied
    if warning.status != ReadinessWarning.Status.OPEN:
        messages.info(request, _("Peringatan ini sudah selesai."))
        return redirect("readiness:tps", code=tps.code)
    try:
        actions.resolve_warning(warning, by=request.user, note=request.POST.get("catatan", ""))
    except actions.Refused as exc:
        messages.error(request, _("Catatan perbaikan: %(m)s") % {"m": exc.message})
    else:
        messages.success(request, _("Peringatan «%(w)s» ditutup.") % {"w": warning.item.label})
    return redirect("readiness:tps", code=tps.code)


@requires(VIEW)
def answer_photo(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The photo of a checklist answer, to those who may see its TPS (403 outside the area); never
    rendered inline as HTML (it was checked as an image when it was taken in)."""
    answer = get_object_or_404(ChecklistAnswer.objects.select_related("tps"), pk=pk)
    get_tps_for_user(request, answer.tps.code, VIEW)
    return uploads.serve(answer.photo)


@requires("readiness.manage")
def checklist(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    tps = get_tps_for_user(request, code, "readiness.manage")
    election = _election()
    items = ruledata.checklist(election)
    current = dict(ChecklistAnswer.objects.filter(tps=tps, current=True).values_list("item__code", "value"))
    form = forms.ChecklistForm(request.POST or None, request.FILES or None, items=items, current=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers = {i.code: data[i.code] for i in items if data.get(i.code) not in (None, "")}
        notes = {i.code: data[f"catatan_{i.code}"] for i in items if data.get(f"catatan_{i.code}")}
        photos = {i.code: data[f"foto_{i.code}"] for i in items if data.get(f"foto_{i.code}")}
        try:
            result = actions.answer_checklist(
                by=request.user, tps=tps, answers=answers, notes=notes, photos=photos, election=election
            )
        except actions.Refused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            text = _("%(n)s jawaban disimpan.") % {"n": result.answered}
            if result.opened:
                text += " " + _("%(n)s peringatan baru untuk diperbaiki.") % {"n": len(result.opened)}
            messages.success(request, text)
            return redirect("readiness:tps", code=tps.code)
    return render(
        request,
        "readiness/checklist.html",
        {
            "tps": tps,
            "form": form,
            "flood_prone": summary.readiness_rows(Tps.objects.filter(pk=tps.pk), election)[0].hazards.get("banjir", 0)
            > 0,
        },
    )


def _tps_form(request, code: str, cap: str, form, title: str, save) -> HttpResponse:
    """A TPS's form for one action: `save(tps, cleaned_data)` calls it; a refusal names the field."""
    tps = get_tps_for_user(request, code, cap)
    if request.method == "POST" and form.is_valid():
        try:
            message = save(tps, form.cleaned_data)
        except actions.Refused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, message)
            return redirect("readiness:tps", code=tps.code)
    return render(request, "readiness/form.html", {"form": form, "title": title, "tps": tps})


@requires("hazards.manage")
def hazard(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    def save(tps, d):
        actions.set_tps_hazard(by=request.user, tps=tps, kind=d["kind"], level=d["level"], note=d["note"])
        return _("Risiko bencana TPS disimpan.")

    return _tps_form(
        request, code, "hazards.manage", forms.HazardForm(request.POST or None), _("Risiko bencana di TPS"), save
    )


@requires("relocation.manage")
def plan(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    existing = MitigationPlan.objects.filter(tps__code=code.replace(".", "")).first()
    initial = {f: getattr(existing, f) for f in forms.PlanForm.base_fields} if existing else {}

    def save(tps, d):
        actions.save_mitigation_plan(by=request.user, tps=tps, **d)
        return _("Rencana mitigasi disimpan.")

    form = forms.PlanForm(request.POST or None, initial=initial)
    return _tps_form(request, code, "relocation.manage", form, _("Rencana mitigasi dan lokasi cadangan"), save)


@requires("relocation.manage")
def relocate(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    existing = MitigationPlan.objects.filter(tps__code=code.replace(".", "")).first()
    initial = (
        {"address": existing.backup_address, "lat": existing.backup_lat, "lon": existing.backup_lon}
        if existing and existing.backup_address
        else {}
    )

    def save(tps, d):
        moved = actions.relocate(by=request.user, tps=tps, **d)
        return _("TPS dipindahkan ke %(to)s. Beri tahu %(n)s pemilih: teks pemberitahuan ada di halaman TPS.") % {
            "to": moved.to_address,
            "n": moved.voters_affected,
        }

    form = forms.RelocationForm(request.POST or None, initial=initial)
    return _tps_form(request, code, "relocation.manage", form, _("Pindahkan TPS"), save)


@requires("risk.manage")
def assess(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    election = _election()
    existing = TpsVulnerability.objects.filter(tps__code=code.replace(".", ""), election=election).first()
    initial = {"indicators": [i.code for i in existing.indicators.all()], "note": existing.note} if existing else {}

    def save(tps, d):
        vuln = actions.assess_vulnerability(
            by=request.user, tps=tps, indicators=d["indicators"], note=d["note"], election=election
        )
        return _("Kerawanan disimpan: skor %(s)s, %(k)s.") % {"s": vuln.score, "k": vuln.get_klass_display()}

    form = forms.VulnerabilityForm(request.POST or None, initial=initial, indicators=ruledata.indicators(election))
    return _tps_form(request, code, "risk.manage", form, _("Kerawanan TPS (Bawaslu)"), save)


@requires("security.manage")
def deploy(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    current = {d.force: d for d in Deployment.objects.filter(tps__code=code.replace(".", ""))}

    def save(tps, d):
        for force in Force.values:
            actions.set_deployment(
                by=request.user,
                tps=tps,
                force=force,
                count=d[f"{force}_count"],
                unit=d[f"{force}_unit"],
                names=d[f"{force}_names"],
            )
        return _("Penempatan personel disimpan.")

    form = forms.DeploymentForm(request.POST or None, current=current)
    return _tps_form(request, code, "security.manage", form, _("Penempatan personel keamanan"), save)


def open_warning_counts(user) -> dict[str, int]:
    rows = ReadinessWarning.objects.open().filter(tps_scope(user, VIEW, "tps"))
    return rows.aggregate(n=Count("pk"), late=Count("pk", filter=Q(due_at__lte=clock.now())))
