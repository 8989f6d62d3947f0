"""Audited writes of point 1: items and their rules, shipments along the chain, receipts (and their
corrections, new records that name what they correct), replacements, returns and sealed-box labels.

Every action runs in one transaction, writes its audit row, keeps the shipment's deadline current
and notifies after commit. A refusal is `Refused(field, message)`: `field` names the form field or
the line ("lines[2].counted"), the message says why in Indonesian.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from deskpilkada import clock
from deskpilkada.accounts.access import can
from deskpilkada.audit.log import record, snapshot
from deskpilkada.audit.transitions import TransitionRefused, transition
from deskpilkada.elections.deadlines import apply_rule, clear_deadline
from deskpilkada.elections.models import Contest, Election
from deskpilkada.logistics import alerts, figures
from deskpilkada.logistics.chain import (
    MANAGE,
    RECEIVE,
    chain_error,
    holder_name,
    may_act_for,
    may_receive,
    may_send,
    parent_holder,
)
from deskpilkada.logistics.models import (
    VENDOR,
    Basis,
    ItemType,
    Receipt,
    Shipment,
    ShipmentLine,
    TrackedUnit,
    code_range,
    holder_level,
)
from deskpilkada.notifications.actions import notify
from deskpilkada.regions.codes import dotted
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Tps
from deskpilkada.uploads import UploadRefused, check_image

MAX_PHOTO = 10 * 2**20
MAX_QUANTITY = 10_000_000


class Refused(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


class Stale(Refused):
    pass


# --- items and rules ----------------------------------------------------------------------------

ITEM_FIELDS = [
    "name",
    "contest",
    "unit",
    "basis",
    "per_tps",
    "reserve_pct",
    "bands",
    "spare_per_kecamatan",
    "waterproof",
    "labelled",
    "sort",
]


def _clean_bands(bands) -> list[list[int]]:
    try:
        rows = [[int(u), int(q)] for u, q in bands]
    except (TypeError, ValueError):
        raise Refused("bands", _("Rentang DPT harus berupa pasangan «DPT sampai, jumlah».")) from None
    if any(u < 0 or q < 0 for u, q in rows) or [u for u, _q in rows] != sorted({u for u, _q in rows}):
        raise Refused("bands", _("Rentang DPT harus naik dan tidak negatif."))
    return rows


@transaction.atomic
def save_item(election: Election, *, by, code: str, version: int | None = None, **fields) -> ItemType:
    """Create or change an item type and its rule. The needs follow at once (they are never stored)."""
    if by is not None and not can(by, MANAGE):
        raise Refused("code", _("Hanya KPU yang mengatur jenis logistik."))
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise Refused(sorted(unknown)[0], _("Kolom tidak dikenal."))
    if "bands" in fields:
        fields["bands"] = _clean_bands(fields["bands"] or [])
    if fields.get("basis") == Basis.DPT_BAND and not fields.get("bands"):
        raise Refused("bands", _("Aturan menurut rentang DPT memerlukan rentangnya."))
    if fields.get("reserve_pct") is not None and not (0 <= fields["reserve_pct"] <= 100):
        raise Refused("reserve_pct", _("Cadangan harus antara 0 dan 100 %."))
    item = ItemType.objects.select_for_update().filter(election=election, code=code).first()
    if item is None:
        item = ItemType.objects.create(election=election, code=code, **fields)
        record("logistics.item_saved", by=by, target=item, after=snapshot(item, ["code", *fields]))
        figures.rules_changed(election)
        return item
    if version is not None and version != item.version:
        raise Stale("version", _("Jenis logistik ini sudah diubah orang lain; muat ulang halaman."))
    before = snapshot(item, list(fields))
    for name, value in fields.items():
        setattr(item, name, value)
    item.version = F("version") + 1
    item.save(update_fields=[*fields, "version"])
    item.refresh_from_db()
    record("logistics.item_saved", by=by, target=item, before=before, after=snapshot(item, list(fields)))
    figures.rules_changed(election)
    return item


# The standard list of a Pilkada (PKPU 2024 on logistics), per contest where the item is a contest's.
def default_items(election: Election) -> list[dict]:
    contests = list(Contest.objects.filter(election=election).select_related("region").order_by("region__code"))
    out: list[dict] = []
    for n, contest in enumerate(contests):
        short = contest.get_kind_display() if hasattr(contest, "get_kind_display") else contest.name
        out += [
            {
                "code": f"kotak-{contest.code}",
                "name": _("Kotak suara %(c)s") % {"c": short},
                "contest": contest,
                "unit": "buah",
                "basis": Basis.PER_TPS,
                "per_tps": 1,
                "spare_per_kecamatan": 1,
                "labelled": True,
                "sort": 10 + n,
            },
            {
                "code": f"surat-suara-{contest.code}",
                "name": _("Surat suara %(c)s") % {"c": short},
                "contest": contest,
                "unit": "lembar",
                "basis": Basis.DPT_RESERVE,
                "waterproof": True,
                "sort": 20 + n,
            },
            {
                "code": f"formulir-{contest.code}",
                "name": _("Set formulir C %(c)s") % {"c": short},
                "contest": contest,
                "unit": "set",
                "basis": Basis.PER_TPS,
                "per_tps": 1,
                "waterproof": True,
                "sort": 30 + n,
            },
            {
                "code": f"plano-{contest.code}",
                "name": _("Formulir C.Hasil plano %(c)s") % {"c": short},
                "contest": contest,
                "unit": "set",
                "basis": Basis.PER_TPS,
                "per_tps": 1,
                "waterproof": True,
                "sort": 40 + n,
            },
        ]
    out += [
        {
            "code": "bilik",
            "name": _("Bilik suara"),
            "unit": "buah",
            "basis": Basis.DPT_BAND,
            "bands": [[300, 3], [600, 4]],
            "spare_per_kecamatan": 2,
            "sort": 50,
        },
        {
            "code": "tinta",
            "name": _("Tinta sidik jari"),
            "unit": "botol",
            "basis": Basis.PER_TPS,
            "per_tps": 2,
            "sort": 60,
        },
        {"code": "segel", "name": _("Segel"), "unit": "lembar", "basis": Basis.PER_TPS, "per_tps": 20, "sort": 70},
        {
            "code": "sampul",
            "name": _("Sampul kertas"),
            "unit": "lembar",
            "basis": Basis.PER_TPS,
            "per_tps": 12,
            "waterproof": True,
            "sort": 80,
        },
        {
            "code": "kit-tps",
            "name": _("Perlengkapan TPS (kit)"),
            "unit": "paket",
            "basis": Basis.PER_TPS,
            "per_tps": 1,
            "sort": 90,
        },
    ]
    return out


def install_default_items(election: Election, *, by) -> list[ItemType]:
    """The standard items of the election, written the first time (then kept as data, changed by KPU)."""
    have = set(ItemType.objects.filter(election=election).values_list("code", flat=True))
    made = []
    for spec in default_items(election):
        code = spec.pop("code")
        if code not in have:
            made.append(save_item(election, by=by, code=code, **spec))
    return made


# --- shipments ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineIn:
    item: str  # the item's code
    quantity: int


def may_prepare(user, sender: str) -> bool:
    """The sender itself, or KPU planning the distribution of its area (bulk creation)."""
    if user is None:
        return True
    if sender == VENDOR:
        return can(user, MANAGE)
    if may_act_for(user, sender):
        return True
    return holder_level(sender) in (2, 3, 4) and can(user, MANAGE, Region.objects.filter(code=dotted(sender)).first())


def _check_lines(election: Election, lines: Sequence[LineIn]) -> list[tuple[ItemType, int]]:
    if not lines:
        raise Refused("lines", _("Isi paling sedikit satu baris barang."))
    items = {i.code: i for i in ItemType.objects.filter(election=election)}
    out, seen = [], set()
    for n, line in enumerate(lines, start=1):
        item = items.get(line.item)
        if item is None:
            raise Refused(
                f"lines[{n}].item", _("Baris %(n)d: barang «%(i)s» tidak dikenal.") % {"n": n, "i": line.item}
            )
        if item.code in seen:
            raise Refused(
                f"lines[{n}].item", _("Baris %(n)d: barang «%(i)s» sudah ada di baris lain.") % {"n": n, "i": item.name}
            )
        if not isinstance(line.quantity, int) or line.quantity <= 0 or line.quantity > MAX_QUANTITY:
            raise Refused(
                f"lines[{n}].quantity",
                _("Baris %(n)d (%(i)s): jumlah harus bilangan bulat lebih dari 0.") % {"n": n, "i": item.name},
            )
        seen.add(item.code)
        out.append((item, line.quantity))
    return out


@transaction.atomic
def create_shipment(
    election: Election,
    *,
    by,
    sender: str,
    receiver: str,
    lines: Sequence[LineIn],
    note: str = "",
    replaces: Shipment | None = None,
    units: dict[int, list[TrackedUnit]] | None = None,
) -> Shipment:
    """A shipment in preparation from `sender` to the next holder down (`receiver`)."""
    error = chain_error(sender, receiver)
    if error:
        raise Refused("receiver", error)
    if not may_prepare(by, sender):
        raise Refused("sender", _("Anda tidak dapat mengirim atas nama %(h)s.") % {"h": holder_name(sender)})
    checked = _check_lines(election, lines)
    tps = None
    if holder_level(receiver) == 5:
        tps = Tps.objects.filter(code=receiver).first()
        if tps is None:
            raise Refused("receiver", _("TPS «%(r)s» tidak dikenal.") % {"r": receiver})
    elif holder_level(receiver) in (2, 3, 4) and not Region.objects.filter(code=dotted(receiver)).exists():
        raise Refused("receiver", _("Wilayah «%(r)s» tidak dikenal.") % {"r": receiver})
    for item, _q in checked:
        if tps is not None and not item.applies_to(tps.code):
            raise Refused("lines", _("%(i)s bukan untuk TPS di luar wilayah pemilihannya.") % {"i": item.name})
    shipment = Shipment.objects.create(
        election=election,
        sender=sender,
        receiver=receiver,
        receiver_tps=tps,
        note=note[:300],
        replaces=replaces,
        created_at=clock.now(),
        created_by=by if getattr(by, "pk", None) else None,
    )
    made = ShipmentLine.objects.bulk_create([ShipmentLine(shipment=shipment, item=i, quantity=q) for i, q in checked])
    if units:
        through = ShipmentLine.units.through
        through.objects.bulk_create(
            [
                through(shipmentline_id=line.pk, trackedunit_id=u.pk)
                for line in made
                for u in units.get(line.item_id, [])
            ]
        )
    record(
        "logistics.shipment_created",
        by=by,
        target=shipment,
        after={
            "code": shipment.code,
            "sender": sender,
            "receiver": receiver,
            "lines": [{"item": i.code, "quantity": q} for i, q in checked],
            "replaces": replaces.code if replaces else None,
        },
    )
    return shipment


def _cleared(shipment: Shipment) -> dict:
    return {name: getattr(shipment, name) for name in clear_deadline(shipment)}


def _move(shipment: Shipment, to: str, *, by, note: str = "", also: dict | None = None) -> Shipment:
    try:
        return transition(shipment, to, by=by, note=note, also=also)  # type: ignore[return-value]
    except TransitionRefused as e:
        raise Refused("state", str(e)) from None


@transaction.atomic
def send_shipment(shipment: Shipment, *, by, note: str = "") -> Shipment:
    if by is not None and not may_send(by, shipment):
        raise Refused("sender", _("Hanya %(h)s yang dapat mengirim kiriman ini.") % {"h": holder_name(shipment.sender)})
    if shipment.sender != VENDOR:
        lines = list(shipment.lines.select_related("item"))
        # The sender's kept stock rows stay locked to the end: two sends from one holder are checked
        # one after the other, never both against the same stock.
        stock = figures.lock_stock(shipment.election, shipment.sender, [line.item_id for line in lines])
        for n, line in enumerate(lines, start=1):
            held = stock.get(line.item_id, 0)
            if line.quantity > held:
                raise Refused(
                    f"lines[{n}].quantity",
                    _("Baris %(n)d (%(i)s): %(h)s hanya memegang %(have)s, kiriman %(q)s.")
                    % {
                        "n": n,
                        "i": line.item.name,
                        "h": holder_name(shipment.sender),
                        "have": held,
                        "q": line.quantity,
                    },
                )
    now = clock.now()
    rule = alerts.rules(shipment.election)["terima"]
    fields = {"sent_at": now}
    fields.update({name: getattr(shipment, name) for name in apply_rule(shipment, rule)})
    shipment = _move(shipment, Shipment.State.SENT, by=by, note=note, also=fields)
    figures.refresh(shipment)
    notify(
        kind="logistics.shipment_sent",
        title=_("Logistik dikirim ke %(h)s: %(s)s") % {"h": holder_name(shipment.receiver), "s": shipment},
        url=shipment.get_absolute_url(),
        target=shipment,
        cap=RECEIVE,
        area=shipment.receiver,
    )
    return shipment


@transaction.atomic
def cancel_shipment(shipment: Shipment, *, by, note: str = "") -> Shipment:
    if by is not None and not may_prepare(by, shipment.sender):
        raise Refused("sender", _("Hanya pengirim yang dapat membatalkan kiriman ini."))
    shipment = _move(shipment, Shipment.State.CANCELLED, by=by, note=note, also=_cleared(shipment))
    figures.refresh(shipment)
    return shipment


@transaction.atomic
def return_shipment(shipment: Shipment, *, by, note: str = "") -> Shipment:
    """The receiver sends it back whole (refused at the door, or returned after voting): it is the sender's again."""
    if by is not None and not may_receive(by, shipment):
        raise Refused("receiver", _("Hanya penerima yang dapat mengembalikan kiriman ini."))
    if not note.strip():
        raise Refused("note", _("Tulis alasan pengembalian."))
    shipment = _move(shipment, Shipment.State.RETURNED, by=by, note=note)
    figures.refresh(shipment)
    return shipment


