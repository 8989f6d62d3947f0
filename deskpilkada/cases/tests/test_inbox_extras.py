"""The inbox's smaller tools: the export of ticked cases, the API list's contacts without a query per
case, and the staff form's warning for a Bawaslu report past its 7 days."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deskpilkada import clock
from deskpilkada.cases.tests.conftest import MENTENG
from deskpilkada.testing import make_case

pytestmark = pytest.mark.django_db


def test_the_ticked_cases_export_as_excel_only_those_the_user_may_see(client_as):
    mine, other, hidden = make_case("fraud", MENTENG), make_case("fraud", MENTENG), make_case("hoax", MENTENG)
    response = client_as("bawaslu").post("/kasus/tindakan/", {"aksi": "ekspor", "pilih": [mine.pk, hidden.pk]})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [mine.pk]  # not the hoax Bawaslu does not see, nor the unticked one
    assert other.pk not in [r[0] for r in rows[1:]]


def test_the_api_list_decides_every_contact_in_one_query(client_as):
    for _ in range(12):
        make_case("fraud", MENTENG, reporter_contact="0812-0000-0000")
    client = client_as("bawaslu")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/cases?category=fraud")
    make_case("fraud", MENTENG, reporter_contact="0812-0000-0000")
    with CaptureQueriesContext(connection) as more:
        cases = client.get("/api/v1/cases?category=fraud").json()
    assert len(more.captured_queries) == len(few.captured_queries)  # one case more, no query more
    assert all(c["reporter_contact"] == "0812-0000-0000" for c in cases)


def test_a_bawaslu_report_past_its_seven_days_is_taken_with_a_warning(client_as):
    known = clock.now() - dt.timedelta(days=9)
    response = client_as("bawaslu").post(
        "/kasus/baru/?kategori=fraud",
        {
            "category": "fraud",
            "description": "Pembagian sembako oleh tim paslon sembilan hari lalu.",
            "place_code": "3271061002028",
            "occurred_at": (known - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "known_at": known.strftime("%Y-%m-%dT%H:%M"),
            "severity": "medium",
        },
        follow=True,
    )
    assert "batas pelaporan ke Bawaslu sudah lewat" in response.content.decode()
