"""The democratic evaluation's rules: the round's life, the cap on 优秀, one ballot per
member, no ballot after the close, no self-grading, counts only after the close."""

import pytest
from django.core.exceptions import ValidationError

from keguan.accounts.roles import Role
from keguan.audit.models import AuditEvent
from keguan.core.workflow import TransitionError
from keguan.notifications.models import Notification
from keguan.party.models import BallotGrade, EvaluationRound, Grade, VoterRecord
from keguan.party.services import evaluation as services
from keguan.party.workflow_evaluation import ROUND_WORKFLOW
from tests.factories import make_user
from tests.party.evaluation_factories import (
    ballot,
    branch_with_voters,
    make_round,
    open_round,
    vote,
)
from tests.party.factories import make_member

# The assertions read the English messages (the site speaks Simplified Chinese by default).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
G = Grade
R = EvaluationRound.State


def _nothing_stored(round):
    return not BallotGrade.objects.filter(round=round).exists() and not (
        VoterRecord.objects.filter(round=round).exists()
    )


@pytest.mark.parametrize(("members", "cap"), [(15, 5), (14, 4), (6, 2), (4, 1), (2, 0)])
def test_the_default_cap_is_one_third_of_the_participants_rounded_down(members, cap):
    assert services.default_excellent_cap(members) == cap


def test_opening_snapshots_the_active_members_and_fixes_the_cap(
    personas, django_capture_on_commit_callbacks
):
    branch, members = branch_with_voters(personas, extra=5)  # 7 members
    with django_capture_on_commit_callbacks(execute=True):
        round = open_round(personas, branch)
    assert round.state == R.OPEN
    assert round.excellent_cap == 2
    assert set(round.participants.values_list("member_id", flat=True)) == {m.pk for m in members}
    # A member who joins later does not take part.
    make_member(branch, "后来者")
    assert round.participants.count() == 7
    assert Notification.objects.filter(user=personas.party_member).exists()


def test_a_cap_set_by_the_secretary_is_kept(personas):
    branch, _members = branch_with_voters(personas, extra=4)
    round = open_round(personas, branch, excellent_cap=3)
    assert round.excellent_cap == 3


def test_members_see_a_round_only_once_opened(personas):
    from keguan.party.permissions.evaluation import visible_rounds

    branch, _members = branch_with_voters(personas)
    round = make_round(personas, branch)
    assert not visible_rounds(personas.party_member).filter(pk=round.pk).exists()
    ROUND_WORKFLOW.apply(personas.party_secretary, round, "open")
    assert visible_rounds(personas.party_member).filter(pk=round.pk).exists()


def test_only_the_secretary_opens_a_round(personas):
    branch, _members = branch_with_voters(personas)
    round = make_round(personas, branch)
    for user in (personas.party_member, personas.inspector):
        with pytest.raises(TransitionError) as exc:
            ROUND_WORKFLOW.apply(user, round, "open")
        assert exc.value.code == "forbidden"
    round.refresh_from_db()
    assert round.state == R.DRAFT and not round.participants.exists()


def test_a_ballot_within_the_cap_is_cast_and_recorded(personas):
    branch, members = branch_with_voters(personas, extra=4)  # 6 members, cap 2
    round = open_round(personas, branch)
    pat = members[0]
    vote(round, pat, {members[1].pk: G.EXCELLENT, members[2].pk: G.EXCELLENT})
    assert VoterRecord.objects.filter(round=round, member=pat).exists()
    assert BallotGrade.objects.filter(round=round).count() == 5


def test_more_excellent_grades_than_the_cap_are_refused_and_nothing_changes(personas):
    branch, members = branch_with_voters(personas, extra=4)  # cap 2
    round = open_round(personas, branch)
    pat = members[0]
    grades = {m.pk: G.EXCELLENT for m in members[1:4]}
    with pytest.raises(ValidationError) as exc:
        vote(round, pat, grades)
    assert "At most 2 members may be graded excellent" in " ".join(exc.value.messages)
    assert _nothing_stored(round)


