"""APPLICATION_WORKFLOW, state by state, action by action, persona by persona.

The expected tables below are written out by hand from the rules (who checks, who may
withdraw), not read back from the workflow, so a changed transition shows up here.
Applications are put into each state through the real workflow.

The review score and the county's decision are no one's to take by hand: a review round's
close records the score, a decision meeting's release decides (and puts an approval into
public notice, or approves it directly). Those transitions are automatic: offered to nobody,
refused to everybody, and DECIDED is never a resting state. The rules of deciding (the
amount, the fund, what it has left) are tested here through the meeting.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from keguan.accounts import services as accounts
from keguan.accounts.models import Bureau
from keguan.audit.models import AuditEvent
from keguan.core.workflow import TransitionError
from keguan.funds.models import Allocation, Fund
from keguan.notifications.models import Notification
from keguan.projects.models import Application, Project
from keguan.projects.workflow import APPLICATION_WORKFLOW
from keguan.review.models import Decision, Meeting
from keguan.review.services import decidable_applications
from keguan.review.workflow import MEETING_WORKFLOW
from tests.projects.factories import make_application, make_call, make_fund
from tests.projects.states import (
    application_in,
    county_fund,
    decide,
    draft_meeting,
    meeting_decides,
    record_review,
    row,
    stage,
)

pytestmark = pytest.mark.django_db

A = Application.State
PERSONAS = (
    "applicant_a",
    "applicant_b",
    "officer",
    "neighbour_officer",
    "city_officer",
    "leader",
    "expert",
    "inspector",
)
ACTIONS = (
    "submit",
    "resubmit",
    "pass_check",
    "return",
    "refuse",
    "record_review",
    "recommend",
    "record_higher_approval",
    "record_higher_rejection",
    "decide_approve",
    "decide_reject",
    "publish_notice",
    "approve_directly",
    "confirm",
    "revoke",
    "withdraw",
)

# Taken only by a review round's close and a decision meeting's release.
AUTOMATIC = {
    "record_review",
    "decide_approve",
    "decide_reject",
    "publish_notice",
    "approve_directly",
    "revoke",
    "confirm",
}
# The states an application passes through but never rests in.
PASSING = {A.DECIDED}
STATES = sorted(set(A.values) - PASSING)

# The bureau's officers (the county's own, and the city's above it) run the checks. The
# table's application is of a county program: decided here, never recommended up; its
# review score comes from the review round.
OFFICER_MAY = {
    A.SUBMITTED: {"pass_check", "return", "refuse"},
    A.RECOMMENDED: {"record_higher_approval", "record_higher_rejection"},
}
EXPECTED = {
    "applicant_a": {
        A.DRAFT: {"submit", "withdraw"},
        A.SUBMITTED: {"withdraw"},
        A.RETURNED: {"resubmit", "withdraw"},
        A.CHECKED: {"withdraw"},
        A.REVIEWED: {"withdraw"},
    },
    "applicant_b": {},
    "officer": OFFICER_MAY,
    "neighbour_officer": {},
    "city_officer": OFFICER_MAY,
    "leader": {},  # the leadership decides at a meeting (keguan.review)
    "expert": {},
    "inspector": {},
}
TARGET = {
    "submit": A.SUBMITTED,
    "resubmit": A.SUBMITTED,
    "pass_check": A.CHECKED,
    "return": A.RETURNED,
    "refuse": A.REJECTED,
    "record_review": A.REVIEWED,
    "recommend": A.RECOMMENDED,
    "record_higher_approval": A.APPROVED,
    "record_higher_rejection": A.REJECTED,
    "decide_approve": A.DECIDED,
    "decide_reject": A.REJECTED,
    "publish_notice": A.IN_NOTICE,
    "approve_directly": A.APPROVED,
    "confirm": A.APPROVED,
    "revoke": A.REJECTED,
    "withdraw": A.WITHDRAWN,
}
NOTE = "经审查，材料需补充。"


def payload_for(action: str, fund: Fund | None = None) -> dict:
    """A payload that would satisfy the action's note and guard."""
    return {
        "note": NOTE,
        "score": "88.5",
        "amount": "50000",
        "fund": fund.pk if fund else None,
    }


