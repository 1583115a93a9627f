"""Quorum, votes and major matters: the rules of branch meetings and collective decisions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from keguan.audit.models import AuditEvent
from keguan.core.workflow import TransitionError
from keguan.party.models import MajorMatter, MeetingDecision, MeetingKind
from keguan.party.services import meetings as services
from keguan.party.services import meetings_matters as matters
from keguan.party.workflow_meetings import MAJOR_MATTER_WORKFLOW
from tests.party.factories import make_member, make_seat
from tests.party.meetings_factories import branch_of_ten, make_meeting

# The assertions read the English messages (the site speaks Simplified Chinese by default).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def branch(personas):
    return branch_of_ten(personas)[0]


def _decide(user, meeting, votes_for, against=0, abstain=0):
    return services.add_decision(
        user,
        meeting,
        {"text": "同意", "votes_for": votes_for, "votes_against": against, "abstentions": abstain},
    )


def test_an_assembly_with_half_of_the_members_present_has_no_quorum(personas, branch):
    meeting = make_meeting(personas.party_secretary, branch, present=5)
    assert (meeting.expected_count, meeting.present_count) == (10, 5)
    assert not meeting.quorate
    assert "No quorum" in services.quorum_problem(meeting)


def test_an_assembly_with_more_than_half_present_is_quorate(personas, branch):
    meeting = make_meeting(personas.party_secretary, branch, present=6)
    assert meeting.quorate
    assert services.quorum_problem(meeting) is None


def test_a_decision_of_a_meeting_without_quorum_is_refused_and_nothing_recorded(personas, branch):
    meeting = make_meeting(personas.party_secretary, branch, present=5)
    with pytest.raises(ValidationError, match="not valid"):
        _decide(personas.party_secretary, meeting, 5)
    assert not MeetingDecision.objects.exists()


def test_more_votes_than_members_present_are_refused(personas, branch):
    meeting = make_meeting(personas.party_secretary, branch, present=6)
    with pytest.raises(ValidationError) as exc:
        _decide(personas.party_secretary, meeting, 5, against=2)
    assert "votes_for" in exc.value.message_dict
    assert not MeetingDecision.objects.exists()


def test_a_decision_passes_with_more_than_half_of_those_present(personas, branch):
    meeting = make_meeting(personas.party_secretary, branch, present=6)
    passed = _decide(personas.party_secretary, meeting, 4, against=2)
    tied = _decide(personas.party_secretary, meeting, 3, against=3)
    assert services.outcome(passed, meeting) == "passed"
    assert services.outcome(tied, meeting) == "rejected"
    assert AuditEvent.objects.filter(action="party.decision.create").count() == 2


def test_a_committee_meeting_counts_its_quorum_on_the_committee_seats(personas, branch):
    others = list(branch.members.exclude(seats__isnull=False)[:2])
    for member in others:
        make_seat(member)
    meeting = make_meeting(personas.party_secretary, branch, MeetingKind.COMMITTEE, present=2)
    assert (meeting.expected_count, meeting.present_count) == (3, 2)
    assert meeting.quorate


def test_a_party_lecture_takes_no_decisions(personas, branch):
    meeting = make_meeting(personas.party_secretary, branch, MeetingKind.LECTURE, present=10)
    with pytest.raises(ValidationError, match="Only a branch assembly"):
        _decide(personas.party_secretary, meeting, 10)


def test_members_who_joined_after_the_meeting_are_not_expected(personas, branch):
    make_member(branch, "新党员", joined_on=dt.date.today())
    meeting = make_meeting(
        personas.party_secretary, branch, held_on=dt.date.today() - dt.timedelta(days=3), present=6
    )
    assert meeting.expected_count == 10


def test_attendance_cannot_drop_below_the_votes_recorded(personas, branch):
    meeting = make_meeting(personas.party_secretary, branch, present=8)
    _decide(personas.party_secretary, meeting, 7)
    fewer = list(services.expected_members(meeting))[:6]
    with pytest.raises(ValidationError, match="7 votes"):
        services.record_attendance(personas.party_secretary, meeting, fewer, {})
    meeting.refresh_from_db()
    assert meeting.present_count == 8


def test_absence_reasons_are_kept_for_the_absent_only(personas, branch):
    meeting = make_meeting(personas.party_secretary, branch)
    expected = list(services.expected_members(meeting))
    reasons = {m.pk: "出差" for m in expected}
    services.record_attendance(personas.party_secretary, meeting, expected[:7], reasons)
    absent = meeting.attendance.filter(present=False)
    assert absent.count() == 3
    assert set(absent.values_list("absence_reason", flat=True)) == {"出差"}
    assert not meeting.attendance.filter(present=True).exclude(absence_reason="").exists()


def test_a_meeting_cannot_be_recorded_before_it_is_held(personas, branch):
    with pytest.raises(ValidationError) as exc:
        make_meeting(personas.party_secretary, branch, held_on=dt.date.today() + dt.timedelta(1))
    assert "held_on" in exc.value.message_dict


# Major matters.
@pytest.fixture
def matter(personas, branch):
    return matters.create_matter(
        personas.party_secretary,
        branch,
        {
            "category": MajorMatter.Category.FUNDS,
            "title": "科技三项费年度安排",
            "amount": Decimal("650000"),
            "proposed_on": dt.date.today(),
        },
    )


def _refused(personas, matter, decision, match):
    with pytest.raises(TransitionError, match=match) as exc:
        MAJOR_MATTER_WORKFLOW.apply(
            personas.party_secretary, matter, "decide", {"decision": decision}
        )
    assert exc.value.code == "guard_refused"
    matter.refresh_from_db()
    assert matter.state == MajorMatter.State.PROPOSED and matter.decision is None


def test_a_major_matter_is_not_decided_without_a_meeting_decision(personas, matter):
    _refused(personas, matter, None, "Choose the meeting decision")


def test_a_major_matter_is_not_decided_by_a_meeting_without_quorum(personas, branch, matter):
    meeting = make_meeting(personas.party_secretary, branch, present=6)
    decision = _decide(personas.party_secretary, meeting, 4)
    # The minutes are corrected: only five were there, so the meeting had no quorum.
    five = list(services.expected_members(meeting))[:5]
    services.record_attendance(personas.party_secretary, meeting, five, {})
    _refused(personas, matter, decision, "no quorum")


def test_a_major_matter_is_not_decided_by_a_decision_that_did_not_pass(personas, branch, matter):
    meeting = make_meeting(personas.party_secretary, branch, present=6)
    tied = _decide(personas.party_secretary, meeting, 3, against=3)
    _refused(personas, matter, tied, "did not pass")


def test_a_major_matter_is_not_decided_by_another_branchs_decision(personas, matter):
    from tests.party.factories import make_branch

    other = make_branch(personas.bureaus.neighbour)
    for number in range(3):
        make_member(other, f"邻县党员{number}")
    meeting = make_meeting(personas.party_secretary, other, present=3)
    decision = _decide(personas.party_secretary, meeting, 3)
    _refused(personas, matter, decision, "another branch")


def test_a_major_matter_is_decided_by_a_passed_decision_of_a_quorate_meeting(
    personas, branch, matter
):
    meeting = make_meeting(personas.party_secretary, branch, present=7)
    decision = _decide(personas.party_secretary, meeting, 4, against=1)
    MAJOR_MATTER_WORKFLOW.apply(personas.party_secretary, matter, "decide", {"decision": decision})
    matter.refresh_from_db()
    assert matter.state == MajorMatter.State.DECIDED and matter.decision == decision
    event = AuditEvent.objects.get(action="party.major_matter.decide")
    assert event.after["decision"] == decision.pk
    # Its meeting's attendance can no longer undo the majority it rests on.
    with pytest.raises(ValidationError, match="Major matters were decided"):
        services.record_attendance(
            personas.party_secretary, meeting, list(services.expected_members(meeting))[:5], {}
        )
    with pytest.raises(ValidationError):
        services.remove_decision(personas.party_secretary, decision)


def test_only_the_secretary_decides_a_major_matter(personas, branch, matter):
    meeting = make_meeting(personas.party_secretary, branch, present=7)
    decision = _decide(personas.party_secretary, meeting, 7)
    for user in (personas.party_member, personas.inspector):
        with pytest.raises(TransitionError) as exc:
            MAJOR_MATTER_WORKFLOW.apply(user, matter, "decide", {"decision": decision})
        assert exc.value.code == "forbidden"
    matter.refresh_from_db()
    assert matter.state == MajorMatter.State.PROPOSED


def test_a_large_sum_needs_its_amount(personas, branch):
    with pytest.raises(ValidationError) as exc:
        matters.create_matter(
            personas.party_secretary,
            branch,
            {"category": "funds", "title": "大额资金", "proposed_on": dt.date.today()},
        )
    assert "amount" in exc.value.message_dict
