"""The chain KPU warehouse → PPK → PPS → TPS: holder codes, their names, which step a shipment may
take, and who may act for a holder.

Who does what (issue 11, item 7): KPU (`logistics.manage`) manages the items and rules and sends
from its warehouse (and records what the vendor delivered to it); a PPK (`logistics.receive` over a
kecamatan) sends and receives for its kecamatan, a PPS for its kelurahan, a KPPS receives for its
TPS; whoever reads the desk (`desk.view`) reads the shipments inside its area.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from deskpilkada.accounts.access import grants_for
from deskpilkada.logistics.models import VENDOR, holder_level
from deskpilkada.regions.codes import code_range, dotted, undotted
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Tps

MANAGE = "logistics.manage"
RECEIVE = "logistics.receive"
VIEW = "desk.view"
ROLE_OF_LEVEL = {0: _("Penyedia"), 2: "KPU", 3: "PPK", 4: "PPS", 5: "KPPS"}


def parent_holder(code: str) -> str | None:
    """The holder one step up the chain (the one that sends to `code`)."""
    level = holder_level(code)
    if level == 5:
        return code[:10]
    if level == 4:
        return code[:6]
    if level == 3:
        return code[:4]
    if level == 2:
        return VENDOR
    return None


def chain_error(sender: str, receiver: str) -> str | None:
    """None when `receiver` is the next holder down from `sender`; else the reason, in Indonesian."""
    if holder_level(receiver) <= 0:
        return _("Penerima «%(r)s» bukan gudang KPU, PPK, PPS atau TPS.") % {"r": receiver}
    if parent_holder(receiver) != sender:
        return _("«%(r)s» tidak berada tepat di bawah pengirim «%(s)s» dalam rantai KPU → PPK → PPS → TPS.") % {
            "r": receiver,
            "s": sender,
        }
    return None


def holder_names(codes) -> dict[str, str]:
    """«PPK Bogor Barat», «PPS Kebon Pedes», «TPS 028 Kebon Pedes», «Gudang KPU Kota Bogor», in two queries."""
    codes = set(codes)
    out = {VENDOR: _("Penyedia (percetakan/pabrik)")} if VENDOR in codes else {}
    regions = [dotted(c) for c in codes if holder_level(c) in (2, 3, 4)]
    for r in Region.objects.filter(code__in=regions):
        level = holder_level(r.undotted_code)
        label = _("Gudang KPU %(name)s") if level == 2 else ("PPK %(name)s" if level == 3 else "PPS %(name)s")
        out[r.undotted_code] = label % {"name": r.name}
    tps_codes = [c for c in codes if holder_level(c) == 5]
    for code, number, kel in Tps.objects.filter(code__in=tps_codes).values_list("code", "number", "kelurahan__name"):
        out[code] = f"TPS {number:03d} {kel}"
    for c in codes:
        out.setdefault(c, c)
    return out


def holder_name(code: str) -> str:
    return holder_names([code])[code]


def own_holders(user, caps=(MANAGE, RECEIVE)) -> set[str]:
    """The holder codes the user acts for: its areas' own holders (not those below them)."""
    out: set[str] = set()
    for g in grants_for(user):
        if not g.caps & set(caps):
            continue
        if g.tps_code:
            out.add(g.tps_code)
        elif g.region_code:
            code = undotted(g.region_code)
            if MANAGE in g.caps and len(code) < 4:  # a province's KPU acts for the warehouses of its cities
                out.update(
                    r.undotted_code for r in Region.objects.filter(code__startswith=g.region_code + ".", level=2)
                )
            out.add(code)
    return out


def may_act_for(user, holder: str) -> bool:
    """May the user send from, or receive at, this holder? The vendor's deliveries are recorded by KPU."""
    holders = own_holders(user)
    if holder == VENDOR:
        return bool(own_holders(user, (MANAGE,)))
    return holder in holders


def may_send(user, shipment) -> bool:
    if shipment.sender == VENDOR:
        return may_act_for(user, shipment.receiver) and bool(own_holders(user, (MANAGE,)))
    return may_act_for(user, shipment.sender)


def may_receive(user, shipment) -> bool:
    return may_act_for(user, shipment.receiver)


def area_prefixes(user, cap: str = VIEW) -> list[str]:
    """The holder-code prefixes of the user's areas for `cap` (a TPS grant: its TPS code)."""
    out = []
    for g in grants_for(user):
        if cap in g.caps:
            if g.tps_code:
                out.append(g.tps_code)
            elif g.region_code:
                out.append(undotted(g.region_code))
    return sorted(set(out))


def visible_q(user) -> Q:
    """Shipments inside the reader's area: sent to or from a holder in it, and those the user acts on."""
    q = Q(pk__in=[])
    for prefix in area_prefixes(user):
        q |= code_range("receiver", prefix) | code_range("sender", prefix)
    for holder in own_holders(user):
        q |= Q(receiver=holder) | Q(sender=holder)
    return q


def prefix_reaches(user, prefix: str, cap: str = VIEW) -> bool:
    return any(prefix.startswith(p) for p in area_prefixes(user, cap))
