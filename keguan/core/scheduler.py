"""Enqueue the jobs of keguan.core.tasks.SCHEDULE when they fall due."""

from django.db import transaction
from django.utils import timezone

from keguan.core.models import ScheduledJob
from keguan.core.tasks import SCHEDULE


def enqueue_due(now=None) -> list[str]:
    """Enqueue every job whose interval has passed; return their names.

    The job's row is locked while deciding, so two schedulers (two servers) enqueue a job
    once between them.
    """
    now = now or timezone.now()
    enqueued = []
    for name, interval, job in SCHEDULE:
        with transaction.atomic():
            row, _ = ScheduledJob.objects.select_for_update().get_or_create(name=name)
            if row.last_enqueued_at and now - row.last_enqueued_at < interval:
                continue
            row.last_enqueued_at = now
            row.save(update_fields=["last_enqueued_at"])
            transaction.on_commit(job.enqueue)
        enqueued.append(name)
    return enqueued
