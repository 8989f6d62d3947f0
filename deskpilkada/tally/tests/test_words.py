"""A held sheet's problems and a dispute's differences in the reader's words: the field's label,
the pair's names, the reader's language and number format; never `suara_sah` or `paslon_1`."""

from django.utils import translation

from deskpilkada.tally import rules
from deskpilkada.tally.tests.conftest import KEBON_PEDES_028, MAYOR
from deskpilkada.testing import make_counted, make_held, make_second_entry


def test_a_problem_is_stored_in_indonesian_whatever_the_language_of_its_author():
    problem = rules.Problem("suara_sah", "valid_sum", {"sah": 1530, "sum": 1529})
    with translation.override("en"):
        stored = problem.as_dict()
        assert stored["message"] == "Suara sah (1.530) harus sama dengan jumlah suara semua paslon (1.529)."
        assert rules.message(stored) == "Valid votes (1,530) must equal the sum of all paslon votes (1,529)."
    with translation.override("id"):
        assert rules.message(stored) == stored["message"]


def test_a_problem_naming_fields_says_their_labels():
    problem = rules.Problem(
        "pengguna_dpt", "list_voters", {"a": {"field": "pengguna_dpt"}, "x": 9, "b": {"field": "dpt"}, "y": 8}
    )
    with translation.override("id"):
        assert problem.message == "Pengguna hak pilih dari DPT (9) melebihi DPT (8)."


def test_a_problem_stored_before_it_carried_its_rule_keeps_its_text():
    assert rules.message({"field": "dpt", "message": "DPT di formulir (1) berbeda."}) == "DPT di formulir (1) berbeda."


def test_the_held_list_names_the_field_in_english_too(client_as):
    make_held(KEBON_PEDES_028)
    client = client_as("kpu")
    client.cookies["django_language"] = "en"
    html = client.get(f"/penghitungan/ditahan/?pemilihan={MAYOR}").content.decode()
    assert "<strong>Valid votes</strong>: Valid votes (" in html
    assert "suara_sah" not in html and "harus sama" not in html


def test_a_dispute_names_the_paslon_and_its_pair(client_as, persona):
    make_second_entry(make_counted("3271041001001"), by=persona("ppk"), votes=(51, 60, 70, 20, 29))
    for page in ("/penghitungan/sengketa/", "/penghitungan/tps/3271041001001/pilwalkot-bogor-2024/"):
        html = client_as("kpu").get(f"{page}?pemilihan={MAYOR}").content.decode()
        assert "Paslon 1 (Sendi Fardiansyah – Melli Darsa)" in html, page
        assert "Paslon 5 (Raendi Rayendra – Eka Maulana)" in html, page
        assert "paslon_1" not in html.replace('name="paslon_1"', ""), page
