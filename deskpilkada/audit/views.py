from django.core.paginator import Paginator
from django.shortcuts import render

from deskpilkada.accounts.access import requires
from deskpilkada.audit.models import AuditEntry


@requires("audit.view")
def audit_list(request):
    qs = AuditEntry.objects.all()
    if action := request.GET.get("action"):
        qs = qs.filter(action__startswith=action)
    if actor := request.GET.get("actor"):
        qs = qs.filter(actor_name=actor)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "audit/audit_list.html", {"page": page})
