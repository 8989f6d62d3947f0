from django.http import Http404
from django.shortcuts import render

from deskpilkada.accounts.access import has_cap, public, requires
from deskpilkada.desk import points


@public
def home(request):
    """Each role's own work first: its tasks from every point's provider; the ten-point desk one click away."""
    if not has_cap(request.user, "desk.view"):
        return render(request, "desk/landing.html", {})
    return render(request, "desk/home.html", {"groups": points.user_tasks(request.user)})


@requires("desk.view")
def overview(request):
    """The ten-point desk: every point's tile and its readiness per region, inside the user's area."""
    return render(
        request,
        "desk/overview.html",
        {
            "tiles": points.tiles(request.user),
            "totals": points.area_totals(request.user),
            "readiness": points.readiness_table(request.user),
        },
    )


@requires("desk.view")
def point_detail(request, slug: str):
    point = points.BY_SLUG.get(slug)
    if point is None:
        raise Http404
    module = points.provider(point)
    return render(
        request,
        "desk/point.html",
        {
            "point": point,
            "tile": module.tile(request.user) if module else None,
            "tasks": module.tasks(request.user) if module else [],
        },
    )
