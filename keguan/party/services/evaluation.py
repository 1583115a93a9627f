"""Democratic evaluation: preparing a round, self-evaluations, peer comments, the secret
ballot, the counted votes and the organization's final grades.

The round's state moves only through ROUND_WORKFLOW (keguan.party.workflow_evaluation);
everything else a round holds changes here, each change with its audit event.
"""

import random

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from keguan.audit import services as audit
from keguan.audit.context import acting_as
from keguan.core.records import save_new, update_fields
from keguan.party.models import (
    BallotGrade,
    EvaluationParticipant,
    EvaluationRound,
    Grade,
    Member,
    PeerComment,
    SelfEvaluation,
    VoterRecord,
)

R = EvaluationRound.State
ROUND_FIELDS = ("year", "name", "excellent_cap")
VOTE_FIELDS = {
    Grade.EXCELLENT: "excellent_votes",
    Grade.COMPETENT: "competent_votes",
    Grade.BASIC: "basic_votes",
    Grade.INCOMPETENT: "incompetent_votes",
}
# The ballot box is shaken with the operating system's randomness, not a seeded generator
# whose sequence someone could replay.
_random = random.SystemRandom()


def default_excellent_cap(participants: int) -> int:
    """One third of the participants, rounded DOWN: the rule is "优秀 at most one third",
    and only rounding down never exceeds it (15 → 5, 14 → 4, 4 → 1, 2 → 0)."""
    return participants // 3


# Rounds.
def _draft_only(round: EvaluationRound) -> str | None:
    if round.state != R.DRAFT:
        return _("An opened round can no longer be changed.")
    return None


def _year_free(round: EvaluationRound) -> None:
    taken = EvaluationRound.objects.filter(branch=round.branch_id, year=round.year)
    if taken.exclude(pk=round.pk).exists():
        raise ValidationError({"year": _("The branch already has a round for this year.")})


def create_round(user, branch, data: dict) -> EvaluationRound:
    """A round of BRANCH being prepared (nothing is visible to the members yet)."""
    round = EvaluationRound(branch=branch, created_by=user)
    for name in ROUND_FIELDS:
        if name in data:
            setattr(round, name, data[name])
    _year_free(round)
    with acting_as(user):
        save_new(round, "party.evaluation.create", ("branch", *ROUND_FIELDS))
    return round


def update_round(user, round: EvaluationRound, data: dict) -> EvaluationRound:
    """Change the year, name or cap of a round still being prepared."""
    with acting_as(user):
        return update_fields(
            round,
            "party.evaluation.update",
            ROUND_FIELDS,
            data,
            refusal=_draft_only,
            check=lambda fresh, before: _year_free(fresh),
        )


def snapshot_participants(round: EvaluationRound) -> int:
    """Take the branch's active members as the round's participants (called by the
    workflow when the round opens, inside its transaction); returns how many."""
    members = Member.objects.active().filter(branch=round.branch_id).order_by("pk")
    rows = [EvaluationParticipant(round=round, member=m) for m in members]
    EvaluationParticipant.objects.bulk_create(rows)
    return len(rows)


def count_votes(round: EvaluationRound) -> None:
    """Count the grades each participant received (called by the workflow when the round
    closes, inside its transaction)."""
    counts = {
        row["member"]: row
        for row in BallotGrade.objects.filter(round=round)
        .values("member")
        .annotate(**{field: Count("pk", filter=Q(grade=g)) for g, field in VOTE_FIELDS.items()})
    }
    participants = list(round.participants.all())
    for participant in participants:
        row = counts.get(participant.member_id, {})
        for field in VOTE_FIELDS.values():
            setattr(participant, field, row.get(field, 0))
    EvaluationParticipant.objects.bulk_update(participants, list(VOTE_FIELDS.values()))


def _participant(round: EvaluationRound, member: Member | None) -> EvaluationParticipant:
    found = (
        EvaluationParticipant.objects.filter(round=round, member=member).first()
        if member is not None
        else None
    )
    if found is None:
        raise ValidationError(_("You do not take part in this round."))
    return found


