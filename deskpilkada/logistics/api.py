"""Point 1's API: the needs of a region, the TPS that will miss H-1, and a shipment's receipt."""

from ninja import Router, Schema

from deskpilkada.accounts.access import api_requires
from deskpilkada.api_errors import ApiError, answers
from deskpilkada.elections.models import Election
from deskpilkada.logistics import actions, alerts
from deskpilkada.logistics.chain import RECEIVE, VIEW, holder_name, may_receive, prefix_reaches, visible_q
from deskpilkada.logistics.models import Shipment
from deskpilkada.logistics.needs import area_needs
from deskpilkada.regions.codes import CodeError, undotted
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Tps

router = Router(tags=["logistik"])


class RegionOut(Schema):
    code: str
    name: str
    level: str


class ItemNeedOut(Schema):
    code: str
    name: str
    contest: str | None
    needed: int
    sent: int
    received: int
    missing: int


class TpsCountOut(Schema):
    total: int
    complete: int


class NeedsOut(Schema):
    region: RegionOut
    items: list[ItemNeedOut]
    tps: TpsCountOut


class MissingOut(Schema):
    item: str
    name: str
    needed: int
    received: int
    missing: int
    where: str
    state: str
    shipment: str | None


class HolderOut(Schema):
    code: str
    name: str


class AlertOut(Schema):
    tps_code: str
    tps: str
    kelurahan: str
    kecamatan: str
    reason: str
    missing: list[MissingOut]
    holder: HolderOut


class CountIn(Schema):
    line: int  # the line's id (GET the shipment page, or the export)
    counted: int
    damaged: int = 0


class ReceiveIn(Schema):
    lines: list[CountIn]
    signed_by: str
    waterproof_ok: bool | None = None
    note: str = ""


class LineOut(Schema):
    line: int
    item: str
    quantity: int
    counted: int | None
    damaged: int


class ShipmentOut(Schema):
    code: str
    sender: str
    receiver: str
    state: str
    lines: list[LineOut]
    replacement: str | None


def _election() -> Election:
    election = Election.objects.current()
    if election is None:
        raise ApiError(404, "Belum ada pemilihan aktif.")
    return election


def _place(request, code: str) -> tuple[str, RegionOut]:
    digits = undotted(code or "")
    if len(digits) == 13:
        tps = Tps.objects.select_related("kelurahan").filter(code=digits).first()
        if tps is None:
            raise ApiError(404, "TPS tidak ditemukan.")
        out = RegionOut(code=tps.dotted_code, name=str(tps), level="tps")
    else:
        try:
            region = Region.objects.by_code(code)
        except (CodeError, Region.DoesNotExist):
            raise ApiError(404, "Wilayah tidak ditemukan.") from None
        out = RegionOut(code=region.code, name=region.name, level=str(region.get_level_display()).lower())
        digits = region.undotted_code
    if not prefix_reaches(request.user, digits):
        raise ApiError(403, "Wilayah ini di luar wilayah kewenangan Anda.")
    return digits, out


@router.get(
    "/logistics/needs/{region_code}",
    response=answers({200: NeedsOut}, 401, 403, 404),
    summary="Kebutuhan logistik satu wilayah dan semua di bawahnya (termasuk cadangan per kecamatan)",
)
@api_requires(VIEW)
def needs(request, region_code: str):
    """Per item: needed (from the rules and each TPS's DPT, spares at the PPK included where the region
    holds them), sent and received toward its TPS, and missing (per TPS, never offset by a surplus
    elsewhere); the number of TPS with everything. Dotted or undotted code."""
    prefix, region = _place(request, region_code)
    result = area_needs(_election(), prefix)
    return {
        "region": region,
        "items": [
            {
                "code": n.item.code,
                "name": n.item.name,
                "contest": n.item.contest.code if n.item.contest else None,
                "needed": n.needed,
                "sent": n.sent,
                "received": n.received,
                "missing": n.missing,
            }
            for n in result.items
        ],
        "tps": {"total": result.tps_total, "complete": result.tps_complete},
    }


