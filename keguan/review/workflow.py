"""The lifecycles of experts, review rounds, assignments and decision meetings.

Each is a transition table applied by `Workflow.apply` (keguan.core.workflow): the row is
locked and re-read, who-may and the guard are checked, the effect runs, one audit event is
written, and after commit `review.notify` tells the people concerned.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keguan.core.workflow import Transition, TransitionError, Workflow
from keguan.projects.models import Application
from keguan.projects.workflow import APPLICATION_WORKFLOW
from keguan.review import conflicts
from keguan.review import permissions as can
from keguan.review.models import Assignment, Decision, Expert, Meeting, Round, Rubric

S = Assignment.State
E = Expert.State
M = Meeting.State
R = Round.State
TWO_PLACES = Decimal("0.01")


def _always(user, obj) -> bool:
    return True


# Experts.
def _withdrawn_from_reviews(expert: Expert, payload: dict) -> None:
    """A paused or removed expert leaves the reviews not yet submitted; reserves step in."""
    for assignment in Assignment.objects.select_for_update().filter(
        expert=expert,
        state__in=(S.RESERVE, S.INVITED, S.REVIEWING),
        round__state__in=Round.OPEN_STATES,
    ):
        vacated = assignment.state != S.RESERVE
        ASSIGNMENT_WORKFLOW.apply(
            payload["actor"], assignment, "release", {"note": payload.get("note")}, automatic=True
        )
        if vacated:
            take_reserve(payload["actor"], assignment)


EXPERT_WORKFLOW = Workflow(
    name="review.expert",
    model=Expert,
    transitions=[
        Transition(
            (E.ACTIVE,),
            "pause",
            E.PAUSED,
            gettext_lazy("Pause"),
            can.can_manage_expert,
            effect=_withdrawn_from_reviews,
            requires_note=True,
        ),
        Transition((E.PAUSED,), "resume", E.ACTIVE, gettext_lazy("Resume"), can.can_manage_expert),
        Transition(
            (E.ACTIVE, E.PAUSED),
            "remove",
            E.REMOVED,
            gettext_lazy("Remove from the pool"),
            can.can_manage_expert,
            effect=_withdrawn_from_reviews,
            requires_note=True,
        ),
        Transition(
            (E.REMOVED,),
            "reinstate",
            E.ACTIVE,
            gettext_lazy("Take back into the pool"),
            can.can_manage_expert,
        ),
    ],
)


# Rounds.
def rubric_problems(call) -> list[str]:
    rubric = Rubric.objects.filter(call=call).first()
    if rubric is None:
        return [_("The call has no rubric yet.")]
    weights = [c.weight for c in rubric.criteria.all()]
    if not weights:
        return [_("The rubric has no criteria.")]
    if sum(weights) != 100:
        return [_("The weights of the rubric add up to %(sum)d, not 100.") % {"sum": sum(weights)}]
    return []


def _seal_refusal(round: Round, payload: dict) -> str | None:
    problems = []
    if not round.seed_source.strip():
        problems.append(_("Enter the published seed value before sealing."))
    if not round.entries.exists():
        problems.append(_("Add the applications to review."))
    if round.review_deadline <= timezone.now():
        problems.append(_("The review deadline has already passed."))
    problems += rubric_problems(round.call)
    return " ".join(problems) or None


def _sealed(round: Round, payload: dict) -> None:
    round.sealed_at = timezone.now()
    payload["audit"] = {"seed_source": round.seed_source}


def _open_refusal(round: Round, payload: dict) -> str | None:
    short = (
        round.entries.annotate(
            live=Count(
                "application__assignments",
                filter=Q(
                    application__assignments__round=round,
                    application__assignments__state__in=Assignment.LIVE_STATES,
                ),
            )
        )
        .filter(live__lt=round.experts_per_application)
        .select_related("application")
    )
    titles = [entry.application.title for entry in short[:5]]
    if titles:
        return _("Not enough experts drawn yet for: %(titles)s.") % {"titles": "、".join(titles)}
    if round.review_deadline <= timezone.now():
        return _("The review deadline has already passed.")
    return None


def _close_refusal(round: Round, payload: dict) -> str | None:
    if timezone.now() < round.review_deadline and (
        Assignment.objects.filter(round=round, state__in=(S.INVITED, S.REVIEWING)).exists()
    ):
        return _(
            "Experts are still reviewing and the deadline (%(deadline)s) has not passed; "
            "the round closes once every sheet is in or the deadline is over."
        ) % {"deadline": timezone.localtime(round.review_deadline).strftime("%Y-%m-%d %H:%M")}
    short = round.entries.annotate(
        done=Count(
            "application__assignments",
            filter=Q(
                application__assignments__round=round,
                application__assignments__state=S.SUBMITTED,
            ),
        )
    ).filter(done__lt=Round.MIN_EXPERTS)
    titles = [entry.application.title for entry in short.select_related("application")[:5]]
    if titles:
        return _(
            "At least %(min)d experts must have submitted scores for each application; "
            "not yet for: %(titles)s."
        ) % {"min": Round.MIN_EXPERTS, "titles": "、".join(titles)}
    return None


def _closed(round: Round, payload: dict) -> None:
    """Unfinished sheets are released, and each application still awaiting its review
    gets the round's score (mean, or trimmed mean from five sheets) — through the
    application's own workflow."""
    from keguan.review.ranking import ranked_entries

    actor = payload["actor"]
    round.closed_at = timezone.now()
    # Locked: a sheet submitted at this moment is either in (and kept) or refused.
    for assignment in Assignment.objects.select_for_update().filter(
        round=round, state__in=(S.RESERVE, S.INVITED, S.REVIEWING)
    ):
        ASSIGNMENT_WORKFLOW.apply(
            actor, assignment, "release", {"note": _("The round closed.")}, automatic=True
        )
    for entry in ranked_entries(round):
        score = Decimal(str(entry.score_value)).quantize(TWO_PLACES, ROUND_HALF_UP)
        entry.score = score
        entry.save(update_fields=["score"])
        application = entry.application
        if application.state == Application.State.CHECKED:
            APPLICATION_WORKFLOW.apply(
                actor,
                application,
                "record_review",
                {"score": score, "note": _("Review round: %(name)s") % {"name": round.name}},
                automatic=True,
            )


