"""Background tasks and the schedule that `keguan serve` keeps without anyone's help."""

import datetime as dt

from django.tasks import task

from keguan.party.tasks_meetings import remind_missing_meetings
from keguan.party.tasks_study import remind_missing_hours
from keguan.portal.tasks import end_notices, purge_public_submissions, remind_petitions
from keguan.projects.tasks import remind_milestones
from keguan.review.tasks import remind_reviewers


@task
def disable_inactive_accounts() -> int:
    from keguan.accounts.services import disable_inactive_users

    return disable_inactive_users()


@task
def purge_login_attempts() -> int:
    """Forget login attempts older than a day: throttling only looks back minutes."""
    from django.utils import timezone

    from keguan.accounts.models import LoginAttempt

    cutoff = timezone.now() - dt.timedelta(days=1)
    deleted, _ = LoginAttempt.objects.filter(at__lt=cutoff).delete()
    return deleted


@task
def sweep_orphaned_files() -> int:
    """Remove attachment files that no record names (uploads that never committed)."""
    from keguan.core.files import sweep_orphaned_files as sweep

    return sweep()


@task
def optimize_database() -> None:
    """Refresh the query planner's statistics (SQLite's `PRAGMA optimize`): without them it
    may walk a whole index where a narrower one would do. PostgreSQL's autovacuum does
    this by itself."""
    from keguan.core.database import optimize

    optimize()


# (name, interval, task). Later apps add their own: reminders, notice periods ending.
SCHEDULE = [
    ("accounts.disable_inactive", dt.timedelta(hours=1), disable_inactive_accounts),
    ("accounts.purge_login_attempts", dt.timedelta(hours=6), purge_login_attempts),
    ("projects.remind_milestones", dt.timedelta(days=1), remind_milestones),
    ("review.remind_reviewers", dt.timedelta(hours=6), remind_reviewers),
    ("portal.end_notices", dt.timedelta(hours=1), end_notices),
    ("portal.remind_petitions", dt.timedelta(hours=6), remind_petitions),
    ("portal.purge_public_submissions", dt.timedelta(hours=6), purge_public_submissions),
    ("party.remind_missing_hours", dt.timedelta(hours=12), remind_missing_hours),
    ("party.remind_missing_meetings", dt.timedelta(hours=12), remind_missing_meetings),
    ("core.sweep_orphaned_files", dt.timedelta(days=1), sweep_orphaned_files),
    ("core.optimize_database", dt.timedelta(days=1), optimize_database),
]
