"""Point 1, logistics: the items every TPS needs (rules as data per election), the shipments of the
chain KPU warehouse → PPK → PPS → TPS with their receipts, and the sealed boxes that carry a label.

A holder is named by its code: the kabupaten/kota's undotted region code is the KPU warehouse
("3271"), a kecamatan's is its PPK ("327104"), a kelurahan's its PPS ("3271041001"), a 13-digit
TPS code the TPS; `VENDOR` is the printer or supplier that fills the warehouse. Because every code
begins with the codes of the holders above it, an area is a code prefix, as for the TPS.

Stock is never typed in: what a holder has is what shipments brought it (the good quantity of its
receipts) minus what it sent on (needs.py, stock.py).
"""

from __future__ import annotations

import math
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from deskpilkada.elections.deadlines import Deadlined, DeadlineQuerySet
from deskpilkada.elections.models import Contest, Election
from deskpilkada.numbers import number
from deskpilkada.regions.codes import code_range
from deskpilkada.tps.models import Tps

VENDOR = "penyedia"
# The short code printed under a label's QR code: no 0/O, 1/I/L, 5/S or 8/B to mistake.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY234679"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def holder_level(code: str) -> int:
    """0 the vendor, 2 the KPU warehouse (kabupaten/kota), 3 a PPK, 4 a PPS, 5 a TPS; -1 unknown."""
    if code == VENDOR:
        return 0
    return {4: 2, 6: 3, 10: 4, 13: 5}.get(len(code), -1) if code.isdigit() else -1


class Basis(models.TextChoices):
    DPT_RESERVE = "dpt_reserve", _("DPT + cadangan %, dibulatkan ke atas per TPS")
    PER_TPS = "per_tps", _("jumlah tetap per TPS")
    DPT_BAND = "dpt_band", _("menurut rentang DPT")
    SPARE_ONLY = "spare_only", _("hanya cadangan per kecamatan")


class ItemTypeQuerySet(models.QuerySet):
    def of(self, election: Election) -> ItemTypeQuerySet:
        return self.filter(election=election).select_related("contest__region").order_by("sort", "code")


