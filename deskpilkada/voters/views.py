from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from deskpilkada.accounts.access import public, requires
from deskpilkada.accounts.middleware import client_ip
from deskpilkada.elections.models import Election
from deskpilkada.imports import ImportRejected, csv_response
from deskpilkada.regions.maps import neighbourhood, region_features
from deskpilkada.regions.models import Level, Region
from deskpilkada.tps.forms import ImportForm
from deskpilkada.tps.models import Relocation, Tps
from deskpilkada.voters import actions, lookup
from deskpilkada.voters.forms import LookupForm

NOT_FOUND = (
    "Data tidak ditemukan. Periksa kembali NIK dan tanggal lahir atau huruf nama Anda, cek di "
    "cekdptonline.kpu.go.id, atau hubungi PPS kelurahan Anda."
)


@public
def lookup_page(request):
    election = Election.objects.current()
    form = LookupForm(request.POST or None)
    voter, status, searched, wait = None, 200, False, 0
    if request.method == "POST":
        wait = lookup.wait_seconds(client_ip(request) or "-")
        if wait:
            form = LookupForm()
            status = 429
            messages.error(request, lookup.too_many_message(wait))
        elif form.is_valid() and election is not None:
            searched = True
            voter = lookup.find_voter(election, form.cleaned_data["nik"], form.cleaned_data["confirm"])
            form = LookupForm()  # never echo a NIK back (shared phones, shoulder surfing)
    response = render(
        request,
        "voters/lookup.html",
        {
            "form": form,
            "voter": voter,
            "searched": searched,
            "election": election,
            "not_found": _(NOT_FOUND),
            "relocation": voter.tps.relocation() if voter else None,
            "map_regions": region_features(neighbourhood(voter.tps.kelurahan)) if voter else [],
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    if wait:
        response["Retry-After"] = str(wait)
    return response


@public
def kelurahan_index(request):
    kecamatan = (
        Region.objects.filter(level=Level.DISTRICT, children__tps_set__isnull=False)
        .distinct()
        .prefetch_related("children")
    )
    return render(request, "voters/kelurahan_index.html", {"kecamatan": kecamatan})


@public
def kelurahan_tps(request, code: str):
    kelurahan = get_object_or_404(Region.objects.select_related("parent"), code=code, level=Level.VILLAGE)
    tps = list(Tps.objects.filter(kelurahan=kelurahan).order_by("number"))
    moved = Relocation.objects.filter(tps__kelurahan=kelurahan).latest_per_tps()
    for t in tps:
        t.moved = moved.get(t.pk)  # "TPS dipindahkan" in the list
    points = [
        {
            "lat": t.lat,
            "lon": t.lon,
            "text": t.number,
            "title": f"TPS {t.number:03d}",
            "note": t.address,
            "status": "relocated" if t.pk in moved else "tps",
        }
        for t in tps
        if t.lat is not None and t.lon is not None
    ]
    context = {
        "kelurahan": kelurahan,
        "tps": tps,
        "map_points": points,
        "map_regions": region_features(neighbourhood(kelurahan)),
        "any_moved": bool(moved),
    }
    return render(request, "voters/kelurahan_tps.html", context)


@requires("dpt.import")
def dpt_import(request):
    election = Election.objects.current()
    if election is None:
        raise Http404(_("Belum ada pemilihan."))
    form = ImportForm(request.POST or None, request.FILES or None)
    report = result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.import_dpt(form.cleaned_data["file"], by=request.user, election=election)
        except ImportRejected as exc:
            report = exc
    return render(
        request,
        "voters/dpt_import.html",
        {"form": form, "report": report, "result": result, "election": election, "columns": actions.COLUMNS},
    )


@requires("dpt.import")
def dpt_template(request):
    return csv_response("templat-dpt", actions.COLUMNS, [])
