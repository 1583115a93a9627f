"""The branch's yearly summary: members at the year's end, study hours against the plan,
meetings held against required, final grades counted (never a ballot), dues; its page,
export and API, and a query count that does not grow with the branch."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keguan.audit.models import AuditEvent
from keguan.core.export import XLSX
from keguan.party.models import Grade, MeetingKind, Member
from keguan.party.services import dues as dues_services
from keguan.party.services import evaluation as evaluation_services
from keguan.party.services import study as study_services
from keguan.party.services.summary import yearly_summary
from keguan.party.workflow_evaluation import ROUND_WORKFLOW
from keguan.party.workflow_members import MEMBER_WORKFLOW
from tests.api.projects.helpers import get
from tests.factories import sign_in
from tests.party.evaluation_factories import branch_with_voters, open_round, vote
from tests.party.factories import make_member, party_personas
from tests.party.meetings_factories import make_meeting

pytestmark = pytest.mark.django_db
YEAR = 2011


@pytest.fixture
def party(personas):
    branch, pat, sam = party_personas(personas)
    return personas, branch, pat, sam


def make_session(branch, day, hours="2"):
    return study_services.create_session(
        None,
        branch,
        {
            "kind": "collective",
            "topic": "深入学习实践科学发展观",
            "date": day,
            "starts_at": dt.time(14, 30),
            "ends_at": dt.time(16, 30),
            "hours": Decimal(hours),
        },
    )


def attend(session, *members):
    for member in members:
        later = session.end + dt.timedelta(days=1)
        study_services.sign_in_member(None, session, member, "补登", now=later)


def fill_year(personas, branch, members):
    """A plan, a session every member attended, an assembly, and dues for every member."""
    study_services.create_plan(
        None, branch, {"year": YEAR, "required_hours": Decimal("4"), "topics": []}
    )
    attend(make_session(branch, dt.date(YEAR, 3, 10)), *members)
    make_meeting(personas.party_secretary, branch, held_on=dt.date(YEAR, 2, 20), present=2)
    for member in members:
        dues_services.declare_income(None, member, f"{YEAR}-03", "4000")


def test_members_are_counted_as_they_stood_on_the_last_day_of_the_year(party):
    personas, branch, pat, sam = party
    secretary = personas.party_secretary
    make_member(branch, "钱一", kind=Member.Kind.PROBATIONARY, joined_on=dt.date(YEAR, 3, 1))
    later_full = make_member(
        branch, "孙二", kind=Member.Kind.PROBATIONARY, joined_on=dt.date(YEAR, 5, 1)
    )
    MEMBER_WORKFLOW.apply(
        secretary,
        later_full,
        "become_full",
        {"note": "支部大会通过", "on": dt.date(YEAR + 1, 5, 1)},
    )
    gone = make_member(branch, "李三")
    MEMBER_WORKFLOW.apply(
        secretary, gone, "transfer_out", {"destination": "县农业局", "on": dt.date(YEAR, 6, 1)}
    )
    left_later = make_member(branch, "周四")
    MEMBER_WORKFLOW.apply(
        secretary,
        left_later,
        "transfer_out",
        {"destination": "县水务局", "on": dt.date(YEAR + 1, 2, 1)},
    )
    died = make_member(branch, "吴五")
    MEMBER_WORKFLOW.apply(secretary, died, "record_death", {"on": dt.date(YEAR, 8, 1)})
    make_member(branch, "郑六", joined_on=dt.date(YEAR + 1, 7, 1))

    counts = yearly_summary(branch, YEAR).members
    # pat, sam, 钱一, 孙二 (still probationary then), 周四 (left the next year).
    assert (counts.active, counts.full, counts.probationary) == (5, 3, 2)
    assert (counts.transferred_out, counts.deceased) == (1, 1)
    following = yearly_summary(branch, YEAR + 1).members
    assert (following.active, following.full, following.probationary) == (5, 4, 1)
    assert (following.transferred_out, following.deceased) == (1, 0)


def test_study_hours_are_summed_and_members_below_the_plan_named(party):
    _personas, branch, pat, sam = party
    study_services.create_plan(
        None, branch, {"year": YEAR, "required_hours": Decimal("4"), "topics": []}
    )
    attend(make_session(branch, dt.date(YEAR, 3, 10), "3"), pat, sam)
    attend(make_session(branch, dt.date(YEAR, 4, 10), "2"), pat)
    attend(make_session(branch, dt.date(YEAR - 1, 4, 10), "9"), sam)  # another year
    make_member(branch, "郑六", joined_on=dt.date(YEAR + 1, 7, 1))  # not yet a member then

    study = yearly_summary(branch, YEAR).study
    assert study.has_plan and study.required_hours == Decimal("4")
    assert (study.members, study.total_hours, study.average_hours) == (2, 8, Decimal("4.0"))
    assert study.below_plan == [sam.name]
    assert yearly_summary(branch, YEAR + 1).study.below_plan == []  # no plan, no "below"


def test_meetings_held_are_set_against_the_periods_that_require_one(party):
    personas, branch, _pat, _sam = party
    make_meeting(personas.party_secretary, branch, held_on=dt.date(YEAR, 2, 20), present=2)
    make_meeting(personas.party_secretary, branch, held_on=dt.date(YEAR, 3, 20), present=2)
    make_meeting(
        personas.party_secretary, branch, MeetingKind.COMMITTEE, held_on=dt.date(YEAR, 7, 2)
    )

    summary = yearly_summary(branch, YEAR)
    rows = {row.kind: row for row in summary.meetings}
    assert set(rows) == set(MeetingKind.values)
    assembly = rows[MeetingKind.ASSEMBLY]
    assert (assembly.required, assembly.held, assembly.covered, assembly.missed) == (4, 2, 1, 3)
    committee = rows[MeetingKind.COMMITTEE]
    assert (committee.required, committee.covered, committee.missed) == (12, 1, 11)
    assert summary.meetings_required == sum(row.required for row in summary.meetings)
    assert summary.meetings_covered == 2


def test_the_evaluation_gives_final_grade_counts_only_once_the_round_is_finished(personas):
    branch, members = branch_with_voters(personas, extra=2)
    round = open_round(personas, branch, year=YEAR)
    for member in members:
        vote(round, member)
    assert yearly_summary(branch, YEAR).evaluation.grades == []  # open: nothing counted
    round = ROUND_WORKFLOW.apply(personas.party_secretary, round, "close")
    grades = {members[0].pk: (Grade.EXCELLENT, "学习积极")}
    grades |= {m.pk: (Grade.COMPETENT, "履行党员义务") for m in members[1:]}
    evaluation_services.set_final_grades(personas.party_secretary, round, grades)
    closed = yearly_summary(branch, YEAR).evaluation
    assert not closed.finished and closed.grades == []
    ROUND_WORKFLOW.apply(personas.party_secretary, round, "finish")

    evaluation = yearly_summary(branch, YEAR).evaluation
    assert evaluation.finished and evaluation.participants == 4
    assert {g.grade: g.count for g in evaluation.grades} == {
        Grade.EXCELLENT: 1,
        Grade.COMPETENT: 3,
        Grade.BASIC: 0,
        Grade.INCOMPETENT: 0,
    }
    assert yearly_summary(branch, YEAR + 1).evaluation.round_id is None


def test_dues_of_the_year_are_summed_declared_paid_and_unpaid(party):
    _personas, branch, pat, sam = party
    march = dues_services.declare_income(None, pat, f"{YEAR}-03", "4000")  # 40.00
    dues_services.declare_income(None, sam, f"{YEAR}-03", "12000")  # 240.00
    dues_services.declare_income(None, pat, f"{YEAR + 1}-01", "4000")  # another year
    dues_services.mark_paid(None, march, dt.date(YEAR, 4, 1))

    dues = yearly_summary(branch, YEAR).dues
    assert (dues.declared, dues.paid, dues.unpaid) == (
        Decimal("280.00"),
        Decimal("40.00"),
        Decimal("240.00"),
    )
    assert (dues.records, dues.unpaid_records) == (2, 1)


def test_the_summary_costs_the_same_queries_for_a_small_and_a_large_branch(party):
    personas, branch, pat, sam = party
    fill_year(personas, branch, [pat, sam])
    with CaptureQueriesContext(connection) as small:
        yearly_summary(branch, YEAR)
    more = [make_member(branch, f"党员{i:02d}") for i in range(12)]
    attend(make_session(branch, dt.date(YEAR, 5, 10)), pat, sam, *more)
    for member in more:
        dues_services.declare_income(None, member, f"{YEAR}-03", "6000")
    with CaptureQueriesContext(connection) as large:
        summary = yearly_summary(branch, YEAR)
    assert summary.members.active == 14
    assert len(large.captured_queries) == len(small.captured_queries) <= 8


# The page, the export and the API.
def test_the_secretary_and_the_inspector_read_the_summary_and_members_do_not(client, party):
    personas, branch, pat, sam = party
    fill_year(personas, branch, [pat, sam])
    url = reverse("party:summary", kwargs={"year": YEAR})
    for user in (personas.party_secretary, personas.inspector):
        sign_in(client, user)
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["summary"].study.total_hours == Decimal("4")
    for user in (personas.party_member, personas.officer, personas.applicant_a):
        sign_in(client, user)
        assert client.get(url).status_code == 404


def test_the_summary_address_without_a_year_opens_the_current_year(client, party):
    personas, *_rest = party
    sign_in(client, personas.party_secretary)
    response = client.get(reverse("party:summary_index"))
    year = timezone.localdate().year
    assert response.status_code == 302
    assert response.url == reverse("party:summary", kwargs={"year": year})
    assert client.get(reverse("party:summary", kwargs={"year": year + 1})).status_code == 404


def test_the_export_is_a_workbook_and_is_audited(client, party):
    personas, branch, pat, sam = party
    fill_year(personas, branch, [pat, sam])
    sign_in(client, personas.inspector)
    response = client.get(reverse("party:summary_export", kwargs={"year": YEAR}))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    event = AuditEvent.objects.get(action="party.summary.export")
    assert event.actor_username == "ian" and event.object_id == str(branch.pk)


def test_the_api_gives_the_summary_to_the_secretary_and_refuses_a_member(client, party):
    personas, branch, pat, sam = party
    fill_year(personas, branch, [pat, sam])
    response = get(client, f"/party/summary?year={YEAR}", personas.party_secretary)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["branch_id"] == branch.pk and body["members"]["active"] == 2
    assert Decimal(body["dues"]["declared"]) == Decimal("80.00")
    assert {row["kind"] for row in body["meetings"]} == set(MeetingKind.values)
    assert "ballot" not in response.content.decode()
    assert get(client, "/party/summary", personas.party_member).status_code == 403
    assert get(client, f"/party/summary?year={YEAR - 30}", personas.inspector).status_code == 422
