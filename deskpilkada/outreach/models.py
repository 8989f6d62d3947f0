"""Point 4: invitation (C.Pemberitahuan) delivery per TPS per day."""

from django.conf import settings
from django.db import models
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
        from django.db.models import F

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
