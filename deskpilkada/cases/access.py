"""Who may see and handle which case (issue 10, item 7), as filters the inbox, the API, the desk
tile and the notifications share.

- The desk (`cases.view_all`: desk admin and viewer, camat and lurah) sees every case in its area.
- A handler sees the categories its capabilities handle (categories.py) in its area: Bawaslu fraud
  and ASN, the police security, Diskominfo hoaxes, Dinkes health, KPU logistics, the desk admin
  disasters and the rest.
- BKPSDM (`asn.manage`) sees an ASN case once Bawaslu has recommended, and records the next steps.
- The staff member who reported a case sees it (a KPPS follows its own report).
- Handlers (and the person assigned) see the reporter's contact; nobody else does.
"""

from __future__ import annotations

from django.db.models import Q

from deskpilkada.accounts.access import grants_for, users_reaching
from deskpilkada.accounts.models import Organisation, User
from deskpilkada.cases.categories import CATEGORIES
from deskpilkada.cases.models import Case
from deskpilkada.regions.codes import undotted

VIEW_ALL = "cases.view_all"
REPORT = "incidents.report"


def _area(grant) -> Q | None:
    if grant.tps_code:
        return Q(area=grant.tps_code)
    if grant.region_code:
        return Q(area__startswith=undotted(grant.region_code))
    return None


def handled_q(user) -> Q:
    """Cases the user handles: its categories inside its areas, ASN cases past Bawaslu's
    recommendation for the civil-service office, and whatever is assigned to it."""
    q = Q(pk__in=[])
    for g in grants_for(user):
        area = _area(g)
        if area is None:
            continue
        codes = [c.code for c in CATEGORIES.values() if c.cap in g.caps]
        if codes:
            q |= area & Q(category__in=codes)
        if "asn.manage" in g.caps:
            q |= area & Q(category="asn", recommended_at__isnull=False)
    if getattr(user, "is_authenticated", False):
        q |= Q(assigned_to=user)
        if user.organisation_id and any(REPORT in g.caps for g in grants_for(user)):
            q |= Q(assigned_org_id=user.organisation_id)  # the organisation a case was given to handles it
    return q


def visible_q(user) -> Q:
    whole = [a for g in grants_for(user) if VIEW_ALL in g.caps and (a := _area(g)) is not None]
    q = handled_q(user)
    if whole and all(VIEW_ALL in g.caps for g in grants_for(user)):
        q = Q(assigned_to=user)  # every area of the user is seen whole: the categories add nothing
    if getattr(user, "is_authenticated", False):
        q |= Q(created_by=user)  # the staff member who reported it follows it (the form leads to its page)
    for area in whole:
        q |= area
    return q


def may_see(user, case) -> bool:
    return Case.objects.filter(visible_q(user), pk=case.pk).exists()


def may_handle(user, case) -> bool:
    return Case.objects.filter(handled_q(user), pk=case.pk).exists()


def handler_caps(case) -> list[str]:
    """The capabilities whose holders in the case's area handle it (for notifications)."""
    caps = [CATEGORIES[case.category].cap]
    if case.category == "asn" and case.recommended_at:
        caps.append("asn.manage")
    return caps


def handlers(case: Case, *, organisation: Organisation | None = None) -> list[User]:
    """Who hears about the case: the assigned person, and the handlers of its category whose area holds
    it (only those of the assigned organisation, once one is assigned)."""
    org = organisation or case.assigned_org
    people: dict[int, User] = {}
    for cap in handler_caps(case):
        for user in users_reaching(cap=cap, area=case.area, organisation=org):
            people[user.pk] = user
    if org is not None and not people:  # given to an organisation outside the category's handlers
        people = {u.pk: u for u in users_reaching(cap=REPORT, area=case.area, organisation=org)}
    if case.assigned_to_id:
        people[case.assigned_to_id] = case.assigned_to  # type: ignore[assignment]
    return list(people.values())
