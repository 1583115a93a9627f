"""Programs, calls, the reserve pool, applications, projects, disbursements and attachments.

The same predicates (`projects.permissions`) and services as the web UI: every object is
fetched from the caller's `visible_*` queryset (anything else is an audited 404), every change
goes through a service or a workflow's `apply`. Money is a string of Decimal yuan; team ID
numbers are always masked.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import BeforeValidator

from keguan.accounts import permissions as accounts_permissions
from keguan.accounts.models import Bureau, User
from keguan.accounts.roles import Role
from keguan.api.errors import ApiError
from keguan.api.workflow import (
    ActionIn,
    AllowedAction,
    action_error,
    add_action_endpoint,
    allowed_actions,
)
from keguan.audit.services import mask_id_number
from keguan.core.access import get_visible
from keguan.core.workflow import StaleStateError, TransitionError
from keguan.funds import permissions as funds_permissions
from keguan.funds import services as funds
from keguan.funds.models import Fund
from keguan.projects import permissions, services
from keguan.projects.models import (
    Application,
    Attachment,
    Call,
    Candidate,
    FollowUp,
    Maturity,
    Project,
)
from keguan.projects.workflow import (
    APPLICATION_WORKFLOW,
    CALL_WORKFLOW,
    CANDIDATE_WORKFLOW,
    PROJECT_WORKFLOW,
)

router = Router(tags=["projects"])


def _fen(value):
    """Decimal yuan as a string with two decimals, e.g. "50000.00"."""
    if value is None or isinstance(value, str):
        return value
    return str(Decimal(value).quantize(Decimal("0.01")))


# Money (and scores) out as strings, so no client rounds them through a float.
Yuan = Annotated[str, BeforeValidator(_fen)]
# Amounts in: a JSON number or a string; the services check the value and name the field.
AmountIn = Decimal | str


def _forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _aware(data: dict, *names: str) -> dict:
    """Read naive datetimes in DATA as the bureau's local time."""
    for name in names:
        value = data.get(name)
        if isinstance(value, dt.datetime) and timezone.is_naive(value):
            data[name] = timezone.make_aware(value)
    return data


def _caller(context):
    return context["request"].auth


# Programs and calls.
class ProgramOut(Schema):
    id: int
    name: str
    level: str
    body: str
    bureau_id: int
    description: str
    active: bool


class CallOut(Schema):
    id: int
    program_id: int
    program_name: str = Field(..., alias="program.name")
    level: str = Field(..., alias="program.level")
    bureau_id: int
    year: int
    title: str
    guide: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    eligible_kinds: list[str]
    max_per_organization: int
    required_attachments: list[str]
    budget_ceiling: Yuan
    rubric: str
    state: str
    state_note: str
    published_at: dt.datetime | None
    allowed_actions: list[AllowedAction]

    @staticmethod
    def resolve_allowed_actions(call: Call, context) -> list[dict]:
        return allowed_actions(CALL_WORKFLOW, _caller(context), call)


class CallPatch(Schema):
    program: int | None = None
    year: int | None = None
    title: str | None = None
    guide: str | None = None
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    eligible_kinds: list[str] | None = None
    max_per_organization: int | None = None
    required_attachments: list[str] | None = None
    budget_ceiling: AmountIn | None = None
    rubric: str | None = None


class CallIn(CallPatch):
    program: int
    year: int
    title: str = Field(..., min_length=1, max_length=200)
    opens_at: dt.datetime
    closes_at: dt.datetime
    budget_ceiling: AmountIn


@router.get("/programs", response=list[ProgramOut], summary="Programs the caller may see")
@paginate(LimitOffsetPagination)
def list_programs(request, level: str = "", active: bool | None = None):
    programs = permissions.visible_programs(request.auth).order_by("level", "name", "pk")
    if level:
        programs = programs.filter(level=level)
    if active is not None:
        programs = programs.filter(active=active)
    return programs


def _calls(user):
    return permissions.visible_calls(user).select_related("program", "bureau")


@router.get("/calls", response=list[CallOut], summary="Calls the caller may see")
@paginate(LimitOffsetPagination)
def list_calls(request, year: int | None = None, state: str = "", level: str = ""):
    calls = _calls(request.auth).order_by("-year", "-opens_at", "pk")
    if year is not None:
        calls = calls.filter(year=year)
    if state:
        calls = calls.filter(state=state)
    if level:
        calls = calls.filter(program__level=level)
    return calls


