"""The JSON API, version 1: every router of the apps, one auth policy (deny by default)."""

from django.http import JsonResponse
from ninja import NinjaAPI

from deskpilkada.accounts.access import public
from deskpilkada.accounts.api import AUTH
from deskpilkada.accounts.api import router as accounts_router
from deskpilkada.elections.api import router as elections_router
from deskpilkada.regions.api import router as regions_router
from deskpilkada.tally.api import router as tally_router
from deskpilkada.tps.api import router as tps_router
from deskpilkada.voters.api import router as voters_router

api = NinjaAPI(
    title="Desk Pilkada API",
    version="1",
    description=(
        "API Desk Pilkada. Mesin: token per pengguna (halaman Akun) sebagai `Authorization: Bearer dpk_…`. "
        "Peramban: sesi login dengan token CSRF. Aturan akses sama dengan halaman."
    ),
    auth=AUTH,
    urls_namespace="api",
    docs_url=None,
)
for router in (accounts_router, regions_router, elections_router, tps_router, tally_router, voters_router):
    api.add_router("", router)


def _declare_builtin_views(urls):
    """Ninja's OpenAPI schema view is public, deliberately (it describes, it holds no data), and
    its placeholder root view becomes a small public index of the API."""
    from deskpilkada.accounts.access import PUBLIC

    patterns, _app_name, _namespace = urls
    for pattern in patterns:
        if pattern.name == "openapi-json":
            pattern.callback.access = PUBLIC
        elif pattern.name == "api-root":
            pattern.callback = api_index
    return urls


@public
def api_index(request):
    return JsonResponse(
        {"name": "Desk Pilkada API", "version": "1", "docs": "/api/docs", "openapi": "/api/v1/openapi.json"}
    )


urls = _declare_builtin_views(api.urls)