@dataclass(frozen=True)
class Count:
    line_id: int
    counted: int
    damaged: int = 0


def _check_counts(shipment: Shipment, counts: Sequence[Count]) -> list[tuple[ShipmentLine, int, int]]:
    lines = list(shipment.lines.select_related("item"))
    given = {c.line_id: c for c in counts}
    out = []
    for n, line in enumerate(lines, start=1):
        c = given.get(line.pk)
        where = f"lines[{n}]"
        label = {"n": n, "i": line.item.name}
        if c is None:
            raise Refused(f"{where}.counted", _("Baris %(n)d (%(i)s): isi jumlah yang dihitung.") % label)
        for name, value in (("counted", c.counted), ("damaged", c.damaged)):
            if not isinstance(value, int) or value < 0:
                raise Refused(f"{where}.{name}", _("Baris %(n)d (%(i)s): jumlah tidak boleh negatif.") % label)
        if c.counted > line.quantity:
            raise Refused(
                f"{where}.counted",
                _("Baris %(n)d (%(i)s): dihitung %(c)s, lebih dari yang dikirim (%(q)s).")
                % {**label, "c": c.counted, "q": line.quantity},
            )
        if c.damaged > c.counted:
            raise Refused(f"{where}.damaged", _("Baris %(n)d (%(i)s): yang rusak lebih dari yang dihitung.") % label)
        out.append((line, c.counted, c.damaged))
    extra = set(given) - {line.pk for line in lines}
    if extra:
        raise Refused("lines", _("Ada baris yang bukan milik kiriman ini."))
    return out