def events() -> int:
    return AuditEvent.objects.count()


def offered(user, application) -> set[str]:
    return {t.action for t in APPLICATION_WORKFLOW.allowed_actions(user, application)}


def test_the_expected_tables_name_every_state_and_every_action():
    assert set(TARGET) == set(ACTIONS) == set(APPLICATION_WORKFLOW.actions())
    automatic = {t.action for t in APPLICATION_WORKFLOW.transitions if t.automatic}
    assert automatic == AUTOMATIC
    for table in EXPECTED.values():
        assert set(table) <= set(STATES)
        assert set().union(*table.values()) <= set(ACTIONS) - AUTOMATIC


def test_a_released_decision_passes_through_decided_at_once(personas):
    application = application_in(personas, A.IN_NOTICE)
    trail = AuditEvent.objects.filter(
        object_type="projects.application", object_id=str(application.pk)
    ).order_by("seq")
    moves = [(e.action.rsplit(".", 1)[1], e.after["state"]) for e in trail if "state" in e.after]
    assert moves[-2:] == [("decide_approve", A.DECIDED), ("publish_notice", A.IN_NOTICE)]
    assert not Application.objects.filter(state=A.DECIDED).exists()


@pytest.mark.parametrize("state", STATES)
def test_each_persona_is_offered_exactly_the_actions_of_the_table(personas, state):
    application = application_in(personas, state)
    assert application.state == state
    got = {name: offered(getattr(personas, name), application) for name in PERSONAS}
    want = {name: set(EXPECTED[name].get(state, set())) for name in PERSONAS}
    assert got == want


@pytest.mark.parametrize("state", STATES)
def test_every_move_outside_the_table_is_refused_and_changes_nothing(personas, state):
    application = application_in(personas, state)
    fund = county_fund(personas.officer)
    possible_here = set().union(*(EXPECTED[name].get(state, set()) for name in PERSONAS))
    # Moves that exist from this state but not for a county program: nobody may make them.
    possible_here |= {A.CHECKED: {"recommend"}, A.REVIEWED: {"recommend"}}.get(state, set())
    before, before_events = row(application), events()
    counts = (Allocation.objects.count(), Project.objects.count(), Notification.objects.count())
    tried = 0
    for name in PERSONAS:
        user = getattr(personas, name)
        for action in ACTIONS:
            if action in EXPECTED[name].get(state, set()):
                continue
            with pytest.raises(TransitionError) as refused:
                APPLICATION_WORKFLOW.apply(user, application, action, payload_for(action, fund))
            if action in AUTOMATIC and APPLICATION_WORKFLOW.find(state, action):
                # Nobody's to take by hand: no such action, whoever asks.
                expected = "unknown_action"
            elif action in possible_here:
                expected = "forbidden"
            else:
                expected = "invalid_state"
            assert refused.value.code == expected, (name, action)
            assert str(refused.value.message)
            tried += 1
    assert tried > 0
    assert row(application) == before
    assert events() == before_events
    assert (
        Allocation.objects.count(),
        Project.objects.count(),
        Notification.objects.count(),
    ) == counts


# Events a move's effect records besides the move's own.
EFFECT_EVENTS = {
    "confirm": 2,  # funds.allocation.commit, projects.project.create
    "record_higher_approval": 1,  # projects.project.create
    "revoke": 1,  # funds.allocation.release
}

ALLOWED = sorted(
    (state, action, name)
    for name, table in EXPECTED.items()
    for state, actions in table.items()
    for action in actions
)


