"""The C.Hasil ingest's fast path keeps the rules: what it keeps per process is dropped when a
contest, paslon, TPS, token or role changes; every sheet still gets its audit row and chain link;
the statements per sheet stay few."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from deskpilkada import testing
from deskpilkada.accounts.actions import create_api_token, revoke_api_token, revoke_role
from deskpilkada.accounts.models import RoleAssignment
from deskpilkada.audit import chain as audit_chain
from deskpilkada.audit.models import AuditEntry
from deskpilkada.elections.actions import save_candidate, save_contest
from deskpilkada.regions.models import Region
from deskpilkada.tally import chain, rollup
from deskpilkada.tally.models import SheetVersion, TallySheet
from deskpilkada.tally.tests.conftest import KEBON_PEDES_028, MAYOR
from deskpilkada.tally.tests.test_tally_api import body
from deskpilkada.tps.actions import update_tps

SHEETS = "/api/v1/tally-sheets"

# The statements of one first entry with an Idempotency-Key once the worker is warm (see
# docs/ARCHITECTURE.md, "The C.Hasil ingest"): the key claimed, the TPS read (not yet kept), the
# sheet row made and locked, the version, its votes, the sheet moved to it, the two roll-up
# UPDATEs, the finalised-recap check, the audit chain head and the audit row, the key's answer;
# inside a test's transaction a savepoint and its release stand for BEGIN and COMMIT.
MOST_STATEMENTS_PER_SHEET = 14


@pytest.fixture
def kpps(persona):
    _token, raw = create_api_token(by=None, user=persona("kpps"), name="aplikasi KPPS")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client, data, key):
    return client.post(SHEETS, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)


def correction(tps, **changes):
    return body(tps.dpt, alasan="salah tulis", **changes)


def test_a_paslon_added_after_a_sheet_is_asked_for_in_the_next_one(kpps, tps028, mayor):
    assert post(kpps, body(tps028.dpt), "c-1").status_code == 201
    save_candidate(by=None, contest=mayor, number=6, head_name="Calon Enam", deputy_name="Wakil Enam")
    answer = post(kpps, correction(tps028), "c-2")
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "paslon_6", "message": "Suara paslon 6 wajib diisi."}]


def test_a_tps_whose_dpt_changed_is_checked_against_the_new_dpt(kpps, tps028):
    assert post(kpps, body(tps028.dpt), "t-1").json()["status"] == "counted"
    update_tps(by=None, tps=tps028, expected_version=tps028.version, dpt_male=tps028.dpt_male + 40)
    answer = post(kpps, correction(tps028), "t-2").json()
    assert answer["status"] == "held" and "dpt" in {p["field"] for p in answer["problems"]}


def test_a_contest_moved_to_another_region_refuses_the_tps_it_no_longer_covers(kpps, tps028, mayor):
    assert post(kpps, body(tps028.dpt), "r-1").status_code == 201
    save_contest(by=None, code=MAYOR, region=Region.objects.get(code="32.71.04"))
    answer = post(kpps, correction(tps028), "r-2")
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "kode_tps"


def test_a_revoked_token_is_refused_at_once(persona, tps028):
    token, raw = create_api_token(by=None, user=persona("kpps"), name="aplikasi KPPS")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert post(client, body(tps028.dpt), "v-1").status_code == 201
    revoke_api_token(by=None, token=token)
    assert post(client, correction(tps028), "v-2").status_code == 401


def test_a_revoked_role_is_refused_at_once(persona, kpps, tps028):
    assert post(kpps, body(tps028.dpt), "g-1").status_code == 201
    for assignment in RoleAssignment.objects.filter(user=persona("kpps")):
        revoke_role(by=None, assignment=assignment)
    assert post(kpps, correction(tps028), "g-2").status_code == 403


def test_every_sheet_gets_its_audit_row_and_chain_link(persona, mayor):
    _token, raw = create_api_token(by=None, user=persona("ppk"), name="rekap kecamatan")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    tps = [testing.make_tps("32.71.04.1002") for _ in range(3)]
    for t in tps:
        assert post(client, body(t.dpt, kode_tps=t.code), f"a-{t.code}").status_code == 201
    sheets = TallySheet.objects.filter(contest=mayor, tps__in=tps)
    assert sheets.count() == 3
    for sheet in sheets:
        assert AuditEntry.objects.filter(
            action="tally.sheet_counted", target_type="tally.tallysheet", target_id=str(sheet.pk)
        ).exists()
        assert SheetVersion.objects.get(sheet=sheet).prev_hash == chain.genesis(MAYOR, sheet.tps.code)
    assert chain.verify_chain(mayor)[1] is None
    assert audit_chain.verify().ok
    assert rollup.recount_differences(mayor) == []


def test_one_sheet_costs_a_bounded_number_of_statements(persona, mayor, django_capture_on_commit_callbacks):
    _token, raw = create_api_token(by=None, user=persona("ppk"), name="rekap kecamatan")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    first, second = testing.make_tps("32.71.04.1002"), testing.make_tps("32.71.04.1002")
    with django_capture_on_commit_callbacks(execute=True):  # the worker warms up, as after a commit
        assert post(client, body(first.dpt, kode_tps=first.code), "q-1").status_code == 201
    with CaptureQueriesContext(connection) as queries:
        answer = post(client, body(second.dpt, kode_tps=second.code), "q-2")
    assert answer.status_code == 201
    assert len(queries) <= MOST_STATEMENTS_PER_SHEET, "\n".join(q["sql"][:100] for q in queries)


def test_a_retried_sheet_counts_once_and_costs_no_write(kpps, tps028, mayor):
    first = post(kpps, body(tps028.dpt), "once")
    with CaptureQueriesContext(connection) as queries:
        again = post(kpps, body(tps028.dpt), "once")
    assert again.status_code == 201 and again.json() == first.json()
    assert SheetVersion.objects.filter(sheet__tps=tps028, sheet__contest=mayor).count() == 1
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "DELETE"))]
    assert tps028.code == KEBON_PEDES_028


BATCH = "/api/v1/tally-sheets/batch"


@pytest.fixture
def ppk(persona):
    _token, raw = create_api_token(by=None, user=persona("ppk"), name="rekap kecamatan")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_batch_answers_each_sheet_as_a_single_sheet_would(ppk, mayor):
    single, batched = (
        [testing.make_tps("32.71.04.1002") for _ in range(2)],
        [testing.make_tps("32.71.04.1002") for _ in range(2)],
    )
    wrong = {"suara_tidak_sah": 999}
    one = [post(ppk, body(single[0].dpt, kode_tps=single[0].code), "s-1").json()]
    one.append(post(ppk, body(single[1].dpt, kode_tps=single[1].code, **wrong), "s-2").json())
    items = [body(batched[0].dpt, kode_tps=batched[0].code), body(batched[1].dpt, kode_tps=batched[1].code, **wrong)]
    many = ppk.post(BATCH, items, content_type="application/json", HTTP_IDEMPOTENCY_KEY="b-same").json()["items"]
    assert [(i["status"], i["problems"], i["versi"]) for i in many] == [
        (i["status"], i["problems"], i["versi"]) for i in one
    ]
    assert all(i["ok"] for i in many)


def test_a_batch_refuses_in_place_what_cannot_be_stored_and_keeps_every_rule(ppk, persona, mayor):
    tps = [testing.make_tps("32.71.04.1002") for _ in range(4)]
    frozen = testing.make_tps("32.71.05.1001") if Region.objects.filter(code="32.71.05.1001").exists() else None
    assert post(ppk, body(tps[0].dpt, kode_tps=tps[0].code), "pre").status_code == 201
    items = [
        body(tps[0].dpt, kode_tps=tps[0].code),  # a correction without a reason
        body(tps[0].dpt, kode_tps=tps[0].code, alasan="salah tulis", suara_tidak_sah=12),  # the same TPS again
        body(tps[1].dpt, kode_tps=tps[1].code, versi=3),  # stale
        body(tps[2].dpt, kode_tps=tps[2].code, paslon={"1": 1, "2": 2, "3": 3, "4": 4}),  # a paslon missing
        body(tps[3].dpt, kode_tps=tps[3].code),
        body(tps[3].dpt, kode_tps="3271061002028"),  # outside Bogor Barat
    ]
    answer = ppk.post(BATCH, items, content_type="application/json", HTTP_IDEMPOTENCY_KEY="b-mixed").json()
    got = [(i["ok"], i.get("versi"), i.get("status")) for i in answer["items"]]
    assert got == [
        (False, None, None),
        (True, 2, "held"),
        (False, None, None),
        (False, None, None),
        (True, 1, "counted"),
        (False, None, None),
    ]
    assert "alasan" in answer["items"][0]["error"] and "versi 0" in answer["items"][2]["error"]
    assert "paslon 5" in answer["items"][3]["error"] and (answer["stored"], answer["refused"]) == (2, 4)
    assert chain.verify_chain(mayor)[1] is None and audit_chain.verify().ok
    assert rollup.recount_differences(mayor) == []
    sheets = TallySheet.objects.filter(contest=mayor, tps__in=tps)
    audited = AuditEntry.objects.filter(target_type="tally.tallysheet", target_id__in=[str(s.pk) for s in sheets])
    assert sorted(audited.values_list("action", flat=True)) == [
        "tally.sheet_counted",
        "tally.sheet_counted",
        "tally.sheet_held",
    ]
    assert frozen is None or frozen.code  # the world has no second kecamatan to freeze here


def test_a_batch_after_a_finalised_kecamatan_stores_none_of_its_sheets(ppk, persona, mayor):
    from deskpilkada.tally import actions

    tps = testing.make_tps("32.71.04.1002")
    actions.finalise_recap(by=persona("kpu"), contest=mayor, region=Region.objects.get(code="32.71.04"))
    answer = ppk.post(BATCH, [body(tps.dpt, kode_tps=tps.code)], content_type="application/json").json()
    assert answer["stored"] == 0 and "sudah final" in answer["items"][0]["error"]
    assert not TallySheet.objects.filter(contest=mayor, tps=tps).exists()
    assert rollup.recount_differences(mayor) == []


def test_a_retried_batch_counts_once(ppk, mayor):
    tps = [testing.make_tps("32.71.04.1002") for _ in range(3)]
    items = [body(t.dpt, kode_tps=t.code) for t in tps]
    first = ppk.post(BATCH, items, content_type="application/json", HTTP_IDEMPOTENCY_KEY="b-once")
    again = ppk.post(BATCH, items, content_type="application/json", HTTP_IDEMPOTENCY_KEY="b-once")
    assert first.json() == again.json() and first.json()["stored"] == 3
    assert SheetVersion.objects.filter(sheet__contest=mayor, sheet__tps__in=tps).count() == 3
    assert rollup.recount_differences(mayor) == []
