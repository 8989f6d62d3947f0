from django.db import transaction

from deskpilkada.audit.log import upsert
from deskpilkada.health.models import Hospital


@transaction.atomic
def save_hospital(*, by, code: str, **values) -> Hospital:
    return upsert(Hospital, {"code": code}, values, by=by, action="health.hospital")
