from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "deskpilkada.health"
    label = "health"
    verbose_name = "Kesehatan"

    # The audit log's words for this app's entries (audit/labels.py).
    audit_actions = {
        "health.hospital_created": _("Rumah sakit ditambahkan"),
        "health.hospital_updated": _("Rumah sakit diubah"),
        "health.inpatient_registered": _("Pasien rawat inap pindah memilih dicatat"),
        "health.serving_tps_added": _("TPS pelayan rumah sakit ditambahkan"),
        "health.serving_tps_removed": _("TPS pelayan rumah sakit dihapus"),
        "health.visit_scheduled": _("Kunjungan rumah sakit dijadwalkan"),
        "health.visit_updated": _("Jadwal kunjungan rumah sakit diubah"),
        "health.status_changed": _("Status kunjungan rumah sakit berubah"),
        "health.post_created": _("Pos kesehatan dicatat"),
        "health.post_updated": _("Pos kesehatan diubah"),
        "health.duty_note_created": _("Catatan jam tugas kru dicatat"),
        "health.duty_note_updated": _("Catatan jam tugas kru diubah"),
    }
    audit_fields = {
        "organisation": _("Organisasi"),
        "ward": _("Ruang"),
        "starts_at": _("Waktu kunjungan"),
        "ballots": _("Surat suara dibawa"),
        "voters_served": _("Pemilih dilayani"),
        "origin_code": _("Asal"),
        "registered_on": _("Tanggal pindah memilih"),
        "opens_at": _("Siaga mulai"),
        "closes_at": _("Siaga sampai"),
        "started_at": _("Mulai bertugas"),
        "ended_at": _("Selesai bertugas"),
        "crew_present": _("Anggota yang bertugas"),
    }