def _cancelled(round: Round, payload: dict) -> None:
    # Submitted sheets stay as they are: the round that asked for them is cancelled.
    for assignment in Assignment.objects.select_for_update().filter(
        round=round, state__in=(S.RESERVE, S.INVITED, S.REVIEWING)
    ):
        ASSIGNMENT_WORKFLOW.apply(
            payload["actor"], assignment, "release", {"note": payload.get("note")}, automatic=True
        )


ROUND_WORKFLOW = Workflow(
    name="review.round",
    model=Round,
    transitions=[
        Transition(
            (R.DRAFT,),
            "seal",
            R.SEALED,
            gettext_lazy("Fix the seed and start drawing"),
            can.can_manage_round,
            guard=_seal_refusal,
            effect=_sealed,
        ),
        Transition(
            (R.SEALED,),
            "open_review",
            R.REVIEWING,
            gettext_lazy("Open the review to the experts"),
            can.can_manage_round,
            guard=_open_refusal,
        ),
        Transition(
            (R.REVIEWING,),
            "close",
            R.CLOSED,
            gettext_lazy("Close the round and record the scores"),
            can.can_manage_round,
            guard=_close_refusal,
            effect=_closed,
        ),
        Transition(
            Round.OPEN_STATES,
            "cancel",
            R.CANCELLED,
            gettext_lazy("Cancel the round"),
            can.can_manage_round,
            effect=_cancelled,
            requires_note=True,
        ),
    ],
)


