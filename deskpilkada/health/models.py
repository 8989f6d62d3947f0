"""Point 9, health: hospitals (in-patient voting and the mobile KPPS build on them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Hospital(models.Model):
    code = models.CharField(_("kode RS"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=160)
    kind = models.CharField(_("jenis"), max_length=40, blank=True)
    hospital_class = models.CharField(_("kelas"), max_length=5, blank=True)
    owner = models.CharField(_("pemilik"), max_length=80, blank=True)
    beds = models.PositiveIntegerField(_("tempat tidur"), default=0)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="hospitals", verbose_name=_("wilayah")
    )
    note = models.CharField(_("catatan"), max_length=255, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("rumah sakit")
        verbose_name_plural = _("rumah sakit")

    def __str__(self) -> str:
        return self.name