def _locked_open(round: EvaluationRound) -> EvaluationRound:
    """The round's row, locked: whatever changes in it waits for a close in progress, and a
    close waits for it."""
    fresh = EvaluationRound.objects.select_for_update().get(pk=round.pk)
    if fresh.state != R.OPEN:
        raise ValidationError(
            _("The round is not open: it is %(state)s.") % {"state": fresh.get_state_display()}
        )
    return fresh


# What members write.
def save_self_evaluation(user, round: EvaluationRound, member: Member, text: str):
    """MEMBER's self-evaluation in an open round, created or replaced."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your self-evaluation.")})
    with acting_as(user), audit.writing():
        fresh = _locked_open(round)
        _participant(fresh, member)
        current = SelfEvaluation.objects.filter(round=fresh, member=member).first()
        if current is None:
            current = SelfEvaluation(round=fresh, member=member, text=text)
            current.full_clean()
            current.save()
            audit.record("party.evaluation.self_evaluation", obj=current, after={"round": fresh.pk})
        elif current.text != text:
            current.text = text
            current.full_clean()
            current.save(update_fields=["text", "updated_at"])
            audit.record("party.evaluation.self_evaluation", obj=current, after={"round": fresh.pk})
        else:
            audit.record("party.evaluation.self_evaluation", obj=current, after={"unchanged": True})
    return current


def save_peer_comment(user, round: EvaluationRound, author: Member, subject_id, text: str):
    """AUTHOR's signed comment on another participant of an open round (replaces an
    earlier one on the same member)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your comment.")})
    with acting_as(user), audit.writing():
        fresh = _locked_open(round)
        _participant(fresh, author)
        subject = fresh.participants.filter(member=subject_id).select_related("member").first()
        if subject is None:
            raise ValidationError({"subject": _("Choose a member who takes part in the round.")})
        if subject.member_id == author.pk:
            raise ValidationError(
                {"subject": _("You comment on the other members, not on yourself.")}
            )
        comment, _created = PeerComment.objects.get_or_create(
            round=fresh, author=author, subject=subject.member, defaults={"text": text}
        )
        if comment.text != text:
            comment.text = text
            comment.full_clean()
            comment.save(update_fields=["text", "updated_at"])
        audit.record(
            "party.evaluation.peer_comment",
            obj=comment,
            after={"round": fresh.pk, "subject": subject.member_id},
        )
    return comment


# The secret ballot.
def ballot_problems(round: EvaluationRound, voter: Member, grades: dict) -> list[str]:
    """What is wrong with VOTER's GRADES ({member id: grade}) for ROUND; empty when the
    ballot grades every other participant once, with valid grades, within the cap."""
    names = dict(round.participants.values_list("member_id", "member__name"))
    problems = []
    if voter.pk in grades:
        problems.append(_("You cannot grade yourself."))
    strangers = set(grades) - set(names)
    if strangers:
        problems.append(_("You can only grade members who take part in this round."))
    missing = [names[pk] for pk in names if pk != voter.pk and not grades.get(pk)]
    if missing:
        problems.append(
            _("Grade every other member; missing: %(names)s.") % {"names": "、".join(missing)}
        )
    if any(value and value not in Grade.values for value in grades.values()):
        problems.append(_("Choose one of the four grades for each member."))
    excellent = sum(1 for value in grades.values() if value == Grade.EXCELLENT)
    cap = round.excellent_cap or 0
    if excellent > cap:
        problems.append(
            _("At most %(cap)d members may be graded excellent on one ballot; you chose %(count)d.")
            % {"cap": cap, "count": excellent}
        )
    return problems


def _shuffle(slips: list) -> None:
    _random.shuffle(slips)


