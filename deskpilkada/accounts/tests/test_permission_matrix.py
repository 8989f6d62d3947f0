"""Every URL of the project against every role, inside and outside the role's area.

The expectations are written out here by hand; a URL that is missing from RULES, or whose view
declares no access rule, fails the test, so no new page or endpoint can slip in unprotected.
"""

import re

import pytest
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from deskpilkada import testing as make
from deskpilkada.accounts.access import PUBLIC, SIGNED_IN

# City-wide roles, and the province's desk admin, which reaches the whole city too.
KOTA = {"admin", "viewer", "kpu", "bawaslu", "security", "bpbd", "health", "comms", "civil", "admin_prov"}
# Roles limited to Kecamatan Bogor Barat (the hospital persona is RSUD Kota Bogor's staff there).
BOGOR_BARAT = {"ppk", "camat", "bawaslu_kec", "security_kec", "health_kec", "hospital"}
ALL = KOTA | BOGOR_BARAT | {"pps", "kpps", "lurah"}
ADMINS = {"admin", "admin_prov"}

# Sample objects: a TPS in Kebon Pedes (Tanah Sareal), one in Bogor Barat, one in Bogor Selatan.
TPS_KEBON_PEDES = "3271061002028"
TPS_BOGOR_BARAT = "3271041001001"
TPS_BOGOR_SELATAN = "3271011001001"
# Who reaches each sample by area (for capabilities every role holds).
TPS_REACH = {
    TPS_KEBON_PEDES: KOTA | {"pps", "kpps", "lurah"},
    TPS_BOGOR_BARAT: KOTA | BOGOR_BARAT,
    TPS_BOGOR_SELATAN: KOTA,
}
REGION_REACH = {
    "32.71": KOTA,
    "32.71.04": KOTA | BOGOR_BARAT,
    "3271061002": KOTA | {"pps", "lurah"},
    "32.71.01": KOTA,
}
TPS_MANAGERS = {"kpu"}
MAYOR = "pilwalkot-bogor-2024"
INVITATIONS = {TPS_KEBON_PEDES: {"kpu", "pps", "kpps"}, TPS_BOGOR_BARAT: {"kpu"}, TPS_BOGOR_SELATAN: {"kpu"}}
TALLY_ENTER = {TPS_KEBON_PEDES: {"kpu", "kpps"}, TPS_BOGOR_BARAT: {"kpu", "ppk"}, TPS_BOGOR_SELATAN: {"kpu"}}
TALLY_VERIFY = {TPS_KEBON_PEDES: {"kpu"}, TPS_BOGOR_BARAT: {"kpu", "ppk"}, TPS_BOGOR_SELATAN: {"kpu"}}
SHEET_BODY = {
    "kode_tps": TPS_KEBON_PEDES,
    "pemilihan": MAYOR,
    "dpt": 500,
    "dptb": 0,
    "dpk": 0,
    "pengguna_dpt": 300,
    "pengguna_dptb": 0,
    "pengguna_dpk": 0,
    "surat_suara_diterima": 513,
    "surat_suara_digunakan": 300,
    "surat_suara_rusak": 0,
    "surat_suara_sisa": 213,
    "suara_sah": 290,
    "suara_tidak_sah": 10,
    "paslon": {"1": 50, "2": 60, "3": 70, "4": 80, "5": 30},
}


class Made(str):
    """A sample object the test makes before the requests, named in RULES by this key (its id is
    known only once it is made): see `samples`."""


ACTIVITY_KEBON_PEDES, ACTIVITY_BOGOR_BARAT = Made("activity_kebon_pedes"), Made("activity_bogor_barat")
PLANO_PHOTO, CHECKPOINT = Made("plano_photo"), Made("checkpoint")

# Cases (issue 10): the staff pages need incidents.report, which every staff role holds; a case is
# then seen by the desk and by its category's handlers inside their area (deskpilkada/cases/access.py),
# and one the persona may not see answers 404 (HIDDEN_AS_404), so that its existence does not show.
REPORT_INCIDENTS = "incidents.report"
CASE_DESK = {"admin", "viewer", "admin_prov"}
# name: (category, place, who sees it, who handles it)
CASE_SAMPLES = {
    "fraud_bb": ("fraud", TPS_BOGOR_BARAT, CASE_DESK | {"bawaslu", "bawaslu_kec", "camat"}, {"bawaslu", "bawaslu_kec"}),
    "hoax_kp": ("hoax", TPS_KEBON_PEDES, CASE_DESK | {"comms", "lurah"}, {"comms"}),
    "security_bs": ("security", TPS_BOGOR_SELATAN, CASE_DESK | {"security"}, {"security"}),
    "health_bb": ("health", TPS_BOGOR_BARAT, CASE_DESK | {"health", "health_kec", "camat"}, {"health", "health_kec"}),
    # Past Bawaslu's recommendation, so BKPSDM sees and handles it too.
    "asn_bb": (
        "asn",
        "32.71.04.1001",
        CASE_DESK | {"bawaslu", "bawaslu_kec", "camat", "civil"},
        {"bawaslu", "bawaslu_kec", "civil"},
    ),
}
CASE = {name: Made(f"case_{name}") for name in CASE_SAMPLES}
CASE_CODE, CASE_ATTACHMENT = Made("case_code_fraud_bb"), Made("case_attachment_fraud_bb")
CLARIFICATION = Made("clarification_hoax_kp")
REPORT_BODY = {
    "category": "security",
    "description": "Keributan di depan TPS 028 Kebon Pedes.",
    "place_code": TPS_KEBON_PEDES,
    "occurred_at": "2024-11-27T09:00:00+07:00",
}

