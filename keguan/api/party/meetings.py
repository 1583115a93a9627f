"""/api/v1/party/ resources of the meetings area: branch meetings with attendance and
decisions, held vs required per kind, and major matters (三重一大) with their workflow.

The same predicates (`party.permissions.meetings`) and services as the pages: anything
outside the caller's scope is an audited 404; what the caller sees but may not change is a
403. Reasons for absence are shown only to the secretary and the inspector."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.api.projects.common import (
    AmountIn,
    Yuan,
    allowed_actions_resolver,
    caller,
    filtered,
    forbidden,
    invalid,
)
from keguan.api.review.common import all_of
from keguan.api.workflow import ActionIn, AllowedAction, action_error, action_payload
from keguan.core.access import get_visible
from keguan.core.workflow import TransitionError
from keguan.party.models import BranchMeeting, MeetingDecision, Member
from keguan.party.permissions import meetings as can
from keguan.party.services import meetings as services
from keguan.party.services import meetings_matters as matters
from keguan.party.services.meetings_calendar import held_vs_required
from keguan.party.workflow_meetings import MAJOR_MATTER_WORKFLOW

router = Router()


class AttendanceOut(Schema):
    member_id: int
    name: str = Field(..., alias="member.name")
    present: bool
    absence_reason: str

    @staticmethod
    def resolve_absence_reason(row, context) -> str:
        if can.can_read_absence_reasons(caller(context), row.meeting):
            return row.absence_reason
        return ""


class DecisionOut(Schema):
    id: int
    meeting_id: int
    text: str
    votes_for: int
    votes_against: int
    abstentions: int
    outcome: str

    @staticmethod
    def resolve_outcome(decision) -> str:
        return services.outcome(decision, decision.meeting)


class MeetingOut(Schema):
    id: int
    branch_id: int
    kind: str
    group_id: int | None
    topic: str
    held_on: dt.date
    place: str
    chair_id: int | None
    expected_count: int
    present_count: int
    quorate: bool


class MeetingDetailOut(MeetingOut):
    agenda: str
    minutes: str
    attendance: list[AttendanceOut]
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_attendance(meeting) -> list:
        return list(meeting.attendance.select_related("member", "meeting__branch__bureau"))

    @staticmethod
    def resolve_decisions(meeting) -> list:
        return list(meeting.decisions.select_related("meeting"))


class MeetingPatch(Schema):
    kind: str | None = None
    group: int | None = None
    topic: str | None = None
    held_on: dt.date | None = None
    place: str | None = None
    chair: int | None = None
    agenda: str | None = None
    minutes: str | None = None


class MeetingIn(MeetingPatch):
    kind: str
    topic: str = Field(..., min_length=1, max_length=200)
    held_on: dt.date


class AttendanceIn(Schema):
    present: list[int]
    # Reasons for absence by member id.
    reasons: dict[int, str] = {}


class DecisionIn(Schema):
    text: str = Field(..., min_length=1, max_length=500)
    votes_for: int = Field(0, ge=0)
    votes_against: int = Field(0, ge=0)
    abstentions: int = Field(0, ge=0)


class KindSummaryOut(Schema):
    kind: str
    label: str
    period: str
    required: int
    held: int
    covered: int
    missed: int


def _meetings(user):
    return can.visible_meetings(user).select_related("branch__bureau")


def _editable(request, meeting_id: int) -> BranchMeeting:
    meeting = get_visible(request, _meetings(request.auth), meeting_id)
    if not can.can_edit_meeting(request.auth, meeting):
        raise forbidden(_("Meetings are recorded by the branch's secretary."))
    return meeting


def _meeting_data(branch, body: MeetingPatch) -> dict:
    data = body.dict(exclude_unset=True)
    for name in ("place", "agenda", "minutes"):
        if name in data and data[name] is None:
            data[name] = ""
    if data.get("group") is not None:
        data["group"] = all_of(branch.groups.all(), [data["group"]], "group")[0]
    if data.get("chair") is not None:
        data["chair"] = all_of(Member.objects.filter(branch=branch), [data["chair"]], "chair")[0]
    return data


@router.get("/meetings", response=list[MeetingOut], summary="Branch meetings")
@paginate(LimitOffsetPagination)
def list_meetings(request, kind: str = "", year: int | None = None):
    meetings = filtered(_meetings(request.auth), kind=kind, held_on__year=year)
    return meetings.order_by("-held_on", "-pk")


@router.get(
    "/meetings/held-vs-required",
    response=list[KindSummaryOut],
    summary="Meetings held vs required per kind in a year",
)
def meetings_held_vs_required(request, year: int, branch: int | None = None):
    visible = can.visible_branches(request.auth)
    found = get_visible(request, visible, branch) if branch else visible.order_by("pk").first()
    if found is None:
        return []
    return [{"kind": k, **v} for k, v in held_vs_required(found, year).items()]


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut, summary="One meeting")
def get_meeting(request, meeting_id: int):
    return get_visible(request, _meetings(request.auth), meeting_id)


@router.post("/meetings", response={201: MeetingDetailOut}, summary="Record a meeting")
def create_meeting(request, body: MeetingIn):
    branch = can.secretary_branch(request.auth)
    if branch is None:
        raise forbidden(_("Meetings are recorded by the branch's secretary."))
    meeting = services.create_meeting(request.auth, branch, _meeting_data(branch, body))
    return Status(201, _meetings(request.auth).get(pk=meeting.pk))


@router.patch("/meetings/{meeting_id}", response=MeetingDetailOut, summary="Change a meeting")
def update_meeting(request, meeting_id: int, body: MeetingPatch):
    meeting = _editable(request, meeting_id)
    services.update_meeting(request.auth, meeting, _meeting_data(meeting.branch, body))
    return _meetings(request.auth).get(pk=meeting.pk)


@router.put(
    "/meetings/{meeting_id}/attendance",
    response=MeetingDetailOut,
    summary="Record who of those expected was present (the rest absent, with reasons)",
)
def record_attendance(request, meeting_id: int, body: AttendanceIn):
    meeting = _editable(request, meeting_id)
    present = all_of(services.expected_members(meeting), body.present, "present")
    services.record_attendance(request.auth, meeting, present, body.reasons)
    return _meetings(request.auth).get(pk=meeting.pk)


@router.post(
    "/meetings/{meeting_id}/decisions",
    response={201: DecisionOut},
    summary="Record a decision with its votes (refused without quorum)",
)
def add_decision(request, meeting_id: int, body: DecisionIn):
    meeting = _editable(request, meeting_id)
    decision = services.add_decision(request.auth, meeting, body.dict())
    return Status(201, MeetingDecision.objects.select_related("meeting").get(pk=decision.pk))


@router.delete("/meeting-decisions/{decision_id}", response={204: None}, summary="Remove one")
def remove_decision(request, decision_id: int):
    decisions = MeetingDecision.objects.filter(meeting__in=can.visible_meetings(request.auth))
    decision = get_visible(request, decisions, decision_id)
    _editable(request, decision.meeting_id)
    services.remove_decision(request.auth, decision)
    return Status(204, None)


# Major matters.
class MatterOut(Schema):
    id: int
    branch_id: int
    category: str
    title: str
    description: str
    amount: Yuan | None
    proposed_on: dt.date
    state: str
    state_note: str
    decision_id: int | None
    meeting_id: int | None
    allowed_actions: list[AllowedAction]

    @staticmethod
    def resolve_meeting_id(matter) -> int | None:
        return matter.decision.meeting_id if matter.decision_id else None

    resolve_allowed_actions = allowed_actions_resolver(MAJOR_MATTER_WORKFLOW)


class MatterPatch(Schema):
    category: str | None = None
    title: str | None = None
    description: str | None = None
    amount: AmountIn | None = None
    proposed_on: dt.date | None = None


class MatterIn(MatterPatch):
    category: str
    title: str = Field(..., min_length=1, max_length=200)
    proposed_on: dt.date


def _matters(user):
    return can.visible_matters(user).select_related("branch", "decision")


@router.get("/major-matters", response=list[MatterOut], summary="Major matters (三重一大)")
@paginate(LimitOffsetPagination)
def list_matters(request, state: str = ""):
    return filtered(_matters(request.auth), state=state).order_by("-proposed_on", "-pk")


@router.get("/major-matters/{matter_id}", response=MatterOut, summary="One major matter")
def get_matter(request, matter_id: int):
    return get_visible(request, _matters(request.auth), matter_id)


@router.post("/major-matters", response={201: MatterOut}, summary="Propose a major matter")
def create_matter(request, body: MatterIn):
    branch = can.secretary_branch(request.auth)
    if branch is None:
        raise forbidden(_("Major matters are proposed by the branch's secretary."))
    matter = matters.create_matter(request.auth, branch, body.dict(exclude_unset=True))
    return Status(201, _matters(request.auth).get(pk=matter.pk))


@router.patch("/major-matters/{matter_id}", response=MatterOut, summary="Change an open matter")
def update_matter(request, matter_id: int, body: MatterPatch):
    matter = get_visible(request, _matters(request.auth), matter_id)
    if not can.can_manage_matter(request.auth, matter):
        raise forbidden(_("Major matters are kept by the branch's secretary."))
    data = {k: v for k, v in body.dict(exclude_unset=True).items() if v is not None}
    matters.update_matter(request.auth, matter, data)
    return _matters(request.auth).get(pk=matter.pk)


@router.post(
    "/major-matters/{matter_id}/actions/{action}",
    response=MatterOut,
    summary="decide (data.decision: a decision id) or withdraw (a note) a major matter",
    operation_id="major_matters_apply_action",
)
def matter_action(request, matter_id: int, action: str, body: ActionIn):
    matter = get_visible(request, _matters(request.auth), matter_id)
    payload = action_payload(body)
    if action == "decide":
        decision = MeetingDecision.objects.filter(
            pk=payload.get("decision") if isinstance(payload.get("decision"), int) else None,
            meeting__in=can.visible_meetings(request.auth),
        ).first()
        if decision is None and payload.get("decision") is not None:
            raise invalid("decision", _("Choose a decision of the branch's meetings."))
        payload["decision"] = decision
    try:
        matter = MAJOR_MATTER_WORKFLOW.apply(
            request.auth, matter, action, payload, expected_state=body.expected_state
        )
    except TransitionError as exc:
        raise action_error(exc) from None
    return _matters(request.auth).get(pk=matter.pk)
