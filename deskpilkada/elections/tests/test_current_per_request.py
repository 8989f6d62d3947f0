"""The current election is read once per request, and a save in the request is seen at once."""

from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from deskpilkada.elections.models import Election
from deskpilkada.memo import RequestMemoMiddleware


def _serve(view):
    return RequestMemoMiddleware(view)(RequestFactory().get("/"))


def test_a_request_reads_the_current_election_once_however_often_it_asks(db):
    seen = []

    def view(request):
        with CaptureQueriesContext(connection) as queries:
            for _ in range(5):
                seen.append(Election.objects.current())
        seen.append(len(queries))
        return HttpResponse()

    _serve(view)
    assert seen[-1] == 1
    assert len({e.pk for e in seen[:-1]}) == 1


def test_a_save_inside_the_request_is_seen_by_the_next_read(db):
    names = []

    def view(request):
        election = Election.objects.current()
        names.append(election.name)
        fresh = Election.objects.get(pk=election.pk)
        fresh.name = "Pilkada (diubah)"
        fresh.save(update_fields=["name"])
        names.append(Election.objects.current().name)
        return HttpResponse()

    _serve(view)
    assert names[1] == "Pilkada (diubah)" != names[0]


def test_outside_a_request_every_read_is_fresh(db):
    election = Election.objects.current()
    Election.objects.filter(pk=election.pk).update(name="Diubah tanpa sinyal")
    assert Election.objects.current().name == "Diubah tanpa sinyal"


def test_a_filtered_queryset_is_not_memoised(db):
    def view(request):
        assert Election.objects.current() is not None
        assert Election.objects.filter(pk=-1).current() is None
        return HttpResponse()

    _serve(view)
