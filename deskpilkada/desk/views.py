from django.http import Http404
from django.shortcuts import render

from deskpilkada.accounts.access import has_cap, public, requires
from deskpilkada.desk.points import BY_SLUG, POINTS, area_totals, core_figures


@public
def home(request):
    if not has_cap(request.user, "desk.view"):
        return render(request, "desk/landing.html", {})
    figures = core_figures(request.user)
    tiles = [{"point": p, "figures": figures.get(p.number, [])} for p in POINTS]
    return render(request, "desk/home.html", {"tiles": tiles, "totals": area_totals(request.user)})


@requires("desk.view")
def point_detail(request, slug: str):
    point = BY_SLUG.get(slug)
    if point is None:
        raise Http404
    return render(
        request, "desk/point.html", {"point": point, "figures": core_figures(request.user).get(point.number, [])}
    )