# Assignments.
def take_reserve(actor, vacated: Assignment) -> Assignment | None:
    """Give VACATED's place to the next reserve of the same draw order who is still free of
    conflict (a reserve who has become conflicted meanwhile is released); None when no
    reserve is left, and the officer must then make a supplementary draw."""
    # The round's row is the lock every change of who reviews what takes (draws,
    # supplements, replacements): two experts stepping back at once call two reserves.
    Round.objects.select_for_update().filter(pk=vacated.round_id).first()
    today = timezone.localdate()
    for reserve in Assignment.objects.filter(
        round=vacated.round_id, application=vacated.application_id, state=S.RESERVE
    ).order_by("draw__sequence", "position"):
        expert = reserve.expert
        if expert.state != E.ACTIVE or conflicts.is_conflicted(vacated.application, expert, today):
            ASSIGNMENT_WORKFLOW.apply(
                actor,
                reserve,
                "release",
                {"note": _("Conflict found when the reserve was called.")},
                automatic=True,
            )
            continue
        return ASSIGNMENT_WORKFLOW.apply(
            actor, reserve, "promote", {"replaces": vacated}, automatic=True
        )
    from keguan.review.notify import no_reserve_left

    transaction.on_commit(lambda: no_reserve_left(vacated, actor), robust=True)
    return None


def _promoted(assignment: Assignment, payload: dict) -> None:
    assignment.replaces = payload["replaces"]
    payload["audit"] = {"replaces": payload["replaces"].pk}


def _may_step_back(user, assignment: Assignment) -> bool:
    return can.is_own_assignment(user, assignment) and assignment.round.state in Round.DRAWN_STATES


def _stepped_back(assignment: Assignment, payload: dict) -> None:
    """The expert loses access with this move; in the same transaction the next reserve of
    the recorded order takes the place (when none is left, the officer is told)."""
    replacement = take_reserve(payload["actor"], assignment)
    payload["audit"] = {"replaced_by": replacement.pk if replacement else None}


def _pledge_refusal(assignment: Assignment, payload: dict) -> str | None:
    if assignment.round.state != R.REVIEWING:
        return _("The review has not opened yet.")
    return None


def _pledged(assignment: Assignment, payload: dict) -> None:
    assignment.pledged_at = timezone.now()


def sheet_problems(assignment: Assignment) -> tuple[list[str], Decimal | None]:
    """What keeps ASSIGNMENT's score sheet from being submitted, and its weighted total
    (out of 100) when every criterion is scored."""
    criteria = list(assignment.round.call.rubric.criteria.all())
    scores = {s.criterion_id: s.value for s in assignment.scores.all()}
    problems = []
    missing = [c.name for c in criteria if c.pk not in scores]
    if missing:
        problems.append(
            _("Score every criterion; missing: %(names)s.") % {"names": "、".join(missing)}
        )
        return problems, None
    total = sum((scores[c.pk] / c.max_score * c.weight for c in criteria), Decimal("0")).quantize(
        TWO_PLACES, ROUND_HALF_UP
    )
    rubric = assignment.round.call.rubric
    extreme = total >= rubric.comment_at_or_above or total <= rubric.comment_at_or_below
    if extreme and not assignment.comment.strip():
        problems.append(_("A total of %(total)s needs a comment explaining it.") % {"total": total})
    if not assignment.recommendation:
        problems.append(_("Choose a recommendation."))
    return problems, total


def _submit_refusal(assignment: Assignment, payload: dict) -> str | None:
    if timezone.now() >= assignment.round.review_deadline:
        return _("The review deadline has passed; scores can no longer be submitted.")
    problems, total = sheet_problems(assignment)
    if problems:
        return " ".join(problems)
    payload["total"] = total
    return None


def _submitted(assignment: Assignment, payload: dict) -> None:
    assignment.total = payload["total"]
    assignment.submitted_at = timezone.now()
    payload["audit"] = {
        "total": str(assignment.total),
        "recommendation": assignment.recommendation,
    }


