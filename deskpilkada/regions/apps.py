from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "deskpilkada.regions"
    label = "regions"
    verbose_name = "Wilayah"

    # The audit log's words for this app's entries (audit/labels.py).
    audit_actions = {
        "regions.imported": _("Wilayah diimpor"),
        "regions.location_set": _("Titik wilayah disimpan"),
        "regions.hazard_added": _("Rawan bencana ditambahkan"),
        "regions.hazard_updated": _("Rawan bencana diubah"),
        "regions.boundary_set": _("Batas wilayah disimpan"),
        "regions.boundaries_imported": _("Batas wilayah diimpor"),
    }
    audit_fields = {
        "created": _("Baru"),
        "renamed": _("Berganti nama"),
        "replaced": _("Diganti"),
        "unchanged": _("Tetap"),
        "prefix": _("Awalan kode"),
        "region": _("Wilayah"),
        "points": _("Titik"),
    }
