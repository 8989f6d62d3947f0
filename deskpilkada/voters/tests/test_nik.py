"""NIK and NKK as typed: 16 ASCII digits, grouped by single spaces or dashes at most; the same rule
for the public look-up (page and API) and the DPT import."""

import io

import pytest
from django.test import Client

from deskpilkada.elections.models import Election
from deskpilkada.imports import ImportRejected
from deskpilkada.voters import keys
from deskpilkada.voters.actions import COLUMNS, import_dpt
from deskpilkada.voters.demo import demo_voter_rows

NIK = "3271061234560001"
ACCEPTED = [
    NIK,
    "3271 0612 3456 0001",
    "3271-0612-3456-0001",
    "327106 123456 0001",
    " 3271061234560001 ",  # pasted with the spaces around it
]
REFUSED = {
    "one digit more": NIK + "1",
    "a NUL byte after it": NIK + "\x00",
    "a NUL byte inside": "3271\x000612345600",
    "15 digits": NIK[:-1],
    "a letter": "3271O61234560001",
    "dots": "3271.0612.3456.0001",
    "underscores": "3271_0612_3456_0001",
    "two spaces": "3271  0612 3456 0001",
    "spaces and dashes mixed": "3271 0612-3456 0001",
    "a leading dash": "-3271061234560001",
    "a trailing dash": "3271061234560001-",
    "no-break spaces": "3271\u00a00612\u00a03456\u00a00001",
    "Arabic-Indic digits": "٣٢٧١٠٦١٢٣٤٥٦٠٠٠١",
    "full-width digits": "３２７１０６１２３４５６０００１",
    "superscript digits": "³²⁷¹⁰⁶¹²³⁴⁵⁶⁰⁰⁰¹",
    "empty": "",
    "very long": "1" * 10_000,
}


@pytest.fixture
def first_voter(db):
    return next(demo_voter_rows())


@pytest.mark.parametrize("typed", ACCEPTED)
def test_a_nik_typed_as_printed_is_accepted(typed):
    assert keys.clean_number(typed) == NIK


@pytest.mark.parametrize("typed", REFUSED.values(), ids=REFUSED.keys())
def test_anything_else_is_refused_naming_the_field(typed):
    with pytest.raises(keys.InvalidNumber, match=r"^NIK harus 16 angka"):
        keys.clean_number(typed)
    with pytest.raises(keys.InvalidNumber, match=r"^NKK harus 16 angka"):
        keys.clean_number(typed, "NKK")


def grouped(nik: str, sep: str) -> str:
    return sep.join([nik[0:4], nik[4:8], nik[8:12], nik[12:16]])


def test_the_lookup_page_finds_a_voter_from_a_grouped_nik(client, first_voter):
    page = client.post("/cek-tps/", {"nik": grouped(first_voter[0], "-"), "confirm": first_voter[4]})
    assert page.context["voter"].tps.code == first_voter[9]


@pytest.mark.parametrize("name", ["one digit more", "a NUL byte after it", "Arabic-Indic digits", "dots"])
def test_the_lookup_page_refuses_a_malformed_nik_with_a_message_on_the_field(client, first_voter, name):
    typed = REFUSED[name].replace("3271061234560001", first_voter[0])
    page = client.post("/cek-tps/", {"nik": typed, "confirm": first_voter[4]})
    assert page.status_code == 200 and page.context["voter"] is None and not page.context["searched"]
    assert page.context["form"].errors["nik"][0].startswith("NIK harus 16 angka")
    assert "NIK harus 16 angka" in page.content.decode()


def test_the_lookup_api_accepts_a_grouped_nik(client, first_voter):
    answer = client.get("/api/v1/voters/lookup", {"nik": grouped(first_voter[0], " "), "confirm": "pem"})
    assert answer.status_code == 200 and answer.json()["tps_code"] == first_voter[9]


@pytest.mark.parametrize("name", ["one digit more", "a letter", "Arabic-Indic digits", "two spaces"])
def test_the_lookup_api_refuses_a_malformed_nik_naming_the_field(client, first_voter, name):
    typed = REFUSED[name].replace("3271061234560001", first_voter[0])
    answer = client.get("/api/v1/voters/lookup", {"nik": typed, "confirm": "pem"})
    assert answer.status_code == 422
    body = answer.json()
    assert body["detail"].startswith("NIK harus 16 angka") and [e["field"] for e in body["errors"]] == ["nik"]


