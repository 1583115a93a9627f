"""Programs, calls and the reserve pool of candidates."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.accounts import permissions as accounts_permissions
from keguan.accounts.models import Bureau, User
from keguan.api.projects.common import (
    AmountIn,
    ProjectsRouter,
    Yuan,
    allowed_actions_resolver,
    aware,
    filtered,
    forbidden,
    invalid,
)
from keguan.api.workflow import AllowedAction, add_action_endpoint
from keguan.core.access import get_visible
from keguan.projects import permissions, services
from keguan.projects.models import Candidate, FollowUp, Maturity
from keguan.projects.workflow import CALL_WORKFLOW, CANDIDATE_WORKFLOW

router = ProjectsRouter()


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
    public_notice: bool
    state: str
    state_note: str
    published_at: dt.datetime | None
    allowed_actions: list[AllowedAction]

    resolve_allowed_actions = allowed_actions_resolver(CALL_WORKFLOW)


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
    public_notice: bool | None = None


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
    return filtered(programs, level=level, active=active)


def _calls(user):
    return permissions.visible_calls(user).select_related("program", "bureau")


@router.get("/calls", response=list[CallOut], summary="Calls the caller may see")
@paginate(LimitOffsetPagination)
def list_calls(request, year: int | None = None, state: str = "", level: str = ""):
    calls = _calls(request.auth).order_by("-year", "-opens_at", "pk")
    return filtered(calls, year=year, state=state, program__level=level)


@router.get("/calls/{call_id}", response=CallOut, summary="One call")
def get_call(request, call_id: int):
    return get_visible(request, _calls(request.auth), call_id)


def _call_data(user, body: CallPatch) -> dict:
    data = aware(body.dict(exclude_unset=True), "opens_at", "closes_at")
    if "program" in data:
        program = permissions.visible_programs(user).filter(pk=data["program"] or 0).first()
        if program is None:
            raise invalid("program", _("Choose a program of your jurisdiction."))
        data["program"] = program
    return data


@router.post("/calls", response={201: CallOut}, summary="Draft a call of the caller's bureau")
def create_call(request, body: CallIn):
    user = request.auth
    if not permissions.can_create_call(user):
        raise forbidden(_("You may not create calls."))
    call = services.create_call(user, _call_data(user, body))
    return Status(201, _calls(user).get(pk=call.pk))


@router.patch("/calls/{call_id}", response=CallOut, summary="Change a call")
def update_call(request, call_id: int, body: CallPatch):
    user = request.auth
    call = get_visible(request, _calls(user), call_id)
    if not permissions.can_manage_call(user, call):
        raise forbidden(_("You may not change this call."))
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

    resolve_allowed_actions = allowed_actions_resolver(CANDIDATE_WORKFLOW)


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
    return filtered(
        candidates,
        state=state,
        target_level=target_level,
        organization_id=organization or None,
    )


@router.get("/candidates/{candidate_id}", response=CandidateDetailOut, summary="One candidate")
def get_candidate(request, candidate_id: int):
    return get_visible(
        request, _candidates(request.auth).prefetch_related("follow_ups"), candidate_id
    )


def _guiding_officer(user, data: dict) -> None:
    """Turn the id into the user; who may pair whom is the service's rule."""
    if data.get("guiding_officer") is None:
        return
    officer = User.objects.filter(pk=data["guiding_officer"]).first()
    if officer is None:
        raise invalid("guiding_officer", _("Choose an officer of your jurisdiction."))
    data["guiding_officer"] = officer


@router.post(
    "/candidates", response={201: CandidateDetailOut}, summary="Add a candidate to the pool"
)
def create_candidate(request, body: CandidateIn):
    user = request.auth
    if not permissions.can_create_candidate(user):
        raise forbidden(_("You may not add candidates to the reserve pool."))
    data = body.dict(exclude_unset=True)
    wanted = data.pop("organization", None)
    if permissions.is_officer(user):
        organization = (
            accounts_permissions.visible_organizations(user).filter(pk=wanted or 0).first()
        )
    else:
        organization = user.organization if wanted in (None, user.organization_id) else None
    if organization is None:
        raise invalid("organization", _("Choose an organization of your jurisdiction."))
    _guiding_officer(user, data)
    candidate = services.create_candidate(user, organization, data)
    return Status(201, _candidates(user).get(pk=candidate.pk))


@router.patch("/candidates/{candidate_id}", response=CandidateDetailOut, summary="Change one")
def update_candidate(request, candidate_id: int, body: CandidatePatch):
    user = request.auth
    candidate = get_visible(request, _candidates(user), candidate_id)
    if not permissions.can_edit_candidate(user, candidate):
        raise forbidden(_("You may not change this candidate."))
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
        raise forbidden(_("Follow-ups are logged by the bureau's officers."))
    return Status(201, services.add_follow_up(user, candidate, body.dict()))


add_action_endpoint(router, "candidates", CANDIDATE_WORKFLOW, _candidates, CandidateDetailOut)
