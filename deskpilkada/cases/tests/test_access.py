"""Who sees and handles which case (cases/access.py), on the inbox, the case page and the API:
by category (Bawaslu fraud and ASN, security its incidents, Diskominfo hoaxes, Dinkes health,
BKPSDM ASN cases once Bawaslu has recommended) and by area (the camat and lurah all of theirs and
nothing outside, the Bogor Barat accounts only Bogor Barat); the reporter's contact only to those
handling the case."""

import pytest

from deskpilkada.accounts.actions import create_api_token
from deskpilkada.cases import actions
from deskpilkada.cases.access import handlers, may_handle, may_see
from deskpilkada.cases.models import Case
from deskpilkada.cases.tests.conftest import BATU_TULIS, KEBON_PEDES, KEBON_PEDES_028, MENTENG, MENTENG_TPS_1
from deskpilkada.testing import make_case, make_user

pytestmark = pytest.mark.django_db

CONTACT = "0812-7777-1234"

# name: (category, place)
SAMPLES = {
    "fraud_bb": ("fraud", MENTENG_TPS_1),
    "fraud_kp": ("fraud", KEBON_PEDES_028),
    "asn_bb": ("asn", MENTENG),
    "asn_recommended": ("asn", MENTENG_TPS_1),
    "hoax_bb": ("hoax", MENTENG),
    "security_bb": ("security", MENTENG_TPS_1),
    "security_bs": ("security", BATU_TULIS),
    "health_bb": ("health", MENTENG),
    "disaster_bb": ("disaster", MENTENG_TPS_1),
    "logistics_kp": ("logistics", KEBON_PEDES),
    "other_bs": ("other", BATU_TULIS),
}
EVERY = set(SAMPLES)
BOGOR_BARAT = {name for name, (_c, place) in SAMPLES.items() if place.replace(".", "").startswith("327104")}
KP = {"fraud_kp", "logistics_kp"}
OUTSIDE_BB = EVERY - BOGOR_BARAT

# Who sees which sample.
SEES = {
    "admin": EVERY,
    "viewer": EVERY,
    "admin_prov": EVERY,
    "bawaslu": {"fraud_bb", "fraud_kp", "asn_bb", "asn_recommended"},
    "bawaslu_kec": {"fraud_bb", "asn_bb", "asn_recommended"},
    "security": {"security_bb", "security_bs"},
    "security_kec": {"security_bb"},
    "comms": {"hoax_bb"},
    "civil": {"asn_recommended"},
    "health": {"health_bb"},
    "health_kec": {"health_bb"},
    "camat": BOGOR_BARAT,
    "lurah": KP,
    "kpu": {"logistics_kp"},
    "ppk": set(),
    "pps": set(),
    "kpps": set(),
}
# Who handles which sample (sees its reporter's contact, acts on it).
HANDLES = {
    "admin": {"disaster_bb", "other_bs"},
    "admin_prov": {"disaster_bb", "other_bs"},
    "bawaslu": SEES["bawaslu"],
    "bawaslu_kec": SEES["bawaslu_kec"],
    "security": SEES["security"],
    "security_kec": SEES["security_kec"],
    "comms": {"hoax_bb"},
    "civil": {"asn_recommended"},
    "health": {"health_bb"},
    "health_kec": {"health_bb"},
    "kpu": {"logistics_kp"},
}


@pytest.fixture
def samples(persona) -> dict[str, Case]:
    out = {}
    for name, (category, place) in SAMPLES.items():
        out[name] = make_case(category, place, reporter_name="Warga Pelapor", reporter_contact=CONTACT)
    actions.add_step(
        out["asn_recommended"],
        by=persona("bawaslu"),
        kind="recommendation",
        on=out["asn_recommended"].known_at.date(),
        reference="REK/2024/11",
    )
    out["asn_recommended"].refresh_from_db()
    return out


@pytest.mark.parametrize("who", sorted(SEES))
def test_each_role_sees_its_categories_inside_its_area_and_nothing_else(who, samples, persona, client_as):
    user = persona(who)
    expected = SEES[who]
    assert {n for n, c in samples.items() if may_see(user, c)} == expected
    assert {n for n, c in samples.items() if may_handle(user, c)} == HANDLES.get(who, set())
    by_pk = {c.pk: n for n, c in samples.items()}
    listed = client_as(who).get("/kasus/?status=semua&kelompok=semua").context["page"]
    assert {by_pk[c.pk] for c in listed} == expected
    api = client_as(who).get("/api/v1/cases?status=semua")
    assert api.status_code == 200
    assert {by_pk[c["id"]] for c in api.json()} == expected


