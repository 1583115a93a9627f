"""Experts are reminded before the review deadline, and once more when late."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from keguan.core.tasks import SCHEDULE
from keguan.notifications.models import Notification
from keguan.projects.models import Application
from keguan.review.models import Assignment
from keguan.review.tasks import remind_reviewers
from keguan.review.workflow import ASSIGNMENT_WORKFLOW
from tests.projects.states import application_in
from tests.review.factories import drawn_round, live, make_pool, score_all

pytestmark = pytest.mark.django_db
A = Application.State


def _run(capture) -> int:
    with capture(execute=True):
        return remind_reviewers.call()


@pytest.fixture
def round(personas):
    application = application_in(personas, A.CHECKED)
    make_pool(personas.officer, 5)
    return drawn_round(
        personas.officer,
        [application],
        review_deadline=timezone.now() + dt.timedelta(days=1),
    )


def test_experts_who_have_not_submitted_are_reminded_once_before_the_deadline(
    personas, round, django_capture_on_commit_callbacks
):
    first = live(round).first()
    ASSIGNMENT_WORKFLOW.apply(first.expert.user, first, "pledge")
    told = Notification.objects.filter(user=first.expert.user)
    before = told.count()
    assert _run(django_capture_on_commit_callbacks) == 3
    assert told.count() == before + 1
    assert _run(django_capture_on_commit_callbacks) == 0
    assert told.count() == before + 1


def test_experts_who_submitted_are_not_reminded(
    personas, round, django_capture_on_commit_callbacks
):
    score_all(round)
    assert _run(django_capture_on_commit_callbacks) == 0


def test_late_experts_are_reminded_again_and_the_officer_learns_who(
    personas, round, django_capture_on_commit_callbacks
):
    assert _run(django_capture_on_commit_callbacks) == 3
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        assert _run(django_capture_on_commit_callbacks) == 3
        assert _run(django_capture_on_commit_callbacks) == 0
    officer_notes = Notification.objects.filter(user=personas.officer)
    assert officer_notes.filter(subject__contains=round.name).count() == 1
    assert Assignment.objects.filter(round=round, reminded_at__isnull=False).count() == 3


def test_the_reminders_run_from_the_schedule():
    assert any(job is remind_reviewers for _name, _interval, job in SCHEDULE)
