from django.apps import AppConfig
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _


class TallyConfig(AppConfig):
    name = "deskpilkada.tally"
    label = "tally"
    verbose_name = "Penghitungan dan rekapitulasi"

    # The audit log's words for this app's entries (audit/labels.py).
    audit_actions = {
        "tally.sheet_counted": _("C.Hasil dihitung"),
        "tally.sheet_held": _("C.Hasil ditahan"),
        "tally.sheet_corrected": _("C.Hasil dikoreksi"),
        "tally.second_entry_matched": _("Entri kedua cocok"),
        "tally.second_entry_differs": _("Entri kedua berbeda"),
        "tally.dispute_resolved": _("Sengketa diselesaikan"),
        "tally.photo_added": _("Foto plano ditambahkan"),
        "tally.photo_confirmed": _("Entri dicocokkan dengan foto plano"),
        "tally.d_hasil_entered": _("D.Hasil diisi"),
        "tally.recap_finalised": _("Rekapitulasi ditetapkan"),
        "tally.results_imported": _("Hasil penghitungan diimpor"),
        "tally.sheets_loaded": _("C.Hasil dimuat"),
        "tally.sirekap_imported": _("Data Sirekap diimpor"),
        "tally.totals_rewritten": _("Total dihitung ulang"),
        "tally.checkpoint_published": _("Checkpoint rantai diterbitkan"),
    }

    @property
    def audit_fields(self) -> dict:
        from deskpilkada.tally import rules

        return {
            **rules.LABELS,
            **{rules.vote_key(n): lazy(rules.label, str)(rules.vote_key(n)) for n in range(1, 21)},
            "figures": _("Angka C.Hasil"),
            "problems": _("Masalah"),
            "differences": _("Perbedaan"),
            "reason": _("Alasan"),
            "source": _("Sumber"),
            "version": _("Versi"),
            "sheets": _("C.Hasil"),
            "choice": _("Pilihan"),
            "chains": _("Rantai TPS"),
            "versions": _("Versi"),
            "root": _("Akar"),
            "prev_root": _("Akar sebelumnya"),
            "key_id": _("Kunci penanda tangan"),
            "last_version_id": _("Versi terakhir yang dicakup"),
            "votes": _("Suara"),
            "valid": _("Suara sah"),
            "invalid": _("Suara tidak sah"),
            "voters": _("Pengguna hak pilih"),
            "rows": _("Baris"),
            "counted": _("Dihitung"),
            "held": _("Ditahan"),
            "first": _("Pertama"),
            "last": _("Terakhir"),
            "kept": _("Yang dipakai"),
            "second_entry_by": _("Entri kedua oleh"),
        }

    def ready(self) -> None:
        from deskpilkada.tally import checks  # noqa: F401 (registers the checks)
