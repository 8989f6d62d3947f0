"""The public hot paths answered before Django's stack (deskpilkada/fastpath.py) keep every rule:
the same answers as Django's views, the same rate limit, a wrong NIK and a wrong confirmation alike,
ETag / 304 / HEAD, and the held values dropped when a TPS, a contest, a paslon or a total changes."""

import io
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deskpilkada import testing
from deskpilkada.testing import MAYOR
from deskpilkada.tps.actions import relocate_tps
from deskpilkada.voters import keys
from deskpilkada.voters.demo import demo_voter_rows
from deskpilkada.voters.models import Voter

pytestmark = pytest.mark.usefixtures("connections_kept_open")

KOTA = "/api/v1/results/pilwalkot-bogor-2024/32.71"
PAGE = "/hasil/pilwalkot-bogor-2024/32.71/"
LOOKUP = "/api/v1/voters/lookup"


def fast(path: str, query: str = "", method: str = "GET", **headers: str) -> tuple[int, dict, bytes]:
    """The WSGI application a server runs (its fast path first), called as a server calls it."""
    from deskpilkada.wsgi import application

    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(),
        "wsgi.url_scheme": "http",
        **{"HTTP_" + k.upper(): v for k, v in headers.items()},
    }
    answer: dict = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(response_headers)

    body = b"".join(application(environ, start_response))
    return answer["status"], answer["headers"], body


@pytest.fixture
def voter(db):
    row = next(demo_voter_rows())
    return {"nik": row[0], "born": row[4], "tps": row[9]}


def old_lookup_body(nik: str) -> bytes:
    """The look-up's answer as the view built it before the fast path: the ORM rows, JsonResponse."""
    found = Voter.objects.select_related("tps__kelurahan__parent").get(nik_hash=keys.nik_hash(nik))
    tps, moved = found.tps, found.tps.relocation()
    body = {
        "tps_code": tps.code,
        "tps_number": tps.number,
        "address": tps.address,
        "kelurahan": tps.kelurahan.name,
        "kecamatan": tps.kelurahan.parent.name if tps.kelurahan.parent else "",
        "lat": tps.lat,
        "lon": tps.lon,
        "name_masked": found.name_masked,
        "relocated": {"from": moved.from_address, "at": moved.at.isoformat(), "reason": moved.reason}
        if moved
        else None,
    }
    return json.dumps(body, cls=DjangoJSONEncoder).encode()


def test_the_fast_lookup_answers_byte_for_byte_as_the_view_did(client, voter):
    query = f"nik={voter['nik']}&confirm={voter['born']}"
    status, headers, body = fast(LOOKUP, query)
    assert status == 200 and body == old_lookup_body(voter["nik"])
    django = client.get(f"{LOOKUP}?{query}")
    assert django.content == body and dict(django.items()) == headers
    assert headers["Cache-Control"] == "no-store"  # personal: never held by a proxy


@pytest.mark.parametrize("query", ["nik=9999999999999999&confirm=pem", "nik=12&confirm=pem", "confirm=pem"])
def test_every_other_lookup_answer_is_the_views_own(db, client, query):
    status, headers, body = fast(LOOKUP, query)
    django = client.get(f"{LOOKUP}?{query}")
    assert (status, body, headers) == (django.status_code, django.content, dict(django.items()))
    assert headers["Content-Type"].startswith("application/json")


def test_a_wrong_nik_and_a_wrong_confirmation_look_the_same_on_the_fast_path(voter):
    wrong_nik = fast(LOOKUP, f"nik=9999999999999999&confirm={voter['born']}")
    wrong_confirm = fast(LOOKUP, f"nik={voter['nik']}&confirm=1901-01-01")
    wrong_letters = fast(LOOKUP, f"nik={voter['nik']}&confirm=xyz")
    assert wrong_nik[0] == 404 and wrong_nik == wrong_confirm == wrong_letters


def test_the_fast_lookup_keeps_the_rate_limit(voter, settings):
    settings.VOTER_LOOKUP_LIMIT = 2
    query = f"nik={voter['nik']}&confirm={voter['born']}"
    assert [fast(LOOKUP, query)[0] for _ in range(2)] == [200, 200]
    status, headers, body = fast(LOOKUP, query)
    assert status == 429 and int(headers["Retry-After"]) >= 1
    assert "Terlalu banyak" in json.loads(body)["detail"]


