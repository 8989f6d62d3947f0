"""The API's one error shape: every refusal answers JSON, in Indonesian, naming the field."""

import logging

import pytest
from django.conf import settings
from django.test import Client

from deskpilkada.accounts.actions import create_api_token

TPS = "3271061002028"


@pytest.fixture
def api_as(persona):
    def make(name: str) -> Client:
        _token, raw = create_api_token(by=None, user=persona(name), name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert set(data) == {"detail", "errors"} and isinstance(data["detail"], str) and data["detail"]
    assert all(set(e) == {"field", "message"} for e in data["errors"])
    return data


def test_a_missing_field_and_a_wrong_type_are_named_in_indonesian(api_as):
    c = api_as("kpu")
    data = assert_error_shape(c.post("/api/v1/tps", {"number": "x"}, content_type="application/json"), 422)
    problems = {e["field"]: e["message"] for e in data["errors"]}
    assert problems == {"kelurahan": "wajib diisi.", "number": "harus bilangan bulat."}
    assert "kelurahan: wajib diisi." in data["detail"] and "Field required" not in str(data)


def test_a_too_long_string_is_refused_with_its_limit(api_as):
    data = assert_error_shape(
        api_as("kpu").patch(f"/api/v1/tps/{TPS}", {"version": 1, "rt": "123456"}, content_type="application/json"),
        422,
    )
    assert data["errors"] == [{"field": "rt", "message": "paling banyak 5 karakter."}]


def test_a_body_that_is_not_json_answers_400_in_indonesian(api_as):
    data = assert_error_shape(api_as("kpu").post("/api/v1/tps", "{not json", content_type="application/json"), 400)
    assert "JSON" in data["detail"] and "Cannot parse" not in data["detail"]


def test_a_nul_character_is_refused_before_it_reaches_the_database(api_as):
    c = api_as("kpu")
    body = assert_error_shape(
        c.post("/api/v1/tps", {"kelurahan": "32\x0071", "number": 1}, content_type="application/json"), 400
    )
    assert "NUL" in body["detail"]
    assert_error_shape(c.get("/api/v1/tps", {"q": "a\x00b"}), 422)
    path = assert_error_shape(c.get("/api/v1/elections/pilkada%00"), 422)
    assert path["errors"][0]["field"] == "code"


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/tps/", "/api/", "/api/v2/tps"])
def test_an_unknown_api_path_answers_json_404(client, db, path):
    data = assert_error_shape(client.get(path), 404)
    assert "tidak ada" in data["detail"]


def test_an_unknown_object_answers_json_404_in_indonesian(api_as):
    data = assert_error_shape(api_as("viewer").get("/api/v1/elections/no-such-election"), 404)
    assert data["detail"] == "Tidak ditemukan."


def test_a_wrong_method_answers_json_405_with_the_allowed_ones(api_as):
    response = api_as("kpu").delete(f"/api/v1/tps/{TPS}")
    assert_error_shape(response, 405)
    assert set(response["Allow"].split(", ")) == {"GET", "PATCH"}


@pytest.mark.parametrize(
    ("method", "path"), [("post", "/api/v1/tps"), ("patch", f"/api/v1/tps/{TPS}"), ("post", "/api/v1/tally-sheets")]
)
def test_an_anonymous_write_answers_401_not_a_csrf_failure(client, db, method, path):
    data = assert_error_shape(getattr(client, method)(path, {}, content_type="application/json"), 401)
    assert data["detail"] == "Perlu login atau token."


def test_an_anonymous_read_answers_401_in_indonesian(client, db):
    assert assert_error_shape(client.get("/api/v1/me"), 401)["detail"] == "Perlu login atau token."


def test_a_session_without_the_csrf_token_still_answers_403(persona):
    c = Client(enforce_csrf_checks=True)
    c.force_login(persona("kpu"))
    body = {"version": 1}
    data = assert_error_shape(c.patch(f"/api/v1/tps/{TPS}", body, content_type="application/json"), 403)
    assert "CSRF" in data["detail"]
    token = "k" * 32  # a CSRF secret as the cookie holds it, echoed in the header as a page's script does
    c.cookies[settings.CSRF_COOKIE_NAME] = token
    accepted = c.patch(f"/api/v1/tps/{TPS}", body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code in (200, 409)  # past authentication: only the version may be stale


def test_an_exception_inside_an_operation_answers_json_500_and_is_logged(api_as, monkeypatch, caplog):
    from deskpilkada.elections import api as elections_api

    def broken(_election):
        raise RuntimeError("a bug")

    monkeypatch.setattr(elections_api, "_out", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        data = assert_error_shape(api_as("viewer").get("/api/v1/elections"), 500)
    assert "kesalahan di server" in data["detail"] and "a bug" not in data["detail"]
    assert any(r.exc_info and "a bug" in str(r.exc_info[1]) for r in caplog.records)


def test_the_openapi_declares_the_error_answers_of_each_operation(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    error = {"$ref": "#/components/schemas/Error"}
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"detail", "errors"}
    checked = 0
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            responses = op["responses"]
            expected = set()
            if op.get("security"):
                expected.add("401")
            if "{" in path:
                expected.add("404")
            if (op.get("parameters", []) and any(p["in"] == "query" for p in op["parameters"])) or "requestBody" in op:
                expected.add("422")
            if "requestBody" in op:
                expected.add("400")  # a body that is not JSON
                if op.get("security"):  # a browser session without its CSRF token (public operations take none)
                    expected.add("403")
            missing = expected - set(responses)
            assert not missing, f"{method.upper()} {path} does not declare {missing}"
            for status, answer in responses.items():
                if status.startswith(("4", "5")):
                    assert answer["content"]["application/json"]["schema"] == error, (path, status)
            checked += 1
    assert checked >= 12


def test_errors_are_in_english_for_a_caller_who_chose_english(api_as):
    c = api_as("kpu")
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = assert_error_shape(c.post("/api/v1/tps", {"number": 1}, content_type="application/json"), 422)
    assert data["errors"] == [{"field": "kelurahan", "message": "is required."}]
