"""Polling stations (TPS)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from deskpilkada.regions.codes import dotted, kelurahan_of
from deskpilkada.regions.models import Region

MAX_VOTERS_PER_TPS = 600


class TpsQuerySet(models.QuerySet):
    def within(self, area: Region) -> TpsQuerySet:
        return self.filter(models.Q(kelurahan=area) | models.Q(kelurahan__code__startswith=area.code + "."))

    def special(self) -> TpsQuerySet:
        return self.exclude(special_kind="")

    def flood_prone(self) -> TpsQuerySet:
        return self.filter(kelurahan__hazards__kind="banjir").distinct()

    def search(self, text: str) -> TpsQuerySet:
        text = (text or "").strip()
        if not text:
            return self
        q = models.Q(address__icontains=text) | models.Q(kelurahan__name__icontains=text)
        digits = text.replace(".", "")
        if digits.isascii() and digits.isdigit():  # not "²", which isdigit() takes and int() refuses
            q |= models.Q(code__startswith=digits) if len(digits) > 3 else models.Q(number=int(digits))
        return self.filter(q)


class Tps(models.Model):
    class SpecialKind(models.TextChoices):
        NONE = "", _("Biasa")
        PRISON = "lapas", _("Lapas/Rutan")
        HOSPITAL = "rumah_sakit", _("Rumah sakit")
        OTHER = "lain", _("Lainnya")

    code = models.CharField(_("kode TPS"), max_length=13, unique=True)
    kelurahan = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="tps_set",
        verbose_name=_("kelurahan/desa"),
        limit_choices_to={"level": 4},
    )
    number = models.PositiveSmallIntegerField(_("nomor TPS"), validators=[MinValueValidator(1), MaxValueValidator(999)])
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    rt = models.CharField(_("RT"), max_length=5, blank=True)
    rw = models.CharField(_("RW"), max_length=5, blank=True)
    lat = models.FloatField(
        _("lintang"), null=True, blank=True, validators=[MinValueValidator(-11.5), MaxValueValidator(6.5)]
    )
    lon = models.FloatField(
        _("bujur"), null=True, blank=True, validators=[MinValueValidator(94.5), MaxValueValidator(141.5)]
    )
    dpt_male = models.PositiveIntegerField(_("DPT laki-laki"), default=0)
    dpt_female = models.PositiveIntegerField(_("DPT perempuan"), default=0)
    special_kind = models.CharField(_("TPS khusus"), max_length=20, choices=SpecialKind.choices, blank=True, default="")
    special_place = models.CharField(_("tempat khusus"), max_length=120, blank=True)
    wheelchair_accessible = models.BooleanField(_("dapat diakses kursi roda"), default=False)
    # Optimistic locking: every audited edit increments it; a stale form is refused.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TpsQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["kelurahan", "number"], name="unique_tps_number_per_kelurahan"),
            models.CheckConstraint(
                condition=models.Q(dpt_male__lte=MAX_VOTERS_PER_TPS) & models.Q(dpt_female__lte=MAX_VOTERS_PER_TPS),
                name="tps_dpt_in_range",
            ),
        ]
        verbose_name = _("TPS")
        verbose_name_plural = _("TPS")

    def __str__(self) -> str:
        return f"TPS {self.number:03d} {self.kelurahan.name}"

    def clean(self) -> None:
        if (self.lat is None) != (self.lon is None):
            raise ValidationError({"lon": _("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya.")})
        if self.dpt_male + self.dpt_female > MAX_VOTERS_PER_TPS:
            raise ValidationError(
                {"dpt_female": _("Jumlah DPT melebihi batas %(max)d pemilih per TPS.") % {"max": MAX_VOTERS_PER_TPS}}
            )

    @property
    def dpt(self) -> int:
        return self.dpt_male + self.dpt_female

    @property
    def dotted_code(self) -> str:
        return dotted(self.code)

    def audit_area(self) -> str:
        return self.code

    def kelurahan_code_dotted(self) -> str:
        return kelurahan_of(self.code)

    def relocation(self) -> Relocation | None:
        """The latest relocation of this TPS, or None: what the public pages say as "TPS dipindahkan"."""
        return self.relocations.order_by("-at", "-pk").first()

    @property
    def kecamatan(self) -> Region | None:
        return self.kelurahan.parent


class RelocationQuerySet(models.QuerySet):
    def latest_per_tps(self) -> dict[int, Relocation]:
        """TPS id -> its most recent relocation (the place it stands at now)."""
        out: dict[int, Relocation] = {}
        for r in self.order_by("tps_id", "-at", "-pk"):
            out.setdefault(r.tps_id, r)
        return out


class Relocation(models.Model):
    """A TPS moved to another place (a flood on the eve of voting): both places, why, when and who
    decided. Written only by `tps.actions.relocate_tps`, which moves the TPS itself in the same
    transaction; the old place stays here and in the audit log."""

    tps = models.ForeignKey(Tps, on_delete=models.CASCADE, related_name="relocations")
    from_address = models.CharField(_("alamat lama"), max_length=255, blank=True)
    from_lat = models.FloatField(_("lintang lama"), null=True, blank=True)
    from_lon = models.FloatField(_("bujur lama"), null=True, blank=True)
    to_address = models.CharField(_("alamat baru"), max_length=255)
    to_lat = models.FloatField(_("lintang baru"), null=True, blank=True)
    to_lon = models.FloatField(_("bujur baru"), null=True, blank=True)
    reason = models.CharField(_("alasan"), max_length=500)
    at = models.DateTimeField(_("waktu pemindahan"))
    decided_by = models.CharField(_("diputuskan oleh"), max_length=160)
    outside_kelurahan = models.BooleanField(_("di luar kelurahan"), default=False)
    voters_affected = models.PositiveIntegerField(_("pemilih terdampak"), default=0)
    recorded_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )

    objects = RelocationQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("pemindahan TPS")
        verbose_name_plural = _("pemindahan TPS")

    def __str__(self) -> str:
        return f"{self.tps}: {self.from_address} → {self.to_address}"

    def audit_area(self) -> str:
        return self.tps.code
