"""Milestone reminders: a week before and once overdue, to the unit and the bureau, once."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from keguan.accounts.roles import Role
from keguan.audit import services as audit
from keguan.core.tasks import SCHEDULE
from keguan.notifications.models import Notification
from keguan.projects.models import Milestone, Project
from keguan.projects.tasks import remind_milestones
from tests.factories import make_user
from tests.projects.states import make_project, under_way

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(personas):
    """An applicant of org_a and an officer of the county who have mail addresses."""
    county = personas.bureaus.county
    return (
        make_user("amy", [Role.APPLICANT], county, personas.org_a, email="amy@example.cn"),
        make_user("otto", [Role.OFFICER], county, email="otto@example.cn"),
    )


def _one_milestone(personas, due_on: dt.date) -> Milestone:
    """A project under way whose only open milestone falls due on DUE_ON."""
    project = under_way(personas, make_project(personas))
    first = project.milestones.order_by("due_on").first()
    with audit.writing():
        project.milestones.exclude(pk=first.pk).update(done_at=timezone.now())
        Milestone.objects.filter(pk=first.pk).update(due_on=due_on)
        audit.record("test.milestone.due", obj=first)
    return Milestone.objects.get(pk=first.pk)


def _run(django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return remind_milestones.call()


def test_a_milestone_due_within_a_week_is_announced_by_mail_once(
    personas, people, django_capture_on_commit_callbacks
):
    applicant, officer = people
    milestone = _one_milestone(personas, timezone.localdate() + dt.timedelta(days=5))
    assert _run(django_capture_on_commit_callbacks) == 1
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["amy@example.cn", "otto@example.cn"]
    assert milestone.title in mail.outbox[0].subject
    assert Notification.objects.filter(user=personas.applicant_a).count() == 1
    milestone.refresh_from_db()
    assert milestone.reminded_before_at is not None
    assert milestone.reminded_after_at is None

    assert _run(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(user=personas.applicant_a).count() == 1


def test_an_overdue_milestone_is_reminded_once_more(
    personas, people, django_capture_on_commit_callbacks
):
    milestone = _one_milestone(personas, timezone.localdate() + dt.timedelta(days=3))
    _run(django_capture_on_commit_callbacks)
    with audit.writing():
        Milestone.objects.filter(pk=milestone.pk).update(
            due_on=timezone.localdate() - dt.timedelta(days=1)
        )
        audit.record("test.milestone.due", obj=milestone)
    mail.outbox.clear()
    assert _run(django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 2
    milestone.refresh_from_db()
    assert milestone.reminded_after_at is not None
    assert _run(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 2


def test_milestones_far_off_done_or_of_closed_projects_are_left_alone(
    personas, people, django_capture_on_commit_callbacks
):
    far = _one_milestone(personas, timezone.localdate() + dt.timedelta(days=30))
    done = _one_milestone(personas, timezone.localdate() - dt.timedelta(days=2))
    with audit.writing():
        Milestone.objects.filter(pk=done.pk).update(done_at=timezone.now())
        audit.record("test.milestone.done", obj=done)
    stopped = _one_milestone(personas, timezone.localdate() - dt.timedelta(days=2))
    with audit.writing():
        Project.objects.filter(pk=stopped.project_id).update(state=Project.State.FAILED)
        audit.record("test.project.failed", obj=stopped.project)
    assert _run(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    far.refresh_from_db()
    assert far.reminded_before_at is None


def test_the_neighbouring_countys_officer_is_not_told(
    personas, people, django_capture_on_commit_callbacks
):
    make_user("nora", [Role.OFFICER], personas.bureaus.neighbour, email="nora@example.cn")
    _one_milestone(personas, timezone.localdate() + dt.timedelta(days=1))
    _run(django_capture_on_commit_callbacks)
    told = [a for m in mail.outbox for a in m.to]
    assert "otto@example.cn" in told  # the reminder did go out, to our own officer
    assert "nora@example.cn" not in told


def test_the_reminders_run_daily_from_the_schedule():
    [entry] = [e for e in SCHEDULE if e[0] == "projects.remind_milestones"]
    assert entry[1] == dt.timedelta(days=1)
    assert entry[2] is remind_milestones
