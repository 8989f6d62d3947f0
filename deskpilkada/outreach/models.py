"""Point 4: invitation (C.Pemberitahuan) delivery per TPS per day."""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

UNDELIVERABLE = [
    ("moved", _("pindah")),
    ("deceased", _("meninggal")),
    ("unknown", _("tidak dikenal di alamat")),
    ("refused", _("menolak")),
    ("other", _("lainnya")),
]


class InvitationDayQuerySet(models.QuerySet):
    def handled(self):
        return self.annotate(
            handled=F("delivered") + F("moved") + F("deceased") + F("unknown") + F("refused") + F("other")
        )


class InvitationDay(models.Model):
    """What the KPPS or PPS reported for one TPS on one day of the delivery window.

    Reporting the same day again replaces that day's figures (never adds), so a retried
    submission cannot count twice.
    """

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    tps = models.ForeignKey("tps.Tps", on_delete=models.CASCADE, related_name="invitation_days")
    day = models.DateField(_("tanggal"))
    delivered = models.PositiveIntegerField(_("terkirim"), default=0)
    moved = models.PositiveIntegerField(_("tidak terkirim: pindah"), default=0)
    deceased = models.PositiveIntegerField(_("tidak terkirim: meninggal"), default=0)
    unknown = models.PositiveIntegerField(_("tidak terkirim: tidak dikenal"), default=0)
    refused = models.PositiveIntegerField(_("tidak terkirim: menolak"), default=0)
    other = models.PositiveIntegerField(_("tidak terkirim: lainnya"), default=0)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now=True)

    objects = InvitationDayQuerySet.as_manager()

    class Meta:
        ordering = ["tps", "day"]
        constraints = [models.UniqueConstraint(fields=["election", "tps", "day"], name="one_report_per_tps_day")]

    def __str__(self) -> str:
        return f"{self.tps.code} {self.day}"

    @property
    def undeliverable(self) -> int:
        return self.moved + self.deceased + self.unknown + self.refused + self.other

    @property
    def handled(self) -> int:
        return self.delivered + self.undeliverable


class OutreachActivity(models.Model):
    """A sosialisasi activity: who reached whom, where, when."""

    class Kind(models.TextChoices):
        FACE_TO_FACE = "tatap_muka", _("Tatap muka")
        DOOR_TO_DOOR = "door_to_door", _("Dari pintu ke pintu")
        SOCIAL_MEDIA = "media_sosial", _("Media sosial")
        RADIO = "radio", _("Radio")
        SCHOOL = "sekolah", _("Kunjungan sekolah/kampus")
        OTHER = "lain", _("Lainnya")

    class Segment(models.TextChoices):
        FIRST_TIME = "pemula", _("Pemilih pemula")
        DISABILITY = "disabilitas", _("Penyandang disabilitas")
        WOMEN = "perempuan", _("Perempuan")
        WORKERS = "pekerja", _("Pekerja")
        ELDERLY = "lansia", _("Lansia")
        GENERAL = "umum", _("Masyarakat umum")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    segment = models.CharField(_("sasaran"), max_length=20, choices=Segment.choices)
    date = models.DateField(_("tanggal"))
    kelurahan = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kelurahan")
    )
    organiser = models.CharField(_("penyelenggara"), max_length=120)
    reach = models.PositiveIntegerField(_("jumlah peserta/jangkauan"))
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    photo = models.FileField(_("foto"), upload_to="sosialisasi/%Y/%m/", blank=True)
    photo_type = models.CharField(max_length=20, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.kelurahan_id} {self.date}"


class TurnoutHistory(models.Model):
    """Turnout of a past election in a kelurahan or kecamatan (imported)."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="turnout_history")
    label = models.CharField(_("pemilihan"), max_length=80)
    year = models.PositiveSmallIntegerField(_("tahun"))
    dpt = models.PositiveIntegerField()
    voters = models.PositiveIntegerField(_("pengguna hak pilih"))

    class Meta:
        ordering = ["region", "-year"]
        constraints = [models.UniqueConstraint(fields=["region", "label"], name="one_turnout_per_region_election")]

    def __str__(self) -> str:
        return f"{self.label} {self.region_id}"

    @property
    def turnout(self) -> float | None:
        return self.voters / self.dpt if self.dpt else None
