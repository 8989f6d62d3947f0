from django.shortcuts import render

from deskpilkada.accounts.access import region_scope, requires
from deskpilkada.health.models import Hospital


@requires("desk.view")
def hospital_list(request):
    hospitals = Hospital.objects.filter(region_scope(request.user, "desk.view", "region")).select_related("region")
    return render(request, "health/hospital_list.html", {"hospitals": hospitals})