def _shake_ballot_box(round: EvaluationRound, new_grades: dict) -> None:
    """Put NEW_GRADES into ROUND's ballot box and re-write the whole box in a random order
    with fresh random ids, so that no row position, id or transaction number of a grade
    tells when (and so, from the voter records, by whom) it was cast."""
    slips = list(BallotGrade.objects.filter(round=round).values_list("member_id", "grade"))
    slips += list(new_grades.items())
    _shuffle(slips)
    BallotGrade.objects.filter(round=round).delete()
    BallotGrade.objects.bulk_create(
        [BallotGrade(round=round, member_id=member, grade=grade) for member, grade in slips]
    )


def cast_ballot(user, round: EvaluationRound, voter: Member, grades: dict) -> None:
    """VOTER's secret ballot in ROUND: GRADES maps every other participant's member id to
    a grade. Refused (ValidationError, nothing changed) when the round is not open, the
    voter does not take part or has voted, or the ballot is incomplete, grades the voter
    or a non-participant, or exceeds the cap on 优秀.

    Side effects, in one transaction on the locked round row:
    - a VoterRecord (round, voter): who has voted, nothing more;
    - the grades go into the ballot box, which is re-written in a random order
      (`_shake_ballot_box`);
    - ONE audit event `party.evaluation.vote` on the round, naming the voter (the actor)
      and nothing of the ballot.

    Why the audit trail cannot join a voter to a ballot: the event holds the actor, the
    time and a sequence number but no grade, count or ballot id; the grades hold no
    voter, no time and no order (their ids are random and re-drawn at every cast, their
    rows re-written). The one thing both share is the round. No notification is sent.
    """
    grades = {int(pk): value for pk, value in grades.items()}
    with acting_as(user), audit.writing():
        fresh = _locked_open(round)
        _participant(fresh, voter)
        if VoterRecord.objects.filter(round=fresh, member=voter).exists():
            raise ValidationError(_("You have already voted in this round."))
        problems = ballot_problems(fresh, voter, grades)
        if problems:
            raise ValidationError(problems)
        try:
            with transaction.atomic():
                VoterRecord.objects.create(round=fresh, member=voter)
        except IntegrityError:
            # A second request of the same voter that got past the check above.
            raise ValidationError(_("You have already voted in this round.")) from None
        _shake_ballot_box(fresh, grades)
        audit.record("party.evaluation.vote", obj=fresh, after={"member": voter.pk})


# The organization's final grades.
def set_final_grades(user, round: EvaluationRound, rows: dict) -> int:
    """The branch's final grade and reasons for participants of a closed round: ROWS maps
    member ids to (grade, reasons); members not in ROWS keep what they had. Returns how
    many changed. The grades are not secret: the event lists them."""
    with acting_as(user), audit.writing():
        fresh = EvaluationRound.objects.select_for_update().get(pk=round.pk)
        if fresh.state != R.CLOSED:
            raise ValidationError(_("Final grades are given after the close and before the end."))
        participants = {p.member_id: p for p in fresh.participants.select_related("member")}
        problems, changed = [], []
        for member_id, (grade, reasons) in rows.items():
            participant = participants.get(int(member_id))
            if participant is None:
                problems.append(_("You can only grade members who take part in this round."))
                continue
            reasons = (reasons or "").strip()
            if not grade:
                continue
            if grade not in Grade.values:
                problems.append(_("Choose one of the four grades for each member."))
            elif not reasons:
                problems.append(
                    _("Give the reasons for %(name)s's grade.") % {"name": participant.member}
                )
            elif (participant.final_grade, participant.final_reasons) != (grade, reasons):
                participant.final_grade, participant.final_reasons = grade, reasons
                changed.append(participant)
        if problems:
            raise ValidationError(sorted(set(problems), key=problems.index))
        EvaluationParticipant.objects.bulk_update(changed, ["final_grade", "final_reasons"])
        audit.record(
            "party.evaluation.final_grades",
            obj=fresh,
            after={"grades": {str(p.member_id): p.final_grade for p in changed}},
        )
    return len(changed)


def results(round: EvaluationRound):
    """The participants of a round with their counted votes and final grades, for pages and
    the export (callers check that the round shows results)."""
    return round.participants.select_related("member").order_by("member__name", "pk")
