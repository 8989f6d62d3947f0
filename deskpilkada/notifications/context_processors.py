from deskpilkada.notifications.models import Notification


def notifications(request):
    """The bell's count of unread notifications (no query for anonymous visitors)."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {"unread_notifications": 0}
    return {"unread_notifications": Notification.objects.filter(recipient=user).unread().count()}