def test_a_member_cannot_vote_twice(personas):
    branch, members = branch_with_voters(personas)
    round = open_round(personas, branch)
    vote(round, members[0])
    with pytest.raises(ValidationError, match="already voted"):
        vote(round, members[0], default=G.INCOMPETENT)
    assert VoterRecord.objects.filter(round=round).count() == 1
    assert BallotGrade.objects.filter(round=round).count() == len(members) - 1
    assert not BallotGrade.objects.filter(grade=G.INCOMPETENT).exists()


def test_a_second_ballot_that_slips_past_the_check_hits_the_unique_constraint(
    personas, monkeypatch
):
    """Two requests of the same voter at once: even when both pass the "has voted" check
    (simulated by hiding the first voter record from the check), the unique constraint on
    the voter records refuses the second, and its grades roll back with it."""
    branch, members = branch_with_voters(personas)
    round = open_round(personas, branch)
    vote(round, members[0])
    real = VoterRecord.objects

    class Blind:
        def filter(self, **kwargs):
            return real.none() if "member" in kwargs else real.filter(**kwargs)

        def create(self, **kwargs):
            return real.create(**kwargs)

    monkeypatch.setattr(services.VoterRecord, "objects", Blind(), raising=False)
    with pytest.raises(ValidationError, match="already voted"):
        services.cast_ballot(members[0].user, round, members[0], ballot(round, members[0]))
    monkeypatch.undo()
    assert VoterRecord.objects.filter(round=round).count() == 1
    assert BallotGrade.objects.filter(round=round).count() == len(members) - 1


def test_grading_oneself_is_refused(personas):
    branch, members = branch_with_voters(personas)
    round = open_round(personas, branch)
    pat = members[0]
    grades = {**ballot(round, pat), pat.pk: G.EXCELLENT}
    with pytest.raises(ValidationError, match="cannot grade yourself"):
        services.cast_ballot(pat.user, round, pat, grades)
    assert _nothing_stored(round)


def test_grading_a_non_participant_or_leaving_one_out_is_refused(personas):
    branch, members = branch_with_voters(personas)
    round = open_round(personas, branch)
    pat = members[0]
    late = make_member(branch, "后来者")
    with pytest.raises(ValidationError, match="only grade members who take part"):
        services.cast_ballot(pat.user, round, pat, {**ballot(round, pat), late.pk: G.COMPETENT})
    incomplete = ballot(round, pat)
    incomplete.pop(members[3].pk)
    with pytest.raises(ValidationError, match=f"missing: {members[3].name}"):
        services.cast_ballot(pat.user, round, pat, incomplete)
    with pytest.raises(ValidationError, match="one of the four grades"):
        services.cast_ballot(pat.user, round, pat, ballot(round, pat, default="great"))
    assert _nothing_stored(round)


def test_a_member_who_does_not_take_part_cannot_vote(personas):
    branch, members = branch_with_voters(personas)
    round = open_round(personas, branch)
    account = make_user("late", [Role.PARTY_MEMBER], personas.bureaus.county)
    late = make_member(branch, "后来者", user=account)
    with pytest.raises(ValidationError, match="do not take part"):
        services.cast_ballot(late.user, round, late, {m.pk: G.COMPETENT for m in members})
    assert _nothing_stored(round)


def test_a_ballot_after_the_close_is_refused(personas):
    branch, members = branch_with_voters(personas)
    round = open_round(personas, branch)
    vote(round, members[0])
    round = ROUND_WORKFLOW.apply(personas.party_secretary, round, "close")
    with pytest.raises(ValidationError, match="not open"):
        vote(round, members[1])
    assert VoterRecord.objects.filter(round=round).count() == 1
    assert BallotGrade.objects.filter(round=round).count() == len(members) - 1


