"""Organisations, users, roles and the areas roles are limited to; API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deskpilkada.accounts.roles import ROLES
from deskpilkada.audit.log import common_area
from deskpilkada.regions.codes import undotted


class Organisation(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "pemda", _("Pemerintah daerah")
        KPU = "kpu", _("KPU / badan ad hoc")
        BAWASLU = "bawaslu", _("Bawaslu / pengawas")
        POLRI = "polri", _("Polri")
        TNI = "tni", _("TNI")
        SECURITY = "keamanan", _("Keamanan lain (Satpol PP, gabungan)")
        HEALTH = "kesehatan", _("Dinas Kesehatan / puskesmas")
        HOSPITAL = "rumah_sakit", _("Rumah sakit")
        BPBD = "bpbd", _("BPBD (penanggulangan bencana)")
        DISKOMINFO = "diskominfo", _("Diskominfo")
        BKPSDM = "bkpsdm", _("BKPSDM")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")
        OTHER = "lain", _("Lainnya")

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=160)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    active = models.BooleanField(
        _("aktif"), default=True, help_text=_("Organisasi nonaktif tidak dapat dipilih untuk pengguna baru.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisasi")
        verbose_name_plural = _("organisasi")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.PROTECT, related_name="users", verbose_name=_("organisasi")
    )
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)

    objects = UserManager()  # type: ignore[misc]  # a plain UserManager, as on AbstractUser

    class Meta:
        ordering = ["username"]
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.username

    def audit_area(self) -> str:
        """The smallest area holding every role of the user (its logins and account changes belong there)."""
        rows = self.assignments.values_list("region__code", "tps__code")
        return common_area((tps or undotted(region or "")) for region, tps in rows)


class Role(models.Model):
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    capabilities = models.JSONField(_("kemampuan"), default=list)

    class Meta:
        ordering = ["code"]
        verbose_name = _("peran")
        verbose_name_plural = _("peran")

    def __str__(self) -> str:
        return str(ROLES[self.code]["name"]) if self.code in ROLES else self.name


class RoleAssignment(models.Model):
    """A role held by a user inside one area: a region (any level) or a single TPS."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="assignments")
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    tps = models.ForeignKey("tps.Tps", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(region__isnull=False, tps__isnull=True) | models.Q(region__isnull=True, tps__isnull=False)
                ),
                name="assignment_has_one_area",
            ),
            models.UniqueConstraint(fields=["user", "role", "region"], name="unique_role_region"),
            models.UniqueConstraint(fields=["user", "role", "tps"], name="unique_role_tps"),
        ]
        verbose_name = _("penugasan peran")
        verbose_name_plural = _("penugasan peran")

    def __str__(self) -> str:
        return f"{self.role} — {self.area_label}"

    @property
    def area_label(self) -> str:
        if self.tps is not None:
            return str(self.tps)
        return self.region.display_name if self.region is not None else ""


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A machine token: only its SHA-256 is stored; the token itself is shown once."""

    PREFIX = "dpk_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama"), max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def touch(self) -> None:
        now = timezone.now()
        if not self.last_used_at or (now - self.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
