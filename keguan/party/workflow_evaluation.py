"""The life of a democratic evaluation round: draft → open → closed → finished.

ROUND_WORKFLOW.apply is the only way a round changes state. Each move is one audit event
`party.evaluation.<action>`:
- open: the branch's active members become the participants (a snapshot: who joins or
  leaves later does not change the round), the cap on 优秀 is fixed (one third of the
  participants rounded down, unless the secretary set one), the members are told;
- close: no more ballots; the grades each participant received are counted;
- finish: every participant has a final grade with reasons; each member is told their
  own result (the notification goes to that member alone).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keguan.core.workflow import Transition, Workflow
from keguan.notifications.services import notify
from keguan.party.models import EvaluationRound, Member
from keguan.party.permissions import evaluation as can
from keguan.party.services import evaluation as services

R = EvaluationRound.State


def _open_refusal(round: EvaluationRound, payload: dict) -> str | None:
    count = Member.objects.active().filter(branch=round.branch_id).count()
    if count < 2:
        return _("A democratic evaluation needs at least two active members.")
    if round.excellent_cap is not None and round.excellent_cap >= count:
        return _("The cap on 'excellent' must be smaller than the number of members (%(n)d).") % {
            "n": count
        }
    return None


def _opened(round: EvaluationRound, payload: dict) -> None:
    count = services.snapshot_participants(round)
    if round.excellent_cap is None:
        round.excellent_cap = services.default_excellent_cap(count)
    round.opened_on = timezone.localdate()
    payload["audit"] = {"participants": count, "excellent_cap": round.excellent_cap}


def _closed(round: EvaluationRound, payload: dict) -> None:
    services.count_votes(round)
    round.closed_on = timezone.localdate()
    payload["audit"] = {"voters": round.voter_records.count()}


def _finish_refusal(round: EvaluationRound, payload: dict) -> str | None:
    missing = [
        p.member.name for p in round.participants.select_related("member").filter(final_grade="")
    ]
    if missing:
        return _("Give a final grade to every member first; missing: %(names)s.") % {
            "names": "、".join(missing[:10])
        }
    return None


def _finished(round: EvaluationRound, payload: dict) -> None:
    round.finished_on = timezone.localdate()


def _tell_members(round: EvaluationRound, transition, actor) -> None:
    """After commit: at opening every participant is asked to take part; at the end each
    one is told their own final grade (one notification per member, to them alone)."""
    participants = round.participants.select_related("member__user")
    if transition.action == "open":
        notify(
            [p.member.user for p in participants if p.member.user_id],
            _("Democratic evaluation open: %(round)s") % {"round": round.name},
            _("Write your self-evaluation, comment on the other members and cast your vote."),
            reverse("party:evaluation_detail", args=[round.pk]),
        )
    elif transition.action == "finish":
        for p in participants:
            if not p.member.user_id:
                continue
            notify(
                [p.member.user],
                _("Your democratic evaluation result: %(round)s") % {"round": round.name},
                _("The branch's final grade: %(grade)s.") % {"grade": p.get_final_grade_display()},
                reverse("party:evaluation_result", args=[round.pk, p.member_id]),
            )


ROUND_WORKFLOW = Workflow(
    name="party.evaluation",
    model=EvaluationRound,
    transitions=[
        Transition(
            (R.DRAFT,),
            "open",
            R.OPEN,
            gettext_lazy("Open the evaluation and the vote"),
            can.can_manage_round,
            guard=_open_refusal,
            effect=_opened,
        ),
        Transition(
            (R.OPEN,),
            "close",
            R.CLOSED,
            gettext_lazy("Close the vote and count"),
            can.can_manage_round,
            effect=_closed,
        ),
        Transition(
            (R.CLOSED,),
            "finish",
            R.FINISHED,
            gettext_lazy("Finish and tell each member their result"),
            can.can_manage_round,
            guard=_finish_refusal,
            effect=_finished,
        ),
    ],
    on_commit=[_tell_members],
)
