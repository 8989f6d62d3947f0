from django.db import transaction

from deskpilkada.audit.log import changes, record, snapshot
from deskpilkada.health.models import Hospital


@transaction.atomic
def save_hospital(*, by, code: str, **values) -> Hospital:
    hospital = Hospital.objects.filter(code=code).first()
    if hospital is None:
        hospital = Hospital.objects.create(code=code, **values)
        record("health.hospital_created", by=by, target=hospital, after=snapshot(hospital))
        return hospital
    before = snapshot(hospital)
    for k, v in values.items():
        setattr(hospital, k, v)
    b, a = changes(before, snapshot(hospital))
    if a:
        hospital.save(update_fields=list(values))
        record("health.hospital_updated", by=by, target=hospital, before=b, after=a)
    return hospital
