"""Security findings of the outside probe (finding 7): shared rate limits, the Content-Security-
Policy and pages that pass it, strong secrets in production, one log line per refused request."""

import io
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connection
from django.test import override_settings
from django.urls import path

from deskpilkada import ratelimit
from deskpilkada import urls as project_urls
from deskpilkada.accounts.access import public
from deskpilkada.desk import checks
from deskpilkada.desk.middleware import content_security_policy, tile_source

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = sorted((ROOT / "deskpilkada").glob("**/templates/**/*.html"))

# --- rate limits ------------------------------------------------------------------------------


def two_clients():
    """Two cache handlers of their own on the rate-limit table, as two server processes hold."""
    return (
        ratelimit.DatabaseCache("deskpilkada_ratelimit", {}),
        ratelimit.DatabaseCache("deskpilkada_ratelimit", {}),
    )


def test_two_cache_clients_on_the_table_share_one_limit(db):
    a, b = two_clients()
    assert a is not b
    answers = [ratelimit.hit("lookup:10.1.1.1", limit=3, window=60, cache=c) for c in (a, b, a, b, a)]
    assert answers[:3] == [0, 0, 0]
    assert all(1 <= wait <= 60 for wait in answers[3:])


def test_the_window_is_not_stretched_by_requests_inside_it(db):
    cache = caches["ratelimit"]
    cache.add("k", 1, 60)

    def expires():
        with connection.cursor() as cursor:
            cursor.execute("SELECT expires FROM deskpilkada_ratelimit WHERE cache_key = %s", [cache.make_key("k")])
            return cursor.fetchone()[0]

    before = expires()
    assert cache.incr("k") == 2 and cache.incr("k", 5) == 7
    assert expires() == before and cache.get("k") == 7


def test_an_expired_counter_is_not_incremented(db):
    cache = caches["ratelimit"]
    cache.set("gone", 5, -1)
    with pytest.raises(ValueError):
        cache.incr("gone")
    assert cache.add("gone", 1, 60) and cache.get("gone") == 1


def test_the_retry_after_is_the_rest_of_the_window(db):
    assert ratelimit.hit("lookup:10.1.1.2", limit=1, window=30) == 0
    wait = ratelimit.hit("lookup:10.1.1.2", limit=1, window=30)
    assert 29 <= wait <= 30


COUNTER = """
import os, sys
import django
django.setup()
from deskpilkada import ratelimit
from deskpilkada import urls as project_urls
for _ in range(int(sys.argv[1])):
    ratelimit.hit("shared", limit=10**9, window=600)
"""


