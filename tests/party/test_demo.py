"""`keguan demo` loads the whole Party branch: members and dues, study, meetings, the
evaluation rounds and the affairs area, once; the printed accounts show their party roles.

The branch is loaded once for the module (the county's people only, not the projects)
inside a transaction rolled back at the end; each test runs in a savepoint.
"""

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from keguan.accounts.models import Bureau
from keguan.accounts.roles import Role
from keguan.audit.models import AuditEvent
from keguan.core import demo as core_demo
from keguan.party import demo as party_demo
from keguan.party.models import (
    BranchMeeting,
    EvaluationRound,
    Honour,
    Member,
    PairedVillage,
    StudyPlan,
)
from keguan.party.services.summary import yearly_summary

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo_branch(django_db_setup, django_db_blocker, tmp_path_factory):
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        DATA_DIR=tmp_path_factory.mktemp("data"),
    )
    with django_db_blocker.unblock(), fast, transaction.atomic():
        core_demo.load(projects=False)
        county = Bureau.objects.get(region_code=core_demo.COUNTY)
        yield party_demo.load_all(county, timezone.localdate())
        transaction.set_rollback(True)


def test_every_area_of_the_branch_is_filled(demo_branch):
    year = timezone.localdate().year
    assert Member.objects.active().filter(branch=demo_branch).count() >= 15
    assert set(StudyPlan.objects.filter(branch=demo_branch).values_list("year", flat=True)) == {
        year - 1,
        year,
    }
    assert BranchMeeting.objects.filter(branch=demo_branch, held_on__year=year - 1).exists()
    states = set(EvaluationRound.objects.filter(branch=demo_branch).values_list("state", flat=True))
    assert EvaluationRound.State.FINISHED in states and EvaluationRound.State.OPEN in states
    assert Honour.objects.exists() and PairedVillage.objects.exists()


def test_last_years_summary_has_something_in_every_section(demo_branch):
    summary = yearly_summary(demo_branch, timezone.localdate().year - 1)
    assert summary.members.active >= 15
    assert summary.study.has_plan and summary.study.total_hours > 0
    assert summary.meetings_covered > 0 and summary.meetings_missed >= 1
    assert summary.evaluation.finished and sum(g.count for g in summary.evaluation.grades) > 0
    assert summary.dues.declared > 0


def test_loading_the_branch_again_adds_nothing(demo_branch):
    events = AuditEvent.objects.count()
    again = party_demo.load_all(demo_branch.bureau, timezone.localdate())
    assert again == demo_branch
    assert AuditEvent.objects.count() == events


def test_the_demo_loads_the_branch_and_lists_its_accounts_with_their_party_roles(
    demo_branch, monkeypatch
):
    """The whole `keguan demo` load calls the party's; the other areas are skipped here
    (their own demo tests load them)."""
    from keguan.portal import demo as portal_demo
    from keguan.projects import demo as projects_demo
    from keguan.review import demo as review_demo

    monkeypatch.setattr(projects_demo, "load", lambda *args, **kwargs: [])
    monkeypatch.setattr(review_demo, "load", lambda *args, **kwargs: [])
    monkeypatch.setattr(portal_demo, "load", lambda *args, **kwargs: None)
    called = []
    load_all = party_demo.load_all
    monkeypatch.setattr(
        party_demo, "load_all", lambda *args: called.append(args) or load_all(*args)
    )

    accounts = {account.username: account.roles for account in core_demo.load()}
    assert called and called[0][0] == demo_branch.bureau
    assert Role.PARTY_SECRETARY in accounts["leader"]
    # The planning section chief's account was given the member role by the party demo.
    assert accounts["officer"][0] == Role.OFFICER and Role.PARTY_MEMBER in accounts["officer"]
    assert accounts["inspector"] == (Role.INSPECTOR,)
