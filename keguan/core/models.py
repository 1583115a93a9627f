from django.db import models


class ScheduledJob(models.Model):
    """When each scheduled job was last enqueued, so several servers never double-run it."""

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
