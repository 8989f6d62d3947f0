"""Audited writes to elections, contests and candidate pairs."""

from django.db import transaction

from deskpilkada.audit.log import changes, record, snapshot
from deskpilkada.elections.models import Candidate, Contest, Election, Phase


def _upsert(model, lookup: dict, values: dict, *, by, action: str):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        record(f"elections.{action}_created", by=by, target=obj, after=snapshot(obj))
        return obj
    before = snapshot(obj)
    for k, v in values.items():
        setattr(obj, k, v)
    b, a = changes(before, snapshot(obj))
    if a:
        obj.save(update_fields=list(values))
        record(f"elections.{action}_updated", by=by, target=obj, before=b, after=a)
    return obj


@transaction.atomic
def save_election(*, by, code: str, **values) -> Election:
    return _upsert(Election, {"code": code}, values, by=by, action="election")


@transaction.atomic
def save_phase(*, by, election: Election, name: str, **values) -> Phase:
    return _upsert(Phase, {"election": election, "name": name}, values, by=by, action="phase")


@transaction.atomic
def save_contest(*, by, code: str, **values) -> Contest:
    return _upsert(Contest, {"code": code}, values, by=by, action="contest")


@transaction.atomic
def save_candidate(*, by, contest: Contest, number: int, **values) -> Candidate:
    return _upsert(Candidate, {"contest": contest, "number": number}, values, by=by, action="candidate")
