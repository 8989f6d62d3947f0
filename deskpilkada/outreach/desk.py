"""Point 4 for the desk (deskpilkada/desk/protocol.py): invitations' tile, tasks and readiness."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from deskpilkada import clock
from deskpilkada.accounts.access import grants_for, has_cap, tps_scope
from deskpilkada.desk.protocol import Figure, Readiness, Task, Tile, percent
from deskpilkada.elections.models import Election
from deskpilkada.numbers import number
from deskpilkada.outreach import progress
from deskpilkada.outreach.models import InvitationDay
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Tps

MAX_TPS_TASKS = 10


def _behind(user, cap: str):
    """Invitation progress of every TPS in the user's area for `cap`, computed once per request: the desk
    page asks for the tile and the readiness, which read the same rows (the memo lives on the request's
    user object, like the access module's grants)."""
    memo = user.__dict__.setdefault("_desk_invitation_progress", {})
    if cap not in memo:
        election = Election.objects.current()
        if election is None:
            memo[cap] = (None, 0, [])
        else:
            days_before = progress.default_days_before(election)
            rows = progress.progress(election, Tps.objects.filter(tps_scope(user, cap)), days_before)
            memo[cap] = (election, days_before, rows)
    return memo[cap]


def tile(user) -> Tile:
    election, days_before, rows = _behind(user, "desk.view")
    if election is None:
        return Tile([], reverse("outreach:invitations"))
    dpt = sum(r.dpt for r in rows)
    behind = sum(r.behind for r in rows)
    url = reverse("outreach:invitations") + f"?hari={days_before}"
    return Tile(
        [
            Figure(
                _("TPS tertinggal undangan (H-%(n)d)") % {"n": days_before}, behind, url, of=len(rows), alert=behind > 0
            ),
            Figure(
                _("Undangan tertangani"),
                100 * sum(r.handled for r in rows) / dpt if dpt else None,
                url,
                percent=True,
            ),
        ],
        reverse("outreach:invitations"),
    )


def tasks(user) -> list[Task]:
    out: list[Task] = []
    election = Election.objects.current()
    today = clock.today()
    in_window = election is not None and today in election.invitation_window()
    own = [g.tps_id for g in grants_for(user) if "invitations.record" in g.caps and g.tps_id]
    if in_window:
        reported = set(
            InvitationDay.objects.filter(election=election, tps_id__in=own, day=today).values_list("tps_id", flat=True)
        )
        for tps in Tps.objects.filter(pk__in=own).select_related("kelurahan"):
            done = tps.pk in reported
            out.append(
                Task(
                    _("Laporan undangan hari ini — %(tps)s") % {"tps": tps},
                    reverse("outreach:record", args=[tps.code]),
                    _("Sudah dilaporkan; buka untuk memperbaiki.")
                    if done
                    else _("Berapa undangan tersampaikan hari ini?"),
                    done=done,
                )
            )
    if has_cap(user, "invitations.record") and not own and election is not None:
        _e, days_before, rows = _behind(user, "invitations.record")
        behind = sorted((r for r in rows if r.behind), key=lambda r: -r.shortfall)
        out.append(
            Task(
                _("TPS tertinggal undangan (H-%(n)d)") % {"n": days_before},
                reverse("outreach:invitations") + f"?hari={days_before}",
                _("%(n)s dari %(t)s TPS di wilayah Anda.") % {"n": number(len(behind)), "t": number(len(rows))},
                len(behind),
                urgent=bool(behind),
                done=not behind,
            )
        )
        if len(rows) <= 50:  # a kelurahan: each TPS behind, with its report form
            for r in behind[:MAX_TPS_TASKS]:
                out.append(
                    Task(
                        _("Laporkan undangan — %(tps)s") % {"tps": r.tps},
                        reverse("outreach:record", args=[r.tps.code]),
                        _("Kurang %(n)s dari rencana.") % {"n": number(r.shortfall)},
                        urgent=True,
                    )
                )
    if has_cap(user, "dpt.import"):
        out.append(Task(_("Impor DPT (CSV, Excel)"), reverse("voters:import"), _("NIK disimpan hanya sebagai hash.")))
    return out


def readiness(user, regions: Sequence[Region]) -> dict[str, Readiness]:
    """TPS not behind on invitations at the current warning day, as a share of the region's TPS."""
    election = Election.objects.current()
    url = reverse("outreach:invitations")
    if election is None:
        return {}
    window = election.invitation_window()
    if window and clock.today() < window[0]:  # nothing to count yet: no progress computed
        note = _("Pembagian undangan mulai H-%(n)d.") % {"n": election.invitation_start_days}
        return {r.code: Readiness(None, note, url) for r in regions}
    _election, days_before, rows = _behind(user, "desk.view")
    formula = _("TPS yang tidak tertinggal undangan pada H-%(n)d ÷ TPS di wilayah") % {"n": days_before}
    out = {}
    for region in regions:
        prefix = region.undotted_code
        inside = [r for r in rows if r.tps.code.startswith(prefix)]
        ok = sum(not r.behind for r in inside)
        out[region.code] = Readiness(
            percent(ok, len(inside)),
            formula,
            url + f"?hari={days_before}",
            _("%(n)s dari %(t)s TPS") % {"n": number(ok), "t": number(len(inside))},
        )
    return out
