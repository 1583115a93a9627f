"""The demo's expert review: a pool of about sixty whose relations cause exclusions, a
finished round and one under review, every county decision taken by a released meeting,
draws that verify, and a second load that adds nothing.

The demo is loaded once for the module inside a transaction rolled back at the end (as in
tests/projects/test_demo.py); each test runs in a savepoint.
"""

from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings

from keguan.accounts.models import Bureau, User
from keguan.accounts.roles import Role
from keguan.audit.models import AuditEvent
from keguan.core import demo
from keguan.enterprises.models import Cooperation
from keguan.projects.models import Application, IntegrityPenalty
from keguan.projects.services import validate_id_number
from keguan.review import services
from keguan.review.models import (
    ApproachReport,
    Assignment,
    Decision,
    Draw,
    Expert,
    ExpertField,
    Meeting,
    Relation,
    Round,
    Score,
)
from keguan.review.models.experts import MAX_KEYWORDS
from keguan.review.permissions import leadership_group

pytestmark = pytest.mark.django_db

A = Application.State
S = Assignment.State
SEED_PARTNERS = {"中国林业科学研究院", "华东理工大学", "南昌大学", "清华大学"}


@pytest.fixture(scope="module", autouse=True)
def demo_accounts(django_db_setup, django_db_blocker):
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        accounts = demo.load()
        yield accounts
        transaction.set_rollback(True)


def county() -> Bureau:
    return Bureau.objects.get(region_code="361127")


def test_the_pool_holds_about_sixty_experts_of_the_seeds_partners_and_the_county():
    experts = Expert.objects.filter(bureau=county())
    assert 55 <= experts.count() <= 65
    units = set(experts.values_list("unit", flat=True))
    assert units >= SEED_PARTNERS
    assert any(unit.startswith("县") for unit in units)
    assert {"教授", "研究员", "高级农艺师", "高级工程师"} <= set(
        experts.values_list("title", flat=True)
    )
    for expert in experts.select_related("user"):
        assert expert.user.has_role(Role.EXPERT) and expert.user.is_active
        assert validate_id_number(expert.id_number, "id_number") == expert.id_number
    fields = ExpertField.objects.filter(expert__in=experts)
    assert set(fields.values_list("expert", flat=True)) == set(experts.values_list("pk", flat=True))
    assert all(1 <= len(f.keywords) <= MAX_KEYWORDS for f in fields)


def test_declared_relations_agreements_and_a_penalty_are_on_record():
    kinds = set(Relation.objects.values_list("kind", flat=True))
    assert kinds == set(Relation.Kind.values)
    relative = Relation.objects.get(kind=Relation.Kind.RELATIVE)
    assert relative.id_number  # recognised in a team by the ID number
    assert Cooperation.objects.filter(organization__bureau=county()).count() >= 2
    ids = Expert.objects.values_list("id_number", flat=True)
    assert IntegrityPenalty.objects.filter(id_number__in=ids).count() == 1


def test_the_draws_exclude_experts_and_say_which_rule():
    rules = set()
    for draw in Draw.objects.all():
        for item in draw.excluded:
            rules.update(item["rules"])
    assert Draw.objects.exclude(excluded=[]).exists()
    assert {"same_unit", "team_member", "relation", "partner", "penalty"} <= rules
    penalized = Expert.objects.get(
        id_number__in=IntegrityPenalty.objects.values("id_number"), bureau=county()
    )
    assert not Assignment.objects.filter(expert=penalized).exists()


