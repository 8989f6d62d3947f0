from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from ninja.openapi.views import openapi_view

from deskpilkada.accounts.access import public
from deskpilkada.api import api
from deskpilkada.api import urls as api_urls
from deskpilkada.api_errors import not_found_view

VIEWPORT = b'<meta name="viewport" content="width=device-width, initial-scale=1">'


@public
def api_docs(request):
    """ninja's Swagger page, given the viewport a phone needs (its template has none: 980 px, tiny text)."""
    response = openapi_view(request, api)
    if b'name="viewport"' not in response.content:
        response.content = response.content.replace(b"<head>", b"<head>\n    " + VIEWPORT, 1)
    return response


urlpatterns = [
    path("", include("deskpilkada.desk.urls")),
    path("", include("deskpilkada.accounts.urls")),
    path("wilayah/", include("deskpilkada.regions.urls")),
    path("pemilihan/", include("deskpilkada.elections.urls")),
    path("tps/", include("deskpilkada.tps.urls")),
    path("kesehatan/", include("deskpilkada.health.urls")),
    path("kesiapan/", include("deskpilkada.readiness.urls")),
    path("", include("deskpilkada.tally.urls")),
    path("", include("deskpilkada.voters.urls")),
    path("", include("deskpilkada.outreach.urls")),
    path("", include("deskpilkada.cases.urls")),
    path("logistik/", include("deskpilkada.logistics.urls")),
    path("petugas/", include("deskpilkada.officers.urls")),
    path("audit/", include("deskpilkada.audit.urls")),
    path("notifikasi/", include("deskpilkada.notifications.urls")),
    path("api/v1/", api_urls),
    path("api/docs", api_docs, name="api_docs"),
    # Without CSRF: it only sets the language cookie, and the public results pages, which a CDN
    # holds for everyone, carry no per-visitor token.
    path("bahasa/", public(csrf_exempt(set_language)), name="set_language"),
    # Last: any other path under /api/ answers the API's JSON 404, not the HTML page.
    re_path(r"^api/", public(not_found_view), name="api_not_found"),
]

handler403 = "deskpilkada.desk.errors.forbidden"
handler404 = "deskpilkada.desk.errors.not_found"
handler500 = "deskpilkada.outage.server_error"