@router.get("/calls/{call_id}", response=CallOut, summary="One call")
def get_call(request, call_id: int):
    return get_visible(request, _calls(request.auth), call_id)


def _call_data(user, body: CallPatch) -> dict:
    data = _aware(body.dict(exclude_unset=True), "opens_at", "closes_at")
    if "program" in data:
        program = permissions.visible_programs(user).filter(pk=data["program"] or 0).first()
        if program is None:
            raise _invalid("program", _("Choose a program of your jurisdiction."))
        data["program"] = program
    return data


@router.post("/calls", response={201: CallOut}, summary="Draft a call of the caller's bureau")
def create_call(request, body: CallIn):
    user = request.auth
    if not permissions.can_create_call(user):
        raise _forbidden(_("You may not create calls."))
    call = services.create_call(user, _call_data(user, body))
    return Status(201, _calls(user).get(pk=call.pk))


@router.patch("/calls/{call_id}", response=CallOut, summary="Change a call")
def update_call(request, call_id: int, body: CallPatch):
    user = request.auth
    call = get_visible(request, _calls(user), call_id)
    if not permissions.can_manage_call(user, call):
        raise _forbidden(_("You may not change this call."))
    services.update_call(user, call, _call_data(user, body))
    return _calls(user).get(pk=call.pk)


add_action_endpoint(router, "calls", CALL_WORKFLOW, _calls, CallOut)


# The reserve pool.
class FollowUpOut(Schema):
    id: int
    on: dt.date
    kind: str
    text: str
    author_id: int | None
    created_at: dt.datetime


class CandidateOut(Schema):
    id: int
    organization_id: int
    organization_name: str = Field(..., alias="organization.name")
    bureau_id: int
    title: str
    field: str
    summary: str
    maturity: str
    target_level: str
    expected_funding: Yuan
    guiding_officer_id: int | None
    state: str
    state_note: str
    created_at: dt.datetime
    updated_at: dt.datetime
    allowed_actions: list[AllowedAction]

    @staticmethod
    def resolve_allowed_actions(candidate: Candidate, context) -> list[dict]:
        return allowed_actions(CANDIDATE_WORKFLOW, _caller(context), candidate)


class CandidateDetailOut(CandidateOut):
    follow_ups: list[FollowUpOut]

    @staticmethod
    def resolve_follow_ups(candidate: Candidate) -> list[FollowUp]:
        return list(candidate.follow_ups.all())


class CandidatePatch(Schema):
    title: str | None = None
    field: str | None = None
    summary: str | None = None
    maturity: Maturity | None = None
    target_level: Bureau.Level | None = None
    expected_funding: AmountIn | None = None
    guiding_officer: int | None = None


class CandidateIn(CandidatePatch):
    organization: int | None = None
    title: str = Field(..., min_length=1, max_length=200)
    field: str = Field(..., min_length=1, max_length=50)
    target_level: Bureau.Level


class FollowUpIn(Schema):
    on: dt.date
    kind: FollowUp.Kind
    text: str = Field(..., min_length=1)


def _candidates(user):
    return permissions.visible_candidates(user).select_related("organization", "bureau")


@router.get("/candidates", response=list[CandidateOut], summary="The reserve pool")
@paginate(LimitOffsetPagination)
def list_candidates(request, state: str = "", target_level: str = "", organization: int = 0):
    candidates = _candidates(request.auth).order_by("-updated_at", "pk")
    if state:
        candidates = candidates.filter(state=state)
    if target_level:
        candidates = candidates.filter(target_level=target_level)
    if organization:
        candidates = candidates.filter(organization_id=organization)
    return candidates


@router.get("/candidates/{candidate_id}", response=CandidateDetailOut, summary="One candidate")
def get_candidate(request, candidate_id: int):
    return get_visible(
        request, _candidates(request.auth).prefetch_related("follow_ups"), candidate_id
    )


def _guiding_officer(user, data: dict) -> None:
    """Only an officer names the guiding officer, one of the officers of the jurisdiction."""
    if "guiding_officer" not in data or data["guiding_officer"] is None:
        return
    if not permissions.is_officer(user):
        raise _invalid("guiding_officer", _("The guiding officer is assigned by the bureau."))
    officer = User.objects.filter(
        pk=data["guiding_officer"],
        is_active=True,
        bureau__path__startswith=user.bureau.path,
        role_grants__role=Role.OFFICER,
    ).first()
    if officer is None:
        raise _invalid("guiding_officer", _("Choose an officer of your jurisdiction."))
    data["guiding_officer"] = officer


