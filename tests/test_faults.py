"""Faults survived: the server killed in the middle of a batch of C.Hasil submissions loses no
answered sheet and leaves none half-written; the database out of reach for a moment gives a clear
503 (JSON on the API, a plain Indonesian page on the web) and the app recovers by itself.

Real processes: granian serving a desk of its own (deskpilkada/testing_desk.py), a SQLite file
database for the kill; for the outage SQLite (a lock held past the busy timeout) and, when the
suite runs on PostgreSQL, a scratch database whose connections are cut (pg_terminate_backend:
the shared server itself is never restarted)."""

from __future__ import annotations

import json
import math
import queue
import sqlite3
import threading
import urllib.error
import urllib.request
from typing import Any

import pytest
from django.db import connection

from deskpilkada.testing_desk import Desk, kill


def sheet_body(code: str, contest: str, dpt: int) -> dict:
    voters = math.floor(dpt * 0.6)
    invalid = voters // 40
    valid = voters - invalid
    candidates = 5 if contest.startswith("pilwalkot") else 4
    each = valid // candidates
    votes = {str(n): each for n in range(1, candidates + 1)}
    votes["1"] += valid - each * candidates
    received = math.ceil(dpt * 1.025)
    return {
        "kode_tps": code,
        "pemilihan": contest,
        "dpt": dpt,
        "dptb": 0,
        "dpk": 0,
        "pengguna_dpt": voters,
        "pengguna_dptb": 0,
        "pengguna_dpk": 0,
        "surat_suara_diterima": received,
        "surat_suara_digunakan": voters,
        "surat_suara_rusak": 0,
        "surat_suara_sisa": received - voters,
        "suara_sah": valid,
        "suara_tidak_sah": invalid,
        "paslon": votes,
    }


def post(base: str, path: str, body, token: str, key: str = "", timeout: float = 30) -> tuple[int, dict, Any]:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(base + path, json.dumps(body).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read()), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}"), exc.headers


def get(base: str, path: str, token: str = "") -> tuple[int, str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(base + path, headers=headers), timeout=30) as r:
            return r.status, r.read().decode(), r.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), exc.headers


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """A SQLite desk with the world and 25 more TPS: 72 sheets to send."""
    the_desk = Desk(tmp_path_factory.mktemp("faults"))
    the_desk.command("migrate", "-v0")
    the_desk.command("collectstatic", "--noinput", "-v0")  # the pages name their hashed static files
    world = the_desk.json("deskpilkada.testing_desk", "world", "25")
    yield the_desk, world
    the_desk.close()


