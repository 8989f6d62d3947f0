"""The JSON API, version 1: every router of the apps, one auth policy (deny by default)."""

from functools import partial

from django.http import JsonResponse

from deskpilkada.accounts.access import PUBLIC, public
from deskpilkada.accounts.api import AUTH
from deskpilkada.accounts.api import router as accounts_router
from deskpilkada.api_errors import DeskAPI, method_not_allowed
from deskpilkada.cases.api import router as cases_router
from deskpilkada.elections.api import router as elections_router
from deskpilkada.health.api import router as health_router
from deskpilkada.logistics.api import router as logistics_router
from deskpilkada.officers.api import router as officers_router
from deskpilkada.readiness.api import router as readiness_router
from deskpilkada.regions.api import router as regions_router
from deskpilkada.tally.api import router as tally_router
from deskpilkada.tps.api import router as tps_router
from deskpilkada.voters.api import router as voters_router

api = DeskAPI(
    title="Desk Pilkada API",
    version="1",
    description=(
        "API Desk Pilkada. Mesin: token per pengguna (halaman Akun) sebagai `Authorization: Bearer dpk_…`. "
        "Peramban: sesi login dengan token CSRF. Aturan akses sama dengan halaman.\n\n"
        "Setiap jawaban galat (400, 401, 403, 404, 405, 409, 422, 429, 500) berbentuk JSON yang sama: "
        '`{"detail": "kalimat", "errors": [{"field": "nama_kolom", "message": "kalimat"}]}`; '
        "`errors` menyebut kolom yang salah (kosong bila tidak ada kolom yang salah). "
        "Tanpa login atau token: 401. Sesi peramban tanpa token CSRF: 403. "
        "Kirim ulang dengan header `Idempotency-Key` yang sama (paling banyak 120 karakter) "
        "mendapat jawaban pertama, selama isinya sama sebagai JSON."
    ),
    auth=AUTH,
    urls_namespace="api",
    docs_url=None,
)
for router in (
    accounts_router,
    regions_router,
    elections_router,
    tps_router,
    tally_router,
    voters_router,
    cases_router,
    logistics_router,
    readiness_router,
    officers_router,
    health_router,
):
    api.add_router("", router)


def _declare_builtin_views(urls):
    """Ninja's OpenAPI schema view is public, deliberately (it describes, it holds no data), and
    its placeholder root view becomes a small public index of the API."""
    patterns, _app_name, _namespace = urls
    for pattern in patterns:
        if pattern.name == "openapi-json":
            pattern.callback.access = PUBLIC
        elif pattern.name == "api-root":
            pattern.callback = api_index
        _answer_wrong_methods_in_json(pattern.callback)
    return urls


def _answer_wrong_methods_in_json(callback) -> None:
    """Ninja answers a method no operation takes with an empty text/html 405 from its path view;
    the view of a path keeps that path view in its closure, so the answer is replaced there."""
    for cell in getattr(callback, "__closure__", None) or ():
        path_view = cell.cell_contents
        if hasattr(path_view, "operations") and hasattr(path_view, "_not_allowed"):
            methods = {m for op in path_view.operations for m in op.methods}
            path_view._not_allowed = partial(method_not_allowed, methods)


@public
def api_index(request):
    return JsonResponse(
        {"name": "Desk Pilkada API", "version": "1", "docs": "/api/docs", "openapi": "/api/v1/openapi.json"}
    )


urls = _declare_builtin_views(api.urls)
