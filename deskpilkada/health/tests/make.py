"""Small helpers of the health tests: hospitals, patients, serving TPS and visits through the actions."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from deskpilkada import testing as make
from deskpilkada.health import actions
from deskpilkada.health.models import Hospital, Visit

ZONE = ZoneInfo("Asia/Jakarta")
RSUD = "3271104"  # RSUD Kota Bogor, in Bogor Barat, the demo hospital persona's own
TPS_BB = "3271041001001"
TPS_BB2 = "3271041001002"
_nik = itertools.count(1)


def hospital(code: str = RSUD) -> Hospital:
    return Hospital.objects.select_related("region").get(code=code)


def make_hospital(area: str = "32.71.04", name: str = "RS Uji") -> Hospital:
    return make.make_hospital(area, name)


def make_patient(h: Hospital, origin: str = "32.71.06.1002", on: dt.date = dt.date(2024, 11, 18), **kw):
    n = next(_nik)
    return actions.register_inpatient(
        by=None,
        hospital=h,
        nik=kw.pop("nik", f"97{n:014d}"),
        name=kw.pop("name", f"PASIEN UJI {n}"),
        origin_code=origin,
        registered_on=on,
        **kw,
    )


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2024, 11, 27, hour, minute, tzinfo=ZONE)


def make_visit(h: Hospital, tps: str = TPS_BB, ward: str = "Melati", hour: int = 10, ballots: int = 20) -> Visit:
    actions.add_serving_tps(by=None, hospital=h, tps_code=tps)
    return actions.schedule_visit(by=None, hospital=h, tps_code=tps, ward=ward, starts_at=at(hour), ballots=ballots)
