"""An edit made from a page loaded before someone else acted never undoes what they did."""

import pytest
from django.core.exceptions import ValidationError

from keguan.projects import services
from keguan.projects.models import Application, Call
from keguan.projects.workflow import APPLICATION_WORKFLOW, CALL_WORKFLOW
from tests.projects.factories import make_application, make_call

pytestmark = pytest.mark.django_db


def test_editing_a_stale_copy_of_a_submitted_application_is_refused(personas):
    stale = make_application(personas.applicant_a, make_call(personas.officer))
    APPLICATION_WORKFLOW.apply(personas.applicant_a, Application.objects.get(pk=stale.pk), "submit")
    for change in (
        lambda: services.update_application(personas.applicant_a, stale, {"title": "改"}),
        lambda: services.replace_team(personas.applicant_a, stale, []),
        lambda: services.replace_budget(personas.applicant_a, stale, []),
    ):
        with pytest.raises(ValidationError):
            change()
    fresh = Application.objects.get(pk=stale.pk)
    assert fresh.state == Application.State.SUBMITTED
    assert fresh.submitted_at is not None
    assert fresh.title == stale.title
    assert fresh.team.count() == 2 and fresh.budget_lines.count() == 2


def test_editing_a_stale_draft_copy_of_a_published_call_keeps_it_published(personas):
    stale = make_call(personas.officer, publish=False)
    CALL_WORKFLOW.apply(personas.officer, Call.objects.get(pk=stale.pk), "publish")
    services.update_call(personas.officer, stale, {"guide": "更新后的指南"})
    fresh = Call.objects.get(pk=stale.pk)
    assert fresh.state == Call.State.PUBLISHED
    assert fresh.published_at is not None
    assert fresh.guide == "更新后的指南"


def test_only_changed_columns_are_recorded(personas):
    from keguan.audit.models import AuditEvent

    application = make_application(personas.applicant_a, make_call(personas.officer))
    services.update_application(personas.applicant_a, application, {"title": "新标题"})
    event = AuditEvent.objects.filter(action="projects.application.update").latest("seq")
    assert event.after == {"title": "新标题"}
    assert event.before == {"title": application.title}