@router.post(
    "/candidates", response={201: CandidateDetailOut}, summary="Add a candidate to the pool"
)
def create_candidate(request, body: CandidateIn):
    user = request.auth
    if not permissions.can_create_candidate(user):
        raise _forbidden(_("You may not add candidates to the reserve pool."))
    data = body.dict(exclude_unset=True)
    wanted = data.pop("organization", None)
    if permissions.is_officer(user):
        organization = (
            accounts_permissions.visible_organizations(user).filter(pk=wanted or 0).first()
        )
    else:
        organization = user.organization if wanted in (None, user.organization_id) else None
    if organization is None:
        raise _invalid("organization", _("Choose an organization of your jurisdiction."))
    _guiding_officer(user, data)
    candidate = services.create_candidate(user, organization, data)
    return Status(201, _candidates(user).get(pk=candidate.pk))


@router.patch("/candidates/{candidate_id}", response=CandidateDetailOut, summary="Change one")
def update_candidate(request, candidate_id: int, body: CandidatePatch):
    user = request.auth
    candidate = get_visible(request, _candidates(user), candidate_id)
    if not permissions.can_edit_candidate(user, candidate):
        raise _forbidden(_("You may not change this candidate."))
    data = body.dict(exclude_unset=True)
    _guiding_officer(user, data)
    services.update_candidate(user, candidate, data)
    return _candidates(user).get(pk=candidate.pk)


@router.post(
    "/candidates/{candidate_id}/follow-ups",
    response={201: FollowUpOut},
    summary="Log help given to a candidate",
)
def add_follow_up(request, candidate_id: int, body: FollowUpIn):
    user = request.auth
    candidate = get_visible(request, _candidates(user), candidate_id)
    if not permissions.can_guide_candidate(user, candidate):
        raise _forbidden(_("Follow-ups are logged by the bureau's officers."))
    return Status(201, services.add_follow_up(user, candidate, body.dict()))


add_action_endpoint(router, "candidates", CANDIDATE_WORKFLOW, _candidates, CandidateDetailOut)


# Applications.
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

    @staticmethod
    def resolve_team(application: Application) -> list:
        return list(application.team.all())

    @staticmethod
    def resolve_budget(application: Application) -> list:
        return list(application.budget_lines.all())

    @staticmethod
    def resolve_duplicate_hints(application: Application, context) -> list:
        if permissions.can_see_duplicate_hints(_caller(context), application):
            return application.duplicate_hints or []
        return []

    @staticmethod
    def resolve_allowed_actions(application: Application, context) -> list[dict]:
        return allowed_actions(APPLICATION_WORKFLOW, _caller(context), application)


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
        .select_related("call", "organization", "bureau")
        .prefetch_related("team", "budget_lines")
    )


@router.get("/applications", response=list[ApplicationOut], summary="Applications")
@paginate(LimitOffsetPagination)
def list_applications(
    request, call: int = 0, state: str = "", year: int | None = None, organization: int = 0
):
    applications = _applications(request.auth).order_by("-created_at", "-pk")
    if call:
        applications = applications.filter(call_id=call)
    if state:
        applications = applications.filter(state=state)
    if year is not None:
        applications = applications.filter(call__year=year)
    if organization:
        applications = applications.filter(organization_id=organization)
    return applications


@router.get("/applications/{application_id}", response=ApplicationOut, summary="One application")
def get_application(request, application_id: int):
    return get_visible(request, _applications(request.auth), application_id)


@router.post("/applications", response={201: ApplicationOut}, summary="Start a draft application")
def start_application(request, body: ApplicationIn):
    user = request.auth
    if not accounts_permissions.has_role(user, Role.APPLICANT):
        raise _forbidden(_("Applications are started by the applying organization."))
    data = body.dict(exclude_unset=True)
    call = permissions.visible_calls(user).filter(pk=data.pop("call")).first()
    if call is None:
        raise _invalid("call", _("Choose a published call."))
    candidate = None
    if data.get("candidate") is not None:
        candidate = permissions.visible_candidates(user).filter(pk=data["candidate"]).first()
        if candidate is None:
            raise _invalid("candidate", _("Choose a candidate of your organization."))
    data.pop("candidate", None)
    application = services.start_application(user, call, candidate, data)
    return Status(201, _applications(user).get(pk=application.pk))


