"""Who may see and do what in the democratic evaluation.

Members of the branch see its rounds once opened, write their own self-evaluation and peer
comments, and vote once. The secretary runs the rounds, reads the self-evaluations and the
(signed) peer comments, sees who has voted, and after the close the counted votes; an
inspector reads the same and changes nothing. A member sees their own result only, once
the round is finished. Nobody — secretary, inspector or administrator — is ever shown a
ballot with its voter: no predicate here grants it, because no page or endpoint has it.
"""

from django.db.models import Q, QuerySet

from keguan.accounts.permissions import has_role
from keguan.accounts.roles import Role
from keguan.party.models import Branch, EvaluationParticipant, EvaluationRound, VoterRecord
from keguan.party.permissions import (
    branch_of,
    can_enter_party,
    is_inspector,
    is_secretary,
    member_of,
)

R = EvaluationRound.State


def _overseen_branches(user) -> QuerySet[Branch]:
    """The secretary's own branch, and the branches of an inspector's jurisdiction."""
    q = Q(pk__in=[])
    if has_role(user, Role.INSPECTOR) and user.bureau_id is not None:
        q |= Q(bureau__path__startswith=user.bureau.path)
    own = branch_of(user) if has_role(user, Role.PARTY_SECRETARY) else None
    if own is not None and is_secretary(user, own):
        q |= Q(pk=own.pk)
    return Branch.objects.filter(q)


def can_use_evaluation(user) -> bool:
    return can_enter_party(user)


def visible_rounds(user) -> QuerySet[EvaluationRound]:
    """Every round of the overseen branches; the opened rounds of a member's own branch."""
    if not getattr(user, "is_authenticated", False):
        return EvaluationRound.objects.none()
    q = Q(branch__in=_overseen_branches(user))
    member = member_of(user)
    if member is not None:
        q |= Q(branch=member.branch_id) & ~Q(state=R.DRAFT)
    return EvaluationRound.objects.filter(q)


def oversees(user, round: EvaluationRound) -> bool:
    """Secretary of the round's branch or inspector over it: reads everything but ballots."""
    return is_secretary(user, round.branch) or is_inspector(user, round.branch)


def can_create_round(user) -> bool:
    return is_secretary(user, branch_of(user))


def can_manage_round(user, round: EvaluationRound) -> bool:
    return is_secretary(user, round.branch)


def participation(user, round: EvaluationRound) -> EvaluationParticipant | None:
    """The user's own participation in ROUND, if they take part."""
    member = member_of(user)
    if member is None or member.branch_id != round.branch_id:
        return None
    return (
        EvaluationParticipant.objects.filter(round=round, member=member)
        .select_related("member")
        .first()
    )


def has_voted(member, round: EvaluationRound) -> bool:
    return VoterRecord.objects.filter(round=round, member=member).exists()


def can_take_part(user, round: EvaluationRound) -> bool:
    """Writing one's self-evaluation and comments, voting: participants of an open round."""
    return round.state == R.OPEN and participation(user, round) is not None


def can_read_evaluations(user, round: EvaluationRound) -> bool:
    """Everyone's self-evaluations, the peer comments and who has voted."""
    return oversees(user, round)


def can_read_results(user, round: EvaluationRound) -> bool:
    """The counted votes and final grades of all members: after the close, overseers only."""
    return round.shows_results and oversees(user, round)


def can_read_result(user, participant: EvaluationParticipant) -> bool:
    """One member's result: overseers after the close; the member once the round is
    finished (when the branch has decided and told them)."""
    round = participant.round
    if can_read_results(user, round):
        return True
    own = member_of(user)
    return round.state == R.FINISHED and own is not None and own.pk == participant.member_id


def can_set_final_grades(user, round: EvaluationRound) -> bool:
    return round.state == R.CLOSED and can_manage_round(user, round)


def can_export_results(user, round: EvaluationRound) -> bool:
    return can_read_results(user, round)
