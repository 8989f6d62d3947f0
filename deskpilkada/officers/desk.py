"""Point 3 for the desk (deskpilkada/desk/protocol.py): TPS whose crew is complete, trained and
screened, chairs untrained, inside the user's area; the tasks of KPU (short crews, unfit officers to
replace), of the trainers (sessions whose attendance is still open) and of the health office (officers
to screen); readiness = TPS with a complete, trained crew ÷ TPS."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from deskpilkada import clock
from deskpilkada.accounts.access import has_cap
from deskpilkada.desk.protocol import Figure, Readiness, Task, Tile, percent
from deskpilkada.elections.models import Election
from deskpilkada.numbers import number
from deskpilkada.officers.coverage import Coverage, tps_coverage
from deskpilkada.officers.models import Officer
from deskpilkada.officers.views import VIEW, area_prefixes, visible_sessions_for
from deskpilkada.regions.models import Region


def _url(name: str, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items() if v)
    return reverse(name) + (f"?{query}" if query else "")


def _coverage(election: Election, prefixes: list[str]) -> Coverage:
    rows, topics = [], []
    for prefix in prefixes:
        part = tps_coverage(election, prefix)
        rows.extend(part.tps)
        topics = part.topics
    return Coverage(rows, topics)


def tile(user) -> Tile:
    election = Election.objects.current()
    prefixes = area_prefixes(user, VIEW)
    if election is None or not prefixes:
        return Tile([], reverse("officers:home"))
    t = _coverage(election, prefixes).totals
    area = prefixes[0] if len(prefixes) == 1 else ""
    figures = [
        Figure(
            _("TPS dengan kru lengkap"),
            t["complete"],
            _url("officers:tps_list", wilayah=area, masalah="kurang"),
            of=t["tps"],
        ),
        Figure(
            _("TPS dengan kru terlatih"),
            t["trained"],
            _url("officers:tps_list", wilayah=area, masalah="belum-terlatih"),
            of=t["tps"],
        ),
        Figure(
            _("TPS dengan kru sudah skrining"),
            t["screened"],
            _url("officers:tps_list", wilayah=area, masalah="belum-skrining"),
            of=t["tps"],
        ),
        Figure(
            _("Ketua KPPS belum bimtek"),
            t["chair_untrained"],
            _url("officers:tps_list", wilayah=area, masalah="ketua"),
            alert=t["chair_untrained"] > 0,
        ),
    ]
    return Tile(figures, reverse("officers:home"))


def tasks(user) -> list[Task]:
    election = Election.objects.current()
    if election is None:
        return []
    out = []
    manage = area_prefixes(user, "officers.manage")
    if manage:
        cov = _coverage(election, manage)
        short = sum(1 for r in cov.tps if not r.complete)
        unfit = sum(r.unfit for r in cov.tps)
        out.append(
            Task(
                _("TPS dengan kru belum lengkap"),
                _url("officers:tps_list", masalah="kurang"),
                _("Angkat petugas atau impor berkas rekrutmen."),
                short,
                urgent=short > 0 and clock.today() >= election.h_minus(7),
                done=not short,
            )
        )
        out.append(
            Task(
                _("Petugas tidak sehat untuk diganti"),
                _url("officers:screening"),
                count=unfit,
                urgent=unfit > 0,
                done=not unfit,
            )
        )
    if has_cap(user, "officers.train"):
        open_sessions = [s for s in visible_sessions_for(user, election) if s.starts_at <= clock.now()][:50]
        out.append(
            Task(
                _("Catat kehadiran bimtek"),
                reverse("officers:sessions"),
                _("Centang peserta yang hadir, di ponsel atau sekaligus dari daftar."),
                len(open_sessions),
                done=not open_sessions,
            )
        )
    screen = area_prefixes(user, "health.manage")
    if screen:
        todo = sum(Officer.objects.active().within(p).filter(election=election, health="").count() for p in screen)
        out.append(
            Task(
                _("Petugas yang belum skrining kesehatan"),
                _url("officers:tps_list", masalah="belum-skrining"),
                count=todo,
                done=not todo,
            )
        )
    return out


def readiness(user, regions: Sequence[Region]) -> dict[str, Readiness]:
    election = Election.objects.current()
    if election is None or not regions:
        return {}
    formula = _("TPS dengan kru lengkap yang semuanya sudah bimtek semua materi wajib ÷ semua TPS")
    out = {}
    for region in regions:
        cov = tps_coverage(election, region.undotted_code)
        ready = sum(1 for r in cov.tps if r.complete and r.fully_trained)
        total = len(cov.tps)
        out[region.code] = Readiness(
            percent(ready, total),
            formula,
            _url("officers:home", wilayah=region.code),
            _("%(c)s dari %(n)s TPS") % {"c": number(ready), "n": number(total)},
        )
    return out
