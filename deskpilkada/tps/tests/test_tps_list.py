"""The TPS register on the shared list pattern: URL filters, paging, the htmx partial, the export of
exactly the filtered rows, and bulk actions through the audited action (deskpilkada/lists.py)."""

import csv
import io

import pytest

from deskpilkada import testing as make
from deskpilkada.audit.models import AuditEntry
from deskpilkada.tps.models import Tps


@pytest.fixture
def bogor_barat(db):
    """More than two pages of TPS in Kecamatan Bogor Barat (50 a page), two in three of them
    reachable by wheelchair; and wheelchair-accessible TPS outside it."""
    for n in range(1, 111):
        make.make_tps("32.71.04.1002", n, wheelchair_accessible=n % 3 != 0)
    for village in ("32.71.01.1001", "32.71.06.1002"):
        make.make_tps(village, 3, wheelchair_accessible=True)


def _export_codes(client, query: str) -> list[str]:
    response = client.get(f"/tps/ekspor.csv?{query}")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row[0] for row in list(csv.reader(io.StringIO(text)))[1:]]


def test_the_export_holds_exactly_the_filtered_rows_of_every_page(client_as, bogor_barat):
    client = client_as("kpu")
    query = "kecamatan=32.71.04&kursi_roda=ya"
    expected = set(
        Tps.objects.filter(code__startswith="327104", wheelchair_accessible=True).values_list("code", flat=True)
    )
    listed = client.get(f"/tps/?{query}").context["count"]
    exported = _export_codes(client, query)
    assert len(exported) == listed == len(expected) and set(exported) == expected
    assert listed > 50  # more than one page: the export is not just the page shown


def test_filters_combine_and_stay_inside_the_area(client_as):
    page = client_as("ppk").get("/tps/?q=001").context
    assert page["count"] > 0 and all(t.code.startswith("327104") for t in page["page"])
    assert _export_codes(client_as("ppk"), "kecamatan=32.71.01") == []  # another kecamatan: nothing


def test_the_rows_come_as_a_partial_for_htmx(client_as, bogor_barat):
    response = client_as("kpu").get("/tps/?kecamatan=32.71.04&page=2", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="results"' in body and "<html" not in body
    assert "Halaman 2 dari" in body and "kecamatan=32.71.04&page=3" in body


def test_a_bulk_action_goes_through_the_audited_action(client_as, bogor_barat):
    tps = list(Tps.objects.filter(code__startswith="327104", wheelchair_accessible=False)[:3])
    response = client_as("kpu").post(
        "/tps/tindakan/", {"aksi": "kursi_roda_ya", "pilih": [t.pk for t in tps], "kembali": "/tps/?q=x"}
    )
    assert response.status_code == 302 and response["Location"] == "/tps/?q=x"
    assert Tps.objects.filter(pk__in=[t.pk for t in tps], wheelchair_accessible=True).count() == 3
    assert AuditEntry.objects.filter(action="tps.updated", target_id__in=[str(t.pk) for t in tps]).count() == 3


def test_a_bulk_action_skips_ticked_rows_outside_the_rows_the_user_may_act_on(persona):
    from deskpilkada.lists import bulk
    from deskpilkada.tps import actions

    inside = Tps.objects.filter(code__startswith="327104", wheelchair_accessible=False).first()
    outside = Tps.objects.filter(code__startswith="327101", wheelchair_accessible=False).first()
    rows = Tps.objects.filter(code__startswith="327104")  # what a Bogor Barat manager may act on
    result = bulk(
        rows,
        [inside.pk, outside.pk],
        lambda t: actions.update_tps(by=persona("kpu"), tps=t, expected_version=t.version, wheelchair_accessible=True),
    )
    assert (len(result.done), result.missing) == (1, 1)
    assert "1 di luar wilayah Anda" in result.message()
    outside.refresh_from_db()
    assert not outside.wheelchair_accessible


def test_a_role_without_tps_manage_cannot_use_bulk_actions(client_as):
    tps = Tps.objects.filter(wheelchair_accessible=False).first()
    assert client_as("ppk").post("/tps/tindakan/", {"aksi": "kursi_roda_ya", "pilih": [tps.pk]}).status_code == 403
    tps.refresh_from_db()
    assert not tps.wheelchair_accessible


def test_an_unknown_bulk_action_changes_nothing(client_as):
    tps = Tps.objects.filter(wheelchair_accessible=False).first()
    client_as("kpu").post("/tps/tindakan/", {"aksi": "hapus", "pilih": [tps.pk]})
    tps.refresh_from_db()
    assert not tps.wheelchair_accessible
