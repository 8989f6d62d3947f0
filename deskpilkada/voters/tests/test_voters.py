import io
import re

import pytest
from django.db import connection
from django.test import Client

from deskpilkada.elections.models import Election
from deskpilkada.imports import ImportRejected
from deskpilkada.tps.models import Tps
from deskpilkada.voters import keys
from deskpilkada.voters.actions import COLUMNS, import_dpt
from deskpilkada.voters.demo import demo_voter_rows
from deskpilkada.voters.models import Voter

HEADER = ",".join(COLUMNS)


@pytest.fixture
def election(db):
    return Election.objects.get(code="pilkada-2024")


@pytest.fixture
def first_voter(db):
    return next(demo_voter_rows())


def csv_file(*rows) -> io.BytesIO:
    return io.BytesIO(("\n".join([HEADER, *rows]) + "\n").encode())


def every_text_in_the_database() -> str:
    """All text the database holds, table by table (a dump, through the connection)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the database itself)
            chunks.extend(str(v) for row in cursor.fetchall() for v in row)
    return "\n".join(chunks)


def test_no_nik_or_nkk_is_stored_in_clear_anywhere(election, first_voter, caplog):
    rows = [
        ",".join(
            [
                "3201010101800099",
                "3201010101800098",
                "BUDI SANTOSO",
                "BOGOR",
                "1980-01-01",
                "L",
                "JL X",
                "1",
                "2",
                "3271061002001",
            ]
        )
    ]
    import_dpt(csv_file(*rows), by=None, election=election)
    dump = every_text_in_the_database()
    for secret in ("3201010101800099", "3201010101800098", first_voter[0], first_voter[1]):
        assert secret not in dump
        assert secret not in caplog.text
    assert "BUDI SANTOSO" not in dump and "BU** SA*****" in dump


def test_the_demo_dpt_gives_each_tps_its_dpt(election):
    tps = Tps.objects.get(code="3271061002028")
    assert Voter.objects.filter(election=election, tps=tps).count() == tps.dpt


def test_a_bad_dpt_file_imports_nothing_and_reports_every_row(election):
    before = Voter.objects.count()
    rows = [
        "123,3201010101800098,A,B,1980-01-01,L,x,1,2,3271061002001",  # NIK not 16 digits
        "3201010101800011,3201010101800098,A,B,31-02-1980,L,x,1,2,3271061002001",  # bad date
        "3201010101800012,3201010101800098,A,B,1980-01-01,X,x,1,2,3271061002001",  # sex
        "3201010101800013,3201010101800098,A,B,1980-01-01,P,x,1,2,3271999999001",  # unknown TPS
        "3201010101800014,3201010101800098,A,B,1980-01-01,P,x,1,2,3271061002001",
        "3201010101800014,3201010101800098,A,B,1980-01-01,P,x,1,2,3271061002001",  # duplicate NIK
    ]
    with pytest.raises(ImportRejected) as exc:
        import_dpt(csv_file(*rows), by=None, election=election)
    assert {(e.row, e.column) for e in exc.value.errors} == {
        (2, "nik"),
        (3, "tanggal_lahir"),
        (4, "jenis_kelamin"),
        (5, "kode_tps"),
        (7, "nik"),
    }
    assert Voter.objects.count() == before


def test_reimporting_a_kelurahan_replaces_its_rows_and_recounts_its_tps(election):
    rows = [
        f"32010101018{i:05d},3201010101800098,WARGA UJI {i},B,1980-01-01,{'L' if i % 2 else 'P'},x,1,2,3271061002001"
        for i in range(10)
    ]
    result = import_dpt(csv_file(*rows), by=None, election=election)
    assert result.imported == 10 and result.replaced > 0
    tps = Tps.objects.get(code="3271061002001")
    assert (tps.dpt_male, tps.dpt_female) == (5, 5)
    assert Voter.objects.filter(election=election, tps__kelurahan__code="32.71.06.1002").count() == 10


def test_the_lookup_finds_one_voter_by_nik_and_birth_date_or_name_letters(client, first_voter):
    nik, born = first_voter[0], first_voter[4]
    page = client.post("/cek-tps/", {"nik": nik, "confirm": born})
    assert page.context["voter"].tps.code == first_voter[9]
    assert "PE****" in page.content.decode()
    api = client.get("/api/v1/voters/lookup", {"nik": nik, "confirm": "pem"}).json()
    assert api["tps_code"] == first_voter[9] and api["name_masked"].startswith("PE")
    assert set(api) == {
        "tps_code",
        "tps_number",
        "address",
        "kelurahan",
        "kecamatan",
        "lat",
        "lon",
        "name_masked",
        "relocated",
    }
    assert api["relocated"] is None  # a TPS at its own place


def test_a_wrong_nik_and_a_wrong_confirmation_get_the_same_answer(client, first_voter):
    nik, born = first_voter[0], first_voter[4]
    wrong_nik = client.post("/cek-tps/", {"nik": "9999999999999999", "confirm": born})
    wrong_confirm = client.post("/cek-tps/", {"nik": nik, "confirm": "1901-01-01"})
    assert wrong_nik.context["voter"] is None and wrong_confirm.context["voter"] is None

    def without_csrf(response):  # the CSRF token is masked differently on every response
        return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", response.content.decode())

    assert without_csrf(wrong_nik) == without_csrf(wrong_confirm)
    a = client.get("/api/v1/voters/lookup", {"nik": "9999999999999999", "confirm": "pem"})
    b = client.get("/api/v1/voters/lookup", {"nik": nik, "confirm": "xyz"})
    assert a.status_code == b.status_code == 404 and a.content == b.content


def test_the_lookup_is_rate_limited_per_client(first_voter, settings):
    settings.VOTER_LOOKUP_LIMIT = 3
    c = Client(REMOTE_ADDR="10.0.0.7")
    statuses = [c.get("/api/v1/voters/lookup", {"nik": first_voter[0], "confirm": "pem"}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert "Terlalu banyak" in c.get("/api/v1/voters/lookup", {"nik": "1", "confirm": "x"}).json()["detail"]
    assert (
        Client(REMOTE_ADDR="10.0.0.8")
        .get("/api/v1/voters/lookup", {"nik": first_voter[0], "confirm": "pem"})
        .status_code
        == 200
    )
    assert c.post("/cek-tps/", {"nik": first_voter[0], "confirm": "pem"}).status_code == 429


def test_lookups_are_counted_as_numbers_only(client, first_voter):
    from deskpilkada.voters import lookup
    from deskpilkada.voters.models import LookupDay

    client.get("/api/v1/voters/lookup", {"nik": first_voter[0], "confirm": "pem"})
    lookup.flush()
    day = LookupDay.objects.get()
    assert day.lookups >= 1 and day.found >= 1


def test_masking_keeps_two_letters_of_each_word():
    assert keys.mask_name("Budi Santoso") == "BU** SA*****"
    assert keys.first_letters("  d'Arcy ") == "dar"


def test_the_kelurahan_page_lists_tps_without_voter_data(client, db):
    page = client.get("/cek-tps/kelurahan/32.71.06.1002/")
    assert (
        page.status_code == 200
        and len(page.context["tps"]) == Tps.objects.filter(kelurahan__code="32.71.06.1002").count()
    )
    assert "PEMILIH" not in page.content.decode()


def test_a_nik_registered_in_a_kelurahan_outside_the_file_is_reported_not_crashed(election, first_voter):
    row = f"{first_voter[0]},3201010101800098,X,B,1980-01-01,L,x,1,2,3271011001001"  # a Batu Tulis TPS
    with pytest.raises(ImportRejected) as exc:
        import_dpt(csv_file(row), by=None, election=election)
    assert [(e.row, e.column) for e in exc.value.errors] == [(2, "nik")]
    assert first_voter[9] in str(exc.value.errors[0])


def test_a_voter_moving_between_two_kelurahan_of_the_same_file_is_fine(election, first_voter):
    moved = f"{first_voter[0]},3201010101800098,X,B,1980-01-01,L,x,1,2,3271011001001"
    stays = "3201010101800077,3201010101800098,Y,B,1980-01-01,P,x,1,2,3271061002001"
    result = import_dpt(csv_file(moved, stays), by=None, election=election)
    assert result.imported == 2 and result.kelurahan == 2
