"""The public hot paths, answered before Django's request stack: the voter look-up and the public
results (JSON and page) of a region.

On election night these URLs take almost all of the traffic, and the whole stack (sessions, CSRF,
authentication, messages, URL resolving, ninja, the ORM building its SQL) cost 9-36 ms per request
for an answer that is one indexed read (docs/ARCHITECTURE.md, "The public hot paths"). Here:

- the look-up runs the same function as the API view (`voters.lookup.answer`: the same rate limit,
  the same answers for a wrong NIK and a wrong confirmation) with the TPS rows and the current
  election held per process;
- a region's results are built by Django once per version of its totals and held per process: a
  request reads one version stamp (the totals row's `updated_at`, the latest checkpoint), answers
  304 to a matching If-None-Match without reading the totals, and otherwise serves the held bytes.

Every answer passes through the response half of the security middleware, so that its headers are
the ones Django would send. Anything this module does not recognise goes to Django unchanged.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.db import connections
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils import translation

from deskpilkada import outage
from deskpilkada.desk.middleware import content_security_policy
from deskpilkada.memo import ProcessCache


def language_of(request: WSGIRequest) -> str:
    """As DeskLocaleMiddleware decides it: the language cookie, else Indonesian."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


_security = SecurityMiddleware(lambda request: HttpResponse())
_frames = XFrameOptionsMiddleware(lambda request: HttpResponse())
_policy: list[str] = []


def finish(request: WSGIRequest, response: HttpResponse, language: str) -> HttpResponse:
    """The response half of the middleware that every answer passes (security headers, frames,
    CSP, Content-Language), in the order Django applies them."""
    response = _frames.process_response(request, response)
    response = _security.process_response(request, response)
    if not _policy:
        _policy.append(content_security_policy())
    response.headers.setdefault("Content-Security-Policy", _policy[0])
    response.headers.setdefault("Content-Language", language)
    if not response.streaming and "Content-Length" not in response:
        response["Content-Length"] = str(len(response.content))
    return response


LOOKUP = "/api/v1/voters/lookup"
RESULTS = re.compile(
    r"^/(?:api/v1/results/(?P<api_contest>[-\w]+)/(?P<api_code>[\d.]+)|hasil/(?P<contest>[-\w]+)/(?P<code>[\d.]+)/)$"
)


class PublicFastPath:
    """WSGI: the public hot paths here, everything else to Django's handler."""

    def __init__(self, django: WSGIHandler) -> None:
        self.django = django

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD") or not (path == LOOKUP or path.startswith(("/api/v1/results/", "/hasil/"))):
            return self.django(environ, start_response)
        response = self.answer(environ, path, method)
        if response is None:
            return self.django(environ, start_response)
        status = f"{response.status_code} {response.reason_phrase}"
        headers = [*response.items(), *(("Set-Cookie", c.output(header="")) for c in response.cookies.values())]
        start_response(status, headers)
        return [] if method == "HEAD" else [response.content]

    def answer(self, environ: dict, path: str, method: str) -> HttpResponse | None:
        request = WSGIRequest(dict(environ))  # a copy: the request writes its decoded path into it
        redirect = _security.process_request(request)
        if redirect is not None:
            return None  # Django answers the redirect to HTTPS
        language = language_of(request)
        try:
            with translation.override(language):
                if path == LOOKUP:
                    response = lookup_answer(request)
                else:
                    match = RESULTS.match(path)
                    response = results_answer(self.django, environ, request, match, language) if match else None
                if response is None:
                    return None
                return finish(request, response, language)
        except outage.DATABASE_ERRORS as exc:
            if not outage.is_database_down(exc):
                raise
            with translation.override(language):
                return finish(request, outage.unavailable(request, exc), language)
        finally:
            keep_connections()


def keep_connections() -> None:
    """What Django does at the end of a request, except that a healthy connection stays open for the
    next one (on SQLite, Django closes it after every request: a new connection and the checkpoint
    of the log at its close cost more than the whole answer)."""
    for conn in connections.all(initialized_only=True):
        if conn.connection is None:
            continue
        if conn.in_atomic_block or (conn.errors_occurred and not conn.is_usable()):
            conn.close()
        elif conn.settings_dict["CONN_MAX_AGE"] is not None and conn.settings_dict["CONN_MAX_AGE"] > 0:
            conn.close_if_unusable_or_obsolete()


