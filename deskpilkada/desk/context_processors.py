from django.conf import settings

from deskpilkada import clock
from deskpilkada.accounts.access import has_cap
from deskpilkada.desk.points import POINTS
from deskpilkada.elections.models import Election


def desk(request):
    election = Election.objects.current()
    user = getattr(request, "user", None)
    days = election.days_to_voting() if election else None
    return {
        "current_election": election,
        "days_to_voting": days,
        "days_since_voting": -days if days is not None and days < 0 else None,
        "desk_points": POINTS,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "demo_mode": settings.DEMO_MODE,
        "demo_now": clock.now() if clock.is_fixed() else None,
        "perms_desk": {
            "accounts_manage": has_cap(user, "accounts.manage"),
            "audit_view": has_cap(user, "audit.view"),
            "tps_manage": has_cap(user, "tps.manage"),
        },
    }
