"""Conflict rules (回避): each rule excludes, and no draw ever holds a conflicted expert."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keguan.enterprises.services import create_cooperation
from keguan.projects.models import Application
from keguan.projects.services import replace_team, submit_application
from keguan.review import conflicts, services
from keguan.review.conflicts import ApplicationFacts, ExpertFacts
from keguan.review.draws import drawing_order
from keguan.review.models import Assignment, Draw
from tests.projects.factories import make_id_number
from tests.projects.states import application_in
from tests.review.factories import drawn_round, make_expert, make_pool

pytestmark = pytest.mark.django_db
A = Application.State


def excluded_rules(application, expert) -> set[str]:
    _eligible, excluded = conflicts.screen(
        application, type(expert).objects.filter(pk=expert.pk), timezone.localdate()
    )
    return {rule for item in excluded for rule in item["rules"]}


@pytest.fixture
def draft(personas):
    """Alice's draft, with a team: 王强 of her unit and 李明 of 江西农业大学."""
    application = application_in(personas, A.DRAFT)
    replace_team(
        personas.applicant_a,
        application,
        [
            {
                "name": "王强",
                "unit": application.organization.name,
                "role": "leader",
                "id_number": make_id_number(),
            },
            {
                "name": "李明",
                "unit": "江西农业大学",
                "role": "member",
                "id_number": make_id_number(),
            },
        ],
    )
    return application


def test_an_expert_of_the_applicants_unit_is_excluded(personas, draft):
    expert = make_expert(personas.officer, unit=draft.organization.name)
    assert "same_unit" in excluded_rules(draft, expert)


def test_an_expert_of_a_team_members_unit_or_one_of_its_colleges_is_excluded(personas, draft):
    expert = make_expert(personas.officer, unit="江西农业大学农学院")
    assert "same_unit" in excluded_rules(draft, expert)


def test_a_team_member_is_excluded_by_id_number(personas, draft):
    member = draft.team.get(name="李明")
    expert = make_expert(personas.officer, unit="另一所大学", id_number=member.id_number)
    assert "team_member" in excluded_rules(draft, expert)


def test_a_declared_relative_of_a_team_member_is_excluded(personas, draft):
    leader = draft.team.get(name="王强")
    expert = make_expert(
        personas.officer,
        unit="另一所大学",
        relations=[{"kind": "relative", "name": "王强", "id_number": leader.id_number}],
    )
    assert "relation" in excluded_rules(draft, expert)


def test_an_expert_who_advises_or_worked_for_the_applicant_is_excluded(personas, draft):
    advises = make_expert(
        personas.officer,
        unit="另一所大学",
        relations=[{"kind": "advised_unit", "name": draft.organization.name}],
    )
    worked = make_expert(
        personas.officer,
        unit="又一所大学",
        relations=[{"kind": "former_employer", "name": draft.organization.name}],
    )
    assert "relation" in excluded_rules(draft, advises)
    assert "relation" in excluded_rules(draft, worked)


def test_a_unit_or_an_expert_the_applicant_asked_to_avoid_is_excluded(personas, draft):
    services.replace_avoidances(
        personas.applicant_a,
        draft,
        [
            {"kind": "unit", "name": "竞争对手研究院", "reason": "同行竞争"},
            {"kind": "expert", "name": "赵六", "unit": "某大学", "reason": "学术分歧"},
        ],
    )
    unit = make_expert(personas.officer, unit="竞争对手研究院")
    person = make_expert(personas.officer, unit="某大学", name="赵六")
    namesake = make_expert(personas.officer, unit="别的大学", name="赵六")
    assert "avoidance" in excluded_rules(draft, unit)
    assert "avoidance" in excluded_rules(draft, person)
    assert "avoidance" not in excluded_rules(draft, namesake)


def test_a_cooperation_partner_within_three_years_is_excluded_and_an_older_one_is_not(
    personas, draft
):
    today = timezone.localdate()
    for partner, years in (("南昌大学", 1), ("清华大学", 5)):
        create_cooperation(
            personas.officer,
            {
                "organization": draft.organization,
                "partner_name": partner,
                "title": "技术合作",
                "signed_on": today - dt.timedelta(days=365 * years),
                "ends_on": today - dt.timedelta(days=365 * years - 30),
            },
        )
    recent = make_expert(personas.officer, unit="南昌大学")
    old = make_expert(personas.officer, unit="清华大学")
    assert "partner" in excluded_rules(draft, recent)
    assert "partner" not in excluded_rules(draft, old)


