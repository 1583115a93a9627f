"""The lifecycle of a leave request from a study session: the member asks (a service), the
secretary approves or refuses (with a reason), the member may withdraw while it waits."""

from django.utils.translation import gettext_lazy

from keguan.core.workflow import Transition, Workflow
from keguan.notifications.services import notify
from keguan.party.models import LeaveRequest
from keguan.party.permissions import study as can

L = LeaveRequest.State


def _decided(leave: LeaveRequest, payload: dict) -> None:
    leave.decided_by = payload["actor"]


def _tell_member(leave: LeaveRequest, transition: Transition, user) -> None:
    if transition.action in ("approve", "refuse") and leave.member.user is not None:
        from django.urls import reverse

        notify(
            [leave.member.user],
            gettext_lazy("Your leave request for %(topic)s: %(state)s")
            % {"topic": leave.session.topic, "state": leave.get_state_display()},
            leave.state_note,
            reverse("party:session_detail", args=[leave.session_id]),
        )


LEAVE_WORKFLOW = Workflow(
    name="party.study.leave",
    model=LeaveRequest,
    transitions=[
        Transition(
            (L.PENDING,),
            "approve",
            L.APPROVED,
            gettext_lazy("Approve the leave"),
            can.can_decide_leave,
            effect=_decided,
        ),
        Transition(
            (L.PENDING,),
            "refuse",
            L.REFUSED,
            gettext_lazy("Refuse the leave"),
            can.can_decide_leave,
            effect=_decided,
            requires_note=True,
        ),
        Transition(
            (L.PENDING,),
            "withdraw",
            L.WITHDRAWN,
            gettext_lazy("Withdraw my request"),
            can.can_withdraw_leave,
        ),
    ],
    on_commit=[_tell_member],
)
