"""Decision meetings through the API: quorum, staged decisions, release."""

import pytest
from django.utils import timezone

from keguan.projects.models import Application
from keguan.review.models import Decision, Meeting
from tests.api.projects.helpers import get, ids, send
from tests.projects.states import application_in, county_fund
from tests.review.factories import leaders

pytestmark = pytest.mark.django_db


def _meeting(client, p, attendees):
    body = {
        "title": "第12次局务会",
        "held_on": timezone.localdate().isoformat(),
        "attendees": [u.pk for u in attendees],
    }
    response = send(client, "post", "/review/meetings", p.leader, body)
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_a_leader_records_stages_and_releases_decisions(client, personas):
    p = personas
    group = leaders(p, 3)
    application = application_in(p, Application.State.REVIEWED)
    meeting_id = _meeting(client, p, group[:2])
    path = f"/review/meetings/{meeting_id}"
    decision = {
        "application": application.pk,
        "outcome": "approve",
        "amount": "50000",
        "fund": county_fund(p.officer).pk,
        "votes_for": 2,
    }
    response = send(client, "post", f"{path}/decisions", p.leader, decision)
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "50000.00"
    body = get(client, path, p.leader).json()
    assert len(body["decisions"]) == 1 and len(body["attendees"]) == 2
    assert [a["action"] for a in body["allowed_actions"]] == ["release"]
    response = send(client, "post", f"{path}/actions/release", p.leader)
    assert response.status_code == 200 and response.json()["state"] == "released"
    application.refresh_from_db()
    assert application.state == Application.State.IN_NOTICE
    response = send(client, "patch", path, p.leader, {"minutes": "改"})
    assert response.status_code == 409


def test_without_quorum_no_decision_is_staged(client, personas):
    p = personas
    group = leaders(p, 3)
    application = application_in(p, Application.State.REVIEWED)
    meeting_id = _meeting(client, p, group[:1])
    response = send(
        client,
        "post",
        f"/review/meetings/{meeting_id}/decisions",
        p.leader,
        {"application": application.pk, "outcome": "reject", "note": "不符合", "votes_for": 1},
    )
    assert response.status_code == 422
    assert not Decision.objects.exists()


def test_a_staged_decision_can_be_withdrawn_before_release(client, personas):
    p = personas
    group = leaders(p, 2)
    application = application_in(p, Application.State.REVIEWED)
    meeting_id = _meeting(client, p, group)
    response = send(
        client,
        "post",
        f"/review/meetings/{meeting_id}/decisions",
        p.leader,
        {"application": application.pk, "outcome": "defer", "votes_for": 2},
    )
    decision_id = response.json()["id"]
    assert (
        send(client, "delete", f"/review/decisions/{decision_id}", p.inspector).status_code == 403
    )
    assert (
        send(client, "delete", f"/review/decisions/{decision_id}", p.applicant_a).status_code == 404
    )
    assert Decision.objects.filter(pk=decision_id).exists()
    assert send(client, "delete", f"/review/decisions/{decision_id}", p.leader).status_code == 204
    assert not Decision.objects.exists()


def test_applicants_and_experts_see_no_meeting(client, personas):
    leaders(personas, 1)
    meeting_id = _meeting(client, personas, [personas.leader])
    for user in (personas.applicant_a, personas.expert):
        assert ids(get(client, "/review/meetings", user)) == []
        assert get(client, f"/review/meetings/{meeting_id}", user).status_code == 404
    assert Meeting.objects.count() == 1
