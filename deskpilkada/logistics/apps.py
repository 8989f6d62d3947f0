from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "deskpilkada.logistics"
    verbose_name = _("Logistik")
    default_auto_field = "django.db.models.BigAutoField"

    # The audit log's words for this app's entries (audit/labels.py).
    audit_actions = {
        "logistics.item_saved": _("Jenis logistik disimpan"),
        "logistics.shipment_created": _("Pengiriman logistik dibuat"),
        "logistics.shipment_received": _("Penerimaan logistik dicatat"),
        "logistics.receipt_corrected": _("Penerimaan logistik dikoreksi"),
        "logistics.status_changed": _("Status pengiriman logistik berubah"),
        "logistics.units_labelled": _("Label kotak suara dibuat"),
        "logistics.figures_rebuilt": _("Angka logistik tersimpan dihitung ulang"),
    }
    audit_fields = {
        "lines": _("Baris barang"),
        "signed_by": _("Ditandatangani oleh"),
        "waterproof_ok": _("Kemasan kedap air diperiksa"),
        "receipt": _("Penerimaan"),
    }
