"""APPLICATION_WORKFLOW, state by state, action by action, persona by persona.

The expected tables below are written out by hand from the rules (who checks, who decides,
who may withdraw), not read back from the workflow, so a changed transition shows up here.
Applications are put into each state through the real workflow.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from keguan.accounts import services as accounts
from keguan.accounts.models import Bureau
from keguan.audit.models import AuditEvent
from keguan.core.workflow import TransitionError
from keguan.funds.models import Allocation, Fund
from keguan.notifications.models import Notification
from keguan.projects.models import Application, Project
from keguan.projects.workflow import APPLICATION_WORKFLOW
from tests.projects.factories import make_call, make_fund
from tests.projects.states import application_in, county_fund, row

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
    "confirm",
    "revoke",
    "withdraw",
)

# The bureau's officers (the county's own, and the city's above it) run the checks.
OFFICER_MAY = {
    A.SUBMITTED: {"pass_check", "return", "refuse"},
    # The table's application is of a county program: decided here, never recommended up.
    A.CHECKED: {"record_review"},
    A.RECOMMENDED: {"record_higher_approval", "record_higher_rejection"},
    A.DECIDED: {"publish_notice", "revoke"},
    A.IN_NOTICE: {"confirm", "revoke"},
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
    "leader": {A.REVIEWED: {"decide_approve", "decide_reject"}},
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
    for table in EXPECTED.values():
        assert set(table) <= set(A.values)
        assert set().union(*table.values()) <= set(ACTIONS)


@pytest.mark.parametrize("state", A.values)
def test_each_persona_is_offered_exactly_the_actions_of_the_table(personas, state):
    application = application_in(personas, state)
    assert application.state == state
    got = {name: offered(getattr(personas, name), application) for name in PERSONAS}
    want = {name: set(EXPECTED[name].get(state, set())) for name in PERSONAS}
    assert got == want


@pytest.mark.parametrize("state", A.values)
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
            expected = "forbidden" if action in possible_here else "invalid_state"
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
    "decide_approve": 1,  # funds.allocation.reserve
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
        (A.REVIEWED, "decide_reject", "leader"),
        (A.DECIDED, "revoke", "officer"),
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


@pytest.mark.parametrize("score", ["", "abc", "-1", "100.01", "NaN", "Infinity", None])
def test_a_review_score_outside_0_to_100_is_refused(personas, score):
    application = application_in(personas, A.CHECKED)
    before, before_events = row(application), events()
    with pytest.raises(TransitionError) as refused:
        APPLICATION_WORKFLOW.apply(personas.officer, application, "record_review", {"score": score})
    assert refused.value.code == "guard_refused"
    assert "0" in refused.value.message and "100" in refused.value.message
    assert row(application) == before
    assert events() == before_events


def test_a_review_score_is_kept_to_two_decimals_with_the_comment(personas):
    application = application_in(personas, A.CHECKED)
    application = APPLICATION_WORKFLOW.apply(
        personas.officer, application, "record_review", {"score": " 87.456 ", "note": "方案可行"}
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
    before, before_events = row(application), events()
    with pytest.raises(TransitionError) as refused:
        APPLICATION_WORKFLOW.apply(
            personas.leader, application, "decide_approve", {"amount": "50000", "fund": fund.pk}
        )
    assert refused.value.code == "forbidden"
    assert row(application) == before
    assert events() == before_events
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


def test_deciding_to_fund_reserves_the_money_in_the_chosen_fund(personas):
    application = application_in(personas, A.REVIEWED)
    fund = county_fund(personas.officer)
    application = APPLICATION_WORKFLOW.apply(
        personas.leader, application, "decide_approve", {"amount": "80000", "fund": fund.pk}
    )
    assert application.state == A.DECIDED
    assert application.granted_amount == Decimal("80000")
    allocation = Allocation.objects.get(application=application)
    assert (allocation.fund, allocation.amount, allocation.state) == (
        fund,
        Decimal("80000"),
        Allocation.State.RESERVED,
    )
    assert allocation.decided_by == personas.leader
    event = AuditEvent.objects.get(action="projects.application.decide_approve")
    assert event.after == {"state": A.DECIDED, "amount": "80000", "fund": fund.pk}


def _decide_refusal(personas, application, payload) -> TransitionError:
    before, before_events = row(application), events()
    with pytest.raises(TransitionError) as refused:
        APPLICATION_WORKFLOW.apply(personas.leader, application, "decide_approve", payload)
    assert refused.value.code == "guard_refused"
    assert row(application) == before
    assert events() == before_events
    assert not Allocation.objects.filter(application=application).exists()
    return refused.value


def test_a_decision_cannot_grant_more_than_was_requested(personas):
    application = application_in(personas, A.REVIEWED)
    fund = county_fund(personas.officer)
    error = _decide_refusal(personas, application, {"amount": "100000.01", "fund": fund.pk})
    assert "100000" in error.message


def test_a_decision_needs_a_fund_of_the_bureau_or_above(personas):
    application = application_in(personas, A.REVIEWED)
    neighbour_fund = make_fund(personas.neighbour_officer)
    _decide_refusal(personas, application, {"amount": "50000"})
    _decide_refusal(personas, application, {"amount": "50000", "fund": neighbour_fund.pk})
    for junk in ("x", "1.5", "-1", 99999999999999999999, ["1"]):
        _decide_refusal(personas, application, {"amount": "50000", "fund": junk})


def test_the_fund_may_be_given_as_the_fund_itself_or_its_id_as_text(personas):
    fund = county_fund(personas.officer)
    first = application_in(personas, A.REVIEWED)
    second = application_in(personas, A.REVIEWED, applicant=personas.applicant_b)
    for application, chosen in ((first, fund), (second, str(fund.pk))):
        application = APPLICATION_WORKFLOW.apply(
            personas.leader, application, "decide_approve", {"amount": "50000", "fund": chosen}
        )
        assert Allocation.objects.get(application=application).fund == fund


def test_a_city_fund_may_pay_for_a_county_decision(personas):
    application = application_in(personas, A.REVIEWED)
    city_fund = make_fund(personas.city_officer)
    application = APPLICATION_WORKFLOW.apply(
        personas.leader, application, "decide_approve", {"amount": "50000", "fund": city_fund.pk}
    )
    assert Allocation.objects.get(application=application).fund == city_fund


def test_a_decision_needs_a_fund_of_the_calls_year(personas):
    application = application_in(personas, A.REVIEWED)
    old = make_fund(personas.officer, year=application.call.year - 1)
    error = _decide_refusal(personas, application, {"amount": "50000", "fund": old.pk})
    assert str(application.call.year) in error.message


def test_a_decision_beyond_what_the_fund_has_left_names_what_is_left(personas):
    application = application_in(personas, A.REVIEWED)
    fund = make_fund(personas.officer, amount="30000")
    error = _decide_refusal(personas, application, {"amount": "50000", "fund": fund.pk})
    assert "30000" in error.message


def test_confirming_after_the_notice_commits_the_money_and_makes_the_project(personas):
    application = application_in(personas, A.IN_NOTICE)
    application = APPLICATION_WORKFLOW.apply(personas.officer, application, "confirm")
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


@pytest.mark.parametrize("state", [A.DECIDED, A.IN_NOTICE])
def test_revoking_a_decision_gives_the_money_back(personas, state):
    application = application_in(personas, state)
    application = APPLICATION_WORKFLOW.apply(
        personas.officer, application, "revoke", {"note": "公示期间收到异议，经核实属实。"}
    )
    assert application.state == A.REJECTED
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
