"""Scheduled work runs without anyone remembering it: `keguan serve` starts the scheduler."""

import datetime as dt

import pytest
from django.utils import timezone

from keguan.core.models import ScheduledJob
from keguan.core.scheduler import enqueue_due
from keguan.core.tasks import SCHEDULE

pytestmark = pytest.mark.django_db


def test_due_jobs_run_once_per_interval(personas, django_capture_on_commit_callbacks):
    names = [name for name, _interval, _task in SCHEDULE]
    with django_capture_on_commit_callbacks(execute=True) as enqueued:
        assert enqueue_due() == names
    assert len(enqueued) == len(names)
    assert enqueue_due() == []  # not due again yet
    later = timezone.now() + dt.timedelta(days=1, hours=1)  # past the longest interval
    assert set(enqueue_due(now=later)) == set(names)
    assert ScheduledJob.objects.count() == len(names)


def test_the_inactivity_job_disables_stale_accounts(personas, django_capture_on_commit_callbacks):
    from keguan.accounts.models import User

    stale = timezone.now() - dt.timedelta(days=120)
    from keguan.audit import services as audit

    with audit.writing():
        User.objects.filter(pk=personas.expert.pk).update(date_joined=stale)
        audit.record("test.backdate", obj=personas.expert)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_due()
    personas.expert.refresh_from_db()
    assert not personas.expert.is_active
