from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "deskpilkada.elections"
    label = "elections"
    verbose_name = "Pemilihan"

    # The audit log's words for this app's entries (audit/labels.py).
    audit_actions = {
        "elections.election_created": _("Pemilihan dibuat"),
        "elections.election_updated": _("Pemilihan diubah"),
        "elections.phase_created": _("Tahapan ditambahkan"),
        "elections.phase_updated": _("Tahapan diubah"),
        "elections.contest_created": _("Kontestasi dibuat"),
        "elections.contest_updated": _("Kontestasi diubah"),
        "elections.candidate_created": _("Paslon ditambahkan"),
        "elections.candidate_updated": _("Paslon diubah"),
        "elections.sirekap_ids_set": _("Id paslon Sirekap dipetakan"),
    }