def _apply_counts(shipment: Shipment, checked) -> str:
    short = damaged = False
    for line, counted, broken in checked:
        line.counted, line.damaged, line.good = counted, broken, counted - broken
        short |= counted < line.quantity
        damaged |= broken > 0
    ShipmentLine.objects.bulk_update([c[0] for c in checked], ["counted", "damaged", "good"])
    if damaged:
        return Shipment.State.DAMAGED
    return Shipment.State.SHORT if short else Shipment.State.RECEIVED


def _open_replacement(shipment: Shipment, checked, *, by) -> Shipment | None:
    """What a receipt found short or damaged, as a replacement shipment in preparation from the same sender."""
    wanted = [(line.item.code, line.quantity - (counted - broken)) for line, counted, broken in checked]
    wanted = [(code, q) for code, q in wanted if q > 0]
    open_ = shipment.replacements.exclude(state__in=[Shipment.State.CANCELLED, Shipment.State.RETURNED]).first()
    if not wanted or open_ is not None:
        return open_
    replacement = create_shipment(
        shipment.election,
        by=None,
        sender=shipment.sender,
        receiver=shipment.receiver,
        lines=[LineIn(code, q) for code, q in wanted],
        note=_("Pengganti kekurangan/kerusakan kiriman %(c)s") % {"c": shipment.code},
        replaces=shipment,
    )
    title = _("Permintaan pengganti logistik untuk %(h)s (kiriman %(c)s)") % {
        "h": holder_name(shipment.receiver),
        "c": shipment.code,
    }
    url = replacement.get_absolute_url()
    if holder_level(shipment.sender) > 2:  # the PPK or PPS that sends it, and KPU
        notify(
            kind="logistics.replacement_requested",
            title=title,
            url=url,
            target=replacement,
            cap=RECEIVE,
            area=shipment.sender,
        )
    notify(
        kind="logistics.replacement_requested",
        title=title,
        url=url,
        target=replacement,
        cap=MANAGE,
        area=shipment.receiver,
    )
    return replacement