# Logistics (issue 11): the desk reads inside its area; KPU, PPK, PPS and KPPS act in the chain
# (logistics.receive), and only a shipment's own receiver gets its receipt form (others a refusal).
LOGISTICS_VIEW, LOGISTICS_RECEIVE, LOGISTICS_MANAGE = "desk.view", "logistics.receive", "logistics.manage"
CHAIN = {"kpu", "ppk", "pps", "kpps"}
SHIP_TO_TPS, SHIP_TO_PPK = Made("logistics_to_tps"), Made("logistics_to_ppk")
LOGISTICS_RECEIPT, LOGISTICS_UNIT, LOGISTICS_ITEM = (
    Made("logistics_receipt"),
    Made("logistics_unit"),
    Made("logistics_item"),
)
# Who sees each sample shipment: sent to or from a holder inside the reader's area.
SHIP_REACH = {SHIP_TO_TPS: TPS_REACH[TPS_KEBON_PEDES], SHIP_TO_PPK: KOTA | BOGOR_BARAT}
SHIP_RECEIVER = {SHIP_TO_TPS: {"kpps"}, SHIP_TO_PPK: {"ppk"}}
DELIVERY = Made("logistics_delivery")  # received at the KPU warehouse: only KPU may correct its receipt

# Readiness (issue 12): the desk reads all; each part is written by its own role, inside its area.
READINESS = {TPS_KEBON_PEDES: {"pps", "kpps"}, TPS_BOGOR_BARAT: set(), TPS_BOGOR_SELATAN: set()}
RELOCATION = {TPS_KEBON_PEDES: {"kpu"}, TPS_BOGOR_BARAT: {"kpu", "ppk"}, TPS_BOGOR_SELATAN: {"kpu"}}
HAZARDS = {code: {"bpbd"} for code in TPS_REACH}
RISK = {
    TPS_KEBON_PEDES: {"bawaslu", "security"},
    TPS_BOGOR_BARAT: {"bawaslu", "security", "bawaslu_kec", "security_kec"},
    TPS_BOGOR_SELATAN: {"bawaslu", "security"},
}
SECURITY = {
    TPS_KEBON_PEDES: {"security"},
    TPS_BOGOR_BARAT: {"security", "security_kec"},
    TPS_BOGOR_SELATAN: {"security"},
}
WEATHER = Made("weather_warning")

# Health (issue 13): RSUD Kota Bogor lies in Bogor Barat (the hospital persona's own), RS PMI in Bogor Tengah.
HEALTH_VIEW = "health.view"
HEALTH_READERS = {"admin", "viewer", "kpu", "health", "admin_prov", "camat", "lurah", "health_kec"}
RSUD, PMI = "3271104", "3271013"
HOSPITAL_REACH = {
    RSUD: {"admin", "viewer", "kpu", "health", "admin_prov", "camat", "health_kec", "hospital"},
    PMI: {"admin", "viewer", "kpu", "health", "admin_prov"},
}
HEALTH_VISIT = Made("health_visit")
HEALTH_DUTY = {
    TPS_KEBON_PEDES: {"health", "pps", "kpps"},
    TPS_BOGOR_BARAT: {"health", "health_kec"},
    TPS_BOGOR_SELATAN: {"health"},
}
ANSWER_PHOTO_KP, ANSWER_PHOTO_BB = Made("answer_photo_kebon_pedes"), Made("answer_photo_bogor_barat")


# Officers (issue 13): the desk, KPU, the committees, the KPPS, the health office and the area heads read
# the registry inside their area (officers.view); KPU manages it; KPU, PPK and PPS record attendance;
# the health office enters screenings.
OFFICER_VIEW = {"admin", "viewer", "kpu", "ppk", "pps", "kpps", "health", "health_kec", "camat", "lurah", "admin_prov"}
OFFICER_KP, OFFICER_BB = Made("officer_kp"), Made("officer_bb")
TRAINING_SESSION, TRAINING_MATERIAL = Made("session"), Made("material")


def _per_tps(who: dict[str, set[str]]) -> list[tuple[dict, set[str]]]:
    return [({"code": c}, allowed) for c, allowed in who.items()]