def test_a_unit_that_applied_with_the_applicant_within_three_years_is_excluded(personas, draft):
    """An earlier application of the same unit named 华东理工大学 in its team."""
    earlier = application_in(personas, A.DRAFT)
    replace_team(
        personas.applicant_a,
        earlier,
        [{"name": "钱七", "unit": "华东理工大学", "role": "leader", "id_number": make_id_number()}],
    )
    submit_application(personas.applicant_a, earlier)
    expert = make_expert(personas.officer, unit="华东理工大学")
    assert "co_applicant" in excluded_rules(draft, expert)


def test_an_expert_under_an_integrity_penalty_is_excluded(personas, draft):
    expert = make_expert(personas.officer, unit="另一所大学")
    today = timezone.localdate()
    services.record_expert_penalty(
        personas.officer,
        expert,
        {
            "reason": "评审中泄露申报材料",
            "starts_on": today,
            "ends_on": today + dt.timedelta(days=90),
        },
    )
    assert "penalty" in excluded_rules(draft, expert)


def test_an_expert_free_of_every_rule_is_eligible(personas, draft):
    expert = make_expert(personas.officer, unit="毫不相干的研究所")
    assert excluded_rules(draft, expert) == set()


# The property: whatever the facts, the drawn experts are free of conflict.
_units = st.sampled_from(["南昌大学", "南昌大学信息学院", "江西农业大学", "县农业局", "某公司", ""])
_ids = st.sampled_from(["A1", "A2", "A3", "B1", ""])
_names = st.sampled_from(["王强", "李明", "赵六", "钱七"])


@st.composite
def expert_facts(draw, pk):
    return ExpertFacts(
        id=pk,
        name=draw(_names),
        unit=conflicts.normalize_unit(draw(_units)),
        organization_id=draw(st.sampled_from([None, 1, 2])),
        id_number=draw(_ids),
        relations=draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["relative", "former_employer", "advised_unit"]),
                    _units.map(conflicts.normalize_unit),
                    _ids,
                ),
                max_size=2,
            )
        ),
        penalized=draw(st.booleans()),
    )


@st.composite
def application_facts(draw):
    units = st.sets(_units.map(conflicts.normalize_unit), max_size=3)
    return ApplicationFacts(
        organization_id=draw(st.sampled_from([1, 2])),
        units=draw(units),
        team_ids=draw(st.sets(_ids, max_size=3)),
        team_names=draw(st.sets(_names.map(conflicts.normalize_unit), max_size=3)),
        avoid_units=draw(units),
        avoid_experts=draw(st.lists(st.tuples(_names, _units), max_size=2)),
        partners=draw(units),
        co_applicants=draw(units),
        declared_conflicts=draw(st.sets(st.integers(1, 12), max_size=3)),
        declined=draw(st.sets(st.integers(1, 12), max_size=2)),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    app=application_facts(),
    experts=st.lists(st.integers(1, 12), min_size=1, max_size=12, unique=True).flatmap(
        lambda pks: st.tuples(*[expert_facts(pk) for pk in pks])
    ),
    seed=st.text(alphabet="0123456789abcdef", min_size=8, max_size=64),
    wanted=st.integers(1, 6),
)
def test_no_draw_ever_contains_a_conflicted_expert(app, experts, seed, wanted):
    pool = sorted(e.id for e in experts if not conflicts.conflicts(app, e))
    drawn = drawing_order(pool, seed)[:wanted]
    conflicted = {e.id for e in experts if conflicts.conflicts(app, e)}
    assert not conflicted & set(drawn)
    assert len(drawn) == min(wanted, len(pool))


def test_a_real_draw_holds_no_expert_the_rules_exclude(personas):
    application = application_in(personas, A.CHECKED)
    colleagues = [
        make_expert(personas.officer, unit=application.organization.name) for _ in range(3)
    ]
    make_pool(personas.officer, 6)
    round = drawn_round(personas.officer, [application])
    draw = Draw.objects.get(round=round, application=application)
    drawn = set(Assignment.objects.filter(draw=draw).values_list("expert_id", flat=True))
    assert not drawn & {e.pk for e in colleagues}
    assert {item["expert"] for item in draw.excluded} >= {e.pk for e in colleagues}
