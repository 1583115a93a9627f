"""PROJECT_WORKFLOW, state by state, action by action, persona by persona.

Projects are made the real way (an application decided, noticed and confirmed) and moved
into each state through the workflow. The expected tables are written out by hand.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from keguan.audit.models import AuditEvent
from keguan.core.workflow import TransitionError
from keguan.projects import services
from keguan.projects.models import Milestone, Project
from keguan.projects.workflow import PROJECT_WORKFLOW
from tests.projects.states import project_in, row
from tests.projects.test_application_workflow import PERSONAS

pytestmark = pytest.mark.django_db

P = Project.State
ACTIONS = (
    "sign_task_book",
    "request_acceptance",
    "pass_acceptance",
    "fail_acceptance",
    "postpone",
    "close",
)
OFFICER_MAY = {
    P.CONTRACTING: {"sign_task_book"},
    P.UNDER_WAY: {"request_acceptance", "postpone"},
    P.ACCEPTANCE_REQUESTED: {"pass_acceptance", "fail_acceptance", "postpone"},
    P.POSTPONED: {"request_acceptance", "postpone"},
    P.PASSED: {"close"},
    P.FAILED: {"close"},
}
EXPECTED = {
    # The unit itself asks for acceptance when its work is done.
    "applicant_a": {P.UNDER_WAY: {"request_acceptance"}, P.POSTPONED: {"request_acceptance"}},
    "applicant_b": {},
    "officer": OFFICER_MAY,
    "neighbour_officer": {},
    "city_officer": OFFICER_MAY,
    "leader": {},
    "expert": {},
    "inspector": {},
}
TARGET = {
    "sign_task_book": P.UNDER_WAY,
    "request_acceptance": P.ACCEPTANCE_REQUESTED,
    "pass_acceptance": P.PASSED,
    "fail_acceptance": P.FAILED,
    "postpone": P.POSTPONED,
    "close": P.CLOSED,
}
NOTE = "验收材料不齐，延期验收。"


def later(days: int = 90) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def payload() -> dict:
    return {"note": NOTE, "due_on": later().isoformat()}


def milestones(project) -> list[tuple]:
    return list(project.milestones.values_list("kind", "due_on", "done_at"))


def offered(user, project) -> set[str]:
    return {t.action for t in PROJECT_WORKFLOW.allowed_actions(user, project)}


def test_the_expected_tables_name_every_action():
    assert set(TARGET) == set(ACTIONS) == set(PROJECT_WORKFLOW.actions())


@pytest.mark.parametrize("state", P.values)
def test_each_persona_is_offered_exactly_the_actions_of_the_table(personas, state):
    project = project_in(personas, state)
    assert project.state == state
    got = {name: offered(getattr(personas, name), project) for name in PERSONAS}
    want = {name: set(EXPECTED[name].get(state, set())) for name in PERSONAS}
    assert got == want


@pytest.mark.parametrize("state", P.values)
def test_every_move_outside_the_table_is_refused_and_changes_nothing(personas, state):
    project = project_in(personas, state)
    possible_here = set().union(*(EXPECTED[name].get(state, set()) for name in PERSONAS))
    before, before_milestones = row(project), milestones(project)
    before_events = AuditEvent.objects.count()
    for name in PERSONAS:
        for action in ACTIONS:
            if action in EXPECTED[name].get(state, set()):
                continue
            with pytest.raises(TransitionError) as refused:
                PROJECT_WORKFLOW.apply(getattr(personas, name), project, action, payload())
            expected = "forbidden" if action in possible_here else "invalid_state"
            assert refused.value.code == expected, (name, action)
    assert row(project) == before
    assert milestones(project) == before_milestones
    assert AuditEvent.objects.count() == before_events


ALLOWED = sorted(
    (state, action, name)
    for name, table in EXPECTED.items()
    for state, actions in table.items()
    for action in actions
)


@pytest.mark.parametrize(("state", "action", "name"), ALLOWED)
def test_every_move_in_the_table_goes_through_with_one_audit_event(personas, state, action, name):
    project = project_in(personas, state)
    before_events = AuditEvent.objects.count()
    moved = PROJECT_WORKFLOW.apply(getattr(personas, name), project, action, payload())
    assert AuditEvent.objects.count() == before_events + 1
    assert moved.state == TARGET[action]
    assert Project.objects.get(pk=project.pk).state == TARGET[action]
    event = AuditEvent.objects.filter(
        action=f"projects.project.{action}", object_id=str(project.pk)
    ).first()  # the newest: a postponed project was postponed once already
    assert event.before == {"state": state}
    assert event.after["state"] == TARGET[action]


def test_the_task_book_cannot_be_signed_without_targets(personas):
    project = project_in(personas, P.CONTRACTING, targets="")
    before, events = row(project), AuditEvent.objects.count()
    with pytest.raises(TransitionError) as refused:
        PROJECT_WORKFLOW.apply(personas.officer, project, "sign_task_book")
    assert refused.value.code == "guard_refused"
    assert _("the targets") in refused.value.message
    assert row(project) == before
    assert AuditEvent.objects.count() == events
    assert not project.milestones.exists()


def test_the_task_book_cannot_be_signed_without_dates(personas):
    project = project_in(personas, P.CONTRACTING)
    project = services.update_task_book(personas.officer, project, {"start_on": None})
    with pytest.raises(TransitionError) as refused:
        PROJECT_WORKFLOW.apply(personas.officer, project, "sign_task_book")
    assert refused.value.code == "guard_refused"
    assert Project.objects.get(pk=project.pk).state == P.CONTRACTING


def test_signing_the_task_book_schedules_reports_every_half_year_the_midterm_and_acceptance(
    personas,
):
    project = project_in(personas, P.CONTRACTING)
    project = services.update_task_book(
        personas.officer,
        project,
        {"start_on": dt.date(2026, 3, 31), "end_on": dt.date(2028, 3, 31), "acceptance_due": None},
    )
    project = PROJECT_WORKFLOW.apply(personas.officer, project, "sign_task_book")
    assert project.task_book_signed_at is not None
    assert project.acceptance_due == dt.date(2028, 3, 31)
    assert list(project.milestones.values_list("kind", "due_on").order_by("due_on", "kind")) == [
        (Milestone.Kind.PROGRESS_REPORT, dt.date(2026, 9, 30)),
        (Milestone.Kind.MIDTERM, dt.date(2027, 3, 31)),
        (Milestone.Kind.PROGRESS_REPORT, dt.date(2027, 3, 31)),
        (Milestone.Kind.PROGRESS_REPORT, dt.date(2027, 9, 30)),
        (Milestone.Kind.ACCEPTANCE, dt.date(2028, 3, 31)),
    ]


def test_no_progress_report_falls_due_in_the_last_days_before_the_end(personas):
    """A report six months on from the 31st is due on the month's last day, not the 28th,
    so a project ending on the 31st has no report three days before its acceptance."""
    project = project_in(personas, P.CONTRACTING)
    project = services.update_task_book(
        personas.officer,
        project,
        {"start_on": dt.date(2027, 1, 31), "end_on": dt.date(2028, 1, 31), "acceptance_due": None},
    )
    project = PROJECT_WORKFLOW.apply(personas.officer, project, "sign_task_book")
    reports = project.milestones.filter(kind=Milestone.Kind.PROGRESS_REPORT)
    assert list(reports.values_list("due_on", flat=True)) == [dt.date(2027, 7, 31)]
    assert project.milestones.get(kind=Milestone.Kind.MIDTERM).due_on == dt.date(2027, 8, 1)


def test_the_task_book_is_fixed_once_signed(personas):
    project = project_in(personas, P.UNDER_WAY)
    before = row(project)
    for user in (personas.officer, personas.applicant_a):
        with pytest.raises(ValidationError):
            services.update_task_book(user, project, {"targets": "改过的目标"})
    assert row(project) == before


def test_the_unit_may_fill_its_own_task_book_but_not_another_units(personas):
    project = project_in(personas, P.CONTRACTING)
    services.update_task_book(personas.applicant_a, project, {"targets": "新目标"})
    assert Project.objects.get(pk=project.pk).targets == "新目标"
    with pytest.raises(ValidationError):
        services.update_task_book(personas.applicant_b, project, {"targets": "乙改的"})
    assert Project.objects.get(pk=project.pk).targets == "新目标"


@pytest.mark.parametrize("due_on", ["", "2026-13-01", "not a date", None, "today"])
def test_postponing_needs_a_new_date(personas, due_on):
    project = project_in(personas, P.UNDER_WAY)
    if due_on == "today":
        due_on = timezone.localdate().isoformat()
    before, before_milestones = row(project), milestones(project)
    with pytest.raises(TransitionError) as refused:
        PROJECT_WORKFLOW.apply(
            personas.officer, project, "postpone", {"note": NOTE, "due_on": due_on}
        )
    assert refused.value.code == "guard_refused"
    assert row(project) == before
    assert milestones(project) == before_milestones


def test_postponing_moves_the_acceptance_milestone_and_resets_its_reminders(personas):
    project = project_in(personas, P.ACCEPTANCE_REQUESTED)
    new_due = later(120)
    project = PROJECT_WORKFLOW.apply(
        personas.officer, project, "postpone", {"note": NOTE, "due_on": new_due}
    )
    assert project.state == P.POSTPONED
    assert project.acceptance_due == new_due
    acceptance = project.milestones.get(kind=Milestone.Kind.ACCEPTANCE)
    assert acceptance.due_on == new_due
    assert acceptance.reminded_before_at is None
    event = AuditEvent.objects.get(action="projects.project.postpone")
    assert event.after["acceptance_due"] == new_due.isoformat()
    assert event.after["note"] == NOTE


def test_postponing_needs_a_reason(personas):
    project = project_in(personas, P.UNDER_WAY)
    with pytest.raises(TransitionError) as refused:
        PROJECT_WORKFLOW.apply(personas.officer, project, "postpone", {"due_on": later()})
    assert refused.value.code == "note_required"
    assert Project.objects.get(pk=project.pk).state == P.UNDER_WAY


@pytest.mark.parametrize("action", ["pass_acceptance", "fail_acceptance"])
def test_the_acceptance_result_marks_the_acceptance_milestone_done(personas, action):
    project = project_in(personas, P.ACCEPTANCE_REQUESTED)
    project = PROJECT_WORKFLOW.apply(personas.officer, project, action, {"note": "专家组意见"})
    assert project.milestones.get(kind=Milestone.Kind.ACCEPTANCE).done_at is not None
    assert project.state_note == "专家组意见"


def test_failing_acceptance_needs_a_reason(personas):
    project = project_in(personas, P.ACCEPTANCE_REQUESTED)
    with pytest.raises(TransitionError) as refused:
        PROJECT_WORKFLOW.apply(personas.officer, project, "fail_acceptance")
    assert refused.value.code == "note_required"
    assert Project.objects.get(pk=project.pk).state == P.ACCEPTANCE_REQUESTED


def test_closing_records_when(personas):
    project = project_in(personas, P.PASSED)
    project = PROJECT_WORKFLOW.apply(personas.officer, project, "close")
    assert project.closed_at is not None
    assert Project.objects.get(pk=project.pk).state == P.CLOSED


def test_the_project_keeps_the_approved_amount_of_the_decision(personas):
    project = project_in(personas, P.CONTRACTING)
    assert project.approved_amount == Decimal("50000")
    assert project.organization == personas.org_a
    assert project.bureau == personas.bureaus.county