def test_the_lookup_api_refuses_a_nik_with_a_nul_byte(client, first_voter):
    answer = client.get("/api/v1/voters/lookup", {"nik": first_voter[0] + "\x00", "confirm": "pem"})
    assert answer.status_code == 422 and "tps_code" not in answer.json()


def dpt_row(nik: str, nkk: str) -> str:
    return f"{nik},{nkk},BUDI SANTOSO,BOGOR,1980-01-01,L,JL X,1,2,3271061002001"


def test_the_dpt_import_reads_nik_and_nkk_with_the_same_rule(db):
    election = Election.objects.get(code="pilkada-2024")
    rows = [
        dpt_row("3201-0101-0180-0099", "3201 0101 0180 0098"),  # accepted: grouped
        dpt_row("٣٢٠١٠١٠١٠١٨٠٠٠٩٧", "3201010101800098"),  # Arabic-Indic digits
        dpt_row("3201010101800096", "32010101018000981"),  # NKK one digit too many
        dpt_row("3201 0101-0180 0095", "3201010101800098"),  # separators mixed
    ]
    data = io.BytesIO(("\n".join([",".join(COLUMNS), *rows]) + "\n").encode())
    with pytest.raises(ImportRejected) as exc:
        import_dpt(data, by=None, election=election)
    errors = {(e.row, e.column): e.message for e in exc.value.errors}
    assert set(errors) == {(3, "nik"), (4, "nkk"), (5, "nik")}
    assert errors[(3, "nik")].startswith("NIK harus 16 angka") and errors[(4, "nkk")].startswith("NKK harus 16 angka")


def test_a_grouped_nik_in_the_dpt_is_found_typed_plainly(db):
    election = Election.objects.get(code="pilkada-2024")
    data = io.BytesIO(
        ("\n".join([",".join(COLUMNS), dpt_row("3201-0101-0180-0099", "3201010101800098")]) + "\n").encode()
    )
    import_dpt(data, by=None, election=election)
    assert Client().get("/api/v1/voters/lookup", {"nik": "3201010101800099", "confirm": "bud"}).status_code == 200


def test_a_refused_lookup_tells_when_to_come_back(first_voter, settings):
    settings.VOTER_LOOKUP_LIMIT = 1
    settings.VOTER_LOOKUP_WINDOW = 60
    c = Client(REMOTE_ADDR="10.0.0.9")
    assert c.get("/api/v1/voters/lookup", {"nik": first_voter[0], "confirm": "pem"}).status_code == 200
    api = c.get("/api/v1/voters/lookup", {"nik": first_voter[0], "confirm": "pem"})
    page = c.post("/cek-tps/", {"nik": first_voter[0], "confirm": "pem"})
    for answer in (api, page):
        assert answer.status_code == 429
        assert 1 <= int(answer["Retry-After"]) <= 60
    assert f"Coba lagi dalam {api['Retry-After']} detik." in api.json()["detail"]
    assert f"Coba lagi dalam {page['Retry-After']} detik." in page.content.decode()


def test_a_keyed_hash_is_hmac_sha256_of_the_parts_cut_to_128_bits(settings, monkeypatch):
    """The fast path (OpenSSL's HMAC object copied per hash) and the standard library's object give
    the digests a plain HMAC gives, and a new secret gives new ones."""
    import hashlib
    import hmac

    settings.NIK_HASH_SECRET = "secret-one-for-the-nik-index"
    plain = hmac.new(b"secret-one-for-the-nik-index", f"nik\x1f{NIK}".encode(), hashlib.sha256).hexdigest()[:32]
    assert keys.nik_hash(NIK) == plain
    monkeypatch.setattr(keys, "_openssl_hmac", None)
    monkeypatch.setattr(keys, "_BASE", None)
    assert keys.nik_hash(NIK) == plain
    settings.NIK_HASH_SECRET = "secret-two-for-the-nik-index"
    assert keys.nik_hash(NIK) != plain
    assert (
        keys.confirm_dob(NIK, "1990-01-02")
        == hmac.new(
            b"secret-two-for-the-nik-index", f"dob\x1f{NIK}\x1f1990-01-02".encode(), hashlib.sha256
        ).hexdigest()[:32]
    )
