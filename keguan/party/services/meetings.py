"""Recording branch meetings: the meeting, who was expected and present (the quorum), and
the decisions a quorate assembly or committee meeting took by vote."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keguan.audit import services as audit
from keguan.core.records import save_new, update_fields
from keguan.party.models import (
    BranchMeeting,
    CommitteeSeat,
    MajorMatter,
    MeetingAttendance,
    MeetingDecision,
    MeetingKind,
    Member,
)

MEETING_FIELDS = ("kind", "group", "topic", "held_on", "place", "chair", "agenda", "minutes")
DECISION_FIELDS = ("text", "votes_for", "votes_against", "abstentions")


def expected_members(meeting: BranchMeeting):
    """Who is expected: the committee for a committee meeting, the group's members for a
    group meeting, else every active member of the branch; members who joined after the
    meeting are not."""
    members = Member.objects.active().filter(branch_id=meeting.branch_id)
    if meeting.held_on:
        members = members.exclude(joined_on__gt=meeting.held_on)
    if meeting.kind == MeetingKind.COMMITTEE:
        seats = CommitteeSeat.objects.filter(branch_id=meeting.branch_id).values("member_id")
        members = members.filter(pk__in=seats)
    elif meeting.kind == MeetingKind.GROUP and meeting.group_id:
        members = members.filter(group_id=meeting.group_id)
    return members.order_by("name", "pk")


def quorum_problem(meeting: BranchMeeting) -> str | None:
    """Why MEETING cannot decide, or None: only an assembly or a committee meeting decides,
    with more than half of those expected present."""
    if not meeting.decides:
        return _("Only a branch assembly or a committee meeting takes decisions by vote.")
    if not meeting.quorate:
        return _(
            "No quorum: %(present)d of the %(expected)d expected are present; more than half "
            "must be. The decisions of this meeting are not valid."
        ) % {"present": meeting.present_count, "expected": meeting.expected_count}
    return None


def _check_meeting(meeting: BranchMeeting, before=None) -> None:
    errors = {}
    if meeting.held_on and meeting.held_on > timezone.localdate():
        errors["held_on"] = [_("Record a meeting once it has been held.")]
    if meeting.kind == MeetingKind.GROUP:
        if meeting.group_id and meeting.group.branch_id != meeting.branch_id:
            errors["group"] = [_("Choose a party group of the branch.")]
    elif meeting.group_id:
        meeting.group = None
    if meeting.chair_id and meeting.chair.branch_id != meeting.branch_id:
        errors["chair"] = [_("The chair is a member of the branch.")]
    if before is not None and before.get("kind") != meeting.kind and meeting.decisions.exists():
        errors["kind"] = [_("The meeting has decisions; its kind cannot change.")]
    if errors:
        raise ValidationError(errors)


def create_meeting(user, branch, data: dict) -> BranchMeeting:
    """A meeting of BRANCH, held; its attendance is recorded next (see record_attendance)."""
    meeting = BranchMeeting(branch=branch, recorded_by=user)
    for name in MEETING_FIELDS:
        if name in data:
            setattr(meeting, name, data[name])
    _check_meeting(meeting)
    with transaction.atomic():
        save_new(meeting, "party.meeting.create", MEETING_FIELDS)
    return meeting


def update_meeting(user, meeting: BranchMeeting, data: dict) -> BranchMeeting:
    """Change the meeting's fields; its kind only while it has no decisions."""
    return update_fields(
        meeting,
        "party.meeting.update",
        MEETING_FIELDS,
        data,
        check=lambda fresh, before: _check_meeting(fresh, before),
    )


def _attendance_refusal(meeting: BranchMeeting, present: int) -> str | None:
    """Attendance may not leave recorded votes unexplained, nor undo the quorum or the
    majority of a decision a major matter rests on."""
    decisions = list(meeting.decisions.all())
    for decision in decisions:
        votes = decision.votes_for + decision.votes_against + decision.abstentions
        if votes > present:
            return _("“%(text)s” had %(votes)d votes: at least that many were present.") % {
                "text": decision.text[:60],
                "votes": votes,
            }
    relied = [
        d
        for d in decisions
        if MajorMatter.objects.filter(decision=d, state=MajorMatter.State.DECIDED).exists()
    ]
    if relied and (
        present * 2 <= meeting.expected_count or any(not d.passed_with(present) for d in relied)
    ):
        return _(
            "Major matters were decided at this meeting: its attendance cannot undo their "
            "quorum or majority."
        )
    return None


