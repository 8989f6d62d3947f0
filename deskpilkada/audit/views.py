from django.core.paginator import Paginator
from django.shortcuts import render

from deskpilkada.accounts.access import audit_scope, has_cap, requires
from deskpilkada.audit.labels import known_actions
from deskpilkada.audit.models import AuditEntry


@requires("audit.view")
def audit_list(request):
    """The audit log inside the reader's areas; client addresses and token hints for the desk admin only."""
    qs = AuditEntry.objects.filter(audit_scope(request.user))
    if action := request.GET.get("action"):
        qs = qs.filter(action__startswith=action)
    if actor := request.GET.get("actor"):
        qs = qs.filter(actor_name=actor)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    private = has_cap(request.user, "accounts.manage")
    actions = sorted(((code, str(label)) for code, label in known_actions().items()), key=lambda a: a[1])
    return render(request, "audit/audit_list.html", {"page": page, "show_private": private, "actions": actions})
