"""Decision meetings: attendance with quorum, decisions staged and released together."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.accounts.models import User
from keguan.api.errors import ApiError
from keguan.api.projects.common import (
    AmountIn,
    Yuan,
    allowed_actions_resolver,
    filtered,
    forbidden,
    invalid,
)
from keguan.api.review.common import all_of
from keguan.api.workflow import AllowedAction, add_action_endpoint
from keguan.core.access import get_visible
from keguan.funds.models import Fund
from keguan.projects.models import Application
from keguan.review import permissions, services
from keguan.review.models import Decision, Meeting
from keguan.review.workflow import MEETING_WORKFLOW

router = Router()


class AttendeeOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(user) -> str:
        return user.full_name or user.username


class DecisionOut(Schema):
    id: int
    meeting_id: int
    application_id: int
    application_title: str = Field(..., alias="application.title")
    outcome: str
    amount: Yuan | None
    fund_id: int | None
    votes_for: int
    votes_against: int
    abstentions: int
    note: str


class MeetingOut(Schema):
    id: int
    bureau_id: int
    title: str
    held_on: dt.date
    leadership_size: int
    state: str
    state_note: str
    released_at: dt.datetime | None
    recorded_by_id: int | None
    created_at: dt.datetime
    allowed_actions: list[AllowedAction]

    resolve_allowed_actions = allowed_actions_resolver(MEETING_WORKFLOW)


class MeetingDetailOut(MeetingOut):
    minutes: str
    attendees: list[AttendeeOut]
    rounds: list[int]
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_attendees(meeting: Meeting) -> list:
        return list(meeting.attendees.order_by("pk"))

    @staticmethod
    def resolve_rounds(meeting: Meeting) -> list[int]:
        return sorted(meeting.rounds.values_list("pk", flat=True))

    @staticmethod
    def resolve_decisions(meeting: Meeting) -> list:
        return list(meeting.decisions.select_related("application"))


class MeetingPatch(Schema):
    title: str | None = None
    held_on: dt.date | None = None
    minutes: str | None = None
    # Leaders present (user ids); the ranked lists considered (round ids).
    attendees: list[int] | None = None
    rounds: list[int] | None = None


class MeetingIn(MeetingPatch):
    title: str = Field(..., min_length=1, max_length=200)
    held_on: dt.date


class DecisionIn(Schema):
    application: int
    outcome: str
    amount: AmountIn | None = None
    fund: int | None = None
    votes_for: int = 0
    votes_against: int = 0
    abstentions: int = 0
    note: str = ""


def _meetings(user):
    return permissions.visible_meetings(user).select_related("bureau")


def _meeting_data(user, body: MeetingPatch) -> dict:
    data = body.dict(exclude_unset=True)
    if "minutes" in data and data["minutes"] is None:
        data["minutes"] = ""
    if data.get("attendees") is not None:
        # Who may attend is the service's rule (the leadership group); here only users
        # of the caller's own bureau can be named at all.
        data["attendees"] = all_of(
            User.objects.filter(bureau=user.bureau), data["attendees"], "attendees"
        )
    elif "attendees" in data:
        data["attendees"] = []
    if data.get("rounds") is not None:
        data["rounds"] = all_of(permissions.visible_rounds(user), data["rounds"], "rounds")
    return data


def _editable(request, meeting_id: int) -> Meeting:
    user = request.auth
    meeting = get_visible(request, _meetings(user), meeting_id)
    if not (permissions.can_record_meeting(user) and meeting.bureau_id == user.bureau_id):
        raise forbidden(_("Meetings are recorded by the bureau's leaders and officers."))
    if not permissions.can_edit_meeting(user, meeting):
        raise ApiError(
            409, "invalid_state", _("The decisions are released; a change needs a new meeting.")
        )
    return meeting


@router.get("/meetings", response=list[MeetingOut], summary="Decision meetings")
@paginate(LimitOffsetPagination)
def list_meetings(request, state: str = ""):
    return filtered(_meetings(request.auth).order_by("-held_on", "-pk"), state=state)


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut, summary="One meeting")
def get_meeting(request, meeting_id: int):
    return get_visible(request, _meetings(request.auth), meeting_id)


@router.post("/meetings", response={201: MeetingDetailOut}, summary="Record a decision meeting")
def create_meeting(request, body: MeetingIn):
    user = request.auth
    if not permissions.can_record_meeting(user):
        raise forbidden(_("Meetings are recorded by the bureau's leaders and officers."))
    meeting = services.create_meeting(user, _meeting_data(user, body))
    return Status(201, _meetings(user).get(pk=meeting.pk))


@router.patch("/meetings/{meeting_id}", response=MeetingDetailOut, summary="Change a meeting")
def update_meeting(request, meeting_id: int, body: MeetingPatch):
    user = request.auth
    meeting = _editable(request, meeting_id)
    services.update_meeting(user, meeting, _meeting_data(user, body))
    return _meetings(user).get(pk=meeting.pk)


@router.post(
    "/meetings/{meeting_id}/decisions",
    response={201: DecisionOut},
    summary="Stage a decision (refused without quorum); released with the meeting",
)
def stage_decision(request, meeting_id: int, body: DecisionIn):
    user = request.auth
    meeting = _editable(request, meeting_id)
    data = body.dict()
    application = Application.objects.filter(pk=data["application"], bureau=meeting.bureau).first()
    if application is None:
        raise invalid("application", _("This application is not awaiting a decision here."))
    data["application"] = application
    if data.get("fund") is not None:
        fund = Fund.objects.filter(pk=data["fund"]).first()
        if fund is None:
            raise invalid("fund", _("Choose the fund the money comes from."))
        data["fund"] = fund
    decision = services.stage_decision(user, meeting, data)
    return Status(201, Decision.objects.select_related("application").get(pk=decision.pk))


@router.delete(
    "/decisions/{decision_id}",
    response={204: None},
    summary="Withdraw a staged decision (while the meeting is being recorded)",
)
def remove_decision(request, decision_id: int):
    user = request.auth
    decisions = Decision.objects.filter(meeting__in=permissions.visible_meetings(user))
    decision = get_visible(request, decisions, decision_id)
    _editable(request, decision.meeting_id)
    services.remove_decision(user, decision)
    return Status(204, None)


add_action_endpoint(router, "meetings", MEETING_WORKFLOW, _meetings, MeetingDetailOut)
