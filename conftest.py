"""Shared test set-up: the clock stands at election night (ELECTION_NIGHT) for the whole run, the
database holds the small world of `deskpilkada.testing` (tests add their own rows with its `make_*`
helpers), and each role has a named persona. Tests of the full demo itself are marked `demo` and
run apart (`pytest -m demo`), on a database seeded with the whole demo; the browser tests start a
server with a demo database of their own."""

import datetime as dt
import os
import time
from zoneinfo import ZoneInfo

os.environ.setdefault("DESKPILKADA_DEV", "1")

import pytest

# The tests' "now": the sheets are coming in, nothing is final yet (deskpilkada/tally/demo.py).
ELECTION_NIGHT = dt.datetime(2024, 11, 27, 20, 0, tzinfo=ZoneInfo("Asia/Jakarta"))

# One persona per role, as seeded by the demo (deskpilkada/accounts/demo.py).
PERSONAS = {
    "admin": "admin.kesbangpol",
    "viewer": "sekda",
    "kpu": "operator.kpu",
    "ppk": "ppk.bogorbarat",
    "pps": "pps.kebonpedes",
    "kpps": "kpps.kebonpedes028",
    "bawaslu": "bawaslu",
    "security": "polresta",
    "bpbd": "bpbd",
    "health": "dinkes",
    "comms": "diskominfo",
    "civil": "bkpsdm",
    "camat": "camat.bogorbarat",
    "lurah": "lurah.kebonpedes",
    # Limited to the province, or to Kecamatan Bogor Barat.
    "admin_prov": "admin.jabar",
    "bawaslu_kec": "panwascam.bogorbarat",
    "security_kec": "polsek.bogorbarat",
    "health_kec": "puskesmas.bogorbarat",
    "hospital": "rs.rsudkotabogor",  # RSUD Kota Bogor's staff, in Kecamatan Bogor Barat
}


@pytest.fixture(scope="session", autouse=True)
def plain_static_storage():
    """Tests render templates without running collectstatic first."""
    from django.test import override_settings

    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        yield


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Passwords hashed with one cheap round in the tests (the settings' PBKDF2 takes a million, about
    half a second per user made or login checked); what is tested is who may sign in, not the hash."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def election_night_clock():
    """Every "now" of the app (clock.now()) is election night, the moment the demo data stands at."""
    from django.test import override_settings

    with override_settings(DEMO_NOW=ELECTION_NIGHT):
        yield


@pytest.fixture(autouse=True)
def fresh_rate_limits(request):
    """Rate-limit counters live in a table of the database (the "ratelimit" cache): a test's own
    counts roll back with its transaction; a transactional test's are cleared before and after."""
    if "transactional_db" not in request.fixturenames:
        yield
        return
    from django.core.cache import caches

    request.getfixturevalue("transactional_db")
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    from deskpilkada.desk.demo import seed
    from deskpilkada.testing import build_world

    demo = [item for item in request.session.items if item.get_closest_marker("demo")]
    whole_demo = bool(demo)
    if demo and any(not item.get_closest_marker("demo") for item in request.session.items):
        pytest.exit('Tests marked "demo" need the whole demo in the database: run them apart (pytest -m demo).', 4)
    with django_db_blocker.unblock():
        if whole_demo:
            seed(now=ELECTION_NIGHT)
        else:
            build_world()
        _sign_in_personas()


# A signed-in session per persona, made with the world (so kept through every test's rollback):
# `client_as` hands out its cookie instead of signing in again (a sign-in writes three rows).
WORLD_SESSIONS: dict[str, str] = {}
WORLD_SESSIONS_AT = 0.0


def _sign_in_personas() -> None:
    global WORLD_SESSIONS_AT
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from deskpilkada.accounts.models import User

    WORLD_SESSIONS_AT = time.time()
    for user in User.objects.filter(username__in=PERSONAS.values()):
        session = SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session["reauth_at"] = WORLD_SESSIONS_AT
        session.create()
        WORLD_SESSIONS[user.username] = session.session_key


@pytest.fixture
def persona(db):
    """persona("kpu") -> the demo user holding that role."""
    from deskpilkada.accounts.models import User

    def get(name: str):
        return User.objects.get(username=PERSONAS[name])

    return get


@pytest.fixture
def client_as(db, persona):
    """client_as("ppk") -> a test client signed in as that persona, with a fresh re-authentication."""
    from django.conf import settings
    from django.test import Client

    def make(name: str, fresh: bool = True) -> Client:
        client = Client()
        key = WORLD_SESSIONS.get(PERSONAS[name])
        if key and fresh and time.time() - WORLD_SESSIONS_AT < settings.REAUTH_MAX_AGE / 2:
            client.cookies[settings.SESSION_COOKIE_NAME] = key  # signed in with the world, re-authenticated then
            return client
        client.force_login(persona(name))
        if fresh:
            session = client.session
            session["reauth_at"] = time.time()
            session.save()
        return client

    return make


@pytest.fixture(autouse=True)
def fresh_process_caches():
    """What a worker keeps per process (memo.ProcessCache) starts empty in every test: a row made
    and rolled back by one test is never another test's."""
    from deskpilkada.memo import forget_process_caches

    forget_process_caches()
    yield
    forget_process_caches()


@pytest.fixture
def connections_kept_open():
    """For tests that call the WSGI application directly, not through Django's test client: like the
    client, keep a request (and the public fast path, deskpilkada/fastpath.py) from closing the
    test's database connection (inside the test's transaction PostgreSQL's
    connection looks unusable to `close_old_connections`, and the rest of the run would fail)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from deskpilkada import fastpath

    kept = fastpath.keep_connections
    fastpath.keep_connections = lambda: None
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    fastpath.keep_connections = kept
