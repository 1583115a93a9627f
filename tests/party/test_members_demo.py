"""The demo branch: the seed's secretary and committee member, about fifteen members,
twelve months of dues with some unpaid, and a second load that adds nothing."""

import pytest
from django.utils import timezone

from keguan.accounts.models import Bureau, User
from keguan.audit.models import AuditEvent
from keguan.core import demo as core_demo
from keguan.party import demo
from keguan.party import permissions as can
from keguan.party.models import CommitteeSeat, DuesRecord, Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch():
    core_demo.load(projects=False)
    return demo.load(Bureau.objects.get(region_code=core_demo.COUNTY), timezone.localdate())


def test_the_director_is_the_secretary_and_the_planning_chief_sits_on_the_committee(branch):
    seats = {s.duty: s.member for s in CommitteeSeat.objects.filter(branch=branch)}
    assert seats["secretary"].post == "局长"
    assert seats["secretary"].user == User.objects.get(username="leader")
    chief = Member.objects.get(branch=branch, name="刘先来")
    assert CommitteeSeat.objects.filter(member=chief, duty="member").exists()
    assert chief.user == User.objects.get(username="officer")


def test_the_branch_has_about_fifteen_members_and_each_kind_of_state(branch):
    active = Member.objects.active().filter(branch=branch)
    assert 14 <= active.count() <= 18
    assert active.filter(kind=Member.Kind.PROBATIONARY).count() == 1
    assert Member.objects.filter(branch=branch, state=Member.State.TRANSFERRED).count() == 1
    assert branch.groups.count() == 2
    admitted = Member.objects.get(name="郭志远")
    assert admitted.kind == Member.Kind.FULL and admitted.full_decision


def test_the_demo_accounts_enter_the_party_pages(branch):
    for username in ("leader", "secretary", "member", "officer", "inspector"):
        assert can.can_enter_party(User.objects.get(username=username)), username
    own = can.member_of(User.objects.get(username="member"))
    assert own is not None and own.branch == branch


def test_twelve_months_of_dues_with_some_unpaid(branch):
    months = list(DuesRecord.objects.filter(member__branch=branch).dates("month", "month"))
    assert len(months) == 12
    unpaid = DuesRecord.objects.filter(member__branch=branch, paid_on__isnull=True)
    assert 0 < unpaid.count() < 10
    assert {r.month for r in unpaid} <= set(months[-2:])


def test_loading_twice_adds_nothing(branch):
    events = AuditEvent.objects.count()
    demo.load(branch.bureau, timezone.localdate())
    assert AuditEvent.objects.count() == events