class ItemType(models.Model):
    """A kind of logistics (ballot box of a contest, ballots of a contest, booth, ink, …) and the rule
    of how many each TPS needs. Changing the rule (or a TPS's DPT) changes the needs at once: they
    are computed from the rule every time, never stored."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="logistics_items")
    code = models.SlugField(_("kode"), max_length=60)
    name = models.CharField(_("nama"), max_length=160)
    contest = models.ForeignKey(
        Contest, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("pemilihan")
    )
    unit = models.CharField(_("satuan"), max_length=30, default="buah")
    basis = models.CharField(_("aturan kebutuhan"), max_length=20, choices=Basis.choices, default=Basis.PER_TPS)
    per_tps = models.PositiveIntegerField(_("jumlah per TPS"), default=1)
    reserve_pct = models.DecimalField(
        _("cadangan (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )  # None: the election's ballot reserve
    # [[up to this DPT, quantity], ...] in rising order; a DPT above the last band takes the last quantity.
    bands = models.JSONField(_("rentang DPT"), default=list, blank=True)
    spare_per_kecamatan = models.PositiveIntegerField(_("cadangan per kecamatan"), default=0)
    waterproof = models.BooleanField(_("perlu kemasan kedap air"), default=False)
    labelled = models.BooleanField(_("setiap unit diberi label"), default=False)  # sealed ballot boxes
    sort = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    objects = ItemTypeQuerySet.as_manager()

    class Meta:
        ordering = ["election", "sort", "code"]
        constraints = [models.UniqueConstraint(fields=["election", "code"], name="logistics_item_unique")]
        verbose_name = _("jenis logistik")
        verbose_name_plural = _("jenis logistik")

    def __str__(self) -> str:
        return self.name

    def audit_area(self) -> str:
        return self.contest.region.undotted_code if self.contest_id and self.contest else ""

    def reserve(self) -> Decimal:
        value = self.reserve_pct if self.reserve_pct is not None else self.election.ballot_reserve_pct
        return Decimal(str(value))  # a float default (2.5) of an unsaved election, exactly

    def applies_to(self, tps_code: str) -> bool:
        """A contest's items go to the TPS of its region only (the governor's to all of the province)."""
        return not self.contest_id or tps_code.startswith(self.contest.region.undotted_code)  # type: ignore[union-attr]

    def scope_prefix(self) -> str:
        return self.contest.region.undotted_code if self.contest_id and self.contest else ""

    def need_for(self, dpt: int) -> int:
        """How many one TPS of this DPT needs."""
        if self.basis == Basis.DPT_RESERVE:
            # Exact decimal arithmetic, then up: 250 voters + 2.5 % = 256.25 → 257.
            return math.ceil(Decimal(dpt) * (100 + self.reserve()) / 100)
        if self.basis == Basis.DPT_BAND:
            for upto, quantity in self.bands:
                if dpt <= upto:
                    return int(quantity)
            return int(self.bands[-1][1]) if self.bands else 0
        if self.basis == Basis.PER_TPS:
            return self.per_tps
        return 0

    def rule_text(self) -> str:
        if self.basis == Basis.DPT_RESERVE:
            pct = self.reserve().normalize()  # 2.50 → 2.5, written in the reader's format (numbers.py)
            digits = max(0, -int(pct.as_tuple().exponent))
            text = _g("DPT + %(pct)s %%, dibulatkan ke atas per TPS") % {"pct": number(pct, digits)}
        elif self.basis == Basis.DPT_BAND:
            text = "; ".join(_g("DPT ≤ %(upto)s: %(n)s") % {"upto": u, "n": n} for u, n in self.bands)
        elif self.basis == Basis.PER_TPS:
            text = _g("%(n)s per TPS") % {"n": self.per_tps}
        else:
            text = _g("tanpa kebutuhan per TPS")
        if self.spare_per_kecamatan:
            text += "; " + _g("cadangan %(n)s per kecamatan") % {"n": self.spare_per_kecamatan}
        return str(text)


class ShipmentQuerySet(DeadlineQuerySet):
    def holding(self, prefix: str) -> ShipmentQuerySet:
        """Shipments whose sender or receiver lies inside the area of this holder code prefix."""
        return self.filter(code_range("sender", prefix) | code_range("receiver", prefix))

    def in_transit(self) -> ShipmentQuerySet:
        return self.filter(state=Shipment.State.SENT)

    def received(self) -> ShipmentQuerySet:
        return self.filter(state__in=Shipment.RECEIVED)

    def open_replacements(self) -> ShipmentQuerySet:
        return self.filter(replaces__isnull=False, state__in=[Shipment.State.PREPARING, Shipment.State.SENT])


class Shipment(Deadlined):
    """One consignment from a holder to the next one down the chain, with its lines."""

    class State(models.TextChoices):
        PREPARING = "preparing", _("disiapkan")
        SENT = "sent", _("dikirim")
        RECEIVED = "received", _("diterima lengkap")
        SHORT = "received_short", _("diterima kurang")
        DAMAGED = "received_damaged", _("diterima rusak")
        RETURNED = "returned", _("dikembalikan")
        CANCELLED = "cancelled", _("dibatalkan")

    STATUS_FIELD = "state"
    STATUS_STEPS = {
        "preparing": {"sent", "cancelled"},
        "sent": {"received", "received_short", "received_damaged", "returned"},
        # A receipt's state follows its latest receipt (a correction is a new receipt).
        "received": {"received_short", "received_damaged", "returned"},
        "received_short": {"received", "received_damaged", "returned"},
        "received_damaged": {"received", "received_short", "returned"},
    }
    RECEIVED = (State.RECEIVED, State.SHORT, State.DAMAGED)
    OUT = (State.SENT, State.RECEIVED, State.SHORT, State.DAMAGED)  # left the sender
    DEADLINE_CAP = "logistics.receive"
    DEADLINE_CLOSED = (State.RECEIVED, State.SHORT, State.DAMAGED, State.RETURNED, State.CANCELLED)

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="shipments")
    code = models.CharField(_("kode label"), max_length=12, unique=True, default=new_code)
    sender = models.CharField(_("pengirim"), max_length=13, db_index=True)
    receiver = models.CharField(_("penerima"), max_length=13, db_index=True)
    receiver_tps = models.ForeignKey(
        Tps, on_delete=models.PROTECT, null=True, blank=True, related_name="shipments", verbose_name=_("TPS tujuan")
    )
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.PREPARING, db_index=True)
    # A replacement for what a receipt found short or damaged: opened by that receipt, tracked to its own.
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replacements",
        verbose_name=_("pengganti untuk"),
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    received_at = models.DateTimeField(_("diterima"), null=True, blank=True)

    objects = ShipmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["receiver", "state"]), models.Index(fields=["sender", "state"])]
        verbose_name = _("pengiriman logistik")
        verbose_name_plural = _("pengiriman logistik")

    def __str__(self) -> str:
        return _("Kiriman %(code)s") % {"code": self.code}

    def get_absolute_url(self) -> str:
        return reverse("logistics:shipment", args=[self.code])

    def audit_area(self) -> str:
        return self.receiver if self.receiver != VENDOR else self.sender

    @property
    def is_received(self) -> bool:
        return self.state in self.RECEIVED


class TrackedUnit(models.Model):
    """A sealed unit with its own label (a ballot box), meant for one TPS; its history is the
    shipments that carried it."""

    item = models.ForeignKey(ItemType, on_delete=models.PROTECT, related_name="units")
    tps = models.ForeignKey(Tps, on_delete=models.PROTECT, related_name="logistics_units")
    serial = models.PositiveSmallIntegerField(default=1)
    code = models.CharField(_("kode label"), max_length=12, unique=True, default=new_code)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["tps__code", "item__sort", "serial"]
        constraints = [models.UniqueConstraint(fields=["item", "tps", "serial"], name="logistics_unit_unique")]
        verbose_name = _("unit berlabel")
        verbose_name_plural = _("unit berlabel")

    def __str__(self) -> str:
        return f"{self.item} · TPS {self.tps.number:03d} {self.tps.kelurahan.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("logistics:unit", args=[self.code])

    def audit_area(self) -> str:
        return self.tps.code


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(ItemType, on_delete=models.PROTECT, related_name="lines", verbose_name=_("barang"))
    quantity = models.PositiveIntegerField(_("jumlah dikirim"))
    # From the latest receipt (kept here in the receipt's own transaction so that stock sums are one query).
    counted = models.PositiveIntegerField(_("jumlah dihitung"), null=True, blank=True)
    damaged = models.PositiveIntegerField(_("rusak"), default=0)
    good = models.PositiveIntegerField(_("diterima baik"), default=0)
    units = models.ManyToManyField(TrackedUnit, blank=True, related_name="lines")

    class Meta:
        ordering = ["item__sort", "item__code"]
        constraints = [models.UniqueConstraint(fields=["shipment", "item"], name="logistics_line_unique")]
        verbose_name = _("baris pengiriman")
        verbose_name_plural = _("baris pengiriman")

    def __str__(self) -> str:
        return f"{self.item}: {self.quantity}"

    def audit_area(self) -> str:
        return self.shipment.audit_area()

    @property
    def short(self) -> int:
        return max(0, self.quantity - self.good) if self.counted is not None else 0


class Receipt(models.Model):
    """One handover: who received, who signed, the counted and damaged quantities per line and the
    photo of the berita acara. Never edited: a correction is a new receipt that names the one it corrects."""

    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="receipts")
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
        verbose_name=_("mengoreksi"),
    )
    received_at = models.DateTimeField(_("diterima"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    signed_by = models.CharField(_("ditandatangani oleh"), max_length=120)
    photo = models.FileField(_("foto berita acara"), upload_to="logistik/berita-acara/%Y/%m/", blank=True)
    waterproof_ok = models.BooleanField(_("kemasan kedap air utuh"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    lines = models.JSONField(_("baris"), default=list)  # [{"item": code, "counted": n, "damaged": n}]

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("berita acara penerimaan")
        verbose_name_plural = _("berita acara penerimaan")

    def __str__(self) -> str:
        return _("Penerimaan %(code)s") % {"code": self.shipment.code}

    def audit_area(self) -> str:
        return self.shipment.audit_area()


# --- kept figures (figures.py) -------------------------------------------------------------------
# Copies of what the shipments say, rewritten for the keys a shipment touches inside the same action's
# transaction, so that a province's completeness, alerts and needs read a few indexed rows instead of
# summing a million shipment lines. `deskpilkada logistics_figures` recomputes them from the shipments
# and reports (or, with --fix, rewrites) any difference. Nothing else writes them.


class ReceivedAtTps(models.Model):
    """Per TPS and item: the quantity on shipments that left toward it and the good quantity received."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    tps = models.ForeignKey(Tps, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(ItemType, on_delete=models.CASCADE, related_name="+")
    sent = models.PositiveIntegerField(default=0)
    got = models.PositiveIntegerField(default=0)
    transit_code = models.CharField(max_length=12, blank=True)  # a shipment toward it still on the road
    received_code = models.CharField(max_length=12, blank=True)  # the latest received shipment toward it

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tps", "item"], name="logistics_received_unique")]

    def __str__(self) -> str:
        return f"{self.tps_id}/{self.item_id}: {self.got} of {self.sent}"