# url name -> (rule the view must declare, [(kwargs, personas expected to get through)])
RULES = {
    "desk:home": (PUBLIC, [({}, ALL)]),
    "desk:overview": ("desk.view", [({}, ALL)]),
    "desk:point": ("desk.view", [({"slug": "logistik"}, ALL), ({"slug": "penghitungan"}, ALL)]),
    "accounts:login": (PUBLIC, [({}, ALL)]),
    "accounts:logout": (PUBLIC, [({}, ALL)]),
    "accounts:reauth": (SIGNED_IN, [({}, ALL)]),
    "accounts:profile": (SIGNED_IN, [({}, ALL)]),
    "accounts:token_revoke": (SIGNED_IN, [({"pk": 1}, ALL)]),
    "accounts:user_list": ("accounts.manage", [({}, ADMINS)]),
    "accounts:user_create": ("accounts.manage", [({}, ADMINS)]),
    # A user may manage only users whose every role lies inside its area (the city admin not the province's).
    "accounts:user_detail": (
        "accounts.manage",
        [({"username": "kpps.kebonpedes028"}, ADMINS), ({"username": "admin.jabar"}, {"admin_prov"})],
    ),
    "accounts:user_set_active": ("accounts.manage", [({"username": "kpps.kebonpedes028"}, ADMINS)]),
    "accounts:role_revoke": ("accounts.manage", [({"username": "kpps.kebonpedes028", "pk": 1}, ADMINS)]),
    # Organisations have no area: every desk admin manages them.
    "accounts:organisation_list": ("accounts.manage", [({}, ADMINS)]),
    "accounts:organisation_create": ("accounts.manage", [({}, ADMINS)]),
    "accounts:organisation_detail": ("accounts.manage", [({"code": "bpbd-bogor"}, ADMINS)]),
    "accounts:organisation_set_active": ("accounts.manage", [({"code": "bpbd-bogor"}, ADMINS)]),
    "regions:index": ("regions.view", [({}, ALL)]),
    "regions:detail": ("regions.view", [({"code": c}, who) for c, who in REGION_REACH.items()]),
    "elections:list": ("elections.view", [({}, ALL)]),
    "elections:detail": ("elections.view", [({"code": "pilkada-2024"}, ALL)]),
    "elections:sirekap_ids": (
        "elections.manage",
        [
            ({"code": "pilkada-2024", "contest": "pilwalkot-bogor-2024"}, {"kpu"}),
            ({"code": "pilkada-2024", "contest": "pilgub-jabar-2024"}, {"kpu"}),
        ],
    ),
    "tps:list": ("tps.view", [({}, ALL)]),
    "tps:create": ("tps.manage", [({}, TPS_MANAGERS)]),
    "tps:map": ("tps.view", [({}, ALL)]),
    "tps:map_data": ("tps.view", [({}, ALL)]),
    "tps:import": ("tps.manage", [({}, TPS_MANAGERS)]),
    "tps:bulk": ("tps.manage", [({}, TPS_MANAGERS)]),
    "tps:export": ("tps.view", [({"fmt": "csv"}, ALL), ({"fmt": "xlsx"}, ALL)]),
    "tps:template": ("tps.view", [({"fmt": "csv"}, ALL)]),
    "tps:detail": ("tps.view", [({"code": c}, who) for c, who in TPS_REACH.items()]),
    "tps:edit": ("tps.manage", [({"code": c}, who & TPS_MANAGERS) for c, who in TPS_REACH.items()]),
    # Health (issue 13, point 9): health figures only to health.view (the desk, KPU, Dinkes, camat and
    # lurah) inside their area; a hospital reaches only its own hospital (another is a 404); health posts
    # are for every staff role; duty notes are written at the TPS by its KPPS, its PPS and Dinkes.
    "health:overview": ("desk.view", [({}, ALL)]),
    "health:hospitals": ("desk.view", [({}, ALL)]),  # the register; its figures only to HEALTH_READERS
    "health:hospitals_export": (HEALTH_VIEW, [({"fmt": "csv"}, HEALTH_READERS), ({"fmt": "xlsx"}, HEALTH_READERS)]),
    "health:hospital": (
        "desk.view",
        [({"code": RSUD}, HOSPITAL_REACH[RSUD]), ({"code": PMI}, HOSPITAL_REACH[PMI])],
    ),
    "health:visit": ("desk.view", [({"code": RSUD, "pk": HEALTH_VISIT}, HOSPITAL_REACH[RSUD])]),
    "health:posts": ("desk.view", [({}, ALL)]),
    "health:posts_export": ("desk.view", [({"fmt": "csv"}, ALL), ({"fmt": "xlsx"}, ALL)]),
    "health:post_new": ("health.manage", [({}, {"health", "health_kec"})]),
    "health:incidents": (HEALTH_VIEW, [({}, HEALTH_READERS)]),
    "health:incidents_export": (HEALTH_VIEW, [({"fmt": "csv"}, HEALTH_READERS), ({"fmt": "xlsx"}, HEALTH_READERS)]),
    "health:duty": (HEALTH_VIEW, [({}, HEALTH_READERS)]),
    "health:duty_edit": ("health.duty", [({"code": c}, who) for c, who in HEALTH_DUTY.items()]),
    "api:/hospitals/coverage": ("desk.view", [({}, HEALTH_READERS | {"hospital"})]),
    "outreach:invitations": ("desk.view", [({}, ALL)]),
    "outreach:export": ("desk.view", [({}, ALL)]),
    "outreach:map": ("desk.view", [({}, ALL)]),
    "outreach:map_data": ("desk.view", [({}, ALL)]),
    "outreach:record": ("invitations.record", [({"code": c}, who) for c, who in INVITATIONS.items()]),
    "outreach:pick": ("invitations.record", [({}, {"kpu", "pps", "kpps"})]),
    "outreach:activities": ("desk.view", [({}, ALL)]),
    "outreach:priority": ("desk.view", [({}, ALL)]),
    # An activity's photo is read inside the area of its kelurahan (a TPS holds no activity).
    "outreach:activity_photo": (
        "desk.view",
        [
            ({"pk": ACTIVITY_KEBON_PEDES}, REGION_REACH["3271061002"]),
            ({"pk": ACTIVITY_BOGOR_BARAT}, KOTA | BOGOR_BARAT),
        ],
    ),
    "voters:lookup": (PUBLIC, [({}, ALL)]),
    "voters:kelurahan_index": (PUBLIC, [({}, ALL)]),
    "voters:kelurahan_tps": (PUBLIC, [({"code": "32.71.06.1002"}, ALL)]),
    "voters:import": ("dpt.import", [({}, {"kpu"})]),
    "voters:template": ("dpt.import", [({}, {"kpu"})]),
    "api:/voters/lookup": (PUBLIC, [({}, ALL)]),
    "tally:home": ("tally.view", [({}, ALL)]),
    "tally:held": ("tally.view", [({}, ALL)]),
    "tally:disputed": ("tally.view", [({}, ALL)]),
    "tally:anomalies": ("tally.view", [({}, ALL)]),
    "tally:sirekap": ("tally.view", [({}, ALL)]),
    "tally:situation": ("tally.view", [({}, ALL)]),
    "tally:import": ("tally.import", [({}, {"kpu"})]),
    "tally:template": ("tally.view", [({}, ALL)]),
    "tally:photo": (PUBLIC, [({"pk": PLANO_PHOTO}, ALL)]),
    "tally:d_hasil": (
        "tally.view",
        [({"contest": MAYOR, "code": c}, REGION_REACH[c]) for c in ("32.71.04", "32.71.01")],
    ),
    "tally:finalise": ("tally.finalise", [({"contest": MAYOR, "code": "32.71.04"}, {"kpu"})]),
    "tally:sheet": ("tally.view", [({"code": c, "contest": MAYOR}, who) for c, who in TPS_REACH.items()]),
    "tally:enter": ("tally.enter", [({"code": c, "contest": MAYOR}, who) for c, who in TALLY_ENTER.items()]),
    "tally:verify": ("tally.verify", [({"code": c, "contest": MAYOR}, who) for c, who in TALLY_VERIFY.items()]),
    "tally:resolve": ("tally.verify", [({"code": c, "contest": MAYOR}, who) for c, who in TALLY_VERIFY.items()]),
    "tally:results": (PUBLIC, [({}, ALL)]),
    "tally:service_worker": (PUBLIC, [({}, ALL)]),
    "tally:manifest": (PUBLIC, [({}, ALL)]),
    "tally:results_region": (PUBLIC, [({"contest": MAYOR, "code": c}, ALL) for c in ("32.71", "3271041001001")]),
    "tally:verify_root": (PUBLIC, [({}, ALL)]),
    "tally:checkpoints": (PUBLIC, [({"contest": MAYOR}, ALL)]),
    "notifications:list": (SIGNED_IN, [({}, ALL)]),
    "notifications:read": (SIGNED_IN, [({}, ALL)]),
    "audit:list": ("audit.view", [({}, {"admin", "viewer", "bawaslu", "admin_prov", "bawaslu_kec"})]),
    "api_docs": (PUBLIC, [({}, ALL)]),
    "set_language": (PUBLIC, [({}, ALL)]),
    "api:openapi-json": (PUBLIC, [({}, ALL)]),
    "api:api-root": (PUBLIC, [({}, ALL)]),
    "api_not_found": (PUBLIC, [({}, ALL)]),  # any other /api/ path: the API's JSON 404
    # API operations: "api:<path>" (GET unless the method is named).
    "api:/me": (SIGNED_IN, [({}, ALL)]),
    "api:/regions/{code}": ("regions.view", [({"code": c}, who) for c, who in REGION_REACH.items()]),
    "api:/elections": ("elections.view", [({}, ALL)]),
    "api:/elections/{code}": ("elections.view", [({"code": "pilkada-2024"}, ALL)]),
    "api:/tps": ("tps.view", [({}, ALL)]),
    "api:POST /tps": ("tps.manage", [({}, TPS_MANAGERS)]),
    "api:/tps/{code}": ("tps.view", [({"code": c}, who) for c, who in TPS_REACH.items()]),
    "api:PATCH /tps/{code}": ("tps.manage", [({"code": c}, who & TPS_MANAGERS) for c, who in TPS_REACH.items()]),
    "api:POST /tally-sheets": ("tally.enter", [({}, {"kpu", "kpps"})]),
    "api:POST /tally-sheets/batch": ("tally.enter", [({}, {"kpu", "kpps", "ppk"})]),
    "api:POST /tally-sheets/{contest}/{tps_code}/photos": (
        "tally.enter",
        [({"contest": MAYOR, "tps_code": c}, who) for c, who in TALLY_ENTER.items()],
    ),
    "api:/tally-sheets/{contest}/{tps_code}": (
        "tally.view",
        [({"contest": MAYOR, "tps_code": c}, who) for c, who in TPS_REACH.items()],
    ),
    "api:/results/{contest}/{region_code}": (PUBLIC, [({"contest": MAYOR, "region_code": "3271"}, ALL)]),
    "api:HEAD /results/{contest}/{region_code}": (PUBLIC, [({"contest": MAYOR, "region_code": "3271"}, ALL)]),
    "api:/tally-checkpoints/{contest}": (PUBLIC, [({"contest": MAYOR}, ALL)]),
    "api:/tally-checkpoints/{contest}/{checkpoint_id}": (
        PUBLIC,
        [({"contest": MAYOR, "checkpoint_id": CHECKPOINT}, ALL)],
    ),
    "api:/tally-signing-key": (PUBLIC, [({}, ALL)]),
    "cases:inbox": (REPORT_INCIDENTS, [({}, ALL)]),
    "cases:new": (REPORT_INCIDENTS, [({}, ALL)]),
    "cases:export": (REPORT_INCIDENTS, [({"fmt": "csv"}, ALL), ({"fmt": "xlsx"}, ALL)]),
    "cases:import": (REPORT_INCIDENTS, [({}, ALL)]),
    "cases:timeline": (REPORT_INCIDENTS, [({}, ALL)]),
    "cases:template": (REPORT_INCIDENTS, [({"fmt": "csv"}, ALL), ({"fmt": "xlsx"}, ALL)]),
    "cases:bulk": (REPORT_INCIDENTS, [({}, ALL)]),  # POST only: the bulk rows are the ones the user handles
    "cases:detail": (REPORT_INCIDENTS, [({"pk": CASE[n]}, sees) for n, (_c, _p, sees, _h) in CASE_SAMPLES.items()]),
    "cases:act": (REPORT_INCIDENTS, [({"pk": CASE["fraud_bb"]}, ALL)]),  # POST only: checked per action
    "cases:pdf": (REPORT_INCIDENTS, [({"pk": CASE[n]}, sees) for n, (_c, _p, sees, _h) in CASE_SAMPLES.items()]),
    "cases:attachment": (REPORT_INCIDENTS, [({"pk": CASE_ATTACHMENT}, CASE_SAMPLES["fraud_bb"][2])]),
    "cases:report": (PUBLIC, [({}, ALL)]),
    "cases:report_lookup": (PUBLIC, [({}, ALL)]),
    "cases:report_status": (PUBLIC, [({"code": CASE_CODE}, ALL)]),
    "cases:clarifications": (PUBLIC, [({}, ALL)]),
    "cases:feed": (PUBLIC, [({}, ALL)]),
    "cases:clarification": (PUBLIC, [({"pk": CLARIFICATION}, ALL)]),
    "officers:home": ("officers.view", [({}, OFFICER_VIEW)]),
    "officers:tps_list": ("officers.view", [({}, OFFICER_VIEW)]),
    "officers:tps_export": ("officers.view", [({"fmt": "csv"}, OFFICER_VIEW), ({"fmt": "xlsx"}, OFFICER_VIEW)]),
    "officers:tps": ("officers.view", [({"code": c}, who & OFFICER_VIEW) for c, who in TPS_REACH.items()]),
    "officers:list": ("officers.view", [({}, OFFICER_VIEW)]),
    "officers:list_export": ("officers.view", [({"fmt": "csv"}, OFFICER_VIEW), ({"fmt": "xlsx"}, OFFICER_VIEW)]),
    "officers:appoint": ("officers.manage", [({}, {"kpu"})]),
    "officers:import": ("officers.manage", [({}, {"kpu"})]),
    "officers:template": ("officers.manage", [({"fmt": "csv"}, {"kpu"}), ({"fmt": "xlsx"}, {"kpu"})]),
    "officers:officer": (
        "officers.view",
        [
            ({"pk": OFFICER_KP}, TPS_REACH[TPS_KEBON_PEDES] & OFFICER_VIEW),
            ({"pk": OFFICER_BB}, TPS_REACH[TPS_BOGOR_BARAT] & OFFICER_VIEW),
        ],
    ),
    "officers:screen": ("health.manage", [({"pk": 1}, {"health", "health_kec"})]),  # POST only
    "officers:replace": ("officers.manage", [({"pk": 1}, {"kpu"})]),  # POST only
    "officers:screening": ("officers.view", [({}, OFFICER_VIEW)]),
    "officers:sessions": ("officers.view", [({}, OFFICER_VIEW)]),
    "officers:session_new": ("officers.manage", [({}, {"kpu"})]),
    "officers:session": ("officers.view", [({"pk": TRAINING_SESSION}, OFFICER_VIEW)]),
    "officers:invite": ("officers.manage", [({"pk": 1}, {"kpu"})]),  # POST only
    "officers:attendance": ("officers.train", [({"pk": 1}, {"kpu", "ppk", "pps"})]),  # POST only
    "officers:attendance_import": ("officers.train", [({"pk": 1}, {"kpu", "ppk", "pps"})]),  # POST only
    "officers:material_upload": ("officers.manage", [({"pk": 1}, {"kpu"})]),  # POST only
    "officers:material": ("officers.view", [({"pk": TRAINING_MATERIAL}, OFFICER_VIEW)]),
    "api:/officers/coverage/{region_code}": (
        "officers.view",
        [({"region_code": c}, who & OFFICER_VIEW) for c, who in REGION_REACH.items()]
        + [({"region_code": c}, who & OFFICER_VIEW) for c, who in TPS_REACH.items()],
    ),
    "readiness:overview": ("desk.view", [({}, ALL)]),
    "readiness:map": ("desk.view", [({}, ALL)]),
    "readiness:map_data": ("desk.view", [({}, ALL)]),
    "readiness:warnings": ("desk.view", [({}, ALL)]),
    "readiness:warnings_export": ("desk.view", [({"fmt": "csv"}, ALL), ({"fmt": "xlsx"}, ALL)]),
    "readiness:risky": ("desk.view", [({}, ALL)]),
    "readiness:risky_export": ("desk.view", [({"fmt": "csv"}, ALL)]),
    "readiness:security": ("desk.view", [({}, ALL)]),
    "readiness:security_export": ("desk.view", [({"fmt": "xlsx"}, ALL)]),
    "readiness:post_new": ("security.manage", [({}, {"security", "security_kec"})]),
    "readiness:vulnerability": ("desk.view", [({}, ALL)]),
    "readiness:vulnerability_import": ("risk.manage", [({}, {"bawaslu", "security", "bawaslu_kec", "security_kec"})]),
    "readiness:vulnerability_template": (
        "risk.manage",
        [({"fmt": "csv"}, {"bawaslu", "security", "bawaslu_kec", "security_kec"})],
    ),
    "readiness:relocations": ("desk.view", [({}, ALL)]),
    "readiness:weather": ("desk.view", [({}, ALL)]),
    "readiness:weather_new": ("hazards.manage", [({}, {"bpbd"})]),
    "readiness:weather_detail": ("desk.view", [({"pk": WEATHER}, ALL)]),
    "readiness:tps": ("desk.view", _per_tps(TPS_REACH)),
    "readiness:warning_resolve": ("desk.view", [({"pk": 1}, ALL)]),  # POST only: checked on the warning's TPS
    "readiness:answer_photo": (
        "desk.view",
        [({"pk": ANSWER_PHOTO_KP}, TPS_REACH[TPS_KEBON_PEDES]), ({"pk": ANSWER_PHOTO_BB}, TPS_REACH[TPS_BOGOR_BARAT])],
    ),
    "readiness:checklist": ("readiness.manage", _per_tps(READINESS)),
    "readiness:hazard": ("hazards.manage", _per_tps(HAZARDS)),
    "readiness:plan": ("relocation.manage", _per_tps(RELOCATION)),
    "readiness:relocate": ("relocation.manage", _per_tps(RELOCATION)),
    "readiness:assess": ("risk.manage", _per_tps(RISK)),
    "readiness:deploy": ("security.manage", _per_tps(SECURITY)),
    "api:POST /tps/{code}/relocation": ("relocation.manage", _per_tps(RELOCATION)),
    "api:/readiness/{region_code}": ("desk.view", [({"region_code": c}, who) for c, who in REGION_REACH.items()]),
    "api:POST /reports": (PUBLIC, [({}, ALL)]),
    "api:/reports/{tracking_code}": (PUBLIC, [({"tracking_code": CASE_CODE}, ALL)]),
    "api:/cases": (REPORT_INCIDENTS, [({}, ALL)]),
    "api:/cases/{case_id}": (
        REPORT_INCIDENTS,
        [({"case_id": CASE[n]}, sees) for n, (_c, _p, sees, _h) in CASE_SAMPLES.items()],
    ),
    "api:POST /cases/{case_id}/transition": (
        REPORT_INCIDENTS,
        [({"case_id": CASE[n]}, handles) for n, (_c, _p, _s, handles) in CASE_SAMPLES.items()],
    ),
    "logistics:home": (LOGISTICS_VIEW, [({}, ALL)]),
    "logistics:needs": (LOGISTICS_VIEW, [({}, ALL)]),
    "logistics:needs_export": (LOGISTICS_VIEW, [({"fmt": "csv"}, ALL), ({"fmt": "xlsx"}, ALL)]),
    "logistics:alerts": (LOGISTICS_VIEW, [({}, ALL)]),
    "logistics:alerts_export": (LOGISTICS_VIEW, [({"fmt": "csv"}, ALL), ({"fmt": "xlsx"}, ALL)]),
    "logistics:map": (LOGISTICS_VIEW, [({}, ALL)]),
    "logistics:map_data": (LOGISTICS_VIEW, [({}, ALL)]),
    "logistics:items": (LOGISTICS_VIEW, [({}, ALL)]),
    "logistics:item_edit": (LOGISTICS_MANAGE, [({"code": LOGISTICS_ITEM}, {"kpu"})]),
    "logistics:shipments": (LOGISTICS_VIEW, [({}, ALL)]),
    "logistics:shipments_export": (LOGISTICS_VIEW, [({"fmt": "csv"}, ALL), ({"fmt": "xlsx"}, ALL)]),
    "logistics:shipment_new": (LOGISTICS_RECEIVE, [({}, CHAIN)]),
    "logistics:kecamatan_shipments": (LOGISTICS_MANAGE, [({}, {"kpu"})]),  # POST only
    "logistics:shipment_bulk": (LOGISTICS_RECEIVE, [({}, CHAIN)]),  # POST only: checked per shipment
    "logistics:import": (LOGISTICS_RECEIVE, [({}, CHAIN)]),
    "logistics:template": (LOGISTICS_RECEIVE, [({"fmt": "csv"}, CHAIN), ({"fmt": "xlsx"}, CHAIN)]),
    "logistics:shipment": (LOGISTICS_VIEW, [({"code": s}, who) for s, who in SHIP_REACH.items()]),
    "logistics:shipment_act": (LOGISTICS_RECEIVE, [({"code": SHIP_TO_TPS}, CHAIN)]),  # POST only: checked per action
    "logistics:receive": (LOGISTICS_RECEIVE, [({"code": s}, who) for s, who in SHIP_RECEIVER.items()]),
    "logistics:correct": (LOGISTICS_RECEIVE, [({"code": DELIVERY}, {"kpu"})]),
    "logistics:receipt_photo": (LOGISTICS_VIEW, [({"pk": LOGISTICS_RECEIPT}, KOTA)]),
    "logistics:labels": (LOGISTICS_VIEW, [({}, ALL)]),
    "logistics:scan": (LOGISTICS_RECEIVE, [({}, CHAIN)]),
    "logistics:scan_code": (LOGISTICS_RECEIVE, [({"code": s}, who) for s, who in SHIP_RECEIVER.items()]),
    "logistics:tps": (LOGISTICS_VIEW, [({"code": c}, who) for c, who in TPS_REACH.items()]),
    "logistics:unit": (LOGISTICS_VIEW, [({"code": LOGISTICS_UNIT}, TPS_REACH[TPS_KEBON_PEDES])]),
    "api:/logistics/needs/{region_code}": (
        LOGISTICS_VIEW,
        [({"region_code": c}, who) for c, who in REGION_REACH.items()],
    ),
    "api:/logistics/alerts": (LOGISTICS_VIEW, [({}, ALL)]),
    "api:POST /logistics/shipments/{shipment_id}/receive": (
        LOGISTICS_RECEIVE,
        [({"shipment_id": s}, who) for s, who in SHIP_RECEIVER.items()],
    ),
}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (f"{namespace}{p.name}" if p.name else None), p.callback


