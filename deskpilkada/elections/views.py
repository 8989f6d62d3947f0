import json

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from deskpilkada.accounts.access import has_cap, requires
from deskpilkada.elections import actions
from deskpilkada.elections.forms import SirekapIdsForm
from deskpilkada.elections.models import Contest, Election


@requires("elections.view")
def election_list(request):
    return render(request, "elections/election_list.html", {"elections": Election.objects.all()})


@requires("elections.view")
def election_detail(request, code: str):
    election = get_object_or_404(Election, code=code)
    contests = election.contests.select_related("region").prefetch_related("candidates")
    for contest in contests:
        by_number = {n: sid for sid, n in (contest.sirekap_ids or {}).items()}
        pairs = [(p, by_number.get(p.number, "")) for p in contest.candidates.all()]
        contest.pairs = pairs  # type: ignore[attr-defined]  # for the template
    return render(
        request,
        "elections/election_detail.html",
        {
            "election": election,
            "contests": contests,
            "phases": election.phases.all(),
            "can_manage": has_cap(request.user, "elections.manage"),
        },
    )


@requires("elections.manage")
def sirekap_ids(request, code: str, contest: str):
    """The KPU operator maps Sirekap's paslon ids onto the contest's ballot numbers."""
    the_contest = get_object_or_404(
        Contest.objects.select_related("election", "region"), election__code=code, code=contest
    )
    candidates = list(the_contest.candidates.order_by("number"))
    current = dict(the_contest.sirekap_ids or {})
    initial = {f"paslon_{n}": sid for sid, n in current.items()} | {"expected": json.dumps(current, sort_keys=True)}
    form = SirekapIdsForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = actions.set_sirekap_ids(
                by=request.user, contest=the_contest, ids=form.ids(), expected=form.cleaned_data["expected"]
            )
        except actions.StaleMapping as exc:
            now = ", ".join(f"{n}: {sid}" for sid, n in sorted(exc.args[0].items(), key=lambda kv: kv[1])) or "-"
            form.add_error(
                None,
                _("Pemetaan ini baru saja diubah orang lain (kini %(m)s). Muat ulang halaman, lalu periksa lagi.")
                % {"m": now},
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Id paslon Sirekap disimpan.") if changed else _("Tidak ada yang berubah."))
            return redirect("elections:detail", code=code)
    return render(request, "elections/sirekap_ids.html", {"contest": the_contest, "form": form})