def test_two_server_processes_lose_no_count(tmp_path):
    """Two processes at once on one SQLite file: every request is counted (the stock database
    cache's read-then-write incr() loses some of them)."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DESKPILKADA_DEV": "1",
        "DESKPILKADA_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "deskpilkada.settings",
    }
    cli = [sys.executable, "-m", "deskpilkada"]
    subprocess.run([*cli, "createcachetable"], env=env, cwd=ROOT, check=True)
    script = tmp_path / "count.py"
    script.write_text(COUNTER)
    workers = [subprocess.Popen([sys.executable, str(script), "150"], env=env, cwd=ROOT) for _ in range(2)]
    assert [w.wait(120) for w in workers] == [0, 0]
    out = subprocess.run(
        [
            *cli,
            "shell",
            "-v",
            "0",
            "-c",
            "from django.core.cache import caches; print(caches['ratelimit'].get('rl:shared'))",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "300"


# --- Content-Security-Policy -------------------------------------------------------------------


def directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


@pytest.mark.parametrize(
    "url", ["/cek-tps/", "/masuk/", "/hasil/", "/api/docs", "/api/v1/voters/lookup?nik=1&confirm=x"]
)
def test_every_answer_carries_the_policy(client, db, url):
    policy = directives(client.get(url)["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"] and policy["connect-src"] == ["'self'"]


def test_a_signed_in_page_carries_the_policy(client_as):
    assert "script-src 'self'" in client_as("admin").get("/")["Content-Security-Policy"]


def test_the_map_tile_server_is_allowed_for_images_only(settings):
    settings.MAP_TILE_URL = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    policy = directives(content_security_policy())
    assert policy["img-src"] == ["'self'", "data:", "blob:", "https://*.tile.example.org"]
    assert policy["connect-src"] == ["'self'"] and policy["script-src"] == ["'self'"]


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://tiles.example.go.id/{z}/{x}/{y}.png", "https://tiles.example.go.id"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://10.0.0.5:8080/tiles/{z}/{x}/{y}.png", "http://10.0.0.5:8080"),
        ("https://t{s}.example.org/{z}/{x}/{y}.png", "https:"),
        ("/tiles/{z}/{x}/{y}.png", None),
    ],
)
def test_a_tile_server_becomes_one_source(url, source):
    assert tile_source(url) == source


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=|<style\b", re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "deskpilkada")))
def test_no_template_carries_inline_script_or_style(template):
    text = template.read_text()
    assert not INLINE_SCRIPT.findall(text), "an inline <script>: move it to a static file"
    assert not EVENT_HANDLER.findall(text), "an inline event handler: use a data- attribute and desk.js"
    assert "javascript:" not in text.lower()
    assert not INLINE_STYLE.findall(text), "an inline style: use a class of desk.css"


def test_the_template_check_sees_what_it_looks_for():
    assert INLINE_SCRIPT.findall('<script>deskMap.single(x)</script><script src="a.js"></script>') == ["<script>"]
    assert not INLINE_SCRIPT.findall('<script type="application/json" id="d">{}</script>')
    assert EVENT_HANDLER.findall('<button onclick="go()">') and not EVENT_HANDLER.findall('<a data-confirm="x">')
    assert INLINE_STYLE.findall('<div style="width: 4%">') and not INLINE_STYLE.findall('<div class="style-x">')
    assert len(TEMPLATES) > 40


# --- secrets in production -------------------------------------------------------------------

STRONG = {
    "DEBUG": False,
    "DEV_MODE": False,
    "SECRET_KEY": "k7Qw-9zR2_pL4vX8nB1cY6tH3mJ0sD5fG8aE2uI7oP4rT1wQ9zX",
    "NIK_HASH_SECRET": "n4Vb8Kq2Lz7Xw1Rt5Yp9Hs3Dm6Fg0Jc2",
    "TALLY_SIGNING_KEY": "Dkr2bVqHcY1pL8mQ0tZs7wXe3nR5aJ9uF6gK4iO2yTs=",
}


def ids_of(**overrides) -> list[str]:
    with override_settings(**{**STRONG, **overrides}):
        return [e.id for e in checks.secret_errors()]


def test_strong_secrets_pass():
    assert ids_of() == []


@pytest.mark.parametrize(
    "secret",
    ["x", "short-but-not-one-character", "a" * 40, "abababababababababababababababab", "dev-only-nik-secret"],
)
def test_a_weak_nik_hash_secret_is_refused_in_production(secret):
    assert ids_of(NIK_HASH_SECRET=secret) == ["deskpilkada.E001"]


def test_the_nik_hash_secret_must_differ_from_the_secret_key():
    assert ids_of(NIK_HASH_SECRET=STRONG["SECRET_KEY"]) == ["deskpilkada.E001"]


def test_the_public_development_secret_key_is_refused_in_production():
    from deskpilkada import settings as project

    assert ids_of(SECRET_KEY=project._DEV_SECRET) == ["deskpilkada.E002"]
    assert ids_of(SECRET_KEY="x" * 60) == ["deskpilkada.E002"]


@pytest.mark.parametrize("key", ["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "c2hvcnQ=", "not base64 at all!"])
def test_a_weak_tally_signing_key_is_refused_in_production(key):
    assert ids_of(TALLY_SIGNING_KEY=key) == ["deskpilkada.E003"]


def test_development_may_use_the_public_secrets():
    assert ids_of(DEV_MODE=True, NIK_HASH_SECRET="x") == []


def test_the_server_refuses_to_start_with_a_weak_secret():
    with override_settings(**{**STRONG, "NIK_HASH_SECRET": "x"}), pytest.raises(ImproperlyConfigured, match="E001"):
        checks.refuse_weak_secrets()


# --- one log line per refused request --------------------------------------------------------


@public
def refuses(request):
    raise PermissionDenied("outside the user's area")


@public
def breaks(request):
    raise RuntimeError("a bug")


# The project's URLs (its error pages link to them) and two views that fail on purpose.
urlpatterns = [path("refuses/", refuses), path("breaks/", breaks), *project_urls.urlpatterns]
handler403 = project_urls.handler403


def request_records(caplog):
    return [r for r in caplog.records if r.name == "django.request"]


def test_a_403_logs_one_line_without_a_traceback(client_as, persona, caplog):
    caplog.set_level(logging.WARNING)
    assert client_as("kpps").get("/tps/3271041001001/").status_code == 403
    records = request_records(caplog)
    assert len(records) == 1
    assert "\n" not in caplog.handler.format(records[0]) and "Traceback" not in caplog.text
    assert records[0].exc_info is None
    line = records[0].getMessage()
    assert line == (
        f"Forbidden (Permission denied): /tps/3271041001001/ (GET, user {persona('kpps').pk}, capability tps.view)"
    )


@pytest.mark.urls(__name__)
def test_a_403_line_gives_the_reason(client, db, caplog):
    caplog.set_level(logging.WARNING)
    assert client.post("/refuses/").status_code == 403
    (record,) = request_records(caplog)
    assert record.getMessage() == "Forbidden (Permission denied): /refuses/ (POST, user -: outside the user's area)"
    assert record.exc_info is None


@pytest.mark.urls(__name__)
def test_a_500_still_logs_its_traceback(db, caplog):
    from django.test import Client

    caplog.set_level(logging.WARNING)
    assert Client(raise_request_exception=False).get("/breaks/").status_code == 500
    (record,) = request_records(caplog)
    assert record.exc_info is not None and "RuntimeError: a bug" in caplog.text and "Traceback" in caplog.text


def test_a_suspicious_request_is_one_line_on_the_console(client, db):
    from deskpilkada.desk.logfilters import OneLineClientErrors

    console = next(
        h for h in logging.getLogger().handlers if any(isinstance(f, OneLineClientErrors) for f in h.filters)
    )
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    finally:
        console.setStream(previous)
    assert stream.getvalue().count("\n") == 1 and "Traceback" not in stream.getvalue()
    assert "Invalid HTTP_HOST header: 'evil.example'" in stream.getvalue() and "(GET, user -" in stream.getvalue()