class ReceivedInKelurahan(models.Model):
    """Per kelurahan and item: the sums of ReceivedAtTps over its TPS (an area's needs add these up)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    kelurahan = models.CharField(max_length=10)  # the undotted code: an area is a code range
    item = models.ForeignKey(ItemType, on_delete=models.CASCADE, related_name="+")
    sent = models.PositiveIntegerField(default=0)
    got = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "kelurahan", "item"], name="logistics_kelurahan_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kelurahan}/{self.item_id}: {self.got} of {self.sent}"


class HeldStock(models.Model):
    """Per holder and item: what its received shipments brought in good order minus what it sent on."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    holder = models.CharField(max_length=13)
    item = models.ForeignKey(ItemType, on_delete=models.CASCADE, related_name="+")
    held = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "holder", "item"], name="logistics_stock_unique")]

    def __str__(self) -> str:
        return f"{self.holder}/{self.item_id}: {self.held}"


class TpsCompleteness(models.Model):
    """Per TPS: how many items it has less of than it needs, judged on the DPT and the rules it records.
    A TPS whose DPT or rules changed since (another app edited the DPT, a rule was written) no longer
    matches and is judged again from ReceivedAtTps on every read until its next refresh."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    tps = models.ForeignKey(Tps, on_delete=models.CASCADE, related_name="+")
    dpt = models.PositiveIntegerField()
    rules = models.CharField(max_length=16)  # figures.rules_stamp of the items it was judged by
    short = models.PositiveSmallIntegerField()  # how many items it misses: len(missing)
    # [[item id, need, got, sent, code of a shipment in transit toward it, code of one received], …]
    missing = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "tps"], name="logistics_completeness_unique")]

    def __str__(self) -> str:
        return f"{self.tps_id}: {self.short} short"
