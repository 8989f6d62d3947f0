"""The database out of reach for a moment (a PostgreSQL restart, a dropped connection, SQLite busy
past its timeout): every answer is then a 503 that says so and asks to try again shortly — JSON of
the API's one error shape under /api/, a plain Indonesian page elsewhere — never a 500 with a
traceback. Nothing is half-written: the request's transaction was rolled back with the connection.

The app recovers by itself: Django closes a connection that failed at the end of the request
(`close_if_unusable_or_obsolete`), and the next request opens a new one.

Three places catch it, because a database error can surface in three: a view (the middleware's
`process_exception`), an API operation (the handler `api_errors.DeskAPI` registers), and any
middleware such as the session's (`server_error`, the project's handler500)."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger("deskpilkada.outage")
RETRY_AFTER_SECONDS = 5
DATABASE_ERRORS = (OperationalError, InterfaceError)


def is_database_down(exc: BaseException | None) -> bool:
    """A connection or lock failure. SQLite also says OperationalError for a missing table or column
    (a migration not run): that is a fault of the server, kept a 500 with its traceback."""
    return isinstance(exc, DATABASE_ERRORS) and not str(exc).startswith("no such ")


def unavailable(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The 503 answer, rendered without touching the database (no context processors, no user)."""
    logger.warning("Database unavailable: %s %s: %s", request.method, request.path, str(exc).strip()[:300])
    if request.path.startswith("/api/"):
        message = _(
            "Basis data sedang tidak dapat dihubungi. Tidak ada yang tersimpan dari permintaan ini; kirim ulang dalam "
            "beberapa detik (dengan Idempotency-Key yang sama, kiriman tidak terhitung dua kali)."
        )
        response: HttpResponse = JsonResponse({"detail": message, "errors": []}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render({}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_down(exception):
            return unavailable(request, exception)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage anywhere in the request is a 503; anything else the 500 page."""
    exc = sys.exc_info()[1]
    if is_database_down(exc):
        return unavailable(request, exc)  # type: ignore[arg-type]  # checked above
    return HttpResponse(loader.get_template("500.html").render({}), status=500)
