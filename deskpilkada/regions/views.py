from django.db.models import Count, Sum
from django.db.models.functions import Substr
from django.shortcuts import render

from deskpilkada.accounts.access import can, get_region_for_user, home_areas, requires
from deskpilkada.regions.models import Level, Region
from deskpilkada.tps.models import Tps


def children_with_counts(region: Region) -> list[dict]:
    """Each sub-region with its TPS count and DPT, in two queries."""
    children = list(region.children.prefetch_related("hazards"))
    key_len = 10 if region.level >= Level.DISTRICT else {Level.PROVINCE: 4, Level.REGENCY: 6}[Level(region.level)]
    stats = {
        row["key"]: row
        for row in Tps.objects.filter(code__startswith=region.undotted_code)
        .annotate(key=Substr("code", 1, key_len))
        .values("key")
        .annotate(n=Count("id"), male=Sum("dpt_male"), female=Sum("dpt_female"))
    }
    out = []
    for child in children:
        s = stats.get(child.undotted_code, {})
        out.append(
            {
                "region": child,
                "tps": s.get("n", 0),
                "dpt": (s.get("male") or 0) + (s.get("female") or 0),
                "hazards": child.hazards.all() if child.level == Level.VILLAGE else [],
            }
        )
    return out


@requires("regions.view")
def region_index(request):
    codes = home_areas(request.user, "regions.view")
    if len(codes) == 1:
        return region_detail(request, codes[0])
    return render(request, "regions/region_index.html", {"areas": Region.objects.filter(code__in=codes)})


@requires("regions.view")
def region_detail(request, code: str):
    region = get_region_for_user(request, code)
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "ancestors": [a for a in region.ancestors() if can(request.user, "regions.view", a)],
            "children": children_with_counts(region) if region.level < Level.VILLAGE else [],
            "tps": Tps.objects.filter(kelurahan=region) if region.level == Level.VILLAGE else None,
            "hazards": region.hazards.all(),
        },
    )