def _ninja_operations(callback):
    """The operations behind one django-ninja path view: [(method, declared access)]."""
    for cell in getattr(callback, "__closure__", None) or ():
        path_view = cell.cell_contents
        if hasattr(path_view, "operations"):
            return [(m, getattr(op.view_func, "access", None)) for op in path_view.operations for m in op.methods]
    return None


def declared_rules():
    """(matrix key, declared access) for every URL and API operation of the project."""
    found = []
    for route, name, callback in _walk(get_resolver().url_patterns):
        ops = _ninja_operations(callback)
        if ops is None:
            found.append((name or route, getattr(callback, "access", None)))
            continue
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.split("api/v1/", 1)[1])
        for method, access in ops:
            key = f"api:{path}" if method == "GET" else f"api:{method} {path}"
            found.append((key, access))
    return found


def test_every_url_declares_an_access_rule_and_is_in_the_matrix():
    declared = declared_rules()
    undeclared = [key for key, access in declared if access is None]
    assert not undeclared, f"views without an access rule: {undeclared}"
    missing = [key for key, _ in declared if key not in RULES]
    assert not missing, f"URLs missing from the permission matrix: {missing}"
    wrong = [(key, access, RULES[key][0]) for key, access in declared if RULES[key][0] != access]
    assert not wrong, f"declared rule differs from the matrix: {wrong}"
    stale = set(RULES) - {key for key, _ in declared}
    assert not stale, f"matrix rows for URLs that no longer exist: {stale}"