def record_attendance(user, meeting: BranchMeeting, present, reasons: dict) -> BranchMeeting:
    """Record who of those expected was PRESENT (members); everyone else expected is absent,
    with REASONS[member pk] when given. Keeps how many were expected and present on the
    meeting, so its quorum stays as it was. One audit event."""
    with transaction.atomic(), audit.writing():
        fresh = BranchMeeting.objects.select_for_update().get(pk=meeting.pk)
        expected = list(expected_members(fresh))
        expected_ids = {m.pk for m in expected}
        wanted = {m.pk for m in present}
        if wanted - expected_ids:
            raise ValidationError({"present": _("Only members expected at the meeting.")})
        fresh.expected_count, fresh.present_count = len(expected), len(wanted)
        refusal = _attendance_refusal(fresh, len(wanted))
        if refusal:
            raise ValidationError(refusal)
        before = [
            (a.member_id, a.present, a.absence_reason)
            for a in fresh.attendance.order_by("member_id")
        ]
        rows = [
            MeetingAttendance(
                meeting=fresh,
                member=m,
                present=m.pk in wanted,
                absence_reason="" if m.pk in wanted else (reasons.get(m.pk) or "").strip()[:200],
            )
            for m in expected
        ]
        fresh.attendance.all().delete()
        MeetingAttendance.objects.bulk_create(rows)
        fresh.save(update_fields=["expected_count", "present_count"])
        audit.record(
            "party.meeting.attendance",
            obj=fresh,
            before={"attendance": [list(row) for row in before]},
            after={
                "attendance": [
                    [r.member_id, r.present, r.absence_reason]
                    for r in sorted(rows, key=lambda r: r.member_id)
                ],
                "expected": fresh.expected_count,
                "present": fresh.present_count,
            },
        )
    return fresh


def add_decision(user, meeting: BranchMeeting, data: dict) -> MeetingDecision:
    """Record a decision with its votes. Refused (nothing recorded) at a meeting that cannot
    decide (not an assembly or committee meeting, or without quorum) and when more votes
    are cast than members present. It has passed with more than half of those present."""
    decision = MeetingDecision(
        meeting=meeting,
        text=(data.get("text") or "").strip(),
        votes_for=data.get("votes_for") or 0,
        votes_against=data.get("votes_against") or 0,
        abstentions=data.get("abstentions") or 0,
    )
    with transaction.atomic():
        fresh = BranchMeeting.objects.select_for_update().get(pk=meeting.pk)
        refusal = quorum_problem(fresh)
        if refusal:
            raise ValidationError(refusal)
        votes = decision.votes_for + decision.votes_against + decision.abstentions
        if votes > fresh.present_count:
            raise ValidationError(
                {
                    "votes_for": _("%(votes)d votes but only %(present)d present.")
                    % {"votes": votes, "present": fresh.present_count}
                }
            )
        decision.meeting = fresh
        save_new(decision, "party.decision.create", DECISION_FIELDS)
    return decision


def remove_decision(user, decision: MeetingDecision) -> None:
    """Remove a decision recorded in error; not one a major matter rests on."""
    with transaction.atomic(), audit.writing():
        meeting = BranchMeeting.objects.select_for_update().get(pk=decision.meeting_id)
        if decision.major_matters.exists():
            raise ValidationError(_("A major matter refers to this decision; it stays."))
        audit.record(
            "party.decision.remove",
            obj=meeting,
            before={"decision": decision.pk, "text": decision.text},
        )
        decision.delete()


def outcome(decision: MeetingDecision, meeting: BranchMeeting) -> str:
    """ "passed", "rejected", or "invalid" (the meeting had no quorum)."""
    if not meeting.quorate:
        return "invalid"
    return "passed" if decision.passed_with(meeting.present_count) else "rejected"
