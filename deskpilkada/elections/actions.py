"""Audited writes to elections, contests and candidate pairs."""

from django.db import transaction
from django.utils.translation import gettext as _

from deskpilkada.audit.log import record, upsert
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


class StaleMapping(Exception):
    """The contest's Sirekap ids changed since the form was loaded: nothing was written."""


@transaction.atomic
def set_sirekap_ids(*, by, contest: Contest, ids: dict[int, str], expected: dict | None = None) -> bool:
    """Map Sirekap's paslon ids onto the contest's ballot numbers (`ids`: ballot number -> Sirekap
    id, an empty id leaves the number unmapped); False when nothing changed.

    Refuses (ValueError) an id that is not digits, one given to two numbers, or a number the
    contest has no pair for; StaleMapping when the mapping is no longer `expected`."""
    row = Contest.objects.select_for_update().get(pk=contest.pk)
    before = dict(row.sirekap_ids or {})
    if expected is not None and before != expected:
        raise StaleMapping(before)
    numbers = set(row.candidates.values_list("number", flat=True))
    mapping: dict[str, int] = {}
    for number, sid in sorted(ids.items()):
        sid = (sid or "").strip()
        if not sid:
            continue
        if number not in numbers:
            raise ValueError(_("Paslon nomor %(n)d tidak ada di kontestasi ini.") % {"n": number})
        if not sid.isdigit() or len(sid) > 20:
            raise ValueError(_("Id Sirekap paslon %(n)d: hanya angka, paling banyak 20.") % {"n": number})
        if sid in mapping:
            raise ValueError(
                _("Id Sirekap %(s)s diberikan untuk paslon %(a)d dan %(b)d.")
                % {"s": sid, "a": mapping[sid], "b": number}
            )
        mapping[sid] = number
    if mapping == before:
        return False
    row.sirekap_ids = mapping
    row.save(update_fields=["sirekap_ids"])
    record(
        "elections.sirekap_ids_set", by=by, target=row, before={"sirekap_ids": before}, after={"sirekap_ids": mapping}
    )
    contest.sirekap_ids = mapping
    return True
