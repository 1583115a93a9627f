"""One application from draft to a project, through the services: the spine works."""

from decimal import Decimal

import pytest

from keguan.projects.models import Application, Project
from keguan.projects.workflow import APPLICATION_WORKFLOW, PROJECT_WORKFLOW
from tests.projects.factories import make_call, make_fund, reviewed_application
from tests.projects.states import decide

pytestmark = pytest.mark.django_db


def test_a_county_application_becomes_a_project_with_its_money(personas):
    call = make_call(personas.officer)
    fund = make_fund(personas.officer)
    application = reviewed_application(personas.applicant_a, personas.officer, call)
    # The leadership decides at a meeting; its release puts the approval in public notice.
    application = decide(personas, application, "80000", fund)
    assert application.state == Application.State.IN_NOTICE
    application = APPLICATION_WORKFLOW.apply(
        personas.officer, application, "confirm", automatic=True
    )
    assert application.state == Application.State.APPROVED
    project = Project.objects.get(application=application)
    assert project.approved_amount == Decimal("80000")
    project.targets = "推广面积1000亩"
    from keguan.audit import services as audit

    with audit.writing():
        project.save()
        audit.record("test", obj=project)
    project = PROJECT_WORKFLOW.apply(personas.officer, project, "sign_task_book")
    assert project.state == Project.State.UNDER_WAY
    assert project.milestones.count() >= 2
