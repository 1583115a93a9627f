"""/api/v1/party/ resources of the study area: plans, sessions, attendance (a member's own;
the branch's for the secretary and inspectors), hours per member, leave requests, and
signing in with a session's code. The same predicates and services as the web pages."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.api.errors import ApiError
from keguan.api.projects.common import allowed_actions_resolver, filtered
from keguan.api.workflow import AllowedAction, add_action_endpoint
from keguan.core.access import get_visible
from keguan.party.permissions import member_of
from keguan.party.permissions import study as can
from keguan.party.services import study as services
from keguan.party.workflow_study import LEAVE_WORKFLOW

router = Router()


def _hours(value) -> str:
    return str(Decimal(value or 0).quantize(Decimal("0.1")))


class TopicOut(Schema):
    month: int
    topic: str


class PlanOut(Schema):
    id: int
    branch_id: int
    year: int
    required_hours: str
    required_notes: int
    topics: list[TopicOut]

    @staticmethod
    def resolve_required_hours(plan) -> str:
        return _hours(plan.required_hours)

    @staticmethod
    def resolve_topics(plan) -> list:
        return list(plan.topics.all())


class SessionOut(Schema):
    id: int
    branch_id: int
    kind: str
    topic: str
    date: dt.date
    starts_at: dt.time
    ends_at: dt.time
    place: str
    speaker: str
    hours: str

    @staticmethod
    def resolve_hours(session) -> str:
        return _hours(session.hours)


class AttendanceOut(Schema):
    id: int
    session_id: int
    member_id: int
    how: str
    hours: str
    at: dt.datetime

    @staticmethod
    def resolve_hours(attendance) -> str:
        return _hours(attendance.hours)


class HoursOut(Schema):
    member_id: int
    name: str
    sessions: int
    hours: str
    notes_handed_in: int

    @staticmethod
    def resolve_member_id(member) -> int:
        return member.pk

    @staticmethod
    def resolve_hours(member) -> str:
        return _hours(member.hours)


class LeaveOut(Schema):
    id: int
    session_id: int
    member_id: int
    reason: str
    state: str
    state_note: str
    created_at: dt.datetime
    allowed_actions: list[AllowedAction]

    resolve_allowed_actions = allowed_actions_resolver(LEAVE_WORKFLOW)


class SignInIn(Schema):
    token: str


class LeaveIn(Schema):
    reason: str


@router.get("/study/plans", response=list[PlanOut], summary="Study plans")
@paginate(LimitOffsetPagination)
def list_plans(request, year: int | None = None):
    plans = can.visible_plans(request.auth).prefetch_related("topics").order_by("-year", "pk")
    return filtered(plans, year=year)


@router.get("/study/plans/{plan_id}", response=PlanOut, summary="One study plan")
def get_plan(request, plan_id: int):
    return get_visible(request, can.visible_plans(request.auth), plan_id)


@router.get("/study/sessions", response=list[SessionOut], summary="Study sessions")
@paginate(LimitOffsetPagination)
def list_sessions(request, kind: str = "", year: int | None = None):
    sessions = can.visible_sessions(request.auth).order_by("-date", "-starts_at", "-pk")
    return filtered(sessions, kind=kind, date__year=year)


@router.get("/study/sessions/{session_id}", response=SessionOut, summary="One study session")
def get_session(request, session_id: int):
    return get_visible(request, can.visible_sessions(request.auth), session_id)


@router.post(
    "/study/sessions/{session_id}/sign-in",
    response={201: AttendanceOut},
    summary="Sign in to a session with its code (within the sign-in window, once)",
)
def sign_in(request, session_id: int, body: SignInIn):
    session = get_visible(request, can.visible_sessions(request.auth), session_id)
    return Status(201, services.sign_in(request.auth, session, body.token))


@router.post(
    "/study/sessions/{session_id}/leave-requests",
    response={201: LeaveOut},
    summary="Ask for leave from a session, before it starts",
)
def ask_leave(request, session_id: int, body: LeaveIn):
    session = get_visible(request, can.visible_sessions(request.auth), session_id)
    return Status(201, services.ask_leave(request.auth, session, body.reason))


@router.get(
    "/study/attendance",
    response=list[AttendanceOut],
    summary="Attendance: a member's own; the branch's for the secretary and inspectors",
)
@paginate(LimitOffsetPagination)
def list_attendance(request, session: int | None = None, member: int | None = None):
    rows = can.visible_attendance(request.auth).order_by("-at", "-pk")
    return filtered(rows, session_id=session, member_id=member)


@router.get(
    "/study/hours",
    response=list[HoursOut],
    summary="Study hours per member in a year (a member sees their own)",
)
def list_hours(request, year: int | None = None, branch: int | None = None):
    user, year = request.auth, year or timezone.localdate().year
    overseen = can.overseen_branches(user)
    target = get_visible(request, overseen, branch) if branch is not None else overseen.first()
    if target is not None:
        return list(services.hours_by_member(target, year))
    member = member_of(user)
    if member is None:
        raise ApiError(404, "not_found", _("Not found."))
    return list(services.hours_by_member(member.branch, year).filter(pk=member.pk))


def _leaves(user):
    return can.visible_leave_requests(user).select_related("session__branch", "member")


@router.get("/study/leave-requests", response=list[LeaveOut], summary="Leave requests")
@paginate(LimitOffsetPagination)
def list_leave_requests(request, state: str = ""):
    return filtered(_leaves(request.auth).order_by("-created_at", "-pk"), state=state)


add_action_endpoint(router, "study/leave-requests", LEAVE_WORKFLOW, _leaves, LeaveOut)