@transaction.atomic
def receive_shipment(
    shipment: Shipment,
    *,
    by,
    counts: Sequence[Count],
    signed_by: str,
    photo=None,
    waterproof_ok: bool | None = None,
    note: str = "",
) -> Receipt:
    """The handover: the counted and damaged quantity of every line, who signed, the berita acara's
    photo and, for items that need it, whether the waterproof packing was intact. A short or damaged
    receipt opens a replacement shipment from the same sender."""
    shipment = Shipment.objects.select_for_update().select_related("election").get(pk=shipment.pk)
    if by is not None and not may_receive(by, shipment):
        raise Refused(
            "receiver",
            _("Kiriman ini untuk %(h)s; Anda tidak dapat menerimanya.") % {"h": holder_name(shipment.receiver)},
        )
    if shipment.state == Shipment.State.CANCELLED:
        raise Refused("state", _("Kiriman %(c)s sudah dibatalkan; tidak dapat diterima.") % {"c": shipment.code})
    if shipment.state != Shipment.State.SENT:
        raise Refused(
            "state",
            _("Kiriman %(c)s berstatus «%(s)s»; hanya kiriman yang dikirim dapat diterima.")
            % {"c": shipment.code, "s": shipment.get_state_display()},
        )
    if not (signed_by or "").strip():
        raise Refused("signed_by", _("Isi nama yang menandatangani berita acara."))
    checked = _check_counts(shipment, counts)
    if any(line.item.waterproof for line, _c, _d in checked) and waterproof_ok is None:
        raise Refused(
            "waterproof_ok", _("Kiriman ini berisi barang berkemasan kedap air: catat apakah kemasannya utuh.")
        )
    if photo is not None:
        try:
            check_image(photo, MAX_PHOTO)
        except UploadRefused as e:
            raise Refused("photo", str(e)) from None
    now = clock.now()
    state = _apply_counts(shipment, checked)
    receipt = Receipt.objects.create(
        shipment=shipment,
        received_at=now,
        received_by=by if getattr(by, "pk", None) else None,
        signed_by=signed_by.strip()[:120],
        waterproof_ok=waterproof_ok,
        note=note[:300],
        lines=[{"item": line.item.code, "counted": c, "damaged": d} for line, c, d in checked],
    )
    if photo is not None:
        receipt.photo.save(f"{shipment.code}.{photo.name.rsplit('.', 1)[-1][:5] or 'jpg'}", photo, save=False)
        receipt.save(update_fields=["photo"])
    _move(shipment, state, by=by, note=note, also={"received_at": now, **_cleared(shipment)})
    figures.refresh(shipment)
    record(
        "logistics.shipment_received",
        by=by,
        target=shipment,
        after={
            "receipt": receipt.pk,
            "lines": receipt.lines,
            "signed_by": receipt.signed_by,
            "waterproof_ok": waterproof_ok,
        },
    )
    if state != Shipment.State.RECEIVED:
        _open_replacement(shipment, checked, by=by)
    return receipt