def test_a_finished_round_scored_its_applications_and_a_meeting_decided_them():
    round = Round.objects.get(state=Round.State.CLOSED)
    entries = list(round.entries.select_related("application"))
    assert len(entries) >= 3
    for entry in entries:
        submitted = Assignment.objects.filter(
            round=round, application=entry.application, state=S.SUBMITTED
        )
        assert submitted.count() == round.experts_per_application
        assert all(a.comment and a.recommendation and a.pledged_at for a in submitted)
        assert entry.score is not None and entry.application.review_score == entry.score
    assert not Assignment.objects.filter(round=round, state__in=(S.INVITED, S.REVIEWING)).exists()
    meeting = Meeting.objects.get(rounds=round)
    assert meeting.state == Meeting.State.RELEASED
    decided = set(meeting.decisions.values_list("application", flat=True))
    assert decided == {entry.application_id for entry in entries}
    assert set(meeting.decisions.values_list("outcome", flat=True)) == {
        Decision.Outcome.APPROVE,
        Decision.Outcome.REJECT,
        Decision.Outcome.DEFER,
    }


def test_a_round_is_under_review_with_a_conflict_drafts_sheets_and_an_approach():
    round = Round.objects.get(state=Round.State.REVIEWING)
    states = set(Assignment.objects.filter(round=round).values_list("state", flat=True))
    assert {S.CONFLICT, S.INVITED, S.REVIEWING, S.SUBMITTED, S.RESERVE} <= states
    conflicted = Assignment.objects.get(round=round, state=S.CONFLICT)
    called = Assignment.objects.get(replaces=conflicted)
    assert called.state == S.INVITED and called.application_id == conflicted.application_id
    drafts = Assignment.objects.filter(round=round, state=S.REVIEWING)
    assert Score.objects.filter(assignment__in=drafts).exists()
    assert ApproachReport.objects.filter(assignment__round=round).count() == 1
    assert round.entries.get().application.state == A.CHECKED
    for application_id in round.entries.values_list("application", flat=True):
        live = Assignment.objects.filter(
            round=round, application_id=application_id, state__in=Assignment.LIVE_STATES
        )
        assert live.count() == round.experts_per_application


def test_every_county_decision_in_the_demo_comes_from_a_released_meeting():
    decided = Application.objects.filter(
        bureau=county(),
        call__program__level=Bureau.Level.COUNTY,
        state__in=(A.DECIDED, A.IN_NOTICE, A.APPROVED, A.REJECTED),
    )
    assert decided.count() > 40
    released = Decision.objects.filter(meeting__state=Meeting.State.RELEASED).exclude(
        outcome=Decision.Outcome.DEFER
    )
    assert not decided.exclude(pk__in=released.values("application")).exists()
    leaders = set(leadership_group(county()).values_list("pk", flat=True))
    for meeting in Meeting.objects.filter(bureau=county()):
        present = set(meeting.attendance.values_list("user", flat=True))
        assert present == leaders
        assert meeting.minutes


def test_every_round_of_the_demo_verifies():
    rounds = Round.objects.all()
    assert rounds.count() >= 2
    for round in rounds:
        assert services.verify_round(round) == []


def test_the_printed_accounts_include_an_expert_with_a_sheet_in_progress(demo_accounts):
    experts = [a for a in demo_accounts if Role.EXPERT in a.roles and a.username.startswith("zj")]
    assert len(experts) == 1
    user = User.objects.get(username=experts[0].username)
    assert Assignment.objects.filter(expert__user=user, state=S.REVIEWING).exists()


def test_a_second_load_adds_nothing(demo_accounts):
    models = (
        User,
        Expert,
        ExpertField,
        Relation,
        Cooperation,
        IntegrityPenalty,
        Round,
        Draw,
        Assignment,
        Score,
        ApproachReport,
        Meeting,
        Decision,
        AuditEvent,
    )
    before = {m.__name__: m.objects.count() for m in models}
    again = demo.load()
    assert {m.__name__: m.objects.count() for m in models} == before
    assert [a.username for a in again] == [a.username for a in demo_accounts]


def test_scores_recorded_by_the_closed_round_are_trimmed_means_of_five_sheets():
    round = Round.objects.get(state=Round.State.CLOSED)
    for entry in round.entries.all():
        totals = sorted(
            Assignment.objects.filter(
                round=round, application=entry.application_id, state=S.SUBMITTED
            ).values_list("total", flat=True)
        )
        assert entry.score == (sum(totals[1:-1]) / Decimal(3)).quantize(Decimal("0.01"))