@pytest.mark.parametrize(("state", "action", "name"), ALLOWED)
def test_every_move_in_the_table_goes_through_with_one_audit_event(personas, state, action, name):
    # Recommending upward is for programs above the county; checked/reviewed applications
    # of a municipal program are used for it.
    level = Bureau.Level.MUNICIPAL if action == "recommend" else Bureau.Level.COUNTY
    application = application_in(personas, state, level=level)
    fund = county_fund(personas.officer)
    before_events = events()

    moved = APPLICATION_WORKFLOW.apply(
        getattr(personas, name), application, action, payload_for(action, fund)
    )

    assert moved.state == TARGET[action]
    assert Application.objects.get(pk=application.pk).state == TARGET[action]
    event = AuditEvent.objects.get(
        action=f"projects.application.{action}", object_id=str(application.pk)
    )
    assert event.before == {"state": state}
    assert event.after["state"] == TARGET[action]
    # The move's own event, plus what its effect records (a reservation, a new project).
    assert events() - before_events == 1 + EFFECT_EVENTS.get(action, 0)


def test_the_same_move_twice_is_refused_the_second_time_without_a_second_event(personas):
    application = application_in(personas, A.SUBMITTED)
    APPLICATION_WORKFLOW.apply(personas.officer, application, "pass_check")
    before, before_events = row(application), events()
    with pytest.raises(TransitionError) as refused:
        APPLICATION_WORKFLOW.apply(personas.officer, application, "pass_check")
    assert refused.value.code == "invalid_state"
    assert row(application) == before
    assert events() == before_events


def test_a_page_loaded_before_someone_else_acted_is_told_it_is_stale(personas):
    application = application_in(personas, A.SUBMITTED)
    APPLICATION_WORKFLOW.apply(personas.city_officer, application, "pass_check")
    before, before_events = row(application), events()
    with pytest.raises(TransitionError) as refused:
        APPLICATION_WORKFLOW.apply(
            personas.officer, application, "return", {"note": NOTE}, expected_state=A.SUBMITTED
        )
    assert refused.value.code == "stale_state"
    assert row(application) == before
    assert events() == before_events


def test_an_unknown_action_is_refused_as_unknown(personas):
    application = application_in(personas, A.SUBMITTED)
    before, before_events = row(application), events()
    with pytest.raises(TransitionError) as refused:
        APPLICATION_WORKFLOW.apply(personas.officer, application, "approve_everything")
    assert refused.value.code == "unknown_action"
    assert row(application) == before
    assert events() == before_events


@pytest.mark.parametrize(
    ("state", "action", "name"),
    [
        (A.SUBMITTED, "return", "officer"),
        (A.SUBMITTED, "refuse", "officer"),
        (A.CHECKED, "recommend", "officer"),
        (A.RECOMMENDED, "record_higher_rejection", "officer"),
    ],
)
def test_a_move_that_needs_a_reason_is_refused_without_one(personas, state, action, name):
    level = Bureau.Level.MUNICIPAL if action == "recommend" else Bureau.Level.COUNTY
    application = application_in(personas, state, level=level)
    before, before_events = row(application), events()
    for note in ("", "   "):
        with pytest.raises(TransitionError) as refused:
            APPLICATION_WORKFLOW.apply(getattr(personas, name), application, action, {"note": note})
        assert refused.value.code == "note_required"
    assert row(application) == before
    assert events() == before_events


def test_the_reason_given_is_kept_on_the_application_and_in_the_audit_event(personas):
    application = application_in(personas, A.SUBMITTED)
    application = APPLICATION_WORKFLOW.apply(
        personas.officer, application, "return", {"note": "  缺少可行性报告。 "}
    )
    assert application.state_note == "缺少可行性报告。"
    event = AuditEvent.objects.get(action="projects.application.return")
    assert event.after == {"state": A.RETURNED, "note": "缺少可行性报告。"}


def test_nobody_records_a_review_score_by_hand(personas):
    application = application_in(personas, A.CHECKED)
    before, before_events = row(application), events()
    for name in ("officer", "city_officer", "leader"):
        with pytest.raises(TransitionError) as refused:
            APPLICATION_WORKFLOW.apply(
                getattr(personas, name), application, "record_review", {"score": "88"}
            )
        assert refused.value.code == "unknown_action"
    assert row(application) == before
    assert events() == before_events