def _editable(request, application_id: int) -> Application:
    """The caller's application if it may change now: 404 outside scope, 403 for anyone
    but its organization, 409 once it is out of their hands."""
    user = request.auth
    application = get_visible(request, _applications(user), application_id)
    if not permissions.is_own_application(user, application):
        raise _forbidden(_("Only the applying organization changes an application."))
    if not permissions.can_edit_application(user, application):
        raise ApiError(409, "invalid_state", _("Only a draft or returned application can change."))
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
                for field, messages in _message_dict(exc).items():
                    errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)  # rolls back whatever the other steps saved
    return _applications(user).get(pk=application.pk)


def _message_dict(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


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


# Projects and the money paid to them.
_money = DecimalField(max_digits=16, decimal_places=2)


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

    @staticmethod
    def resolve_disbursed_total(project: Project):
        total = getattr(project, "disbursed", None)
        return funds.disbursed_total(project) if total is None else total

    @staticmethod
    def resolve_allowed_actions(project: Project, context) -> list[dict]:
        return allowed_actions(PROJECT_WORKFLOW, _caller(context), project)


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
    return (
        permissions.visible_projects(user)
        .select_related("organization", "bureau")
        .annotate(
            disbursed=Coalesce(
                Sum("disbursements__amount"), Value(Decimal("0")), output_field=_money
            )
        )
    )


@router.get("/projects", response=list[ProjectOut], summary="Projects")
@paginate(LimitOffsetPagination)
def list_projects(
    request, year: int | None = None, state: str = "", level: str = "", organization: int = 0
):
    projects = _projects(request.auth).order_by("-year", "number")
    if year is not None:
        projects = projects.filter(year=year)
    if state:
        projects = projects.filter(state=state)
    if level:
        projects = projects.filter(level=level)
    if organization:
        projects = projects.filter(organization_id=organization)
    return projects


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
        raise _forbidden(_("You may not record payments to this project."))
    data = body.dict()
    if data["fund"] is not None:
        # The money comes from a fund of the project's bureau or one above it.
        parts = [p for p in project.bureau.path.split("/") if p]
        above = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
        data["fund"] = Fund.objects.filter(pk=data["fund"], bureau__path__in=above).first()
        if data["fund"] is None:
            raise _invalid("fund", _("Choose a fund of the project's bureau or one above it."))
    return Status(201, funds.record_disbursement(user, project, data))


# Attachments.
class AttachmentOut(Schema):
    id: int
    application_id: int | None
    project_id: int | None
    kind: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    superseded_at: dt.datetime | None
    current: bool
    download_url: str

    @staticmethod
    def resolve_download_url(attachment: Attachment) -> str:
        return reverse("api:attachment_download", kwargs={"attachment_id": attachment.pk})


def _attachments(user):
    """Attachments follow what they are attached to (`can_read_attachment`, as a queryset)."""
    return Attachment.objects.filter(
        Q(application__in=permissions.visible_applications(user))
        | Q(project__in=permissions.visible_projects(user))
    )


@router.get(
    "/applications/{application_id}/attachments",
    response=list[AttachmentOut],
    summary="An application's attachments, replaced versions included",
)
@paginate(LimitOffsetPagination)
def list_application_attachments(request, application_id: int):
    application = get_visible(
        request, permissions.visible_applications(request.auth), application_id
    )
    return application.attachments.order_by("kind", "-uploaded_at", "-pk")


@router.post(
    "/applications/{application_id}/attachments",
    response={201: AttachmentOut},
    summary="Attach a document (multipart: kind, file); a new version replaces the old",
)
def upload_application_attachment(
    request, application_id: int, kind: Form[str], file: File[UploadedFile]
):
    from keguan.projects import attachments

    user = request.auth
    application = get_visible(request, permissions.visible_applications(user), application_id)
    if not permissions.can_upload_to_application(user, application):
        if permissions.is_own_application(user, application):
            raise ApiError(
                409, "invalid_state", _("Only a draft or returned application can change.")
            )
        raise _forbidden(_("Only the applying organization attaches documents."))
    return Status(201, attachments.store(user, file, kind=kind, application=application))


@router.get(
    "/attachments/{attachment_id}/download",
    summary="Download an attachment",
    url_name="attachment_download",
    response={200: None},
)
def download_attachment(request, attachment_id: int):
    attachment = get_visible(request, _attachments(request.auth), attachment_id)
    return _file_response(attachment)


def _file_response(attachment: Attachment) -> FileResponse:
    from keguan.projects import attachments

    try:
        handle = attachments.open_file(attachment)
    except FileNotFoundError:
        raise ApiError(410, "gone", _("The file of this attachment is missing.")) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
