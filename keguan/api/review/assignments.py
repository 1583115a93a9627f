"""Assignments and score sheets. An expert reaches only their own live assignments (never a
reserve, declined, conflicted or released one), reads the application only after signing
the pledge, and never sees the applicant's avoidance list or other experts. Officers and
inspectors of the jurisdiction see who reviewed what."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.api.projects.applications import BudgetLineOut, TeamMemberOut
from keguan.api.projects.common import (
    AmountIn,
    Yuan,
    allowed_actions_resolver,
    caller,
    filtered,
    forbidden,
)
from keguan.api.review.common import Score
from keguan.api.review.rounds import CriterionOut
from keguan.api.workflow import AllowedAction, action_error, add_action_endpoint
from keguan.core.access import get_visible
from keguan.core.workflow import TransitionError
from keguan.review import permissions, services
from keguan.review.models import Assignment
from keguan.review.workflow import ASSIGNMENT_WORKFLOW

router = Router()


def _oversees(user, assignment: Assignment) -> bool:
    """The officer or inspector over the round, who see which expert reviews what."""
    return permissions.can_read_draws(user, assignment.round)


def _reads_application(user, assignment: Assignment) -> bool:
    return permissions.may_read_application(user, assignment) or _oversees(user, assignment)


class ApplicationContentOut(Schema):
    """What an expert reads of an application (never its avoidance list)."""

    id: int
    title: str
    organization_name: str = Field(..., alias="organization.name")
    summary: str
    discipline_code: str
    field: str
    start_on: dt.date | None
    end_on: dt.date | None
    expected_patents: int
    expected_products: int
    expected_revenue: Yuan
    expected_jobs: int
    team: list[TeamMemberOut]
    budget: list[BudgetLineOut]
    requested_total: Yuan
    self_raised_total: Yuan

    @staticmethod
    def resolve_team(application) -> list:
        return list(application.team.all())

    @staticmethod
    def resolve_budget(application) -> list:
        return list(application.budget_lines.all())


class AssignmentOut(Schema):
    id: int
    round_id: int
    round_name: str = Field(..., alias="round.name")
    review_deadline: dt.datetime = Field(..., alias="round.review_deadline")
    application_id: int
    # The title and the applying unit: what the expert needs to know to declare a conflict.
    application_title: str = Field(..., alias="application.title")
    organization_name: str = Field(..., alias="application.organization.name")
    expert_id: int
    expert_name: str = Field(..., alias="expert.name")
    position: int
    state: str
    state_note: str
    replaces_id: int | None
    pledged_at: dt.datetime | None
    total: Score | None
    recommendation: str
    submitted_at: dt.datetime | None
    allowed_actions: list[AllowedAction]

    resolve_allowed_actions = allowed_actions_resolver(ASSIGNMENT_WORKFLOW)

    @staticmethod
    def resolve_replaces_id(assignment: Assignment, context) -> int | None:
        # Whom a reserve replaced is the officer's and the inspector's business.
        if _oversees(caller(context), assignment):
            return assignment.replaces_id
        return None


class ScoreOut(Schema):
    criterion_id: int
    value: Score


class AssignmentDetailOut(AssignmentOut):
    comment: str
    comment_at_or_above: Score | None
    comment_at_or_below: Score | None
    criteria: list[CriterionOut]
    scores: list[ScoreOut]
    # None until the expert signed the pledge.
    application: ApplicationContentOut | None

    @staticmethod
    def _rubric(assignment: Assignment):
        return getattr(assignment.round.call, "rubric", None)

    @staticmethod
    def resolve_comment_at_or_above(assignment: Assignment):
        rubric = AssignmentDetailOut._rubric(assignment)
        return rubric.comment_at_or_above if rubric else None

    @staticmethod
    def resolve_comment_at_or_below(assignment: Assignment):
        rubric = AssignmentDetailOut._rubric(assignment)
        return rubric.comment_at_or_below if rubric else None

    @staticmethod
    def resolve_criteria(assignment: Assignment) -> list:
        rubric = AssignmentDetailOut._rubric(assignment)
        return list(rubric.criteria.all()) if rubric else []

    @staticmethod
    def resolve_scores(assignment: Assignment) -> list:
        return list(assignment.scores.all())

    @staticmethod
    def resolve_application(assignment: Assignment, context):
        if _reads_application(caller(context), assignment):
            return assignment.application
        return None


class SheetIn(Schema):
    # {criterion id: score}; a blank score leaves the criterion unscored.
    scores: dict[str, AmountIn | None] = {}
    recommendation: str = ""
    comment: str = ""
    submit: bool = False


class ApproachIn(Schema):
    detail: str = ""


class ApproachOut(Schema):
    id: int
    application_id: int
    reported_at: dt.datetime


class WithdrawIn(Schema):
    reason: str = ""


def _assignments(user):
    return permissions.assignments_for(user).select_related(
        "round__bureau", "round__call", "application__organization", "expert"
    )


@router.get("/assignments", response=list[AssignmentOut], summary="Assignments")
@paginate(LimitOffsetPagination)
def list_assignments(request, round: int = 0, application: int = 0, state: str = ""):
    """An expert's own live assignments; every assignment of the jurisdiction for the
    officer and the inspector."""
    assignments = _assignments(request.auth).order_by("round__review_deadline", "pk")
    return filtered(
        assignments, round_id=round or None, application_id=application or None, state=state
    )


@router.get("/assignments/{assignment_id}", response=AssignmentDetailOut, summary="One assignment")
def get_assignment(request, assignment_id: int):
    return get_visible(request, _assignments(request.auth), assignment_id)


def _own(request, assignment_id: int) -> Assignment:
    user = request.auth
    assignment = get_visible(request, _assignments(user), assignment_id)
    if not permissions.is_own_assignment(user, assignment):
        raise forbidden(_("Only the expert drawn does this."))
    return assignment


def _named_fields(exc: ValidationError) -> ValidationError:
    """The sheet's errors with each score named as the client sent it: `scores.<id>`."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {
            (f"scores.{key[6:]}" if key.startswith("score_") else key): messages
            for key, messages in exc.message_dict.items()
        }
    )


