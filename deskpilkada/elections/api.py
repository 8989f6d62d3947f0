import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from deskpilkada.accounts.access import api_requires
from deskpilkada.api_errors import Text, answers
from deskpilkada.elections.models import Election

router = Router(tags=["pemilihan"])


class CandidateOut(Schema):
    number: int
    head_name: str
    deputy_name: str


class ContestOut(Schema):
    code: str
    name: str
    kind: str
    region: str
    candidates: list[CandidateOut]


class ElectionOut(Schema):
    code: str
    name: str
    voting_date: dt.date
    polls_open: dt.time
    polls_close: dt.time
    contests: list[ContestOut]


def _out(e: Election) -> dict:
    return {
        "code": e.code,
        "name": e.name,
        "voting_date": e.voting_date,
        "polls_open": e.polls_open,
        "polls_close": e.polls_close,
        "contests": [
            {
                "code": c.code,
                "name": c.name,
                "kind": c.kind,
                "region": c.region.code,
                "candidates": list(c.candidates.all()),
            }
            for c in e.contests.select_related("region").prefetch_related("candidates")
        ],
    }


@router.get(
    "/elections",
    response=answers({200: list[ElectionOut]}, 401, 403),
    summary="Pemilihan, kontestasi dan pasangan calon",
)
@api_requires("elections.view")
def list_elections(request):
    return [_out(e) for e in Election.objects.all()]


@router.get("/elections/{code}", response=answers({200: ElectionOut}, 401, 403, 404, 422), summary="Satu pemilihan")
@api_requires("elections.view")
def get_election(request, code: Text):
    return _out(get_object_or_404(Election, code=code))