def _closing_round_records(user, application, payload):
    """What a review round's close does for each application: the automatic transition."""
    return APPLICATION_WORKFLOW.apply(user, application, "record_review", payload, automatic=True)


@pytest.mark.parametrize("score", ["", "abc", "-1", "100.01", "NaN", "Infinity", None])
def test_a_review_score_outside_0_to_100_is_refused(personas, score):
    application = application_in(personas, A.CHECKED)
    before, before_events = row(application), events()
    with pytest.raises(TransitionError) as refused:
        _closing_round_records(personas.officer, application, {"score": score})
    assert refused.value.code == "guard_refused"
    assert "0" in refused.value.message and "100" in refused.value.message
    assert row(application) == before
    assert events() == before_events


def test_a_review_score_is_kept_to_two_decimals_with_the_comment(personas):
    application = application_in(personas, A.CHECKED)
    application = _closing_round_records(
        personas.officer, application, {"score": " 87.456 ", "note": "方案可行"}
    )
    assert application.review_score == Decimal("87.46")
    assert application.review_comment == "方案可行"
    event = AuditEvent.objects.get(action="projects.application.record_review")
    assert event.after["score"] == "87.46"


def test_a_county_program_is_not_recommended_upward(personas):
    application = application_in(personas, A.REVIEWED)
    before, before_events = row(application), events()
    with pytest.raises(TransitionError) as refused:
        APPLICATION_WORKFLOW.apply(personas.officer, application, "recommend", {"note": "推荐"})
    assert refused.value.code == "forbidden"
    assert row(application) == before
    assert events() == before_events


def test_a_program_above_the_county_is_not_decided_by_the_county(personas):
    application = application_in(personas, A.REVIEWED, level=Bureau.Level.PROVINCIAL)
    fund = county_fund(personas.officer)
    meeting = draft_meeting(personas.leader)
    before, before_events = row(application), events()
    assert application not in decidable_applications(meeting)
    with pytest.raises(ValidationError) as refused:
        stage(personas.leader, meeting, application, "50000", fund)
    assert "application" in refused.value.message_dict
    # Nor would the decision itself be taken, were it applied for a meeting.
    with pytest.raises(TransitionError) as refused:
        APPLICATION_WORKFLOW.apply(
            personas.leader,
            application,
            "decide_approve",
            {"amount": "50000", "fund": fund.pk},
            automatic=True,
        )
    assert refused.value.code == "forbidden"
    assert row(application) == before
    assert events() == before_events
    assert not Decision.objects.exists()
    assert not Allocation.objects.exists()


def test_recommending_upward_keeps_the_letter_and_the_time(personas):
    application = application_in(personas, A.CHECKED, level=Bureau.Level.PROVINCIAL)
    application = APPLICATION_WORKFLOW.apply(
        personas.officer, application, "recommend", {"note": "同意推荐上报省科技厅。"}
    )
    assert application.state == A.RECOMMENDED
    assert application.recommendation_letter == "同意推荐上报省科技厅。"
    assert application.recommended_at is not None


def test_the_higher_bodys_approval_makes_a_project_with_the_amount_it_granted(personas):
    application = application_in(personas, A.RECOMMENDED)
    application = APPLICATION_WORKFLOW.apply(
        personas.officer, application, "record_higher_approval", {"amount": "300,000"}
    )
    assert application.state == A.APPROVED
    assert application.granted_amount == Decimal("300000")
    project = Project.objects.get(application=application)
    assert project.approved_amount == Decimal("300000")
    assert project.level == Bureau.Level.MUNICIPAL
    assert project.number == f"361127-{application.call.year}-001"
    # The county's funds are not touched by money granted above.
    assert not Allocation.objects.exists()


