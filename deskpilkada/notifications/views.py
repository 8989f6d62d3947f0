from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from deskpilkada.accounts.access import SIGNED_IN, requires
from deskpilkada.notifications import actions
from deskpilkada.notifications.models import Notification


@requires(SIGNED_IN)
def notification_list(request):
    """The signed-in user's own notifications, unread first."""
    qs = Notification.objects.filter(recipient=request.user).order_by("read_at", "-created_at", "-id")
    if request.GET.get("belum") == "1":
        qs = qs.unread()
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@requires(SIGNED_IN)
@require_POST
def notification_read(request):
    """Marks the ticked notifications (or, with none ticked, all of them) read; opens one's link if asked."""
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    actions.mark_read(by=request.user, ids=ids or None)
    if len(ids) == 1 and request.POST.get("open"):
        target = Notification.objects.filter(recipient=request.user, pk=ids[0]).values_list("url", flat=True).first()
        if target and target.startswith("/") and not target.startswith("//"):
            return redirect(target)
    return redirect("notifications:list")
