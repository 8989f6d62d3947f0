"""Point 4: the voters' list (DPT) as keyed hashes, and the public TPS look-up counter."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Voter(models.Model):
    """One DPT entry. NIK and NKK are never stored in clear (see keys.py); neither are the full
    name, the birth date or the address: only what the look-up and the counts need."""

    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="voters")
    tps = models.ForeignKey("tps.Tps", on_delete=models.CASCADE, related_name="voters")
    nik_hash = models.CharField(max_length=32)
    nkk_hash = models.CharField(max_length=32)
    confirm_dob = models.CharField(max_length=32)
    confirm_name = models.CharField(max_length=32)
    name_masked = models.CharField(_("nama (disamarkan)"), max_length=120)
    birth_year = models.PositiveSmallIntegerField(_("tahun lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "nik_hash"], name="one_voter_per_nik")]
        indexes = [models.Index(fields=["tps", "sex"])]

    def __str__(self) -> str:
        return self.name_masked


class LookupDay(models.Model):
    """How many public look-ups were made on a day: a number, never who or which NIK."""

    day = models.DateField(unique=True)
    lookups = models.PositiveIntegerField(default=0)
    found = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.lookups}"