@router.get(
    "/logistics/alerts",
    response=answers({200: list[AlertOut]}, 401, 403, 404, 422),
    summary="TPS yang tidak akan lengkap pada H-1: apa yang kurang, di mana sekarang, siapa yang dihubungi",
)
@api_requires(VIEW)
def alert_list(request, region: str = ""):
    """Worst first: nothing sent past the send-by time, held up the chain, received short or damaged,
    in transit. `region`: a region or TPS code (default: the user's first area)."""
    from deskpilkada.logistics.chain import area_prefixes

    if not region:
        prefixes = area_prefixes(request.user)
        if not prefixes:
            raise ApiError(403, "Anda tidak memiliki wilayah.")
        region = prefixes[0]
    prefix, _region = _place(request, region)
    out = []
    for a in alerts.alerts(_election(), prefix):
        out.append(
            {
                "tps_code": a.tps.code,
                "tps": str(a.tps),
                "kelurahan": a.tps.kelurahan.name,
                "kecamatan": a.tps.kelurahan.parent.name if a.tps.kelurahan.parent else "",
                "reason": a.reason,
                "missing": [
                    {
                        "item": line.item.code,
                        "name": line.item.name,
                        "needed": line.need,
                        "received": line.got,
                        "missing": line.short,
                        "where": line.where.text,
                        "state": line.where.state,
                        "shipment": line.where.shipment_code or None,
                    }
                    for line in a.lines
                ],
                "holder": {"code": a.holder.holder, "name": a.holder.holder_name},
            }
        )
    return out


def shipment_out(s: Shipment) -> dict:
    replacement = s.replacements.exclude(state=Shipment.State.CANCELLED).order_by("-id").first()
    return {
        "code": s.code,
        "sender": holder_name(s.sender),
        "receiver": holder_name(s.receiver),
        "state": s.state,
        "lines": [
            {
                "line": line.pk,
                "item": line.item.code,
                "quantity": line.quantity,
                "counted": line.counted,
                "damaged": line.damaged,
            }
            for line in s.lines.select_related("item")
        ],
        "replacement": replacement.code if replacement else None,
    }


@router.post(
    "/logistics/shipments/{shipment_id}/receive",
    response=answers({200: ShipmentOut}, 400, 401, 403, 404, 422),
    summary="Catat penerimaan kiriman: jumlah dihitung dan rusak per baris",
)
@api_requires(RECEIVE)
def receive(request, shipment_id: str, body: ReceiveIn):
    """`shipment_id`: the shipment's label code (or its number). A refusal names the line and the field
    (`lines[2].counted`): more than was sent, a negative number, a cancelled shipment."""
    rows = Shipment.objects.filter(visible_q(request.user))
    shipment = rows.filter(code=shipment_id.upper()).first()  # the label code first: it may be all digits
    if shipment is None and shipment_id.isascii() and shipment_id.isdigit() and len(shipment_id) < 19:
        shipment = rows.filter(pk=int(shipment_id)).first()
    if shipment is None:
        raise ApiError(404, "Kiriman tidak ditemukan atau di luar wilayah Anda.")
    if not may_receive(request.user, shipment):
        raise ApiError(403, f"Kiriman ini untuk {holder_name(shipment.receiver)}; Anda tidak dapat menerimanya.")
    counts = [actions.Count(c.line, c.counted, c.damaged) for c in body.lines]
    try:
        actions.receive_shipment(
            shipment,
            by=request.user,
            counts=counts,
            signed_by=body.signed_by,
            waterproof_ok=body.waterproof_ok,
            note=body.note,
        )
    except actions.Refused as e:
        raise ApiError(422, e.message, field=e.field) from None
    shipment.refresh_from_db()
    return shipment_out(shipment)
