"""Projects and the tranches of money paid to them."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.api.projects.common import (
    AmountIn,
    ProjectsRouter,
    Yuan,
    allowed_actions_resolver,
    filtered,
    forbidden,
    invalid,
)
from keguan.api.workflow import AllowedAction, add_action_endpoint
from keguan.core.access import get_visible
from keguan.funds import permissions as funds_permissions
from keguan.funds import services as funds
from keguan.funds.models import Fund
from keguan.projects import permissions
from keguan.projects.models import Project
from keguan.projects.workflow import PROJECT_WORKFLOW

router = ProjectsRouter()


class ProjectOut(Schema):
    id: int
    number: str
    application_id: int
    bureau_id: int
    organization_id: int
    organization_name: str = Field(..., alias="organization.name")
    title: str
    level: str
    year: int
    approved_amount: Yuan
    disbursed_total: Yuan
    targets: str
    start_on: dt.date | None
    end_on: dt.date | None
    acceptance_due: dt.date | None
    task_book_signed_at: dt.datetime | None
    midterm_result: str
    midterm_checked_at: dt.datetime | None
    state: str
    state_note: str
    closed_at: dt.datetime | None
    allowed_actions: list[AllowedAction]

    resolve_allowed_actions = allowed_actions_resolver(PROJECT_WORKFLOW)

    @staticmethod
    def resolve_disbursed_total(project: Project):
        # Lists carry the SQL annotation; the object an action returns does not.
        total = getattr(project, "disbursed", None)
        return funds.disbursed_total(project) if total is None else total


class DisbursementOut(Schema):
    id: int
    project_id: int
    fund_id: int | None
    amount: Yuan
    paid_on: dt.date
    voucher_number: str
    note: str
    recorded_at: dt.datetime


class DisbursementIn(Schema):
    amount: AmountIn
    paid_on: dt.date
    voucher_number: str = Field(..., min_length=1, max_length=50)
    note: str = ""
    fund: int | None = None


def _projects(user):
    return funds.with_disbursed(
        permissions.visible_projects(user).select_related("organization", "bureau")
    )


@router.get("/projects", response=list[ProjectOut], summary="Projects")
@paginate(LimitOffsetPagination)
def list_projects(
    request, year: int | None = None, state: str = "", level: str = "", organization: int = 0
):
    projects = _projects(request.auth).order_by("-year", "number")
    return filtered(
        projects, year=year, state=state, level=level, organization_id=organization or None
    )


@router.get("/projects/{project_id}", response=ProjectOut, summary="One project")
def get_project(request, project_id: int):
    return get_visible(request, _projects(request.auth), project_id)


add_action_endpoint(router, "projects", PROJECT_WORKFLOW, _projects, ProjectOut)


@router.get(
    "/projects/{project_id}/disbursements",
    response=list[DisbursementOut],
    summary="Tranches paid to a project",
)
@paginate(LimitOffsetPagination)
def list_disbursements(request, project_id: int):
    project = get_visible(request, _projects(request.auth), project_id)
    return project.disbursements.order_by("paid_on", "pk")


@router.post(
    "/projects/{project_id}/disbursements",
    response={201: DisbursementOut},
    summary="Record a tranche paid to a project",
)
def record_disbursement(request, project_id: int, body: DisbursementIn):
    user = request.auth
    project = get_visible(request, _projects(user), project_id)
    if not funds_permissions.can_record_disbursement(user, project):
        raise forbidden(_("You may not record payments to this project."))
    data = body.dict()
    if data["fund"] is not None:
        # The money comes from a fund of the project's bureau or one above it.
        data["fund"] = Fund.objects.reaching(project.bureau).filter(pk=data["fund"]).first()
        if data["fund"] is None:
            raise invalid("fund", _("Choose a fund of the project's bureau or one above it."))
    return Status(201, funds.record_disbursement(user, project, data))
