"""Branch meetings and major matters through /api/v1/party/: the same rules as the pages."""

import datetime as dt

import pytest

from keguan.party.models import MajorMatter, MeetingDecision, MeetingKind
from keguan.party.services import meetings as services
from tests.api.projects.helpers import get, ids, same_queries_for_one_and_many, send
from tests.party.meetings_factories import branch_of_ten, make_meeting

pytestmark = pytest.mark.django_db
YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()


@pytest.fixture
def branch(personas):
    return branch_of_ten(personas)[0]


def test_the_secretary_records_a_meeting_its_attendance_and_a_decision(client, personas, branch):
    sam = personas.party_secretary
    body = {"kind": "assembly", "topic": "学习科学发展观", "held_on": YESTERDAY}
    response = send(client, "post", "/party/meetings", sam, body)
    assert response.status_code == 201, response.content
    path = f"/party/meetings/{response.json()['id']}"
    expected = [m.pk for m in services.expected_members(branch.meetings.get())]
    half = {"present": expected[:5], "reasons": {str(expected[9]): "病假"}}
    response = send(client, "put", f"{path}/attendance", sam, half)
    assert response.status_code == 200 and response.json()["quorate"] is False
    decision = {"text": "同意", "votes_for": 5}
    response = send(client, "post", f"{path}/decisions", sam, decision)
    assert response.status_code == 422 and not MeetingDecision.objects.exists()
    send(client, "put", f"{path}/attendance", sam, {"present": expected[:6]})
    response = send(client, "post", f"{path}/decisions", sam, {"text": "同意", "votes_for": 7})
    assert response.status_code == 422 and "votes_for" in response.json()["error"]["fields"]
    response = send(client, "post", f"{path}/decisions", sam, decision)
    assert response.status_code == 201 and response.json()["outcome"] == "passed"


def test_members_read_without_reasons_for_absence_and_cannot_change(client, personas, branch):
    meeting = make_meeting(personas.party_secretary, branch)
    expected = list(services.expected_members(meeting))
    services.record_attendance(
        personas.party_secretary, meeting, expected[:6], {expected[9].pk: "病假"}
    )
    body = get(client, f"/party/meetings/{meeting.pk}", personas.party_member).json()
    assert {row["absence_reason"] for row in body["attendance"]} == {""}
    body = get(client, f"/party/meetings/{meeting.pk}", personas.inspector).json()
    assert "病假" in {row["absence_reason"] for row in body["attendance"]}
    response = send(client, "patch", f"/party/meetings/{meeting.pk}", personas.party_member, {})
    assert response.status_code == 403
    response = get(client, f"/party/meetings/{meeting.pk}", personas.neighbour_officer)
    assert response.status_code == 404


def test_the_meeting_list_keeps_its_query_count(client, personas, branch):
    sam = personas.party_secretary
    make_meeting(sam, branch, present=6)

    def more():
        for days in range(2, 6):
            make_meeting(sam, branch, MeetingKind.LECTURE, dt.date.today() - dt.timedelta(days))

    same_queries_for_one_and_many(client, personas.inspector, "/party/meetings", more)


def test_held_vs_required_per_kind(client, personas, branch):
    make_meeting(personas.party_secretary, branch, present=6)
    year = (dt.date.today() - dt.timedelta(days=1)).year
    rows = get(client, f"/party/meetings/held-vs-required?year={year}", personas.party_member)
    summary = {row["kind"]: row for row in rows.json()}
    assert summary["assembly"]["required"] == 4 and summary["assembly"]["held"] == 1
    assert summary["committee"]["required"] == 12


def test_a_major_matter_is_decided_only_by_a_passed_decision_of_a_quorate_meeting(
    client, personas, branch
):
    sam = personas.party_secretary
    body = {
        "category": "funds",
        "title": "科技三项费安排",
        "amount": "650000",
        "proposed_on": YESTERDAY,
    }
    response = send(client, "post", "/party/major-matters", sam, body)
    assert response.status_code == 201, response.content
    path = f"/party/major-matters/{response.json()['id']}/actions/decide"
    meeting = make_meeting(sam, branch, present=6)
    tied = services.add_decision(sam, meeting, {"text": "否", "votes_for": 3, "votes_against": 3})
    response = send(client, "post", path, sam, {"data": {"decision": tied.pk}})
    assert response.status_code == 409 and response.json()["error"]["code"] == "guard_refused"
    response = send(client, "post", path, sam, {})
    assert response.status_code == 409
    assert MajorMatter.objects.get().state == MajorMatter.State.PROPOSED
    passed = services.add_decision(sam, meeting, {"text": "同意", "votes_for": 5})
    response = send(client, "post", path, personas.inspector, {"data": {"decision": passed.pk}})
    assert response.status_code == 403
    response = send(client, "post", path, sam, {"data": {"decision": passed.pk}})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "decided" and response.json()["meeting_id"] == meeting.pk
    assert ids(get(client, "/party/major-matters", personas.party_member)) == [
        MajorMatter.objects.get().pk
    ]