def _request(client, key, kwargs):
    from django.urls import reverse

    if key.startswith("api:") and key not in NINJA_BUILTIN:
        method, _, path = key[4:].rpartition(" ")
        url = "/api/v1" + path.format(**kwargs)
        # Valid bodies, so that only the access rule can refuse.
        if method == "POST" and path == "/tally-sheets":
            return client.post(url, data=SHEET_BODY, content_type="application/json")
        if method == "POST" and path == "/tally-sheets/batch":
            return client.post(url, data=[SHEET_BODY], content_type="application/json")
        if method == "POST" and path.endswith("/photos"):  # a plano photo of the sample's sheet
            from django.core.files.uploadedfile import SimpleUploadedFile

            return client.post(url, data={"foto": SimpleUploadedFile("plano.png", make.PNG, content_type="image/png")})
        if method == "POST" and path == "/reports":
            with override_settings(CASE_REPORT_LIMIT=10_000):  # every persona's report, not a burst
                return client.post(url, data=REPORT_BODY, content_type="application/json")
        if method == "POST" and path.endswith("/receive"):  # an empty receipt: 422 for the receiver
            return client.post(url, data={"lines": [], "signed_by": "Uji"}, content_type="application/json")
        if method == "POST" and path.endswith("/relocation"):
            return client.post(
                url, data={"address": "Balai RW 01 (uji)", "reason": "uji"}, content_type="application/json"
            )
        if method == "POST" and path.endswith("/transition"):
            return client.post(url, data={"to": "verified"}, content_type="application/json")
        if method == "POST":
            body = {"kelurahan": "32.71.06.1002", "number": 777, "dpt_male": 1, "dpt_female": 1}
            return client.post(url, data=body, content_type="application/json")
        if method == "PATCH":
            return client.patch(url, data={"version": 1}, content_type="application/json")
        if method == "HEAD":
            return client.head(url)
        if path == "/voters/lookup":
            url += "?nik=9900000000000001&confirm=pem"
        return client.get(url)
    return client.get(reverse(key, kwargs=kwargs))