@transaction.atomic
def correct_receipt(receipt: Receipt, *, by, counts: Sequence[Count], note: str) -> Receipt:
    """A new receipt that corrects an earlier one (a miscount found later); the first stays as it was."""
    shipment = Shipment.objects.select_for_update().get(pk=receipt.shipment_id)
    if by is not None and not may_receive(by, shipment):
        raise Refused("receiver", _("Hanya penerima yang dapat mengoreksi penerimaan ini."))
    if hasattr(receipt, "corrected_by"):
        raise Refused("receipt", _("Penerimaan ini sudah dikoreksi; koreksi yang terbaru."))
    if not note.strip():
        raise Refused("note", _("Tulis alasan koreksi."))
    checked = _check_counts(shipment, counts)
    state = _apply_counts(shipment, checked)
    new = Receipt.objects.create(
        shipment=shipment,
        corrects=receipt,
        received_at=clock.now(),
        received_by=by if getattr(by, "pk", None) else None,
        signed_by=receipt.signed_by,
        waterproof_ok=receipt.waterproof_ok,
        note=note[:300],
        lines=[{"item": line.item.code, "counted": c, "damaged": d} for line, c, d in checked],
    )
    if state != shipment.state:
        _move(shipment, state, by=by, note=note)
    figures.refresh(shipment)
    record(
        "logistics.receipt_corrected",
        by=by,
        target=shipment,
        before={"lines": receipt.lines},
        after={"receipt": new.pk, "lines": new.lines},
    )
    if state != Shipment.State.RECEIVED:
        _open_replacement(shipment, checked, by=by)
    return new


