import json
import threading

import pytest
from django.db import connection
from django.test import Client

from deskpilkada import testing
from deskpilkada.accounts.actions import create_api_token
from deskpilkada.tally import actions, rollup
from deskpilkada.tally.models import SheetVersion, TallySheet
from deskpilkada.tally.tests.conftest import KEBON_PEDES_028, MAYOR, make_sheet
from deskpilkada.testing import make_counted, make_held


def body(dpt: int, **changes) -> dict:
    flat = make_sheet(dpt).as_flat()
    data = {k: v for k, v in flat.items() if not k.startswith("paslon_")}
    data.update(
        {
            "kode_tps": KEBON_PEDES_028,
            "pemilihan": MAYOR,
            "paslon": {k.split("_")[1]: v for k, v in flat.items() if k.startswith("paslon_")},
        }
    )
    data.update(changes)
    return data


@pytest.fixture
def kpps_api(persona):
    _token, raw = create_api_token(by=None, user=persona("kpps"), name="aplikasi KPPS")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_sheet_posted_through_the_api_counts(kpps_api, tps028):
    response = kpps_api.post("/api/v1/tally-sheets", body(tps028.dpt), content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "counted" and data["versi"] == 1 and len(data["hash"]) == 64


def test_a_wrong_sheet_is_stored_as_held_with_named_problems(kpps_api, tps028):
    response = kpps_api.post(
        "/api/v1/tally-sheets", body(tps028.dpt, suara_tidak_sah=999), content_type="application/json"
    )
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "held"
    assert {"surat_suara_digunakan"} <= {p["field"] for p in data["problems"]}


def test_a_retry_with_the_same_idempotency_key_is_not_counted_twice(kpps_api, tps028):
    payload = body(tps028.dpt)
    first = kpps_api.post("/api/v1/tally-sheets", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = kpps_api.post("/api/v1/tally-sheets", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert SheetVersion.objects.filter(sheet__tps=tps028, sheet__contest__code=MAYOR).count() == 1
    other = kpps_api.post(
        "/api/v1/tally-sheets",
        body(tps028.dpt, suara_tidak_sah=11),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["detail"]


def test_a_retry_with_the_same_json_serialised_differently_replays_the_first_answer(kpps_api, tps028):
    payload = body(tps028.dpt)
    compact = json.dumps(payload, separators=(",", ":"))
    reordered = json.dumps(dict(reversed(payload.items())), indent=4)
    assert compact != reordered
    first = kpps_api.post("/api/v1/tally-sheets", compact, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2")
    again = kpps_api.post(
        "/api/v1/tally-sheets", reordered, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert SheetVersion.objects.filter(sheet__tps=tps028, sheet__contest__code=MAYOR).count() == 1


def test_an_idempotency_key_longer_than_120_characters_is_refused_naming_the_header(kpps_api, tps028):
    too_long = kpps_api.post(
        "/api/v1/tally-sheets", body(tps028.dpt), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k" * 121
    )
    assert too_long.status_code == 422
    assert [e["field"] for e in too_long.json()["errors"]] == ["Idempotency-Key"]
    assert not TallySheet.objects.filter(tps=tps028, contest__code=MAYOR).exists()
    longest = kpps_api.post(
        "/api/v1/tally-sheets", body(tps028.dpt), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k" * 120
    )
    assert longest.status_code == 201


def test_submit_once_refuses_a_key_longer_than_its_column_instead_of_truncating(persona):
    with pytest.raises(actions.Refused) as refused:
        actions.submit_once(user=persona("kpps"), key="k" * 121, body={}, submit=lambda: (201, {}))
    assert refused.value.field == "Idempotency-Key"


def test_a_kpps_cannot_post_for_another_tps(kpps_api):
    response = kpps_api.post(
        "/api/v1/tally-sheets", body(500, kode_tps="3271041001001"), content_type="application/json"
    )
    assert response.status_code == 403


def test_results_api_has_the_documented_shape_and_accepts_both_code_forms(client, db):
    from deskpilkada.tps.models import Tps

    for code in ("3271041001001", "3271061002027", "3271011001001"):
        make_counted(code)
    make_counted("3271041001002", votes=(10, 20, 30, 40, 50))
    make_held("3271031002001")
    data = client.get(f"/api/v1/results/{MAYOR}/3271").json()
    assert client.get(f"/api/v1/results/{MAYOR}/32.71").json() == data
    assert set(data) >= {
        "contest",
        "region",
        "tps",
        "dpt",
        "voters",
        "valid",
        "invalid",
        "turnout",
        "paslon",
        "children",
    }
    assert data["region"] == {"code": "32.71", "name": "Kota Bogor", "level": 2}
    assert set(data["tps"]) == {"total", "counted", "verified", "held"}
    assert data["tps"] == {"total": Tps.objects.count(), "counted": 4, "verified": 0, "held": 1}
    assert data["tps"]["total"] == sum(len(numbers) for numbers in testing.WORLD_TPS.values()) == 11
    assert data["valid"] == 3 * 230 + 150
    assert sum(p["votes"] for p in data["paslon"]) == data["valid"]
    assert sum(c["valid"] for c in data["children"]) == data["valid"]
    kel = client.get(f"/api/v1/results/{MAYOR}/3271041001").json()
    assert all(len(c["code"]) == 13 for c in kel["children"])
    assert sum(c["tps"]["counted"] for c in kel["children"]) == kel["tps"]["counted"] == 2


def test_the_public_results_move_at_once_after_a_sheet(client, kpps_api, tps028):
    make_counted("3271061002027")
    before = client.get(f"/api/v1/results/{MAYOR}/32.71.06").json()
    kpps_api.post("/api/v1/tally-sheets", body(tps028.dpt), content_type="application/json")
    after = client.get(f"/api/v1/results/{MAYOR}/32.71.06").json()
    assert before["tps"]["counted"] == 1
    assert after["tps"]["counted"] == before["tps"]["counted"] + 1
    assert after["valid"] == before["valid"] + 230


needs_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL")


@pytest.fixture
def undo_commits(django_db_blocker):
    """Threads with connections of their own commit for real. Afterwards (once the test's own
    transaction has rolled back) every row added meanwhile is taken out again, triggers off for
    the cleaning connection alone (the audit log is append-only), so that the small world stays
    uncounted for the tests after; the audit chain's head is put back with them. Ask for it before
    any fixture that opens the database."""
    from django.apps import apps
    from django.db import models, transaction

    from deskpilkada.audit import chain
    from deskpilkada.tally import rollup

    tables = [
        (m._meta.db_table, m._meta.pk.column)
        for m in apps.get_models(include_auto_created=True)
        if isinstance(m._meta.pk, models.AutoField)  # BigAutoField and SmallAutoField too
    ]
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        top = {}
        for table, pk in tables:
            cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')  # noqa: S608 (model tables)
            top[table] = cursor.fetchone()[0]
        head = chain.head()
    yield
    with django_db_blocker.unblock(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for table, pk in tables:
            cursor.execute(f'DELETE FROM "{table}" WHERE "{pk}" > %s', [top[table]])  # noqa: S608 (model tables)
        cursor.execute("UPDATE audit_auditchainhead SET entry_id = %s, hash = %s WHERE id = 1", list(head))
    rollup._READY.clear()  # the threads' commits marked the roll-up rows just removed as made


def committed(work):
    """Run `work` on a connection of its own and commit it, as another request would."""
    from django.db import connections

    out: list = []

    def run():
        try:
            out.append(work())
        except Exception as exc:  # handed to the test below
            out.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert out, "the committing thread did not finish"
    if isinstance(out[0], Exception):
        raise out[0]
    return out[0]


@needs_postgres
def test_concurrent_retries_with_one_key_store_one_version(undo_commits, persona, mayor):
    """Real concurrency: threads with their own connections commit for real (the data stays consistent)."""
    from django.db import connections

    from deskpilkada.tps.models import Tps

    # A TPS with no C.Hasil of this contest yet, so the first is a first entry.
    user, tps = persona("kpps"), Tps.objects.exclude(sheets__contest=mayor).order_by("code").first()
    answers, barrier = [], threading.Barrier(4)

    def submit():
        version = actions.submit_sheet(by=user, tps=tps, contest=mayor, sheet=make_sheet(tps.dpt), source="api")
        return 201, {"hash": version.hash}

    def worker():
        try:
            barrier.wait()
            answers.append(actions.submit_once(user=user, key="race-key", body={"same": 1}, submit=submit))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert len(answers) == 4 and len({body["hash"] for _status, body in answers}) == 1
    assert SheetVersion.objects.filter(sheet__tps=tps, sheet__contest=mayor).count() == 1
    assert TallySheet.objects.get(tps=tps, contest=mayor).status == "counted"


@needs_postgres
def test_two_operators_correcting_at_once_never_lose_an_update(undo_commits, persona, mayor):
    from django.db import connections

    # A sheet committed before the test: this test's own transaction must hold no lock the threads need.
    tps = testing.tps("3271031002001")
    sheet = committed(lambda: make_counted(tps.code).sheet)
    base = sheet.version_count
    assert (base, TallySheet.objects.get(pk=sheet.pk).status) == (1, "counted")
    outcomes, barrier = [], threading.Barrier(2)

    def correct(user, votes):
        try:
            barrier.wait()
            actions.submit_sheet(
                by=user,
                tps=tps,
                contest=mayor,
                sheet=make_sheet(tps.dpt, votes=votes),
                source="manual",
                reason="koreksi",
                expected_version=base,
            )
            outcomes.append("saved")
        except actions.Stale:
            outcomes.append("stale")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=correct, args=(persona("kpu"), (61, 60, 60, 20, 29))),
        threading.Thread(target=correct, args=(persona("ppk"), (50, 71, 60, 20, 29))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert sorted(outcomes) == ["saved", "stale"]
    assert TallySheet.objects.get(pk=sheet.pk).version_count == base + 1


@needs_postgres
def test_many_workers_counting_one_kecamatan_never_deadlock(undo_commits, persona, mayor):
    """Sheets of one kecamatan share its, the city's and the province's total rows."""
    from django.db import connections

    user = persona("kpu")
    # Twenty-four TPS of Bogor Barat in three kelurahan, committed before the workers start.
    villages = ["32.71.04.1001"] * 8 + ["32.71.04.1002"] * 8 + ["32.71.04.1003"] * 8
    free = committed(lambda: [testing.make_tps(village) for village in villages])
    errors, barrier = [], threading.Barrier(6)

    def worker(chunk):
        try:
            barrier.wait()
            for tps in chunk:
                actions.submit_sheet(by=user, tps=tps, contest=mayor, sheet=make_sheet(tps.dpt), source="api")
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(free[i::6],)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert TallySheet.objects.counted().filter(contest=mayor, tps__in=free).count() == 24
    assert rollup.recount_differences(mayor) == []


def test_a_batch_stores_each_sheet_through_the_action_and_reports_the_refused(persona, tps028):
    from deskpilkada.accounts.actions import create_api_token

    _token, raw = create_api_token(by=None, user=persona("ppk"), name="rekap kecamatan")
    c = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    from deskpilkada.tps.models import Tps

    testing.make_tps("32.71.04.1002")  # a third TPS in Bogor Barat, in another kelurahan
    mine = list(Tps.objects.filter(code__startswith="327104").exclude(sheets__contest__code=MAYOR).order_by("code")[:3])
    assert len(mine) == 3
    items = [body(t.dpt, kode_tps=t.code) for t in mine] + [body(tps028.dpt)]  # the last is outside Bogor Barat
    first = c.post("/api/v1/tally-sheets/batch", items, content_type="application/json", HTTP_IDEMPOTENCY_KEY="b-1")
    data = first.json()
    assert first.status_code == 200 and (data["stored"], data["refused"]) == (3, 1)
    assert [i["ok"] for i in data["items"]] == [True, True, True, False] and "403" not in data["items"][3]["error"]
    again = c.post("/api/v1/tally-sheets/batch", items, content_type="application/json", HTTP_IDEMPOTENCY_KEY="b-1")
    assert again.json() == data
    assert SheetVersion.objects.filter(sheet__tps__in=mine, sheet__contest__code=MAYOR).count() == 3
