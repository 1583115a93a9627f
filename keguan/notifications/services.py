"""Telling users: a notification in the app, and the same text by mail."""

from django.conf import settings
from django.db import transaction
from django.utils import translation

from keguan.notifications.models import Notification


def notify(users, subject, body="", url: str = "") -> list[Notification]:
    """Leave a notification for each active user in USERS and mail those with an address.

    SUBJECT and BODY may be lazy translations: they are rendered in the site's language,
    since the message outlives the request that caused it. Mail is sent by a background
    task after the surrounding transaction commits, so a rolled-back change tells nobody.
    """
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = str(subject)[:200], str(body)
    seen = set()
    created = []
    for user in users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        created.append(Notification(user=user, subject=subject, body=body, url=url[:300]))
    Notification.objects.bulk_create(created)
    ids = [n.pk for n in created if n.user.email]
    if ids:
        from keguan.notifications.tasks import mail_notifications

        transaction.on_commit(lambda: mail_notifications.enqueue(ids))
    return created


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user, notification_ids=None) -> int:
    """Mark the user's notifications (all, or those with the given ids) as read."""
    from django.utils import timezone

    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