# --- bulk: a whole kecamatan from the needs -------------------------------------------------------


@transaction.atomic
def label_units(election: Election, tps_list: Sequence[Tps], *, by) -> int:
    """A label (TrackedUnit) for every sealed unit of the labelled items each TPS needs; idempotent."""
    items = [i for i in ItemType.objects.of(election) if i.labelled]
    have = set(TrackedUnit.objects.filter(item__in=items, tps__in=tps_list).values_list("item_id", "tps_id", "serial"))
    now = clock.now()
    new = [
        TrackedUnit(item=item, tps=t, serial=s, created_at=now)
        for t in tps_list
        for item in items
        if item.applies_to(t.code)
        for s in range(1, item.need_for(t.dpt) + 1)
        if (item.pk, t.pk, s) not in have
    ]
    TrackedUnit.objects.bulk_create(new)
    if new:
        record(
            "logistics.units_labelled",
            by=by,
            target_repr=_("%(n)d label unit") % {"n": len(new)},
            after={"count": len(new)},
            area=tps_list[0].code[:6] if tps_list else "",
        )
    return len(new)


@transaction.atomic
def create_kecamatan_shipments(election: Election, kecamatan: Region, *, by) -> list[Shipment]:
    """From the needs, in one step: warehouse → PPK (the kecamatan's TPS and its spares), PPK → each PPS,
    PPS → each TPS, all in preparation, with the labelled units of each TPS on every leg toward it.
    Legs that already have a shipment (not cancelled) are left alone."""
    if by is not None and not can(by, MANAGE, kecamatan):
        raise Refused("kecamatan", _("Hanya KPU yang membuat kiriman satu kecamatan sekaligus."))
    items = list(ItemType.objects.of(election))
    tps_list = list(Tps.objects.filter(code_range("code", kecamatan.undotted_code)).select_related("kelurahan"))
    label_units(election, tps_list, by=by)
    units: dict[str, dict[int, list[TrackedUnit]]] = defaultdict(lambda: defaultdict(list))
    for u in TrackedUnit.objects.filter(tps__in=tps_list, item__election=election).select_related("tps"):
        for holder in (u.tps.code, u.tps.code[:10], u.tps.code[:6]):
            units[holder][u.item_id].append(u)
    need: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for t in tps_list:
        for item in items:
            if item.applies_to(t.code):
                q = item.need_for(t.dpt)
                for holder in (t.code, t.code[:10], t.code[:6]):
                    need[holder][item.code] += q
    kec = kecamatan.undotted_code
    for item in items:
        if item.spare_per_kecamatan and kec.startswith(item.scope_prefix()):
            need[kec][item.code] += item.spare_per_kecamatan
    existing = set(
        Shipment.objects.filter(code_range("receiver", kec), election=election, replaces__isnull=True)
        .exclude(state=Shipment.State.CANCELLED)
        .values_list("receiver", flat=True)
    )
    made = []
    for receiver in sorted(need, key=lambda c: (len(c), c)):
        if receiver in existing:
            continue
        lines = [LineIn(code, q) for code, q in need[receiver].items() if q > 0]
        if lines:
            made.append(
                create_shipment(
                    election,
                    by=by,
                    sender=parent_holder(receiver) or "",
                    receiver=receiver,
                    lines=lines,
                    units=units.get(receiver),
                )
            )
    return made


@transaction.atomic
def rebuild_figures(election: Election, *, by, differences: int | None = None) -> None:
    """Rewrite every kept figure of the election from the shipments (figures.rebuild), audited."""
    figures.rebuild(election)
    record(
        "logistics.figures_rebuilt",
        by=by,
        target=election,
        after={"differences": differences} if differences is not None else {},
    )
