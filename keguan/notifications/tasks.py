"""Mailing notifications in the background, through Django's mail layer."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone


@task
def mail_notifications(notification_ids: list[int]) -> int:
    """Send each not-yet-mailed notification to its user's address; return how many."""
    from keguan.notifications.models import Notification

    sent = 0
    pending = Notification.objects.filter(
        pk__in=notification_ids, mailed_at__isnull=True
    ).select_related("user")
    for notification in pending:
        link = f"\n\n{settings.KEGUAN_SITE_URL}{notification.url}" if notification.url else ""
        send_mail(
            notification.subject,
            f"{notification.body}{link}",
            None,
            [notification.user.email],
        )
        Notification.objects.filter(pk=notification.pk).update(mailed_at=timezone.now())
        sent += 1
    return sent
