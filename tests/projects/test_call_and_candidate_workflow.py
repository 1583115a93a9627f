"""CALL_WORKFLOW and CANDIDATE_WORKFLOW, state by state, action by action, persona by persona.

Calls and candidates are put into each state through the services and the workflows; the
expected tables are written out by hand.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from keguan.accounts.models import Bureau
from keguan.audit.models import AuditEvent
from keguan.core.workflow import TransitionError
from keguan.projects import services
from keguan.projects.models import Call, Candidate
from keguan.projects.workflow import CALL_WORKFLOW, CANDIDATE_WORKFLOW
from tests.projects.factories import make_call, make_program
from tests.projects.states import row
from tests.projects.test_application_workflow import PERSONAS

pytestmark = pytest.mark.django_db

C = Call.State
K = Candidate.State
NOTE = "上级政策调整，本批次取消。"


# Calls.
CALL_ACTIONS = ("publish", "cancel")
CALL_OFFICER_MAY = {C.DRAFT: {"publish", "cancel"}, C.PUBLISHED: {"cancel"}}
CALL_EXPECTED = {
    "applicant_a": {},
    "applicant_b": {},
    "officer": CALL_OFFICER_MAY,
    "neighbour_officer": {},
    "city_officer": CALL_OFFICER_MAY,
    "leader": {},
    "expert": {},
    "inspector": {},
}
CALL_TARGET = {"publish": C.PUBLISHED, "cancel": C.CANCELLED}


def call_in(p, state: str) -> Call:
    call = make_call(p.officer, publish=False)
    if state == C.PUBLISHED:
        call = CALL_WORKFLOW.apply(p.officer, call, "publish")
    elif state == C.CANCELLED:
        call = CALL_WORKFLOW.apply(p.officer, call, "cancel", {"note": NOTE})
    return call


def test_the_call_tables_name_every_action():
    assert set(CALL_TARGET) == set(CALL_ACTIONS) == set(CALL_WORKFLOW.actions())


@pytest.mark.parametrize("state", C.values)
def test_each_persona_is_offered_exactly_the_call_actions_of_the_table(personas, state):
    call = call_in(personas, state)
    assert call.state == state
    got = {
        name: {t.action for t in CALL_WORKFLOW.allowed_actions(getattr(personas, name), call)}
        for name in PERSONAS
    }
    assert got == {name: set(CALL_EXPECTED[name].get(state, set())) for name in PERSONAS}


@pytest.mark.parametrize("state", C.values)
def test_every_call_move_outside_the_table_is_refused_and_changes_nothing(personas, state):
    call = call_in(personas, state)
    possible_here = set().union(*(CALL_EXPECTED[name].get(state, set()) for name in PERSONAS))
    before, events = row(call), AuditEvent.objects.count()
    for name in PERSONAS:
        for action in CALL_ACTIONS:
            if action in CALL_EXPECTED[name].get(state, set()):
                continue
            with pytest.raises(TransitionError) as refused:
                CALL_WORKFLOW.apply(getattr(personas, name), call, action, {"note": NOTE})
            expected = "forbidden" if action in possible_here else "invalid_state"
            assert refused.value.code == expected, (name, action)
    assert row(call) == before
    assert AuditEvent.objects.count() == events


CALL_ALLOWED = sorted(
    (state, action, name)
    for name, table in CALL_EXPECTED.items()
    for state, actions in table.items()
    for action in actions
)


@pytest.mark.parametrize(("state", "action", "name"), CALL_ALLOWED)
def test_every_call_move_in_the_table_goes_through_with_one_audit_event(
    personas, state, action, name
):
    call = call_in(personas, state)
    moved = CALL_WORKFLOW.apply(getattr(personas, name), call, action, {"note": NOTE})
    assert moved.state == CALL_TARGET[action]
    assert Call.objects.get(pk=call.pk).state == CALL_TARGET[action]
    event = AuditEvent.objects.get(action=f"projects.call.{action}", object_id=str(call.pk))
    assert event.before == {"state": state}


def test_publishing_records_when(personas):
    call = call_in(personas, C.DRAFT)
    call = CALL_WORKFLOW.apply(personas.officer, call, "publish")
    assert call.published_at is not None


def test_a_call_whose_close_has_passed_is_not_published(personas):
    now = timezone.now()
    call = make_call(
        personas.officer,
        publish=False,
        opens_at=now - dt.timedelta(days=10),
        closes_at=now - dt.timedelta(minutes=1),
    )
    before, events = row(call), AuditEvent.objects.count()
    with pytest.raises(TransitionError) as refused:
        CALL_WORKFLOW.apply(personas.officer, call, "publish")
    assert refused.value.code == "guard_refused"
    assert row(call) == before
    assert AuditEvent.objects.count() == events


def test_cancelling_needs_a_reason_and_keeps_it(personas):
    call = call_in(personas, C.PUBLISHED)
    with pytest.raises(TransitionError) as refused:
        CALL_WORKFLOW.apply(personas.officer, call, "cancel", {"note": " "})
    assert refused.value.code == "note_required"
    call = CALL_WORKFLOW.apply(personas.officer, call, "cancel", {"note": NOTE})
    assert call.state_note == NOTE


def test_the_countys_officer_cannot_publish_the_citys_call(personas):
    call = make_call(
        personas.city_officer,
        program=make_program(personas.city_officer, level=Bureau.Level.MUNICIPAL),
        publish=False,
    )
    before = row(call)
    with pytest.raises(TransitionError) as refused:
        CALL_WORKFLOW.apply(personas.officer, call, "publish")
    assert refused.value.code == "forbidden"
    assert row(call) == before
    assert CALL_WORKFLOW.apply(personas.city_officer, call, "publish").state == C.PUBLISHED


def test_a_published_call_changes_only_its_guide_and_close_time(personas):
    call = call_in(personas, C.PUBLISHED)
    later = call.closes_at + dt.timedelta(days=5)
    with pytest.raises(ValidationError) as refused:
        services.update_call(
            personas.officer,
            call,
            {
                "budget_ceiling": Decimal("1"),
                "title": "改标题",
                "guide": "新指南",
                "closes_at": later,
            },
        )
    assert set(refused.value.message_dict) == {"budget_ceiling", "title"}
    services.update_call(personas.officer, call, {"guide": "新指南", "closes_at": later})
    call = Call.objects.get(pk=call.pk)
    assert (call.guide, call.closes_at) == ("新指南", later)
    assert call.budget_ceiling == Decimal("200000")
    assert call.title != "改标题"


# Candidates.
CANDIDATE_ACTIONS = ("mark_ready", "unready", "drop", "revive", "apply")
CANDIDATE_OFFICER_MAY = {
    K.WATCHING: {"mark_ready", "drop"},
    K.READY: {"unready", "drop"},
    K.DROPPED: {"revive"},
}
CANDIDATE_EXPECTED = {
    # The unit may give up its own candidate; the guiding officers move it through the pool.
    "applicant_a": {K.WATCHING: {"drop"}, K.READY: {"drop"}},
    "applicant_b": {},
    "officer": CANDIDATE_OFFICER_MAY,
    "neighbour_officer": {},
    "city_officer": CANDIDATE_OFFICER_MAY,
    "leader": {},
    "expert": {},
    "inspector": {},
}
CANDIDATE_TARGET = {
    "mark_ready": K.READY,
    "unready": K.WATCHING,
    "drop": K.DROPPED,
    "revive": K.WATCHING,
}
# "apply" is taken by keguan when an application starts from the candidate, never by a user.
AUTOMATIC_FROM = {K.WATCHING, K.READY}


def candidate_in(p, state: str, organization=None) -> Candidate:
    candidate = services.create_candidate(
        p.officer,
        organization or p.org_a,
        {
            "title": "富硒大米深加工",
            "field": "农产品加工",
            "summary": "利用本地富硒稻谷开发深加工产品。",
            "maturity": "developing",
            "target_level": Bureau.Level.COUNTY,
            "expected_funding": Decimal("100000"),
            "guiding_officer": p.officer,
        },
    )
    if state == K.WATCHING:
        return candidate
    if state == K.DROPPED:
        return CANDIDATE_WORKFLOW.apply(p.officer, candidate, "drop", {"note": "企业放弃"})
    candidate = CANDIDATE_WORKFLOW.apply(p.officer, candidate, "mark_ready")
    if state == K.READY:
        return candidate
    assert state == K.APPLIED
    services.start_application(p.applicant_a, make_call(p.officer), candidate=candidate)
    return Candidate.objects.get(pk=candidate.pk)


def test_the_candidate_tables_name_every_action():
    assert set(CANDIDATE_TARGET) | {"apply"} == set(CANDIDATE_ACTIONS)
    assert set(CANDIDATE_ACTIONS) == set(CANDIDATE_WORKFLOW.actions())


@pytest.mark.parametrize("state", K.values)
def test_each_persona_is_offered_exactly_the_candidate_actions_of_the_table(personas, state):
    candidate = candidate_in(personas, state)
    assert candidate.state == state
    got = {
        name: {
            t.action for t in CANDIDATE_WORKFLOW.allowed_actions(getattr(personas, name), candidate)
        }
        for name in PERSONAS
    }
    assert got == {name: set(CANDIDATE_EXPECTED[name].get(state, set())) for name in PERSONAS}


@pytest.mark.parametrize("state", K.values)
def test_every_candidate_move_outside_the_table_is_refused_and_changes_nothing(personas, state):
    candidate = candidate_in(personas, state)
    possible_here = set().union(*(CANDIDATE_EXPECTED[name].get(state, set()) for name in PERSONAS))
    before, events = row(candidate), AuditEvent.objects.count()
    for name in PERSONAS:
        for action in CANDIDATE_ACTIONS:
            if action in CANDIDATE_EXPECTED[name].get(state, set()):
                continue
            with pytest.raises(TransitionError) as refused:
                CANDIDATE_WORKFLOW.apply(getattr(personas, name), candidate, action, {"note": "x"})
            if action == "apply":
                expected = "unknown_action" if state in AUTOMATIC_FROM else "invalid_state"
            else:
                expected = "forbidden" if action in possible_here else "invalid_state"
            assert refused.value.code == expected, (name, action)
    assert row(candidate) == before
    assert AuditEvent.objects.count() == events


CANDIDATE_ALLOWED = sorted(
    (state, action, name)
    for name, table in CANDIDATE_EXPECTED.items()
    for state, actions in table.items()
    for action in actions
)


@pytest.mark.parametrize(("state", "action", "name"), CANDIDATE_ALLOWED)
def test_every_candidate_move_in_the_table_goes_through_with_one_audit_event(
    personas, state, action, name
):
    candidate = candidate_in(personas, state)
    moved = CANDIDATE_WORKFLOW.apply(
        getattr(personas, name), candidate, action, {"note": "企业暂缓申报"}
    )
    assert moved.state == CANDIDATE_TARGET[action]
    assert Candidate.objects.get(pk=candidate.pk).state == CANDIDATE_TARGET[action]
    event = AuditEvent.objects.filter(
        action=f"projects.candidate.{action}", object_id=str(candidate.pk)
    ).first()
    assert event.before == {"state": state}


def test_dropping_needs_a_reason(personas):
    candidate = candidate_in(personas, K.READY)
    with pytest.raises(TransitionError) as refused:
        CANDIDATE_WORKFLOW.apply(personas.applicant_a, candidate, "drop")
    assert refused.value.code == "note_required"
    assert Candidate.objects.get(pk=candidate.pk).state == K.READY


def test_starting_an_application_from_a_candidate_marks_it_applied_and_carries_its_data(
    personas,
):
    candidate = candidate_in(personas, K.READY)
    application = services.start_application(
        personas.applicant_a, make_call(personas.officer), candidate=candidate
    )
    assert (application.title, application.field) == (candidate.title, candidate.field)
    assert application.candidate == candidate
    assert Candidate.objects.get(pk=candidate.pk).state == K.APPLIED
    assert AuditEvent.objects.filter(
        action="projects.candidate.apply", object_id=str(candidate.pk)
    ).exists()


def test_another_units_candidate_cannot_be_applied_with(personas):
    candidate = candidate_in(personas, K.READY)
    with pytest.raises(ValidationError):
        services.start_application(
            personas.applicant_b, make_call(personas.officer), candidate=candidate
        )
    assert Candidate.objects.get(pk=candidate.pk).state == K.READY
