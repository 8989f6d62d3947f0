"""The staff API of cases: GET /api/v1/cases (scoped, with the inbox's filters, "needs me now"
first), GET /api/v1/cases/<id>, each with its deadlines as {"kind", "due_at", "state"}, and POST
/api/v1/cases/<id>/transition for those who handle the case."""

import datetime as dt
import json

import pytest
from django.test import Client

from deskpilkada.accounts.actions import create_api_token
from deskpilkada.cases import actions
from deskpilkada.cases.models import Case
from deskpilkada.cases.tests.conftest import BATU_TULIS, KEBON_PEDES, MENTENG, MENTENG_TPS_1, wib
from deskpilkada.testing import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(persona):
    def make(who: str) -> Client:
        _row, raw = create_api_token(by=None, user=persona(who), name=f"uji {who}")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


def _transition(client, case, to, note=""):
    return client.post(
        f"/api/v1/cases/{case.pk}/transition", json.dumps({"to": to, "note": note}), content_type="application/json"
    )


def test_a_case_comes_with_its_deadlines(token):
    known = wib("2024-11-21 10:00")
    case = make_case("fraud", MENTENG_TPS_1, occurred_at=known, known_at=known, details={"violation": "money_politics"})
    data = token("bawaslu").get(f"/api/v1/cases/{case.pk}").json()
    assert data["id"] == case.pk and data["category"] == "fraud" and data["status"] == "new"
    assert data["place_code"] == MENTENG_TPS_1 and data["details"] == {"violation": "money_politics"}
    assert data["deadlines"] == [{"kind": "registrasi", "due_at": "2024-11-28T03:00:00Z", "state": "due_soon"}]
    assert dt.datetime.fromisoformat(data["deadlines"][0]["due_at"]) == known + dt.timedelta(days=7)
    assert set(data) >= {"assigned_org", "assigned_to", "group_id", "duplicate_of_id", "version", "reporter_contact"}


def test_the_list_is_scoped_and_filtered_like_the_inbox(token):
    fraud_bb = make_case("fraud", MENTENG_TPS_1, severity="high")
    fraud_kp = make_case("fraud", KEBON_PEDES)
    asn_bb = make_case("asn", MENTENG)
    make_case("security", MENTENG_TPS_1)
    old = wib("2024-11-10 10:00")
    late = make_case("fraud", BATU_TULIS, occurred_at=old, known_at=old)
    closed = actions.move(make_case("fraud", MENTENG), "invalid", by=None)

    def ids(client, query=""):
        response = client.get(f"/api/v1/cases{query}")
        assert response.status_code == 200
        return [c["id"] for c in response.json()]

    bawaslu = token("bawaslu")
    assert set(ids(bawaslu)) == {fraud_bb.pk, fraud_kp.pk, asn_bb.pk, late.pk, closed.pk}
    assert set(ids(bawaslu, "?category=asn")) == {asn_bb.pk}
    assert set(ids(bawaslu, "?status=invalid")) == {closed.pk}
    assert closed.pk not in ids(bawaslu, "?status=terbuka")
    assert set(ids(bawaslu, "?area=32.71.04")) == {fraud_bb.pk, asn_bb.pk, closed.pk}
    assert ids(bawaslu, "?overdue=true") == [late.pk]
    assert ids(bawaslu)[0] == late.pk  # overdue first
    assert set(ids(token("bawaslu_kec"))) == {fraud_bb.pk, asn_bb.pk, closed.pk}
    assert set(ids(token("bawaslu_kec"), "?area=32.71.06")) == set()  # a filter never widens the scope


def test_a_handler_moves_a_case_through_the_api(token, persona):
    case = make_case("fraud", MENTENG_TPS_1)
    response = _transition(token("bawaslu_kec"), case, "verified", "terdaftar")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "verified" and data["version"] == 2
    assert [d["kind"] for d in data["deadlines"]] == ["registrasi", "tindak-lanjut"]
    assert [d["state"] for d in data["deadlines"]] == ["met", "pending"]
    assert Case.objects.get(pk=case.pk).status == "verified"


def test_an_illegal_transition_is_422_naming_the_current_status(token):
    case = make_case("fraud", MENTENG_TPS_1)
    response = _transition(token("bawaslu"), case, "closed")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "to", "message": "Dari status «baru» tidak dapat berpindah ke «selesai»."}
    ]
    unknown = _transition(token("bawaslu"), case, "dibuang")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "to"
    assert Case.objects.get(pk=case.pk).status == "new"


def test_who_sees_but_does_not_handle_gets_403_and_who_does_not_see_gets_404(token, client):
    case = make_case("fraud", MENTENG_TPS_1)
    assert _transition(token("camat"), case, "verified").status_code == 403
    assert _transition(token("viewer"), case, "verified").status_code == 403
    assert _transition(token("security"), case, "verified").status_code == 404
    assert token("security").get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert token("bawaslu").get("/api/v1/cases/999999").status_code == 404
    assert _transition(client, case, "verified").status_code == 401
    assert client.get("/api/v1/cases").status_code == 401
    assert Case.objects.get(pk=case.pk).status == "new"


def test_the_session_works_as_the_token_does(client_as):
    case = make_case("hoax", MENTENG)
    response = _transition(client_as("comms"), case, "verified")
    assert response.status_code == 200 and response.json()["status"] == "verified"


def test_the_openapi_documents_the_shape(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert {"/api/v1/reports", "/api/v1/reports/{tracking_code}", "/api/v1/cases", "/api/v1/cases/{case_id}"} <= set(
        paths
    )
    assert "/api/v1/cases/{case_id}/transition" in paths
    deadline = schema["components"]["schemas"]["DeadlineOut"]
    assert set(deadline["properties"]) == {"kind", "due_at", "state"}
    status = schema["components"]["schemas"]["ReportStatusOut"]
    assert set(status["properties"]) == {"tracking_code", "category", "status", "updated_at", "history"}