@pytest.mark.parametrize("amount", ["", "abc", "0", "-5", "1.001", None])
def test_the_higher_approval_needs_a_valid_amount(personas, amount):
    application = application_in(personas, A.RECOMMENDED)
    before, before_events = row(application), events()
    with pytest.raises(TransitionError) as refused:
        APPLICATION_WORKFLOW.apply(
            personas.officer, application, "record_higher_approval", {"amount": amount}
        )
    assert refused.value.code == "guard_refused"
    assert row(application) == before
    assert events() == before_events
    assert not Project.objects.exists()


def test_nobody_decides_by_hand(personas):
    application = application_in(personas, A.REVIEWED)
    fund = county_fund(personas.officer)
    before, before_events = row(application), events()
    for name in ("leader", "officer", "city_officer"):
        for action, payload in (
            ("decide_approve", {"amount": "50000", "fund": fund.pk}),
            ("decide_reject", {"note": NOTE}),
        ):
            with pytest.raises(TransitionError) as refused:
                APPLICATION_WORKFLOW.apply(getattr(personas, name), application, action, payload)
            assert refused.value.code == "unknown_action", (name, action)
    assert row(application) == before
    assert events() == before_events
    assert not Allocation.objects.exists()


def test_a_released_approval_reserves_the_money_in_the_chosen_fund(personas):
    application = application_in(personas, A.REVIEWED)
    fund = county_fund(personas.officer)
    application = decide(personas, application, "80000", fund)
    assert application.state == A.IN_NOTICE
    assert application.granted_amount == Decimal("80000")
    allocation = Allocation.objects.get(application=application)
    assert (allocation.fund, allocation.amount, allocation.state) == (
        fund,
        Decimal("80000"),
        Allocation.State.RESERVED,
    )
    assert allocation.decided_by == personas.leader  # who released the meeting
    decision = Decision.objects.get(application=application)
    event = AuditEvent.objects.get(action="projects.application.decide_approve")
    assert event.after == {
        "state": A.DECIDED,
        "note": decision.note,
        "amount": "80000.00",  # as the meeting recorded it
        "fund": fund.pk,
        "meeting": decision.meeting_id,
        "decision": decision.pk,
    }


def test_a_call_without_public_notice_is_approved_at_the_release(personas):
    call = make_call(personas.officer, public_notice=False)
    application = make_application(personas.applicant_b, call)
    application = APPLICATION_WORKFLOW.apply(personas.applicant_b, application, "submit")
    application = APPLICATION_WORKFLOW.apply(personas.officer, application, "pass_check")
    application = record_review(personas.officer, application)
    application = decide(personas, application, "50000")
    assert application.state == A.APPROVED
    assert Allocation.objects.get(application=application).state == Allocation.State.COMMITTED
    assert Project.objects.get(application=application).approved_amount == Decimal("50000")


def test_a_released_rejection_closes_the_application_with_the_meetings_reason(personas):
    application = application_in(personas, A.REVIEWED)
    meeting = draft_meeting(personas.leader)
    before = row(application)
    with pytest.raises(ValidationError) as refused:
        stage(personas.leader, meeting, application, outcome="reject", note="  ")
    assert "note" in refused.value.message_dict
    assert row(application) == before and not meeting.decisions.exists()
    stage(personas.leader, meeting, application, outcome="reject", note="技术路线不成熟。")
    MEETING_WORKFLOW.apply(personas.leader, meeting, "release")
    application.refresh_from_db()
    assert (application.state, application.state_note) == (A.REJECTED, "技术路线不成熟。")
    assert not Allocation.objects.exists()


def _stage_refusal(personas, application, amount, fund) -> ValidationError:
    """Staging an approval of AMOUNT from FUND is refused, and nothing changes."""
    meeting = draft_meeting(personas.leader)
    before, before_events = row(application), events()
    with pytest.raises(ValidationError) as refused:
        stage(personas.leader, meeting, application, amount, fund)
    assert row(application) == before
    assert events() == before_events
    assert not meeting.decisions.exists()
    assert not Allocation.objects.filter(application=application).exists()
    return refused.value


