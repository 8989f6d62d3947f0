"""Point 1 for the desk (deskpilkada/desk/protocol.py): TPS with everything, the TPS that will miss
H-1, shipments in transit and open replacement requests, inside the user's area; the tasks of
those who send and receive; readiness = TPS complete ÷ TPS."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from deskpilkada import clock
from deskpilkada.accounts.access import has_cap
from deskpilkada.desk.protocol import Figure, Readiness, Task, Tile, percent
from deskpilkada.elections.models import Election
from deskpilkada.logistics import alerts
from deskpilkada.logistics.chain import MANAGE, area_prefixes, own_holders, visible_q
from deskpilkada.logistics.models import Shipment
from deskpilkada.logistics.needs import completeness_by, items_of, missing_pairs
from deskpilkada.numbers import number
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Tps


def _url(name: str, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items() if v)
    return reverse(name) + (f"?{query}" if query else "")


def tile(user) -> Tile:
    election = Election.objects.current()
    prefixes = area_prefixes(user)
    if election is None or not prefixes:
        return Tile([], reverse("logistics:home"))
    items = items_of(election)
    complete = total = late = 0
    for prefix in prefixes:
        # The alert list reads the missing pairs the completeness needs: one statement for both.
        missing = missing_pairs(election, prefix, items)
        area_total = Tps.objects.filter(code__gte=prefix, code__lt=prefix + ":").count()
        complete += area_total - len({m.tps_id for m in missing})
        total += area_total
        late += len(alerts.alerts(election, prefix, items=items, missing=missing))
    shipments = Shipment.objects.filter(visible_q(user))
    transit = shipments.in_transit().count()
    replacements = shipments.open_replacements().count()
    area = prefixes[0] if len(prefixes) == 1 else ""
    figures = [
        Figure(_("TPS lengkap logistiknya"), complete, _url("logistics:home", wilayah=area), of=total),
        Figure(_("TPS terancam tidak lengkap pada H-1"), late, _url("logistics:alerts", wilayah=area), alert=late > 0),
        Figure(_("Kiriman dalam perjalanan"), transit, _url("logistics:shipments", status="sent")),
        Figure(
            _("Permintaan pengganti terbuka"),
            replacements,
            _url("logistics:shipments", status="pengganti"),
            alert=replacements > 0,
        ),
    ]
    return Tile(figures, reverse("logistics:home"))


def tasks(user) -> list[Task]:
    holders = own_holders(user)
    election = Election.objects.current()
    if not holders or election is None:
        return []
    rows = Shipment.objects.filter(election=election)
    now = clock.now()
    incoming = rows.filter(receiver__in=holders, state=Shipment.State.SENT)
    overdue = incoming.filter(due_at__lte=now).count()
    outgoing = rows.filter(Q(sender__in=holders), state=Shipment.State.PREPARING)
    replacements = outgoing.filter(replaces__isnull=False).count()
    out = [
        Task(
            _("Kiriman untuk diterima"),
            _url("logistics:shipments", arah="masuk", status="sent"),
            _("Pindai labelnya saat tiba, hitung, lalu catat penerimaannya."),
            incoming.count(),
            urgent=overdue > 0,
            done=not incoming.exists(),
        ),
        Task(
            _("Kiriman untuk dikirim"),
            _url("logistics:shipments", arah="keluar", status="preparing"),
            _("Termasuk %(n)s permintaan pengganti.") % {"n": number(replacements)} if replacements else "",
            outgoing.count(),
            urgent=replacements > 0,
            done=not outgoing.exists(),
        ),
    ]
    if has_cap(user, MANAGE):
        late = sum(len(alerts.alerts(election, p)) for p in area_prefixes(user, MANAGE))
        out.append(
            Task(
                _("TPS terancam tidak lengkap pada H-1"),
                _url("logistics:alerts"),
                count=late,
                urgent=late > 0,
                done=not late,
            )
        )
    return out


def readiness(user, regions: Sequence[Region]) -> dict[str, Readiness]:
    election = Election.objects.current()
    if election is None or not regions:
        return {}
    shares = completeness_by(election, regions)
    formula = _("TPS yang sudah menerima semua kebutuhannya dalam keadaan baik ÷ semua TPS")
    out = {}
    for region in regions:
        complete, total = shares[region.code]
        out[region.code] = Readiness(
            percent(complete, total),
            formula,
            _url("logistics:home", wilayah=region.code),
            _("%(c)s dari %(n)s TPS") % {"c": number(complete), "n": number(total)},
        )
    return out
