"""The demo county's projects: the seed's counts for 2006–2011, a living current year, a
second load that adds nothing, and an audit chain that verifies.

The demo is loaded once for the module (it creates its own bureaus, so the personas are
not used) inside a transaction rolled back at the end; each test runs in a savepoint.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.test import override_settings
from django.utils import timezone

from keguan.accounts.models import Bureau, Organization, User
from keguan.audit.chain import verify
from keguan.audit.models import AuditEvent
from keguan.core import demo
from keguan.funds import services as funds
from keguan.funds.models import Allocation, Disbursement, Fund
from keguan.projects import permissions as can
from keguan.projects import services
from keguan.projects.models import (
    Application,
    Call,
    Candidate,
    FollowUp,
    IntegrityPenalty,
    Milestone,
    Program,
    ProgressReport,
    Project,
    TeamMember,
)
from keguan.projects.workflow import CALL_WORKFLOW

pytestmark = pytest.mark.django_db

L = Bureau.Level
HISTORY = (2006, 2011)
HIGHER = (L.NATIONAL, L.PROVINCIAL, L.MUNICIPAL)


@pytest.fixture(scope="module", autouse=True)
def demo_county(django_db_setup, django_db_blocker):
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        accounts = demo.load()
        yield accounts
        transaction.set_rollback(True)


def county() -> Bureau:
    return Bureau.objects.get(region_code="361127")


def history_projects():
    return Project.objects.filter(bureau=county(), year__range=HISTORY)


def this_year() -> int:
    return timezone.localdate().year


def test_the_seed_counts_seven_national_and_sixty_one_provincial_and_municipal_projects():
    """国家级科技项目7项,省市级科技项目61项 (2006 to 2011)."""
    projects = history_projects()
    assert projects.filter(level=L.NATIONAL).count() == 7
    assert projects.filter(level__in=(L.PROVINCIAL, L.MUNICIPAL)).count() == 61
    by_program = {
        name: projects.filter(application__call__program__name=name).count()
        for name in (
            "农业科技成果转化资金",
            "科技型中小企业技术创新基金",
            "科技创新基金服务平台建设",
            "星火计划",
            "科技富民强县专项行动计划",
        )
    }
    assert by_program == {
        "农业科技成果转化资金": 2,
        "科技型中小企业技术创新基金": 2,
        "科技创新基金服务平台建设": 1,
        "星火计划": 2,
        "科技富民强县专项行动计划": 1,
    }
    assert Program.objects.get(name="科技富民强县专项行动计划").level == L.PROVINCIAL
    assert set(projects.values_list("year", flat=True)) == set(range(2006, 2012))


def test_more_than_five_million_yuan_came_from_municipal_level_and_above():
    """为县有关单位及企业累计争取市以上无偿科技经费扶助500多万元."""
    obtained = Application.objects.filter(
        bureau=county(),
        state=Application.State.APPROVED,
        call__year__range=HISTORY,
        call__program__level__in=HIGHER,
    ).aggregate(total=Sum("granted_amount"))["total"]
    assert Decimal("5000000") < obtained < Decimal("6000000")
    assert obtained == Decimal("5270000")


def test_higher_applications_went_through_the_recommendation_with_a_letter():
    recommended = Application.objects.filter(
        call__year__range=HISTORY, call__program__level__in=HIGHER
    )
    assert recommended.filter(state=Application.State.REJECTED).exists()
    for application in recommended:
        assert application.recommendation_letter
        assert application.recommended_at is not None


def test_historical_calls_have_their_windows_in_their_years_and_say_they_were_imported():
    calls = Call.objects.filter(bureau=county(), year__range=HISTORY)
    assert calls.count() > 30
    for call in calls:
        assert call.opens_at.year == call.closes_at.year == call.year
        assert call.published_at == call.opens_at
    imported = AuditEvent.objects.filter(action="projects.call.import_history")
    assert set(imported.values_list("object_id", flat=True)) >= {str(c.pk) for c in calls}


def test_the_science_budget_grows_from_160000_to_650000_yuan_and_pays_county_projects():
    budget = dict(
        Fund.objects.filter(
            bureau=county(), kind=Fund.Kind.SCIENCE_BUDGET, year__range=HISTORY
        ).values_list("year", "amount")
    )
    assert budget[2006] == Decimal("160000") and budget[2011] == Decimal("650000")
    assert [budget[y] for y in sorted(budget)] == sorted(budget.values())
    kinds = set(Fund.objects.filter(year__range=HISTORY).values_list("kind", flat=True))
    assert {Fund.Kind.SME_INNOVATION, Fund.Kind.PATENT_COMPENSATION} <= kinds
    for fund in funds.with_totals(Fund.objects.filter(year__range=HISTORY)):
        assert fund.allocated <= fund.amount
    county_projects = history_projects().filter(level=L.COUNTY)
    assert county_projects.count() == 44
    for project in county_projects:
        paid = project.disbursements.aggregate(total=Sum("amount"))["total"]
        assert paid == project.approved_amount
        allocation = project.application.allocations.get()
        assert allocation.state == Allocation.State.COMMITTED
        assert allocation.fund.year == project.year


def test_every_application_state_is_present_this_year():
    """All but DECIDED: a released meeting moves an approval straight on to public notice
    (or approval), so no application rests in between."""
    states = set(Application.objects.filter(call__year=this_year()).values_list("state", flat=True))
    assert states == set(Application.State.values) - {Application.State.DECIDED}
    returned = Application.objects.get(call__year=this_year(), state=Application.State.RETURNED)
    assert returned.state_note
    reviewed = Application.objects.get(call__year=this_year(), state=Application.State.REVIEWED)
    assert reviewed.review_score is not None


def test_one_county_call_and_one_higher_call_are_open_now():
    open_calls = Call.objects.open_at().filter(bureau=county())
    county_calls = [c for c in open_calls if c.program.level == L.COUNTY]
    higher_calls = [c for c in open_calls if c.program.level != L.COUNTY]
    assert len(county_calls) == 1 and len(higher_calls) == 1
    closes_in = county_calls[0].closes_at - timezone.now()
    assert dt.timedelta(days=19) < closes_in < dt.timedelta(days=23)


def test_the_switchgear_applicant_sees_several_of_its_applications_this_year():
    applicant = User.objects.get(username="applicant_switchgear")
    mine = can.visible_applications(applicant).filter(call__year=this_year())
    assert mine.count() >= 3
    assert len(set(mine.values_list("state", flat=True))) >= 3
    assert set(mine.values_list("organization__name", flat=True)) == {"县电器开关厂"}


def test_projects_are_at_every_stage_with_money_paid_reports_and_an_overdue_milestone():
    projects = Project.objects.filter(bureau=county())
    assert set(projects.values_list("state", flat=True)) == set(Project.State.values)
    for state in Project.OPEN_STATES + (Project.State.PASSED, Project.State.FAILED):
        if state != Project.State.CONTRACTING:
            live = projects.filter(state=state, year__gte=this_year() - 3)
            assert Disbursement.objects.filter(project__in=live).exists(), state
    under_way = projects.filter(state=Project.State.UNDER_WAY)
    assert ProgressReport.objects.filter(project__in=under_way).exists()
    overdue = services.due_milestones(under_way, within_days=0).filter(
        due_on__lt=timezone.localdate(), kind=Milestone.Kind.PROGRESS_REPORT
    )
    assert overdue.exists()


def test_the_reserve_pool_has_candidates_in_every_state_guided_by_the_officer():
    candidates = Candidate.objects.filter(bureau=county())
    assert set(candidates.values_list("state", flat=True)) == set(Candidate.State.values)
    officer = User.objects.get(username="officer")
    assert all(c.guiding_officer_id == officer.pk for c in candidates)
    assert FollowUp.objects.filter(candidate__in=candidates).count() >= candidates.count()
    applied = candidates.filter(state=Candidate.State.APPLIED)
    assert all(c.applications.exists() for c in applied)


def test_team_members_carry_valid_resident_id_numbers():
    members = TeamMember.objects.all()
    assert members.count() > 300
    for number in set(members.values_list("id_number", flat=True)):
        assert services.validate_id_number(number, "id_number") == number


def test_one_integrity_penalty_bars_the_unit_whose_project_failed():
    penalty = IntegrityPenalty.objects.get(organization__isnull=False)  # the other: an expert
    failed = Project.objects.get(state=Project.State.FAILED)
    assert penalty.organization == failed.organization
    assert penalty.starts_on <= timezone.localdate() <= penalty.ends_on
    assert not Application.objects.filter(
        organization=failed.organization, call__year=this_year()
    ).exists()


def test_organizations_of_the_county_have_a_township():
    units = Organization.objects.filter(bureau=county())
    assert units.count() >= 14
    assert not units.filter(township="").exists()


def test_a_second_load_adds_nothing():
    models = (
        Organization,
        User,
        Program,
        Call,
        Candidate,
        FollowUp,
        Application,
        TeamMember,
        Project,
        Milestone,
        ProgressReport,
        Fund,
        Allocation,
        Disbursement,
        IntegrityPenalty,
        AuditEvent,
    )
    before = {m.__name__: m.objects.count() for m in models}
    demo.load()
    assert {m.__name__: m.objects.count() for m in models} == before


def test_the_audit_chain_of_the_demo_verifies():
    result = verify()
    assert result.ok, result.problem
    assert result.count > 2000


def _draft_call(officer, **extra) -> Call:
    now = timezone.now()
    data = {
        "program": Program.objects.get(name="余干县科技计划"),
        "year": 2005,
        "title": "2005年度科技计划项目申报指南",
        "opens_at": now - dt.timedelta(days=1),
        "closes_at": now + dt.timedelta(days=1),
        "budget_ceiling": Decimal("100000"),
    }
    data.update(extra)
    return services.create_call(officer, data)


def test_backdating_an_imported_call_records_its_own_event():
    officer = User.objects.get(username="officer")
    call = CALL_WORKFLOW.apply(officer, _draft_call(officer), "publish")
    opens = timezone.make_aware(dt.datetime(2005, 3, 1, 9))
    closes = timezone.make_aware(dt.datetime(2005, 4, 15, 17))
    call = services.backdate_call_for_import(officer, call, opens, closes)
    call.refresh_from_db()
    assert (call.opens_at, call.closes_at, call.published_at) == (opens, closes, opens)
    event = AuditEvent.objects.filter(action="projects.call.import_history").order_by("-seq")[0]
    assert event.object_id == str(call.pk)
    assert event.after["closes_at"].startswith("2005-04-15")
    assert event.before["closes_at"] != event.after["closes_at"]


def test_backdating_is_refused_for_a_draft_a_future_window_or_an_applicant():
    officer = User.objects.get(username="officer")
    applicant = User.objects.get(username="applicant_switchgear")
    past = timezone.make_aware(dt.datetime(2005, 3, 1, 9))
    draft = _draft_call(officer)
    with pytest.raises(ValidationError):
        services.backdate_call_for_import(officer, draft, past, past + dt.timedelta(days=30))
    published = CALL_WORKFLOW.apply(officer, _draft_call(officer), "publish")
    window = (published.opens_at, published.closes_at)
    with pytest.raises(ValidationError):
        services.backdate_call_for_import(
            officer, published, past, timezone.now() + dt.timedelta(days=1)
        )
    with pytest.raises(ValidationError):
        services.backdate_call_for_import(applicant, published, past, past + dt.timedelta(days=1))
    published.refresh_from_db()
    assert (published.opens_at, published.closes_at) == window


def test_an_imported_rounds_applications_carry_their_historical_moments():
    """A 2008 application reads as submitted and decided in 2008, not on the import day."""
    approved = Application.objects.filter(call__year=2008, state=Application.State.APPROVED)
    assert approved.exists()
    for application in approved:
        assert application.submitted_at.year == 2008
        assert application.decided_at is not None and application.decided_at.year == 2008
        signed = getattr(application, "project", None) and application.project.task_book_signed_at
        assert not signed or signed.year == 2008


def test_the_demo_trail_names_who_did_what():
    """Loaded outside any request, the events still name the officer or the unit."""
    starts = AuditEvent.objects.filter(action="projects.application.create")
    assert starts.exists()
    assert not starts.filter(actor_username="system").exists()
    assert starts.filter(actor_username__startswith="applicant_").exists()
    calls = AuditEvent.objects.filter(action="projects.call.create")
    assert set(calls.values_list("actor_username", flat=True)) == {"officer"}
