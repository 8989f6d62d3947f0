from typing import cast

from django.contrib import messages
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from deskpilkada.accounts.access import (
    AuthenticatedHttpRequest,
    can,
    get_tps_for_user,
    region_scope,
    requires,
    tps_scope,
)
from deskpilkada.audit.models import AuditEntry
from deskpilkada.imports import ImportRejected, table_response
from deskpilkada.lists import Filter, ListPage, bulk, ticked_ids
from deskpilkada.regions.codes import kelurahan_of
from deskpilkada.regions.maps import neighbourhood, region_features
from deskpilkada.regions.models import Level, Region
from deskpilkada.tps import actions
from deskpilkada.tps.forms import ImportForm, TpsCreateForm, TpsForm
from deskpilkada.tps.models import Tps, TpsQuerySet

# The TPS register's filters, shared by the list, its export and the map.
TPS_FILTERS = [
    Filter("kelurahan", lambda qs, v: qs.filter(kelurahan__code=v)),
    Filter("kecamatan", lambda qs, v: qs.filter(code__startswith=v.replace(".", ""))),
    Filter("khusus", lambda qs, v: qs.filter(special_kind=v) if v != "semua" else qs.exclude(special_kind="")),
    Filter("kursi_roda", lambda qs, v: qs.filter(wheelchair_accessible=v == "ya")),
    Filter("q", lambda qs, v: cast(TpsQuerySet, qs).search(v)),  # a Filter is typed over any QuerySet
]


def tps_list_page(request: HttpRequest, cap: str = "tps.view") -> ListPage:
    """The TPS the user may see, narrowed by the list's filters."""
    rows = Tps.objects.filter(tps_scope(request.user, cap)).select_related("kelurahan__parent")
    return ListPage(request, rows, filters=TPS_FILTERS)


def visible_tps(request: HttpRequest, cap: str = "tps.view") -> QuerySet[Tps]:
    return tps_list_page(request, cap).rows


@requires("tps.view")
def tps_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    listing = tps_list_page(request)
    areas = Region.objects.filter(region_scope(request.user, "tps.view"))
    totals = listing.rows.aggregate(m=Sum("dpt_male"), f=Sum("dpt_female"))
    context = {
        "dpt_total": (totals["m"] or 0) + (totals["f"] or 0),
        "count": listing.count,
        "kecamatan": areas.filter(level=Level.DISTRICT),
        "kelurahan": areas.filter(level=Level.VILLAGE, parent__code=request.GET.get("kecamatan", "")),
        "special_kinds": Tps.SpecialKind.choices,
        "can_manage": can(request.user, "tps.manage"),
        "bulk_actions": BULK_ACTIONS.items(),
    }
    return listing.render("tps/tps_list.html", context)


BULK_ACTIONS = {
    "kursi_roda_ya": (_lazy("Tandai dapat diakses kursi roda"), {"wheelchair_accessible": True}),
    "kursi_roda_tidak": (_lazy("Tandai tidak dapat diakses kursi roda"), {"wheelchair_accessible": False}),
}


