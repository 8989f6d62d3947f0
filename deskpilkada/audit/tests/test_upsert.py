from deskpilkada.audit.models import AuditEntry
from deskpilkada.health.actions import save_hospital
from deskpilkada.regions.models import Region


def entries():
    return AuditEntry.objects.filter(action__startswith="health.hospital_", target_repr="RS Uji").order_by("pk")


def test_an_upsert_records_the_new_row_then_only_what_changed(db):
    region = Region.objects.get(code="32.71.04")
    save_hospital(by=None, code="RS-UJI", name="RS Uji", region=region, beds=10)
    save_hospital(by=None, code="RS-UJI", name="RS Uji", region=region, beds=10)
    hospital = save_hospital(by=None, code="RS-UJI", name="RS Uji", region=region, beds=12)
    assert hospital.beds == 12
    created, updated = entries()
    assert created.action == "health.hospital_created" and created.after["beds"] == 10
    assert (updated.action, updated.before, updated.after) == ("health.hospital_updated", {"beds": 10}, {"beds": 12})
