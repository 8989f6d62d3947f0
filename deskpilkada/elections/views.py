from django.shortcuts import get_object_or_404, render

from deskpilkada.accounts.access import requires
from deskpilkada.elections.models import Election


@requires("elections.view")
def election_list(request):
    return render(request, "elections/election_list.html", {"elections": Election.objects.all()})


@requires("elections.view")
def election_detail(request, code: str):
    election = get_object_or_404(Election, code=code)
    contests = election.contests.select_related("region").prefetch_related("candidates")
    return render(
        request,
        "elections/election_detail.html",
        {
            "election": election,
            "contests": contests,
            "phases": election.phases.all(),
        },
    )
