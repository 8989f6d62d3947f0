"""Background work of notifications, run by `deskpilkada db_worker`."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from deskpilkada.notifications.models import Notification


@task()
def send_notification_emails(ids: list[int]) -> int:
    """Email each notification not emailed yet to its recipient; returns how many were sent."""
    sent = 0
    for n in Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("recipient"):
        if not n.recipient.email:
            continue
        body = n.body + (f"\n\n{settings.SITE_URL.rstrip('/')}{n.url}" if n.url and settings.SITE_URL else "")
        send_mail(f"[Desk Pilkada] {n.title}", body, None, [n.recipient.email])
        Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


@task()
def check_deadlines_task() -> dict:
    # cycle: elections.deadlines imports notifications.actions, which imports this module
    from deskpilkada.elections.deadlines import check_deadlines

    return check_deadlines().as_dict()
