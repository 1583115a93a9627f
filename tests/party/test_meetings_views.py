"""The meeting pages: the secretary records, members read their branch, the inspector reads
all; everyone else gets a 404. Lists and the calendar keep a constant query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keguan.accounts.roles import Role
from keguan.audit.models import AuditEvent
from keguan.party.models import BranchMeeting, MajorMatter, MeetingDecision, MeetingKind
from keguan.party.services import meetings as services
from keguan.party.services import meetings_matters as matters
from tests.factories import make_user, sign_in
from tests.party.factories import give_member_record, make_branch
from tests.party.meetings_factories import branch_of_ten, make_meeting

pytestmark = pytest.mark.django_db
YESTERDAY = dt.date.today() - dt.timedelta(days=1)


def url(name, *args):
    return reverse(f"party:{name}", args=args)


@pytest.fixture
def branch(personas):
    return branch_of_ten(personas)[0]


@pytest.fixture
def meeting(personas, branch):
    return make_meeting(personas.party_secretary, branch, present=7, topic="学习十七大精神")


@pytest.fixture
def stranger(personas):
    """A party member of the neighbouring county's branch."""
    user = make_user("nick", [Role.PARTY_MEMBER], personas.bureaus.neighbour)
    make_branch(personas.bureaus.neighbour)
    give_member_record(user, "邻县党员")
    return user


def test_the_secretary_records_a_meeting_then_its_attendance(client, personas, branch):
    sign_in(client, personas.party_secretary)
    response = client.post(
        url("meeting_create"),
        {"kind": "assembly", "topic": "传达科技大会精神", "held_on": YESTERDAY.isoformat()},
    )
    meeting = BranchMeeting.objects.get()
    assert response.url == url("meeting_attendance", meeting.pk)
    expected = list(services.expected_members(meeting))
    data = {f"present_{m.pk}": "on" for m in expected[:6]}
    data |= {f"reason_{m.pk}": "出差" for m in expected[6:]}
    assert client.post(url("meeting_attendance", meeting.pk), data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.present_count, meeting.expected_count) == (6, 10)
    assert meeting.attendance.filter(absence_reason="出差").count() == 4


def test_the_page_says_a_meeting_without_quorum_cannot_decide_and_refuses_a_decision(
    client, personas, branch, english
):
    meeting = make_meeting(personas.party_secretary, branch, present=5)
    sign_in(client, personas.party_secretary)
    page = client.get(url("meeting_detail", meeting.pk)).content.decode()
    assert "No quorum" in page and "not valid" in page
    response = client.post(
        url("meeting_decision_add", meeting.pk),
        {"text": "同意", "votes_for": 5, "votes_against": 0, "abstentions": 0},
    )
    assert response.status_code == 200
    assert "not valid" in response.content.decode()
    assert not MeetingDecision.objects.exists()


def test_more_votes_than_present_are_refused_on_the_page(client, personas, meeting, english):
    sign_in(client, personas.party_secretary)
    response = client.post(
        url("meeting_decision_add", meeting.pk),
        {"text": "同意", "votes_for": 7, "votes_against": 1, "abstentions": 0},
    )
    assert "8 votes but only 7 present" in response.content.decode()
    assert not MeetingDecision.objects.exists()


def test_a_member_reads_the_minutes_of_the_branch_but_not_the_reasons_for_absence(
    client, personas, branch
):
    meeting = make_meeting(personas.party_secretary, branch, minutes="会议纪要正文")
    expected = list(services.expected_members(meeting))
    services.record_attendance(
        personas.party_secretary, meeting, expected[:6], {m.pk: "家中有事" for m in expected}
    )
    sign_in(client, personas.party_member)
    page = client.get(url("meeting_detail", meeting.pk)).content.decode()
    assert "会议纪要正文" in page and "家中有事" not in page
    assert client.get(url("meeting_list")).status_code == 200


@pytest.mark.parametrize("name", ["meeting_edit", "meeting_attendance"])
def test_a_member_and_the_inspector_cannot_change_a_meeting(client, personas, meeting, name):
    for user in (personas.party_member, personas.inspector):
        sign_in(client, user)
        assert client.get(url(name, meeting.pk)).status_code == 404
    response = client.post(url("meeting_decision_add", meeting.pk), {"text": "x", "votes_for": 7})
    assert response.status_code == 404
    assert not MeetingDecision.objects.exists()


