"""Sending notifications: recipients found by role, capability, organisation and area through the
access module; rows written and email queued only after the transaction commits, so that a write
that rolls back notifies nobody."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import models, transaction
from django.utils import timezone

from deskpilkada.accounts.access import users_reaching
from deskpilkada.notifications.models import Notification
from deskpilkada.notifications.tasks import send_notification_emails


def notify(
    *,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    target: models.Model | None = None,
    users: Iterable | None = None,
    cap: str | None = None,
    role: str | None = None,
    area: str | None = None,
    organisation=None,
    exclude=None,
) -> None:
    """Notify `users`, or every active user whose role (or capability `cap`) reaches `area` (an undotted
    region or TPS code), optionally only those of `organisation`. Runs when the current transaction commits."""
    chosen = list(users) if users is not None else None
    spec = {"cap": cap, "role": role, "area": area, "organisation": organisation}
    transaction.on_commit(
        partial(_deliver, kind, title, body, url, target, chosen, spec, getattr(exclude, "pk", exclude))
    )


def _deliver(kind, title, body, url, target, users, spec, exclude_pk) -> list[int]:
    recipients = users if users is not None else list(users_reaching(**spec))
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind,
                title=title[:200],
                body=body,
                url=url[:300],
                target_type=target._meta.label_lower if target is not None else "",
                target_id=str(target.pk) if target is not None else "",
            )
            for user in {u.pk: u for u in recipients if u.pk != exclude_pk}.values()
        ]
    )
    ids = [n.pk for n in rows if n.recipient.email]
    if ids:
        send_notification_emails.enqueue(ids)
    return [n.pk for n in rows]


@transaction.atomic
def mark_read(*, by, ids: Iterable[int] | None = None) -> int:
    """Mark `by`'s notifications read (all of them without `ids`); returns how many changed."""
    qs = Notification.objects.filter(recipient=by).unread()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