@router.put(
    "/assignments/{assignment_id}/scores",
    response=AssignmentDetailOut,
    summary="Save the score sheet as a draft, or submit it (submit: true)",
)
def save_sheet(request, assignment_id: int, body: SheetIn):
    """Scores outside 0..maximum, an unknown criterion or recommendation are refused by
    field (422) and nothing is saved; a sheet that cannot be submitted yet (a missing score,
    no comment on an extreme total, the deadline passed) answers 409 and nothing is saved."""
    user = request.auth
    assignment = _own(request, assignment_id)
    data = body.dict()
    submit = data.pop("submit")
    try:
        services.save_sheet(user, assignment, data, submit=submit)
    except ValidationError as exc:
        raise _named_fields(exc) from None
    except TransitionError as exc:
        raise action_error(exc) from None
    return _assignments(user).get(pk=assignment.pk)


@router.post(
    "/assignments/{assignment_id}/approach-reports",
    response={201: ApproachOut},
    summary="Report that someone tried to influence this review (goes to the inspector)",
)
def report_approach(request, assignment_id: int, body: ApproachIn):
    user = request.auth
    assignment = _own(request, assignment_id)
    return Status(201, services.report_approach(user, assignment, body.detail))


@router.post(
    "/assignments/{assignment_id}/withdraw",
    response=AssignmentDetailOut,
    summary="Take an expert off an application; the next reserve takes the place",
)
def withdraw(request, assignment_id: int, body: WithdrawIn):
    user = request.auth
    assignment = get_visible(request, _assignments(user), assignment_id)
    if not permissions.can_manage_assignment(user, assignment):
        raise forbidden(_("Rounds are run by the bureau's officers."))
    try:
        services.withdraw_assignment(user, assignment, body.reason)
    except TransitionError as exc:  # someone moved the assignment or the reserve meanwhile
        raise action_error(exc) from None
    return _assignments(user).get(pk=assignment.pk)


add_action_endpoint(router, "assignments", ASSIGNMENT_WORKFLOW, _assignments, AssignmentDetailOut)