NINJA_BUILTIN = {"api:openapi-json", "api:api-root"}
CASES = [(key, i) for key, (_rule, samples) in RULES.items() for i in range(len(samples))]
# The URLs whose sample objects are C.Hasil of the sample TPS (the matrix's other samples are the
# world's TPS, regions, users and election); the entry itself is left to the POST samples.
WITH_SHEETS = {
    "tally:sheet",
    "tally:verify",
    "tally:resolve",
    "tally:photo",
    "tally:checkpoints",
    "api:/tally-sheets/{contest}/{tps_code}",
    "api:POST /tally-sheets/{contest}/{tps_code}/photos",
    "api:/tally-checkpoints/{contest}",
    "api:/tally-checkpoints/{contest}/{checkpoint_id}",
}


# The URLs whose sample objects are cases (CASE_SAMPLES), an attachment or a clarification of one.
WITH_CASES = {
    "cases:detail",
    "cases:pdf",
    "cases:act",
    "cases:attachment",
    "cases:report_status",
    "cases:clarification",
    "api:/reports/{tracking_code}",
    "api:/cases/{case_id}",
    "api:POST /cases/{case_id}/transition",
}
# The URLs whose sample objects are logistics shipments, a receipt or a labelled box.
WITH_LOGISTICS = {
    "logistics:item_edit",
    "logistics:correct",
    "logistics:shipment",
    "logistics:shipment_act",
    "logistics:receive",
    "logistics:receipt_photo",
    "logistics:scan_code",
    "logistics:unit",
    "api:POST /logistics/shipments/{shipment_id}/receive",
}
WITH_OFFICERS = {"officers:officer", "officers:session", "officers:material"}
# Object URLs that answer 404 for an object the persona may not see: there a 404 is a refusal.
HIDDEN_AS_404 = {
    "health:hospital",
    "health:visit",
    "logistics:shipment",
    "logistics:correct",
    "logistics:receipt_photo",
    "api:POST /logistics/shipments/{shipment_id}/receive",
    "cases:detail",
    "cases:pdf",
    "cases:attachment",
    "api:/cases/{case_id}",
    "api:POST /cases/{case_id}/transition",
}