def test_a_decision_cannot_grant_more_than_was_requested(personas):
    application = application_in(personas, A.REVIEWED)
    fund = county_fund(personas.officer)
    error = _stage_refusal(personas, application, "100000.01", fund)
    assert "100000" in error.message_dict["amount"][0]


def test_a_decision_needs_a_fund_of_the_bureau_or_above(personas):
    application = application_in(personas, A.REVIEWED)
    neighbour_fund = make_fund(personas.neighbour_officer)
    for fund in (None, neighbour_fund):
        error = _stage_refusal(personas, application, "50000", fund)
        assert set(error.message_dict) == {"fund"}


def test_the_decision_itself_refuses_a_fund_that_is_not_one(personas):
    """The last line behind the meeting: the transition reads the fund it is given (a
    fund, or its id) and refuses anything else, whoever applies it."""
    application = application_in(personas, A.REVIEWED)
    neighbour_fund = make_fund(personas.neighbour_officer)
    before, before_events = row(application), events()
    for junk in (None, neighbour_fund.pk, "x", "1.5", "-1", 99999999999999999999, ["1"]):
        with pytest.raises(TransitionError) as refused:
            APPLICATION_WORKFLOW.apply(
                personas.leader,
                application,
                "decide_approve",
                {"amount": "50000", "fund": junk},
                automatic=True,
            )
        assert refused.value.code == "guard_refused"
    assert row(application) == before
    assert events() == before_events
    assert not Allocation.objects.exists()


def test_the_fund_may_be_given_as_the_fund_itself_or_its_id_as_text(personas):
    fund = county_fund(personas.officer)
    first = application_in(personas, A.REVIEWED)
    second = application_in(personas, A.REVIEWED, applicant=personas.applicant_b)
    for application, chosen in ((first, fund), (second, str(fund.pk))):
        application = APPLICATION_WORKFLOW.apply(
            personas.leader,
            application,
            "decide_approve",
            {"amount": "50000", "fund": chosen},
            automatic=True,
        )
        assert Allocation.objects.get(application=application).fund == fund


def test_a_city_fund_may_pay_for_a_county_decision(personas):
    application = application_in(personas, A.REVIEWED)
    city_fund = make_fund(personas.city_officer)
    application = decide(personas, application, "50000", city_fund)
    assert application.state == A.IN_NOTICE
    assert Allocation.objects.get(application=application).fund == city_fund


def test_a_decision_needs_a_fund_of_the_calls_year(personas):
    application = application_in(personas, A.REVIEWED)
    old = make_fund(personas.officer, year=application.call.year - 1)
    error = _stage_refusal(personas, application, "50000", old)
    assert str(application.call.year) in error.message_dict["fund"][0]


def test_a_decision_beyond_what_the_fund_has_left_names_what_is_left(personas):
    """Staged, the approval is checked again at the release, under the fund's lock: when
    another meeting spent the money meanwhile, the release is refused whole and names what
    the fund has left."""
    application = application_in(personas, A.REVIEWED)
    fund = make_fund(personas.officer, amount="80000")
    meeting = draft_meeting(personas.leader)
    stage(personas.leader, meeting, application, "50000", fund)
    other = application_in(personas, A.REVIEWED, applicant=personas.applicant_b)
    meeting_decides(personas.leader, other, "50000", fund)
    before, before_events = row(application), events()
    with pytest.raises(TransitionError) as refused:
        MEETING_WORKFLOW.apply(personas.leader, meeting, "release")
    assert refused.value.code == "guard_refused"
    assert "30000" in refused.value.message  # 80000 less the other meeting's 50000
    assert row(application) == before
    assert events() == before_events
    assert row(meeting)["state"] == Meeting.State.DRAFT
    assert not Allocation.objects.filter(application=application).exists()