def test_a_server_killed_mid_batch_keeps_every_answered_sheet_and_half_writes_none(desk):
    the_desk, world = desk
    token, pairs = world["token"], world["pairs"]
    assert len(pairs) >= 70
    answered: dict[str, str] = {}  # idempotency key -> hash of the stored version, as answered
    unexpected: list = []
    lock, killed = threading.Lock(), threading.Event()
    jobs: queue.Queue = queue.Queue()
    for code, contest, dpt in pairs:
        jobs.put((code, contest, dpt))

    with the_desk.server() as (base, proc):

        def sender() -> None:
            while not killed.is_set():
                try:
                    code, contest, dpt = jobs.get_nowait()
                except queue.Empty:
                    return
                key = f"{code}:{contest}"
                try:
                    status, body, _h = post(base, "/api/v1/tally-sheets", sheet_body(code, contest, dpt), token, key)
                except OSError:
                    continue  # in flight when the server died: no answer
                with lock:
                    if status != 201:
                        unexpected.append((key, status, body))
                        continue
                    answered[key] = body["hash"]
                    if len(answered) >= 20 and not killed.is_set():
                        killed.set()
                        kill(proc)  # SIGKILL while the other senders' requests are in flight

        threads = [threading.Thread(target=sender) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    assert not unexpected and killed.is_set() and 20 <= len(answered) < len(pairs)

    after = the_desk.json("deskpilkada.testing_desk", "check")
    for key, digest in answered.items():
        assert after["sheets"].get(key) == [digest, 1], f"answered sheet {key} lost or changed"
    assert after["sheets_without_latest"] == 0 and after["versions_without_votes"] == []
    assert after["versions"] == len(after["sheets"])  # one version per sheet: none half-written
    recount = the_desk.command("recount_tally")  # exit code 1 on any difference
    assert recount.stdout.count("total sama dengan hitung ulang") == 2, recount.stdout

    # After the restart every sheet is sent again with its key: the answered ones are replayed, the
    # others stored; nothing counts twice.
    with the_desk.server() as (base, _proc):
        for code, contest, dpt in pairs:
            key = f"{code}:{contest}"
            status, body, _h = post(base, "/api/v1/tally-sheets", sheet_body(code, contest, dpt), token, key)
            assert status == 201, (status, body)
            if key in answered:
                assert body["hash"] == answered[key]
    final = the_desk.json("deskpilkada.testing_desk", "check")
    assert len(final["sheets"]) == len(pairs) and final["versions"] == len(pairs)
    assert all(count == 1 for _h, count in final["sheets"].values())
    assert the_desk.command("recount_tally").stdout.count("total sama dengan hitung ulang") == 2
    assert "Rantai utuh" in the_desk.command("verify_tally_chain").stdout
    assert "Rantai audit utuh" in the_desk.command("verify_audit_chain").stdout


def test_a_sqlite_database_out_of_reach_answers_503_and_recovers_by_itself(desk):
    the_desk, world = desk
    token = world["token"]
    code, contest, dpt = world["pairs"][0]
    the_desk.env["DB_BUSY_TIMEOUT"] = "1"  # a writer gives up after one second
    with the_desk.server() as (base, _proc):
        browser = Browser(base, "/masuk/")
        holder = sqlite3.connect(the_desk.sqlite_path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")  # another process holds the database past the busy timeout
        try:
            status, body, headers = post(
                base, "/api/v1/tally-sheets", {**sheet_body(code, contest, dpt), "alasan": "uji"}, token, "outage-1"
            )
            assert status == 503 and headers.get("Retry-After") == "5"
            assert "Basis data sedang tidak dapat dihubungi" in body["detail"] and body["errors"] == []
            status, page = browser.post({"username": "operator.kpu", "password": "salah-sekali"})
            assert status == 503 and "Sementara tidak tersedia" in page and "<html" in page
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        status, body, _h = post(
            base, "/api/v1/tally-sheets", sheet_body(code, contest, dpt), token, f"{code}:{contest}"
        )
        assert status == 201, body
        assert get(base, "/hasil/")[0] == 200


class Browser:
    """A web form as a browser posts it: the page first (its CSRF cookie and token), then the post."""

    def __init__(self, base: str, path: str):
        import http.cookiejar
        import re

        self.url = base + path
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.opener.open(self.url, timeout=30).read().decode()
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def post(self, data: dict) -> tuple[int, str]:
        import urllib.parse

        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.token}).encode()
        request = urllib.request.Request(self.url, body, {"Referer": self.url})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL connections are cut when the suite runs on it"
)
def test_postgresql_connections_cut_answer_503_and_the_app_recovers_by_itself(tmp_path):
    the_desk = Desk(tmp_path, postgres=True)
    try:
        the_desk.command("migrate", "-v0")
        the_desk.command("collectstatic", "--noinput", "-v0")
        world = the_desk.json("deskpilkada.testing_desk", "world", "0")
        with the_desk.server() as (base, _proc):
            assert get(base, "/api/v1/elections", world["token"])[0] == 200
            assert get(base, "/hasil/")[0] == 200
            assert the_desk.terminate_connections() >= 1
            answers = [get(base, "/api/v1/elections", world["token"]) for _ in range(4)]
            assert answers[0][0] == 503 and "Basis data sedang tidak dapat dihubungi" in answers[0][1]
            assert answers[-1][0] == 200, [a[0] for a in answers]
            the_desk.terminate_connections()
            pages = [get(base, "/hasil/") for _ in range(4)]
            assert pages[0][0] == 503 and "Sementara tidak tersedia" in pages[0][1]
            assert pages[-1][0] == 200
    finally:
        the_desk.close()
