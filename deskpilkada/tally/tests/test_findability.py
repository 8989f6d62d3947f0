"""What a new user of the count looks for: the contest of its own level, D.Hasil and the DPT
import from the count's home, templates for each contest, the held rows of an import, and a way
to settle a dispute."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from deskpilkada.audit.models import AuditEntry
from deskpilkada.tally import actions, loading, rules
from deskpilkada.tally.models import TallySheet
from deskpilkada.tally.tests.conftest import KEBON_PEDES_028, MAYOR, make_sheet
from deskpilkada.tally.tests.test_tally_views import PNG
from deskpilkada.tps.models import Tps

GOVERNOR = "pilgub-jabar-2024"


# --- the contest a page opens with -------------------------------------------------------


@pytest.mark.parametrize("who", ["kpps", "pps", "ppk", "kpu", "viewer"])
def test_the_count_opens_with_the_mayors_contest_for_users_of_kota_bogor(client_as, who):
    assert client_as(who).get("/penghitungan/").context["contest"].code == MAYOR


def test_the_count_opens_with_the_governors_contest_for_the_province(client_as):
    assert client_as("admin_prov").get("/penghitungan/").context["contest"].code == GOVERNOR


def test_the_contest_last_chosen_is_remembered_for_the_next_page(client_as):
    c = client_as("kpps")
    c.get("/penghitungan/", {"pemilihan": GOVERNOR})
    assert c.get("/penghitungan/").context["contest"].code == GOVERNOR
    assert c.get("/penghitungan/ditahan/").context["contest"].code == GOVERNOR


# --- D.Hasil and the DPT import from the count's home --------------------------------------


def test_the_operator_reaches_every_kecamatans_d_hasil_from_the_count_home(client_as):
    page = client_as("kpu").get("/penghitungan/", {"pemilihan": MAYOR})
    assert len(page.context["kecamatan"]) == 6
    assert f'href="/penghitungan/d-hasil/{MAYOR}/32.71.04/"' in page.content.decode()


def test_a_ppk_sees_its_own_kecamatans_d_hasil_and_a_kpps_none(client_as):
    ppk = client_as("ppk").get("/penghitungan/", {"pemilihan": MAYOR})
    assert [k.code for k in ppk.context["kecamatan"]] == ["32.71.04"]
    kpps = client_as("kpps").get("/penghitungan/", {"pemilihan": MAYOR}).content.decode()
    assert "/penghitungan/d-hasil/" not in kpps


def test_the_dpt_import_is_linked_from_the_count_home_for_its_importer_only(client_as):
    assert 'href="/dpt/impor/"' in client_as("kpu").get("/penghitungan/").content.decode()
    for who in ("ppk", "kpps", "viewer"):
        assert 'href="/dpt/impor/"' not in client_as(who).get("/penghitungan/").content.decode(), who


# --- the C.Hasil template --------------------------------------------------------------------


def _template(client, contest: str) -> list[list[str]]:
    response = client.get("/penghitungan/templat.csv", {"pemilihan": contest})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_template_is_offered_for_each_contest_with_its_own_paslon_columns(client_as):
    c = client_as("kpu")
    for page in (c.get("/penghitungan/impor/"), c.get("/penghitungan/")):
        html = page.content.decode()
        assert f"templat.csv?pemilihan={MAYOR}" in html and f"templat.csv?pemilihan={GOVERNOR}" in html
    assert _template(c, MAYOR)[0][-5:] == [f"paslon_{n}" for n in range(1, 6)]
    assert _template(c, GOVERNOR)[0][-4:] == [f"paslon_{n}" for n in range(1, 5)]


def test_the_template_defaults_to_the_users_contest(client_as):
    response = client_as("kpps").get("/penghitungan/templat.csv")
    assert f"templat-chasil-{MAYOR}" in response["Content-Disposition"]


@pytest.mark.parametrize("contest", [MAYOR, GOVERNOR])
def test_the_templates_example_uses_the_real_dpt_of_its_tps_and_adds_up(client_as, contest):
    header, note, example = _template(client_as("kpps"), contest)
    assert note[0].startswith("#") and example[0] == "#" + KEBON_PEDES_028  # the KPPS's own TPS
    row = dict(zip(header, example, strict=True))
    tps = Tps.objects.get(code=KEBON_PEDES_028)
    assert int(row["dpt"]) == tps.dpt and row["pemilihan"] == contest
    figures = {k: int(v) for k, v in row.items() if k not in ("kode_tps", "pemilihan")}
    sheet = rules.Sheet(
        numbers={k: figures[k] for k in rules.FIELD_KEYS},
        votes={int(k[7:]): v for k, v in figures.items() if k.startswith("paslon_")},
    )
    assert rules.check(sheet, rules.Limits(), registered_dpt=tps.dpt) == []


def test_the_template_imported_as_it_is_writes_nothing(persona, client_as):
    rows = _template(client_as("kpu"), MAYOR)
    data = io.StringIO()
    csv.writer(data).writerows(rows)
    upload = SimpleUploadedFile("templat.csv", data.getvalue().encode())
    with pytest.raises(loading.ImportRejected, match="tidak berisi baris data"):  # both rows are notes
        loading.import_results(upload, by=persona("kpu"))


# --- the held rows of an import ----------------------------------------------------------


def test_an_import_that_holds_rows_lists_them_with_their_reasons_and_links(client_as, tps028):
    good = make_sheet(tps028.dpt).as_flat()
    columns = ["kode_tps", "pemilihan", *loading.RESULT_COLUMNS[2:], *[f"paslon_{n}" for n in range(1, 6)]]
    bad = {**good, "suara_sah": good["suara_sah"] + 1}
    text = ",".join(columns) + "\n" + "# a note row, skipped\n"
    text += ",".join([KEBON_PEDES_028, MAYOR, *[str(bad[k]) for k in columns[2:]]]) + "\n"
    page = client_as("kpu").post("/penghitungan/impor/", {"file": SimpleUploadedFile("c.csv", text.encode())})
    result = page.context["result"]
    assert (result.held, result.notes) == (1, [2])
    held = result.held_rows[0]
    assert (held.row, held.tps.code, held.contest.code) == (3, KEBON_PEDES_028, MAYOR)
    assert {p["field"] for p in held.problems} >= {"suara_sah"}
    html = page.content.decode()
    assert f'href="/penghitungan/tps/{KEBON_PEDES_028}/{MAYOR}/"' in html
    assert f'href="/penghitungan/ditahan/?pemilihan={MAYOR}"' in html
    assert str(held.problems[0]["label"]) in html and "1 baris catatan" in html


# --- settling a dispute ----------------------------------------------------------------------


@pytest.fixture
def disputed(persona, mayor, tps028):
    """TPS 028: the KPPS's entry with its plano photo, and the operator's second entry differing."""
    kpps = persona("kpps")
    actions.submit_sheet(by=kpps, tps=tps028, contest=mayor, sheet=make_sheet(tps028.dpt), source="kpps")
    sheet = TallySheet.objects.get(tps=tps028, contest=mayor)
    actions.add_photo(by=kpps, sheet=sheet, upload=SimpleUploadedFile("p.png", PNG))
    second = make_sheet(tps028.dpt, votes=(55, 60, 70, 20, 25))  # paslon 1 and 5 differ
    actions.submit_second_entry(by=persona("kpu"), sheet=sheet, figures=second)
    sheet.refresh_from_db()
    assert sheet.disputed
    return sheet


def resolve_url(sheet) -> str:
    return f"/penghitungan/tps/{sheet.tps.code}/{MAYOR}/sengketa/"


def test_the_dispute_page_explains_what_to_do_and_offers_the_actions_to_verifiers(client_as, disputed):
    page = client_as("kpu").get("/penghitungan/sengketa/", {"pemilihan": MAYOR}).content.decode()
    assert "Cara menyelesaikan sengketa" in page and f'action="{resolve_url(disputed)}"' in page
    observer = client_as("bawaslu").get("/penghitungan/sengketa/", {"pemilihan": MAYOR}).content.decode()
    assert "Cara menyelesaikan sengketa" in observer and resolve_url(disputed) not in observer
    detail = client_as("kpu").get(f"/penghitungan/tps/{KEBON_PEDES_028}/{MAYOR}/").content.decode()
    assert f"#sengketa-{KEBON_PEDES_028}" in detail


def test_a_verifier_keeps_the_first_entry_against_the_photo_and_it_is_audited(client_as, persona, disputed):
    response = client_as("kpu").post(resolve_url(disputed), {"pilih": "pertama", "versi": "1"})
    assert response.status_code == 302
    disputed.refresh_from_db()
    assert disputed.verified and not disputed.disputed and disputed.version_count == 1
    entry = AuditEntry.objects.filter(action="tally.dispute_resolved").latest("pk")
    assert entry.actor == persona("kpu")
    assert entry.before == {"paslon_1": 50, "paslon_5": 30} and entry.after["kept"] == "pertama"
    assert entry.after["figures"] == {"paslon_1": 50, "paslon_5": 30}


def test_a_verifier_makes_the_second_entry_a_correction_with_a_reason(client_as, persona, disputed):
    c = client_as("kpu")
    refused = c.post(resolve_url(disputed), {"pilih": "kedua", "versi": "1", "alasan": ""}, follow=True)
    assert "alasannya" in refused.content.decode()
    disputed.refresh_from_db()
    assert disputed.version_count == 1 and disputed.disputed
    c.post(resolve_url(disputed), {"pilih": "kedua", "versi": "1", "alasan": "foto plano: paslon 1 = 55"})
    disputed.refresh_from_db()
    assert disputed.version_count == 2 and not disputed.disputed and not disputed.verified
    assert disputed.latest.votes_dict()[1] == 55 and "paslon 1 = 55" in disputed.latest.reason
    entry = AuditEntry.objects.filter(action="tally.dispute_resolved").latest("pk")
    assert entry.before == {"paslon_1": 50, "paslon_5": 30}
    assert entry.after["figures"] == {"paslon_1": 55, "paslon_5": 25}
    assert entry.after["version"] == 2 and entry.after["second_entry_by"] == persona("kpu").username


def test_the_first_entrys_author_cannot_confirm_it_and_others_cannot_resolve(client_as, persona, disputed):
    with pytest.raises(actions.Refused):
        actions.resolve_dispute(by=persona("kpps"), sheet=disputed, keep="pertama")
    assert client_as("bawaslu").post(resolve_url(disputed), {"pilih": "pertama"}).status_code == 403
    assert client_as("ppk").post(resolve_url(disputed), {"pilih": "pertama"}).status_code == 403  # outside its area
    disputed.refresh_from_db()
    assert disputed.disputed