def _case_samples() -> dict[str, object]:
    """The cases of CASE_SAMPLES, the fraud case's tracking code and a photo of it, and a published
    clarification of the hoax."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from deskpilkada.cases import actions

    cases = {name: make.make_case(category, place) for name, (category, place, _s, _h) in CASE_SAMPLES.items()}
    asn = cases["asn_bb"]
    actions.add_step(asn, by=None, kind="recommendation", on=asn.known_at.date(), reference="REK/01/2024")
    photo = actions.add_attachment(cases["fraud_bb"], by=None, upload=SimpleUploadedFile("bukti.png", make.PNG))
    clarification = actions.publish_clarification(
        cases["hoax_kp"],
        by=None,
        title="Klarifikasi uji",
        text="Informasi itu tidak benar, kata KPU.",
        claim="Klaim uji yang beredar.",
        verdict="hoax",
    )
    made: dict[str, object] = {CASE[name]: case.pk for name, case in cases.items()}
    made.update(
        {CASE_CODE: cases["fraud_bb"].tracking_code, CASE_ATTACHMENT: photo.pk, CLARIFICATION: clarification.pk}
    )
    return made


def _weather_sample() -> int:
    import datetime as dt

    from deskpilkada import clock
    from deskpilkada.readiness.actions import add_weather_warning

    start = clock.now()
    warning = add_weather_warning(
        by=None,
        region=make.region("32.71"),
        kind="banjir",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        text="uji",
    )
    return warning.pk


def _answer_photos(*codes: str) -> list[int]:
    """A checklist answer with a photo at each TPS."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from deskpilkada.readiness.actions import answer_checklist
    from deskpilkada.readiness.models import ChecklistAnswer

    ids = []
    for code in codes:
        photo = SimpleUploadedFile("jalan.png", make.PNG, content_type="image/png")
        answer_checklist(by=None, tps=make.tps(code), answers={"kursi_roda": "tidak"}, photos={"kursi_roda": photo})
        ids.append(ChecklistAnswer.objects.get(tps__code=code, current=True, item__code="kursi_roda").pk)
    return ids


