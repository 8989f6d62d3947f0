"""Audited writes to elections, contests and candidate pairs."""

from django.db import transaction

from deskpilkada.audit.log import upsert
from deskpilkada.elections.models import Candidate, Contest, Election, Phase


@transaction.atomic
def save_election(*, by, code: str, **values) -> Election:
    return upsert(Election, {"code": code}, values, by=by, action="elections.election")


@transaction.atomic
def save_phase(*, by, election: Election, name: str, **values) -> Phase:
    return upsert(Phase, {"election": election, "name": name}, values, by=by, action="elections.phase")


@transaction.atomic
def save_contest(*, by, code: str, **values) -> Contest:
    return upsert(Contest, {"code": code}, values, by=by, action="elections.contest")


@transaction.atomic
def save_candidate(*, by, contest: Contest, number: int, **values) -> Candidate:
    return upsert(Candidate, {"contest": contest, "number": number}, values, by=by, action="elections.candidate")
