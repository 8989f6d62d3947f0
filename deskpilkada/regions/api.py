from django.utils.translation import gettext as _
from ninja import Router, Schema

from deskpilkada.accounts.access import api_require_object, api_requires
from deskpilkada.api_errors import ApiError, answers
from deskpilkada.regions.codes import CodeError
from deskpilkada.regions.models import Region
from deskpilkada.regions.views import children_with_counts

router = Router(tags=["wilayah"])


class ChildOut(Schema):
    code: str
    name: str
    level: int
    tps: int
    dpt: int


class RegionOut(Schema):
    code: str
    name: str
    level: int
    level_name: str
    parent: str | None
    children: list[ChildOut]


@router.get(
    "/regions/{code}",
    response=answers({200: RegionOut}, 401, 403, 404),
    summary="Wilayah dengan jumlah TPS dan DPT per sub-wilayah",
)
@api_requires("regions.view")
def get_region(request, code: str):
    try:
        region = Region.objects.select_related("parent").by_code(code)
    except (CodeError, Region.DoesNotExist):
        raise ApiError(404, _("Wilayah tidak ditemukan."))
    api_require_object(request.user, "regions.view", region)
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "level_name": str(region.get_level_display()),
        "parent": region.parent.code if region.parent is not None else None,
        "children": [
            {
                "code": c["region"].code,
                "name": c["region"].name,
                "level": c["region"].level,
                "tps": c["tps"],
                "dpt": c["dpt"],
            }
            for c in children_with_counts(region)
        ],
    }