@pytest.mark.parametrize("who", sorted(SEES))
def test_the_case_page_and_the_api_answer_404_outside_what_one_sees(who, samples, client_as):
    client = client_as(who)
    for name, case in samples.items():
        page = client.get(f"/kasus/{case.pk}/")
        api = client.get(f"/api/v1/cases/{case.pk}")
        if name in SEES[who]:
            assert (page.status_code, api.status_code) == (200, 200), name
        else:
            assert (page.status_code, api.status_code) == (404, 404), name


def test_bawaslu_sees_fraud_and_asn_but_not_a_hoax(samples, persona):
    bawaslu = persona("bawaslu")
    assert may_see(bawaslu, samples["fraud_bb"]) and may_see(bawaslu, samples["asn_bb"])
    assert not may_see(bawaslu, samples["hoax_bb"])


def test_bkpsdm_sees_an_asn_case_only_after_bawaslus_recommendation(samples, persona):
    case = samples["asn_bb"]
    assert not may_see(persona("civil"), case)
    actions.add_step(case, by=persona("bawaslu"), kind="recommendation", on=case.known_at.date(), reference="REK/9")
    assert may_see(persona("civil"), case) and may_handle(persona("civil"), case)


def test_the_area_limited_accounts_see_only_bogor_barat(samples, persona):
    for who in ("bawaslu_kec", "security_kec", "health_kec", "camat"):
        seen = {n for n, c in samples.items() if may_see(persona(who), c)}
        assert seen and seen <= BOGOR_BARAT, who
        assert not seen & OUTSIDE_BB


def test_the_assignee_sees_and_handles_the_case_even_outside_its_categories(samples, persona):
    pkd = make_user("bawaslu", "32.71.04.1001")
    case = samples["security_bb"]
    assert not may_see(pkd, case)
    Case.objects.filter(pk=case.pk).update(assigned_to=pkd)
    assert may_see(pkd, case) and may_handle(pkd, case)


def test_the_handlers_of_a_case_are_its_categorys_in_its_area(samples, persona):
    names = {n: {u.username for u in handlers(c)} for n, c in samples.items()}
    assert names["fraud_bb"] == {"bawaslu", "panwascam.bogorbarat"}
    assert names["fraud_kp"] == {"bawaslu"}
    assert names["security_bb"] == {"polresta", "polsek.bogorbarat"}
    assert names["hoax_bb"] == {"diskominfo"}
    assert names["asn_bb"] == {"bawaslu", "panwascam.bogorbarat"}
    assert names["asn_recommended"] == {"bawaslu", "panwascam.bogorbarat", "bkpsdm"}
    assert names["health_bb"] == {"dinkes", "puskesmas.bogorbarat"}


# The reporter's contact


@pytest.mark.parametrize("who", ["bawaslu", "bawaslu_kec", "viewer", "camat", "admin"])
def test_the_reporters_contact_shows_only_to_those_handling_the_case(who, samples, client_as):
    case = samples["fraud_bb"]
    client = client_as(who)
    page = client.get(f"/kasus/{case.pk}/").content.decode()
    api = client.get(f"/api/v1/cases/{case.pk}").json()
    listed = next(c for c in client.get("/api/v1/cases").json() if c["id"] == case.pk)
    handles = who in ("bawaslu", "bawaslu_kec")
    assert (CONTACT in page) == handles and ("Warga Pelapor" in page) == handles
    assert api["reporter_contact"] == listed["reporter_contact"] == (CONTACT if handles else None)
    assert "Warga Pelapor" not in str(api)


def test_an_anonymous_report_keeps_no_name_or_contact():
    case = make_case("fraud", MENTENG, reporter_name="Fulan", reporter_contact=CONTACT, anonymous=True)
    assert (case.reporter_name, case.reporter_contact, case.anonymous) == ("", "", True)


def test_a_token_reads_the_same_scope_as_the_session(samples, persona, client):
    _token, raw = create_api_token(by=None, user=persona("security_kec"), name="aplikasi polsek")
    rows = client.get("/api/v1/cases?status=semua", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert [c["id"] for c in rows] == [samples["security_bb"].pk]


def test_a_staff_member_who_reported_a_case_can_open_it_afterwards(client_as):
    """The staff form sends the reporter to the case's page: a KPPS (who handles no category) must
    not land on a 404 after reporting from its TPS."""
    response = client_as("kpps").post(
        "/kasus/baru/",
        {
            "category": "security",
            "description": "Sekelompok orang berteriak-teriak di depan TPS 028.",
            "place_code": KEBON_PEDES_028,
            "occurred_at": "2024-11-27T09:00",
            "severity": "high",
        },
        follow=True,
    )
    case = Case.objects.get(created_by__username="kpps.kebonpedes028")
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/kasus/{case.pk}/"
    assert case.description in response.content.decode()
