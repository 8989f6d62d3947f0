"""Who may see and do what in point 9 (issue 13, item 7).

- Health figures (in-patients, coverage, health posts, incidents, duty hours) are read with
  `health.view`: the desk (admin, viewer), KPU, Dinkes and puskesmas, camat and lurah, inside their area.
- Dinkes (`health.manage`) enters health posts and incidents and manages every hospital's voting in
  its area; KPU (`tps.manage`) too (it decides the serving TPS and registers the moved voters).
- A hospital (`hospital.visit`, a user of the hospital's own organisation) sees and updates only its
  own hospital's schedule; every other hospital is a 404 for it.
- The counting night's duty note is written by those who hold `health.duty` at the TPS (its KPPS, the
  PPS of its kelurahan, Dinkes).
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from deskpilkada.accounts.access import can, has_cap, region_scope
from deskpilkada.health.models import Hospital

VIEW, MANAGE, VISIT, DUTY = "health.view", "health.manage", "hospital.visit", "health.duty"


def own_hospital_q(user) -> Q:
    """The user's own hospital (its organisation's), when its role reaches the hospital's area."""
    org = getattr(user, "organisation_id", None)
    if not org or not has_cap(user, VISIT):
        return Q(pk__in=[])
    return Q(organisation_id=org) & region_scope(user, VISIT, "region")


def hospitals_for(user):
    """The hospitals whose voting the user may see."""
    return Hospital.objects.filter(region_scope(user, VIEW, "region") | own_hospital_q(user)).select_related("region")


def is_own(user, hospital: Hospital) -> bool:
    return bool(
        hospital.organisation_id
        and hospital.organisation_id == getattr(user, "organisation_id", None)
        and can(user, VISIT, hospital.region)
    )


def may_manage(user, hospital: Hospital) -> bool:
    """Register patients, choose serving TPS: Dinkes and KPU inside the hospital's area."""
    return can(user, MANAGE, hospital.region) or can(user, "tps.manage", hospital.region)


def may_schedule(user, hospital: Hospital) -> bool:
    """Plan and update the visit schedule: the managers, and the hospital itself."""
    return may_manage(user, hospital) or is_own(user, hospital)


def get_hospital_for_user(request, code: str) -> Hospital:
    """The hospital by code if the user may see it, else 404 (another hospital's existence stays hidden)."""
    hospital = hospitals_for(request.user).filter(code=code).first()
    if hospital is None:
        raise Http404
    return hospital
