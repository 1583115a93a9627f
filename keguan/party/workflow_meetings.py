"""The lifecycle of a major matter (三重一大): proposed → decided, or withdrawn.

"decide" needs a passed decision of a quorate branch meeting of the same branch; without
one it is refused with the reason and nothing changes. Applied by `Workflow.apply`
(keguan.core.workflow): the matter is locked, one audit event records the move.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keguan.core.workflow import Transition, Workflow
from keguan.party.models import BranchMeeting, MajorMatter, MeetingDecision
from keguan.party.permissions.meetings import can_manage_matter

S = MajorMatter.State


def decide_refusal(matter: MajorMatter, payload: dict) -> str | None:
    """Why PAYLOAD["decision"] cannot decide MATTER, or None."""
    decision = payload.get("decision")
    if not isinstance(decision, MeetingDecision):
        return _("Choose the meeting decision by which the matter was decided.")
    # The meeting's row is locked: its attendance (and so its quorum) cannot change
    # between this check and the commit (record_attendance locks it too).
    meeting = BranchMeeting.objects.select_for_update().get(pk=decision.meeting_id)
    if meeting.branch_id != matter.branch_id:
        return _("That decision was taken by another branch.")
    if not meeting.quorate:
        return _(
            "The meeting of %(date)s had no quorum (%(present)d of %(expected)d present); "
            "its decisions are not valid, so it cannot decide the matter."
        ) % {
            "date": meeting.held_on.isoformat(),
            "present": meeting.present_count,
            "expected": meeting.expected_count,
        }
    fresh = MeetingDecision.objects.get(pk=decision.pk)
    if not fresh.passed_with(meeting.present_count):
        return _(
            "The decision did not pass: %(for)d votes for with %(present)d present; more "
            "than half are needed."
        ) % {"for": fresh.votes_for, "present": meeting.present_count}
    return None


def _decided(matter: MajorMatter, payload: dict) -> None:
    decision = payload["decision"]
    matter.decision = decision
    payload["audit"] = {"decision": decision.pk, "meeting": decision.meeting_id}


MAJOR_MATTER_WORKFLOW = Workflow(
    name="party.major_matter",
    model=MajorMatter,
    transitions=[
        Transition(
            (S.PROPOSED,),
            "decide",
            S.DECIDED,
            gettext_lazy("Mark decided"),
            can_manage_matter,
            guard=decide_refusal,
            effect=_decided,
        ),
        Transition(
            (S.PROPOSED,),
            "withdraw",
            S.WITHDRAWN,
            gettext_lazy("Withdraw"),
            can_manage_matter,
            requires_note=True,
        ),
    ],
)