def lookup_answer(request: WSGIRequest) -> HttpResponse | None:
    from deskpilkada.accounts.middleware import client_ip
    from deskpilkada.voters import lookup

    nik, confirm = request.GET.get("nik"), request.GET.get("confirm")
    if nik is None or confirm is None:
        return None  # ninja names the missing parameter
    return lookup.answer(client_ip(request) or "-", nik, confirm)


# A held result is rendered again at most this often per process when another process moved the
# totals (a change made in this process drops it at once): while sheets arrive every few ms, the
# page is rendered once a second, not once per sheet by every request that saw the new version.
RENDER_EVERY = 1.0


class Held:
    """One public result held by this process: the last answer Django gave (its ETag inside), when
    it was rendered, and a lock so that one request renders while the others serve the last one."""

    def __init__(self) -> None:
        self.response: HttpResponse | None = None
        self.at = 0.0
        self.rendering = threading.Lock()


def _held_cache() -> ProcessCache:
    from deskpilkada.elections.models import Candidate, Contest
    from deskpilkada.regions.models import Region
    from deskpilkada.tally import results
    from deskpilkada.tally.models import ChainCheckpoint, SheetVersion, Verification

    if not _held:
        watch = (Contest, Candidate, Region, ChainCheckpoint, SheetVersion, Verification)
        _held.append(ProcessCache(results.PUBLIC_HOLD_SECONDS, *watch))
    return _held[0]


# (contest code, region code, language, page or JSON) -> Held
_held: list[ProcessCache] = []


def results_answer(
    django: WSGIHandler, environ: dict, request: WSGIRequest, match: re.Match, language: str
) -> HttpResponse | None:
    from deskpilkada.tally import results

    page = match["contest"] is not None
    if page and settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None  # a signed-in user's page shows its own menu: Django renders it
    contest, code = (match["contest"], match["code"]) if page else (match["api_contest"], match["api_code"])
    etag = results.public_etag(contest, code, page=page, language=language)
    if etag is None:
        return None  # an unknown contest or region, or a TPS: Django answers
    quoted, asked = f'"{etag}"', request.META.get("HTTP_IF_NONE_MATCH", "")
    if quoted in asked:
        return not_modified(quoted)  # from the stamp alone: the totals are not read
    held = _held_cache().get((contest, code, language, page), Held)
    assert held is not None
    response = held.response
    if response is None or (response["ETag"] != quoted and not _serve_held(held)):
        response = _render(django, environ, held)
    if response["ETag"] in asked:  # the version this process still serves for a moment
        return not_modified(response["ETag"])
    return response


def not_modified(quoted_etag: str) -> HttpResponse:
    from deskpilkada.tally import results

    response = HttpResponseNotModified()
    response["ETag"] = quoted_etag
    response["Cache-Control"] = results.PUBLIC_CACHE_CONTROL
    return response


def _serve_held(held: Held) -> bool:
    """Whether the held answer of an older version is served as it is (with its own ETag): it is
    younger than RENDER_EVERY, or another request of this process is rendering the new one."""
    if time.monotonic() - held.at < RENDER_EVERY:
        return True
    return held.rendering.locked()


def _render(django: WSGIHandler, environ: dict, held: Held) -> HttpResponse:
    with held.rendering:
        response = render_through_django(django, environ)
        if response.status_code == 200 and not response.cookies and response.get("ETag"):
            held.response, held.at = response, time.monotonic()
    return response


def render_through_django(django: WSGIHandler, environ: dict) -> HttpResponse:
    """Django's own answer to this GET (a HEAD is asked as a GET, its body dropped on the way out),
    kept as a response object so that it can be served again."""
    environ = {**environ, "REQUEST_METHOD": "GET"}
    environ.pop("HTTP_IF_NONE_MATCH", None)
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        captured["status"], captured["headers"] = status, headers

    answer = django(environ, start_response)  # type: ignore[arg-type]
    try:
        body = b"".join(answer)
    finally:
        answer.close()  # as a server does: Django's request_finished runs
    response = HttpResponse(body, status=int(captured["status"].split(" ", 1)[0]))
    for name, value in captured["headers"]:
        if name.lower() == "set-cookie":
            response.cookies.load(value)
        else:
            response[name] = value
    return response