@pytest.fixture
def samples(db, settings, tmp_path):
    """make(key) -> the Made samples of that URL, made: a C.Hasil of the mayor's contest on each
    sample TPS, a plano photo and a checkpoint of them; an activity with a photo in Kebon Pedes and
    one in Bogor Barat. So that an allowed persona gets the object itself (200), not a 404."""
    settings.MEDIA_ROOT = tmp_path

    def build(key: str) -> dict[str, object]:
        made: dict[str, object] = {}
        if key in WITH_SHEETS:
            versions = [make.make_counted(code) for code in TPS_REACH]
            made[PLANO_PHOTO] = make.make_photo(versions[0]).pk
            made[CHECKPOINT] = make.make_checkpoint(MAYOR).pk
        if key == "outreach:activity_photo":
            made[ACTIVITY_KEBON_PEDES] = make.make_activity("32.71.06.1002", photo=make.PNG).pk
            made[ACTIVITY_BOGOR_BARAT] = make.make_activity("32.71.04.1001", photo=make.PNG).pk
        if key in WITH_CASES:
            made.update(_case_samples())
        if key == "health:visit":
            from deskpilkada.health.tests.make import hospital, make_visit

            made[HEALTH_VISIT] = make_visit(hospital(RSUD)).pk
        if key == "readiness:weather_detail":
            made[WEATHER] = _weather_sample()
        if key == "readiness:answer_photo":
            made[ANSWER_PHOTO_KP], made[ANSWER_PHOTO_BB] = _answer_photos(TPS_KEBON_PEDES, TPS_BOGOR_BARAT)
        if key in WITH_OFFICERS:
            from deskpilkada.officers.tests.make import matrix_samples as officer_samples

            found = officer_samples()
            made.update(
                {
                    OFFICER_KP: found["officer_kp"],
                    OFFICER_BB: found["officer_bb"],
                    TRAINING_SESSION: found["session"],
                    TRAINING_MATERIAL: found["material"],
                }
            )
        if key in WITH_LOGISTICS:
            from deskpilkada.logistics.tests.make import matrix_samples

            found = matrix_samples()
            made.update(
                {
                    SHIP_TO_TPS: found["to_tps"],
                    SHIP_TO_PPK: found["to_ppk"],
                    LOGISTICS_RECEIPT: found["receipt"],
                    LOGISTICS_UNIT: found["unit"],
                    LOGISTICS_ITEM: found["item"],
                    DELIVERY: found["delivery"],
                }
            )
        return made

    return build


@pytest.mark.parametrize(("key", "sample"), CASES, ids=[f"{k}#{i}" for k, i in CASES])
def test_each_role_reaches_exactly_what_the_matrix_allows(key, sample, client_as, client, samples):
    rule, rule_samples = RULES[key]
    kwargs, allowed = rule_samples[sample]
    made = samples(key)
    kwargs = {k: made[v] if isinstance(v, Made) else v for k, v in kwargs.items()}
    is_api = key.startswith("api:") and key not in NINJA_BUILTIN
    anonymous = _request(client, key, kwargs)
    if rule == PUBLIC:
        assert anonymous.status_code in (200, 201, 302, 404, 405), (key, anonymous.status_code)
    elif is_api and "/results/" not in key:
        assert anonymous.status_code == 401, (key, anonymous.status_code)
    else:
        assert anonymous.status_code == 302 and "/masuk/" in anonymous["Location"], (key, anonymous.status_code)
    failures = []
    for name in sorted(ALL):
        response = _request(client_as(name), key, kwargs)
        got_in = response.status_code not in (401, 403)
        if key in HIDDEN_AS_404 and response.status_code == 404:
            got_in = False  # the sample exists: a 404 is the view hiding it from this persona
        if got_in != (name in allowed):
            failures.append((name, response.status_code))
        if got_in and response.status_code >= 500:
            failures.append((name, response.status_code))
    assert not failures, f"{key} {kwargs}: unexpected (persona, status): {failures}"
