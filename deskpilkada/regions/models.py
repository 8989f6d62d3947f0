"""Regions of Indonesia by Kemendagri code: province, kabupaten/kota, kecamatan, kelurahan/desa."""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from deskpilkada.regions.codes import normalize_region_code, undotted


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Provinsi")
    REGENCY = 2, _("Kabupaten/Kota")
    DISTRICT = 3, _("Kecamatan")
    VILLAGE = 4, _("Kelurahan/Desa")


class RegionQuerySet(models.QuerySet):
    def within(self, area: Region) -> RegionQuerySet:
        """The region itself and every region below it."""
        return self.filter(models.Q(pk=area.pk) | models.Q(code__startswith=area.code + "."))

    def kecamatan(self) -> RegionQuerySet:
        return self.filter(level=Level.DISTRICT)

    def kelurahan(self) -> RegionQuerySet:
        return self.filter(level=Level.VILLAGE)

    def by_code(self, raw: str) -> Region:
        return self.get(code=normalize_region_code(raw))


class Region(models.Model):
    """One row per administrative region; the hierarchy lives in the dotted code and `parent`."""

    code = models.CharField(_("kode"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # Map data: a representative point; the optional outline is a RegionBoundary.
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return self.name

    @property
    def undotted_code(self) -> str:
        return undotted(self.code)

    def audit_area(self) -> str:
        return self.undotted_code

    @property
    def kind_label(self) -> str | Promise:
        """Kota/Kabupaten from the name, kelurahan/desa from the code (1xxx vs 2xxx)."""
        if self.level == Level.VILLAGE:
            return _("Kelurahan") if self.code.rsplit(".", 1)[1].startswith("1") else _("Desa")
        if self.level == Level.REGENCY:
            return _("Kota") if self.name.startswith("Kota") else _("Kabupaten")
        return self.get_level_display()

    @property
    def display_name(self) -> str:
        """«Kecamatan Bogor Barat», «Kota Bogor» (the kind is not repeated when the name has it: a
        name carries its kind in Indonesian, so that in English too it is «Kota Bogor», not «City
        Kota Bogor»)."""
        kind = str(self.kind_label)
        with translation.override("id"):
            native = str(self.kind_label)
        return self.name if self.name.lower().startswith((kind.lower(), native.lower())) else f"{kind} {self.name}"

    def contains(self, other: Region) -> bool:
        return other.code == self.code or other.code.startswith(self.code + ".")

    def ancestors(self) -> list[Region]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class RegionBoundary(models.Model):
    """A region's simplified outline: a GeoJSON Polygon or MultiPolygon in WGS84 (lon, lat).

    A table of its own rather than a column of Region, so that the many queries joining Region
    (every TPS with its kelurahan and kecamatan) never carry the geometry."""

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, primary_key=True, related_name="boundary", verbose_name=_("wilayah")
    )
    geometry = models.JSONField(_("batas wilayah (GeoJSON)"))
    points = models.PositiveIntegerField(_("jumlah titik"))
    centroid_lat = models.FloatField(_("lintang titik tengah"))
    centroid_lon = models.FloatField(_("bujur titik tengah"))
    source = models.CharField(_("sumber"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("batas wilayah")
        verbose_name_plural = _("batas wilayah")

    def __str__(self) -> str:
        return f"{self.region.name}: {self.points} titik"

    def audit_area(self) -> str:
        return self.region.undotted_code


class RegionHazard(models.Model):
    """A kelurahan listed by BPBD as prone to a hazard (flood, landslide, wind, …)."""

    class Kind(models.TextChoices):
        FLOOD = "banjir", _("Banjir")
        LANDSLIDE = "longsor", _("Longsor")
        WIND = "angin", _("Angin kencang / puting beliung")
        FALLING_TREE = "pohon_tumbang", _("Pohon tumbang")
        DROUGHT = "kekeringan", _("Kekeringan")
        OTHER = "lain", _("Bahaya lain")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="hazards")
    kind = models.CharField(_("jenis bahaya"), max_length=20, choices=Kind.choices)
    source = models.CharField(_("sumber"), max_length=300, blank=True)

    class Meta:
        ordering = ["region__code", "kind"]
        constraints = [models.UniqueConstraint(fields=["region", "kind"], name="unique_region_hazard")]
        verbose_name = _("rawan bencana")
        verbose_name_plural = _("rawan bencana")

    def __str__(self) -> str:
        return f"{self.region.name}: {self.get_kind_display()}"
