"""Officers' health incidents: cases of the "health" category in the case desk (deskpilkada/cases),
recorded and followed up there through its actions and workflow, read here for point 9's list, its
export and the desk tile. Nothing of them is kept twice."""

from __future__ import annotations

from deskpilkada.cases.access import visible_q
from deskpilkada.cases.models import Case, CaseQuerySet

CATEGORY = "health"


def incidents_for(user) -> CaseQuerySet:
    """The health cases the user may see in the case desk (a group of sightings counts once)."""
    rows = Case.objects.filter(visible_q(user), category=CATEGORY, group__isnull=True)
    return rows.select_related("region", "tps", "assigned_org")