def test_the_counts_are_made_at_the_close_and_not_before(personas):
    branch, members = branch_with_voters(personas, extra=4)  # cap 2
    round = open_round(personas, branch)
    pat, sam = members[0], members[1]
    vote(round, pat, {sam.pk: G.EXCELLENT})
    vote(round, members[2], {sam.pk: G.EXCELLENT, pat.pk: G.BASIC})
    vote(round, members[3], {sam.pk: G.INCOMPETENT})
    assert all(
        p.excellent_votes is None and p.incompetent_votes is None for p in round.participants.all()
    )
    ROUND_WORKFLOW.apply(personas.party_secretary, round, "close")
    sam_row = round.participants.get(member=sam)
    pat_row = round.participants.get(member=pat)
    assert (sam_row.excellent_votes, sam_row.competent_votes, sam_row.incompetent_votes) == (
        2,
        0,
        1,
    )
    assert (pat_row.basic_votes, pat_row.competent_votes, pat_row.votes_total) == (1, 1, 2)
    assert round.participants.get(member=members[5]).votes_total == 3


def test_finishing_needs_every_final_grade_and_tells_each_member_their_own(
    personas, django_capture_on_commit_callbacks
):
    branch, members = branch_with_voters(personas)
    round = open_round(personas, branch)
    for member in members:
        vote(round, member)
    round = ROUND_WORKFLOW.apply(personas.party_secretary, round, "close")
    services.set_final_grades(
        personas.party_secretary, round, {members[0].pk: (G.EXCELLENT, "学习积极")}
    )
    with pytest.raises(TransitionError, match="missing"):
        ROUND_WORKFLOW.apply(personas.party_secretary, round, "finish")
    with pytest.raises(ValidationError, match="Give the reasons"):
        services.set_final_grades(personas.party_secretary, round, {members[1].pk: (G.BASIC, "")})
    services.set_final_grades(
        personas.party_secretary,
        round,
        {m.pk: (G.COMPETENT, "履行党员义务") for m in members[1:]},
    )
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        round = ROUND_WORKFLOW.apply(personas.party_secretary, round, "finish")
    assert round.state == R.FINISHED
    told = Notification.objects.filter(subject__contains=round.name)
    assert told.count() == len(members)
    pats = told.get(user=personas.party_member)
    assert pats.url.endswith(f"/results/{members[0].pk}/")
    assert "Excellent" in pats.body or "优秀" in pats.body


def test_final_grades_are_refused_while_the_vote_is_open(personas):
    branch, members = branch_with_voters(personas)
    round = open_round(personas, branch)
    with pytest.raises(ValidationError, match="after the close"):
        services.set_final_grades(
            personas.party_secretary, round, {members[0].pk: (G.EXCELLENT, "好")}
        )
    assert not round.participants.exclude(final_grade="").exists()


def test_the_vote_is_audited_without_the_ballot(personas):
    branch, members = branch_with_voters(personas)
    round = open_round(personas, branch)
    vote(round, members[0], {members[1].pk: G.EXCELLENT})
    event = AuditEvent.objects.get(action="party.evaluation.vote")
    assert event.actor_id == personas.party_member.pk
    assert event.after == {"member": members[0].pk}


def test_the_demo_loads_a_finished_and_an_open_round_once(personas):
    import datetime as dt

    from keguan.party import demo_evaluation

    branch, members = branch_with_voters(personas, extra=7)
    today = dt.date.today()
    demo_evaluation.load(branch, today)
    demo_evaluation.load(branch, today)
    last = branch.evaluation_rounds.get(year=today.year - 1)
    current = branch.evaluation_rounds.get(year=today.year)
    assert last.state == R.FINISHED
    assert last.voter_records.count() == len(members)
    assert not last.participants.filter(final_grade="").exists()
    assert current.state == R.OPEN
    assert 0 < current.voter_records.count() < len(members)
    assert not current.voter_records.filter(member=members[0]).exists()  # pat votes in the demo
