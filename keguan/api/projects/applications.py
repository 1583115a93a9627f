"""Applications: their fields, team and budget, and their submission."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.accounts import permissions as accounts_permissions
from keguan.accounts.roles import Role
from keguan.api.projects.common import (
    AmountIn,
    ProjectsRouter,
    Yuan,
    allowed_actions_resolver,
    caller,
    filtered,
    forbidden,
    invalid,
    not_editable,
)
from keguan.api.workflow import ActionIn, AllowedAction, action_error, add_action_endpoint
from keguan.audit.services import mask_id_number
from keguan.core.access import get_visible
from keguan.core.workflow import StaleStateError, TransitionError
from keguan.projects import permissions, services
from keguan.projects.models import Application
from keguan.projects.workflow import APPLICATION_WORKFLOW

router = ProjectsRouter()


class TeamMemberOut(Schema):
    name: str
    unit: str
    role: str
    title: str
    id_number: str
    position: int

    @staticmethod
    def resolve_id_number(member) -> str:
        return mask_id_number(member.id_number)


class BudgetLineOut(Schema):
    category: str
    requested: Yuan
    self_raised: Yuan


class ApplicationOut(Schema):
    id: int
    call_id: int
    call_title: str = Field(..., alias="call.title")
    organization_id: int
    organization_name: str = Field(..., alias="organization.name")
    bureau_id: int
    candidate_id: int | None
    title: str
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
    state: str
    state_note: str
    submitted_at: dt.datetime | None
    review_score: Yuan | None
    granted_amount: Yuan | None
    duplicate_hints: list
    created_at: dt.datetime
    updated_at: dt.datetime
    allowed_actions: list[AllowedAction]

    resolve_allowed_actions = allowed_actions_resolver(APPLICATION_WORKFLOW)

    @staticmethod
    def resolve_team(application: Application) -> list:
        return list(application.team.all())

    @staticmethod
    def resolve_budget(application: Application) -> list:
        return list(application.budget_lines.all())

    @staticmethod
    def resolve_duplicate_hints(application: Application, context) -> list:
        if permissions.can_see_duplicate_hints(caller(context), application):
            return application.duplicate_hints or []
        return []


class ApplicationFields(Schema):
    title: str | None = None
    summary: str | None = None
    discipline_code: str | None = None
    field: str | None = None
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    expected_patents: int | None = None
    expected_products: int | None = None
    expected_revenue: AmountIn | None = None
    expected_jobs: int | None = None


class ApplicationIn(ApplicationFields):
    call: int
    candidate: int | None = None


# Rows are checked by the services, which name them from 1: {"team.2.id_number": [...]}.
class TeamMemberIn(Schema):
    name: str = ""
    unit: str = ""
    role: str = "member"
    title: str = ""
    id_number: str = ""


class BudgetLineIn(Schema):
    category: str = ""
    requested: AmountIn = Decimal("0")
    self_raised: AmountIn = Decimal("0")


class ApplicationPatch(ApplicationFields):
    team: list[TeamMemberIn] | None = None
    budget: list[BudgetLineIn] | None = None


def _applications(user):
    return (
        permissions.visible_applications(user)
        .select_related("call__program", "organization", "bureau")
        .prefetch_related("team", "budget_lines")
    )


@router.get("/applications", response=list[ApplicationOut], summary="Applications")
@paginate(LimitOffsetPagination)
def list_applications(
    request, call: int = 0, state: str = "", year: int | None = None, organization: int = 0
):
    applications = _applications(request.auth).order_by("-created_at", "-pk")
    return filtered(
        applications,
        call_id=call or None,
        state=state,
        call__year=year,
        organization_id=organization or None,
    )


@router.get("/applications/{application_id}", response=ApplicationOut, summary="One application")
def get_application(request, application_id: int):
    return get_visible(request, _applications(request.auth), application_id)


@router.post("/applications", response={201: ApplicationOut}, summary="Start a draft application")
def start_application(request, body: ApplicationIn):
    user = request.auth
    if not accounts_permissions.has_role(user, Role.APPLICANT):
        raise forbidden(_("Applications are started by the applying organization."))
    data = body.dict(exclude_unset=True)
    call = permissions.visible_calls(user).filter(pk=data.pop("call")).first()
    if call is None:
        raise invalid("call", _("Choose a published call."))
    candidate = None
    if data.get("candidate") is not None:
        candidate = permissions.visible_candidates(user).filter(pk=data["candidate"]).first()
        if candidate is None:
            raise invalid("candidate", _("Choose a candidate of your organization."))
    data.pop("candidate", None)
    application = services.start_application(user, call, candidate, data)
    return Status(201, _applications(user).get(pk=application.pk))


def _editable(request, application_id: int) -> Application:
    """The caller's application if it may change now: 404 outside scope, 403 for anyone
    but its organization, 409 once it is out of their hands."""
    user = request.auth
    application = get_visible(request, _applications(user), application_id)
    if not permissions.is_own_application(user, application):
        raise forbidden(_("Only the applying organization changes an application."))
    if not permissions.can_edit_application(user, application):
        raise not_editable()
    return application


@router.patch(
    "/applications/{application_id}",
    response=ApplicationOut,
    summary="Change an application's fields, team and budget together",
)
def update_application(request, application_id: int, body: ApplicationPatch):
    """All of it or nothing: the errors of the fields, the team rows and the budget rows
    come back together, and nothing is saved unless all are valid."""
    user = request.auth
    application = _editable(request, application_id)
    data = body.dict(exclude_unset=True)
    team, budget = data.pop("team", None), data.pop("budget", None)
    steps = []
    if data:
        steps.append(lambda: services.update_application(user, application, data))
    if team is not None:
        steps.append(lambda: services.replace_team(user, application, team))
    if budget is not None:
        steps.append(lambda: services.replace_budget(user, application, budget))
    errors: dict[str, list] = {}
    with transaction.atomic():
        for step in steps:
            try:
                step()
            except ValidationError as exc:
                exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)  # rolls back whatever the other steps saved
    return _applications(user).get(pk=application.pk)


def _submit(request, application_id: int, body: ActionIn):
    """Submit or resubmit through `services.submit_application`: a retried request finds
    the application already submitted and gets it back with 200, and nothing happens twice."""
    user = request.auth
    application = get_visible(request, _applications(user), application_id)
    retried = application.state == Application.State.SUBMITTED
    if body.expected_state not in (None, application.state) and not retried:
        raise action_error(StaleStateError())
    try:
        services.submit_application(user, application)
    except TransitionError as exc:
        raise action_error(exc) from None
    return _applications(user).get(pk=application.pk)


for _action in ("submit", "resubmit"):
    router.post(
        f"/applications/{{application_id}}/actions/{_action}",
        response=ApplicationOut,
        summary=f"{_action.capitalize()} an application (idempotent)",
        operation_id=f"applications_{_action}",
    )(_submit)

add_action_endpoint(router, "applications", APPLICATION_WORKFLOW, _applications, ApplicationOut)