def test_a_relocated_tps_is_seen_by_the_next_lookup(voter):
    query = f"nik={voter['nik']}&confirm={voter['born']}"
    assert json.loads(fast(LOOKUP, query)[2])["relocated"] is None
    relocate_tps(
        by=testing.operator(), tps=testing.tps(voter["tps"]), address="Balai RW 09 (uji)", lat=None, lon=None,
        reason="banjir", decided_by="PPS",
    )  # fmt: skip
    answer = json.loads(fast(LOOKUP, query)[2])
    assert answer["address"] == "Balai RW 09 (uji)" and answer["relocated"]["reason"] == "banjir"


@pytest.mark.parametrize("path", [KOTA, PAGE])
def test_the_fast_results_are_djangos_answer_with_an_etag(db, client, path):
    status, headers, body = fast(path)
    django = client.get(path)
    assert status == 200 and body == django.content
    assert headers == dict(django.items())
    assert headers["ETag"].startswith('"') and headers["Cache-Control"].startswith("public, max-age=")
    assert "Set-Cookie" not in headers and b"csrfmiddlewaretoken" not in body  # a CDN may hold it
    assert fast(path) == (status, headers, body)  # served again from what the worker holds


@pytest.mark.parametrize("path", [KOTA, PAGE])
def test_a_matching_if_none_match_is_answered_304_without_reading_the_totals(db, client, path):
    etag = fast(path)[1]["ETag"]
    with CaptureQueriesContext(connection) as queries:
        status, headers, body = fast(path, if_none_match=etag)
    assert status == 304 and body == b"" and headers["ETag"] == etag
    assert len(queries) == 1 and "regionvote" not in queries[0]["sql"]  # the version stamp only
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304  # Django's own view agrees


@pytest.mark.parametrize("path", [KOTA, PAGE])
def test_head_answers_the_headers_without_a_body(db, client, path):
    status, headers, body = fast(path, method="HEAD")
    assert status == 200 and body == b"" and headers["ETag"] == fast(path)[1]["ETag"]
    django = client.head(path)
    assert django.status_code == 200 and django["ETag"] == headers["ETag"]


def test_a_moved_total_is_seen_by_the_next_read(db):
    _status, before_headers, before = fast(KOTA)
    testing.make_counted("3271061002028", MAYOR)
    _status, headers, after = fast(KOTA)
    assert headers["ETag"] != before_headers["ETag"]
    assert json.loads(after)["valid"] > json.loads(before)["valid"]
    assert fast(KOTA, if_none_match=before_headers["ETag"])[0] == 200  # the old version is not 304


def test_a_renamed_paslon_is_seen_by_the_next_read(db):
    fast(KOTA)
    candidate = testing.contest(MAYOR).candidates.get(number=1)
    candidate.head_name = "Nama Baru Uji"
    candidate.save(update_fields=["head_name"])
    assert "Nama Baru Uji" in fast(KOTA)[2].decode()


def test_an_unknown_contest_or_region_gets_djangos_json_404(db, client):
    paths = ("/api/v1/results/tidak-ada/32.71", "/api/v1/results/pilwalkot-bogor-2024/11.01")
    answers = [fast(path) for path in paths]  # first: the test client reconnects close_old_connections
    for path, (status, headers, body) in zip(paths, answers, strict=True):
        assert status == 404 and headers["Content-Type"].startswith("application/json")
        assert body == client.get(path).content


def test_a_signed_in_users_page_is_rendered_by_django_with_its_menu(client_as):
    client = client_as("kpu")
    session = client.cookies["sessionid"].value
    status, _headers, body = fast(PAGE, cookie=f"sessionid={session}")
    assert status == 200 and b"Keluar" in body and b"csrfmiddlewaretoken" in body
    assert b"Keluar" not in fast(PAGE)[2]


def test_a_renamed_contest_is_seen_by_the_next_page(db):
    fast(PAGE)
    contest = testing.contest(MAYOR)
    contest.name = "Pemilihan Wali Kota Uji"
    contest.save(update_fields=["name"])
    assert "Pemilihan Wali Kota Uji" in fast(PAGE)[2].decode()