def test_the_inspector_reads_meetings_the_calendar_and_the_export(client, personas, meeting):
    sign_in(client, personas.inspector)
    assert client.get(url("meeting_detail", meeting.pk)).status_code == 200
    assert client.get(url("meeting_calendar")).status_code == 200
    response = client.get(url("meeting_export") + f"?year={meeting.held_on.year}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="party.meeting.export").count() == 1


@pytest.mark.parametrize(
    "who", ["stranger", "officer", "applicant_a", "neighbour_officer", "leader"]
)
def test_outsiders_get_a_404_and_the_refusal_is_audited(client, personas, meeting, stranger, who):
    user = stranger if who == "stranger" else getattr(personas, who)
    sign_in(client, user)
    for name, args in (
        ("meeting_detail", [meeting.pk]),
        ("meeting_edit", [meeting.pk]),
        ("meeting_export", []),
    ):
        assert client.get(url(name, *args)).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied").exists()


def test_a_member_of_another_branch_sees_only_their_own_branch(client, personas, meeting, stranger):
    sign_in(client, stranger)
    page = client.get(url("meeting_list")).content.decode()
    assert "学习十七大精神" not in page
    assert client.get(url("meeting_calendar") + f"?branch={meeting.branch_id}").status_code == 404


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("user", ["party_secretary", "party_member", "inspector"])
def test_the_list_and_the_calendar_take_the_same_queries_for_one_meeting_or_many(
    client, personas, branch, user
):
    sam = personas.party_secretary
    make_meeting(sam, branch, present=6)
    sign_in(client, getattr(personas, user))
    one = (_count(client, url("meeting_list")), _count(client, url("meeting_calendar")))
    for days in range(2, 9):
        make_meeting(
            sam, branch, MeetingKind.COMMITTEE, dt.date.today() - dt.timedelta(days), present=1
        )
    many = (_count(client, url("meeting_list")), _count(client, url("meeting_calendar")))
    assert one == many


# Major matters.
@pytest.fixture
def matter(personas, branch):
    return matters.create_matter(
        personas.party_secretary,
        branch,
        {"category": "cadre", "title": "科长任免", "proposed_on": YESTERDAY},
    )


def test_a_matter_is_not_marked_decided_by_a_decision_without_quorum_on_the_page(
    client, personas, branch, matter, english
):
    meeting = make_meeting(personas.party_secretary, branch, present=6)
    decision = services.add_decision(
        personas.party_secretary, meeting, {"text": "同意", "votes_for": 4}
    )
    services.record_attendance(
        personas.party_secretary, meeting, list(services.expected_members(meeting))[:5], {}
    )
    sign_in(client, personas.party_secretary)
    response = client.post(
        url("matter_decide", matter.pk), {"decision": decision.pk, "expected_state": "proposed"}
    )
    assert response.status_code == 200
    assert "had no quorum" in response.content.decode()
    matter.refresh_from_db()
    assert matter.state == MajorMatter.State.PROPOSED and matter.decision is None


def test_the_secretary_marks_a_matter_decided_by_a_passed_decision(
    client, personas, meeting, matter
):
    decision = services.add_decision(
        personas.party_secretary, meeting, {"text": "同意", "votes_for": 6}
    )
    sign_in(client, personas.party_secretary)
    response = client.post(
        url("matter_decide", matter.pk), {"decision": decision.pk, "expected_state": "proposed"}
    )
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.state == MajorMatter.State.DECIDED
    page = client.get(url("meeting_detail", meeting.pk)).content.decode()
    assert "科长任免" in page


def test_members_see_decided_matters_only(client, personas, meeting, matter):
    sign_in(client, personas.party_member)
    assert client.get(url("matter_detail", matter.pk)).status_code == 404
    assert client.post(url("matter_decide", matter.pk), {}).status_code == 404
    decision = services.add_decision(
        personas.party_secretary, meeting, {"text": "同意", "votes_for": 6}
    )
    from keguan.party.workflow_meetings import MAJOR_MATTER_WORKFLOW

    MAJOR_MATTER_WORKFLOW.apply(personas.party_secretary, matter, "decide", {"decision": decision})
    assert client.get(url("matter_detail", matter.pk)).status_code == 200
    assert client.get(url("matter_list")).status_code == 200


def test_the_secretary_withdraws_a_matter_with_a_reason(client, personas, matter):
    sign_in(client, personas.party_secretary)
    client.post(url("matter_action", matter.pk), {"action": "withdraw", "note": ""})
    matter.refresh_from_db()
    assert matter.state == MajorMatter.State.PROPOSED
    client.post(url("matter_action", matter.pk), {"action": "withdraw", "note": "暂缓"})
    matter.refresh_from_db()
    assert matter.state == MajorMatter.State.WITHDRAWN


@pytest.mark.parametrize(
    "name", ["meeting_create", "matter_list", "matter_create", "meeting_list", "meeting_calendar"]
)
def test_the_secretarys_pages_open(client, personas, branch, name):
    sign_in(client, personas.party_secretary)
    assert client.get(url(name)).status_code == 200


def test_the_secretary_opens_the_forms_of_a_meeting_and_a_matter(client, personas, meeting, matter):
    sign_in(client, personas.party_secretary)
    for name, pk in (
        ("meeting_edit", meeting.pk),
        ("meeting_attendance", meeting.pk),
        ("matter_detail", matter.pk),
        ("matter_edit", matter.pk),
    ):
        assert client.get(url(name, pk)).status_code == 200, name