def test_confirming_after_the_notice_commits_the_money_and_makes_the_project(personas):
    application = application_in(personas, A.IN_NOTICE)
    application = APPLICATION_WORKFLOW.apply(
        personas.officer, application, "confirm", automatic=True
    )
    assert application.state == A.APPROVED
    allocation = Allocation.objects.get(application=application)
    assert allocation.state == Allocation.State.COMMITTED
    project = Project.objects.get(application=application)
    assert project.approved_amount == Decimal("50000")
    assert project.state == Project.State.CONTRACTING
    assert (project.start_on, project.end_on) == (application.start_on, application.end_on)
    assert AuditEvent.objects.filter(
        action="projects.project.create", object_id=str(project.pk)
    ).exists()


def test_revoking_a_decision_gives_the_money_back(personas):
    """A decision changes only by a new meeting: that meeting revokes the approval."""
    application = application_in(personas, A.IN_NOTICE)
    assert Allocation.objects.get(application=application).state == Allocation.State.RESERVED
    application = meeting_decides(personas.leader, application, outcome="revoke")
    assert application.state == A.REJECTED
    event = AuditEvent.objects.filter(action="projects.application.revoke").get()
    assert {"meeting", "decision"} <= set(event.after)
    assert Allocation.objects.get(application=application).state == Allocation.State.RELEASED
    assert not Project.objects.exists()


def test_project_numbers_count_up_within_the_bureau_and_year(personas):
    first = application_in(personas, A.APPROVED)
    second = application_in(personas, A.APPROVED, applicant=personas.applicant_b)
    year = first.call.year
    assert first.project.number == f"361127-{year}-001"
    assert second.project.number == f"361127-{year}-002"


def test_a_withdrawn_application_is_final(personas):
    application = application_in(personas, A.WITHDRAWN)
    got = {name: offered(getattr(personas, name), application) for name in PERSONAS}
    assert got == {name: set() for name in PERSONAS}


def test_an_inactive_officer_may_do_nothing(personas):
    application = application_in(personas, A.SUBMITTED)
    accounts.set_active(personas.sysadmin, personas.officer, False, "调离")
    personas.officer.refresh_from_db()
    assert offered(personas.officer, application) == set()
    with pytest.raises(TransitionError) as refused:
        APPLICATION_WORKFLOW.apply(personas.officer, application, "pass_check")
    assert refused.value.code == "forbidden"


def test_submitting_records_when_and_clears_the_last_note(personas):
    application = application_in(personas, A.RETURNED)
    assert application.state_note == NOTE
    moment = timezone.now() + dt.timedelta(days=1)
    with time_machine.travel(moment, tick=False):
        application = APPLICATION_WORKFLOW.apply(personas.applicant_a, application, "resubmit")
    assert application.state_note == ""
    assert application.submitted_at == moment


def test_a_transition_outside_a_request_is_recorded_under_the_acting_user(personas):
    """The CLI and the demo have no request: the trail still names who acted."""
    from keguan.audit.models import AuditEvent
    from tests.projects.factories import submitted_application

    application = submitted_application(personas.applicant_a, make_call(personas.officer))
    event = AuditEvent.objects.filter(action="projects.application.submit").latest("seq")
    assert event.actor_username == "alice"
    assert event.object_id == str(application.pk)


def test_the_note_on_the_last_decision_is_never_an_older_one(personas):
    from tests.projects.factories import submitted_application

    application = submitted_application(personas.applicant_a, make_call(personas.officer))
    application = APPLICATION_WORKFLOW.apply(
        personas.officer, application, "return", {"note": "预算说明不足"}
    )
    assert application.state_note == "预算说明不足"
    application = APPLICATION_WORKFLOW.apply(personas.applicant_a, application, "resubmit")
    application = APPLICATION_WORKFLOW.apply(personas.officer, application, "pass_check")
    assert application.state_note == ""


def test_a_long_note_is_cut_to_what_the_record_holds(personas):
    from keguan.projects.workflow import CALL_WORKFLOW

    call = make_call(personas.officer)
    call = CALL_WORKFLOW.apply(personas.officer, call, "cancel", {"note": "因" * 900})
    assert len(call.state_note) == call._meta.get_field("state_note").max_length