ASSIGNMENT_WORKFLOW = Workflow(
    name="review.assignment",
    model=Assignment,
    transitions=[
        Transition(
            (S.INVITED,),
            "pledge",
            S.REVIEWING,
            gettext_lazy("Sign the pledge and start reviewing"),
            can.is_own_assignment,
            guard=_pledge_refusal,
            effect=_pledged,
        ),
        Transition(
            (S.INVITED, S.REVIEWING),
            "declare_conflict",
            S.CONFLICT,
            gettext_lazy("Declare a conflict"),
            _may_step_back,
            effect=_stepped_back,
            requires_note=True,
        ),
        Transition(
            (S.INVITED, S.REVIEWING),
            "decline",
            S.DECLINED,
            gettext_lazy("Decline"),
            _may_step_back,
            effect=_stepped_back,
            requires_note=True,
        ),
        Transition(
            (S.REVIEWING,),
            "submit",
            S.SUBMITTED,
            gettext_lazy("Submit the scores"),
            can.can_score,
            guard=_submit_refusal,
            effect=_submitted,
        ),
        Transition(
            (S.RESERVE,),
            "promote",
            S.INVITED,
            gettext_lazy("Called from the reserves"),
            _always,
            effect=_promoted,
            automatic=True,
        ),
        Transition(
            (S.RESERVE, S.INVITED, S.REVIEWING),
            "release",
            S.RELEASED,
            gettext_lazy("Released"),
            _always,
            automatic=True,
        ),
    ],
)


# Decision meetings.
def quorum_problem(meeting: Meeting) -> str | None:
    present = meeting.attendance.filter(user__in=can.leadership_group(meeting.bureau)).count()
    size = can.leadership_group(meeting.bureau).count()
    if size == 0 or present * 2 <= size:
        return _(
            "No quorum: %(present)d of the %(size)d members of the leadership group are "
            "present; more than half must be."
        ) % {"present": present, "size": size}
    return None


def _release_refusal(meeting: Meeting, payload: dict) -> str | None:
    problem = quorum_problem(meeting)
    if problem:
        return problem
    decisions = list(meeting.decisions.select_related("application"))
    if not decisions:
        return _("Stage at least one decision before releasing.")
    present = meeting.attendance.count()
    for decision in decisions:
        votes = decision.votes_for + decision.votes_against + decision.abstentions
        approving = decision.outcome == Decision.Outcome.APPROVE
        if votes > present or (approving and decision.votes_for * 2 <= present):
            return _(
                "The votes on “%(title)s” no longer agree with the %(present)d leaders "
                "present; stage that decision again."
            ) % {"title": decision.application.title, "present": present}
    awaited = {Decision.Outcome.REVOKE: Application.State.IN_NOTICE}
    moved = [
        d.application.title
        for d in decisions
        if d.application.state != awaited.get(d.outcome, Application.State.REVIEWED)
    ]
    if moved:
        return _("These applications are no longer awaiting a decision: %(titles)s.") % {
            "titles": "、".join(moved)
        }
    return None


def _released(meeting: Meeting, payload: dict) -> None:
    """Every staged decision goes to its application through the application workflow, in
    this one transaction: approvals reserve the money and go to public notice (or straight
    to approval when the call publishes none), rejections close the application, deferrals
    leave it awaiting a later meeting, revocations withdraw an approval in notice and give
    its money back."""
    actor = payload["actor"]
    meeting.released_at = timezone.now()
    for decision in meeting.decisions.select_related("application__call", "fund"):
        application = decision.application
        note = decision.note or meeting.title
        context = {"meeting": meeting.pk, "decision": decision.pk}
        if decision.outcome == Decision.Outcome.APPROVE:
            application = APPLICATION_WORKFLOW.apply(
                actor,
                application,
                "decide_approve",
                {"amount": decision.amount, "fund": decision.fund, "note": note, **context},
                automatic=True,
            )
            follow = "publish_notice" if application.call.public_notice else "approve_directly"
            APPLICATION_WORKFLOW.apply(actor, application, follow, {}, automatic=True)
        elif decision.outcome == Decision.Outcome.REJECT:
            APPLICATION_WORKFLOW.apply(
                actor, application, "decide_reject", {"note": note, **context}, automatic=True
            )
        elif decision.outcome == Decision.Outcome.REVOKE:
            APPLICATION_WORKFLOW.apply(
                actor, application, "revoke", {"note": note, **context}, automatic=True
            )
    payload["audit"] = {"decisions": meeting.decisions.count()}


MEETING_WORKFLOW = Workflow(
    name="review.meeting",
    model=Meeting,
    transitions=[
        Transition(
            (M.DRAFT,),
            "release",
            M.RELEASED,
            gettext_lazy("Release the decisions"),
            can.can_release_meeting,
            guard=_release_refusal,
            effect=_released,
        ),
    ],
)

__all__ = ["TransitionError"]