@requires("tps.manage")
@require_POST
def tps_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A bulk action on the ticked TPS, each through `update_tps` (audited, version-checked)."""
    choice = BULK_ACTIONS.get(request.POST.get("aksi", ""))
    if choice is None:
        messages.error(request, _("Pilih tindakan untuk TPS yang dicentang."))
    else:
        label, fields = choice
        rows = Tps.objects.filter(tps_scope(request.user, "tps.manage"))
        result = bulk(
            rows,
            ticked_ids(request),
            lambda t: actions.update_tps(by=request.user, tps=t, expected_version=t.version, **fields),
        )
        messages.success(request, f"{label}: {result.message()}")
    back = request.POST.get("kembali", "")
    return redirect(back if back.startswith("/tps/") and not back.startswith("//") else "tps:list")


@requires("tps.view")
def tps_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    tps = get_tps_for_user(request, code)
    return render(
        request,
        "tps/tps_detail.html",
        {
            "tps": tps,
            "hazards": tps.kelurahan.hazards.all(),
            "history": AuditEntry.objects.for_target(tps)[:20],
            "can_edit": can(request.user, "tps.manage", tps),
            "can_record_invitations": can(request.user, "invitations.record", tps),
            "map_regions": region_features(neighbourhood(tps.kelurahan).filter(region_scope(request.user, "tps.view"))),
        },
    )


@requires("tps.manage")
def tps_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    tps = get_tps_for_user(request, code, "tps.manage")
    form = TpsForm(request.POST or None, instance=tps, initial={"version": tps.version})
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in actions.EDITABLE}
        try:
            actions.update_tps(by=request.user, tps=tps, expected_version=form.cleaned_data["version"], **fields)
        except actions.StaleEdit:
            form.add_error(
                None,
                _(
                    "TPS ini baru saja diubah orang lain. Muat ulang halaman, periksa perubahannya, "
                    "lalu simpan lagi. Isian Anda belum disimpan."
                ),
            )
        else:
            messages.success(request, _("Perubahan TPS disimpan."))
            return redirect("tps:detail", code=tps.code)
    return render(request, "tps/tps_form.html", {"form": form, "tps": tps})


@requires("tps.manage")
def tps_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    villages = Region.objects.filter(region_scope(request.user, "tps.manage"), level=Level.VILLAGE)
    form = TpsCreateForm(request.POST or None, kelurahan_qs=villages)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        tps = actions.create_tps(by=request.user, **data)
        messages.success(request, _("TPS %(code)s dibuat.") % {"code": tps.code})
        return redirect("tps:detail", code=tps.code)
    return render(request, "tps/tps_form.html", {"form": form, "tps": None})


@requires("tps.manage")
def tps_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.import_tps(
                form.cleaned_data["file"],
                by=request.user,
                allowed=lambda kel: can(request.user, "tps.manage", kel),
            )
        except ImportRejected as exc:
            report = exc
    return render(request, "tps/tps_import.html", {"form": form, "report": report, "result": result})


@requires("tps.view")
def tps_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    """Exactly the rows of the list with the same filters, every page."""
    return tps_list_page(request).export(fmt, "tps", actions.COLUMNS, actions.export_row)


@requires("tps.view")
def tps_template(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    example = visible_tps(request).order_by("code").first()
    return table_response(fmt, "templat-tps", actions.COLUMNS, actions.template_rows(example))


@requires("tps.view")
def tps_map(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "tps/tps_map.html", {})


@requires("tps.view")
def tps_map_data(request: AuthenticatedHttpRequest) -> JsonResponse:
    """GeoJSON of the visible TPS (the list's filters apply), for the map, with the kecamatan and
    kelurahan of the user's area (names and outlines)."""
    rows = (
        visible_tps(request)
        .filter(lat__isnull=False, lon__isnull=False)
        .values_list(
            "code", "number", "kelurahan__name", "address", "dpt_male", "dpt_female", "special_kind", "lat", "lon"
        )
    )
    hazard_codes = set(Region.objects.filter(hazards__isnull=False).values_list("code", flat=True).distinct())
    recordable = set(visible_tps(request, "invitations.record").values_list("code", flat=True))
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "kind": "tps",
                "code": code,
                "number": number,
                "kelurahan": kel,
                "address": address,
                "dpt": m + f,
                "special": special,
                "hazard": kelurahan_of(code) in hazard_codes,
                "status": "special" if special else ("hazard" if kelurahan_of(code) in hazard_codes else "tps"),
                "can_record": code in recordable,  # the popup links the invitation report form
            },
        }
        for code, number, kel, address, m, f, special, lat, lon in rows
    ]
    regions = Region.objects.filter(region_scope(request.user, "tps.view"), level__in=[Level.DISTRICT, Level.VILLAGE])
    return JsonResponse({"type": "FeatureCollection", "features": features + region_features(regions)})
