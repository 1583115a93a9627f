"""Assignments and score sheets through the API: an expert reaches only their own live
assignments, the application only after the pledge, and a conflicted one nowhere."""

import pytest

from keguan.audit import services as audit
from keguan.audit.models import AuditEvent
from keguan.review.models import Assignment, Avoidance, Score
from keguan.review.workflow import ASSIGNMENT_WORKFLOW
from tests.api.projects.helpers import get, ids, send
from tests.api.review.helpers import expert_in_every_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(personas):
    return expert_in_every_state(personas)


def test_an_experts_list_holds_only_their_live_assignments(client, setup):
    assert ids(get(client, "/review/assignments", setup.x.user)) == [setup.held.pk]
    for application in setup.applications:
        listed = ids(get(client, f"/review/assignments?application={application.pk}", setup.x.user))
        assert listed == ([setup.held.pk] if application == setup.held.application else [])


def test_the_officer_and_the_inspector_see_every_assignment_of_the_round(client, personas, setup):
    everything = set(Assignment.objects.filter(round=setup.round).values_list("pk", flat=True))
    for user in (personas.officer, personas.inspector):
        listed = ids(get(client, f"/review/assignments?round={setup.round.pk}&limit=100", user))
        assert set(listed) == everything


def test_applicants_and_other_staff_see_no_assignment(client, personas, setup):
    for user in (personas.applicant_a, personas.leader, personas.neighbour_officer):
        assert ids(get(client, "/review/assignments", user)) == []
        assert get(client, f"/review/assignments/{setup.held.pk}", user).status_code == 404


@pytest.mark.parametrize("which", ["conflicted", "declined", "released", "reserve"])
def test_every_path_of_an_assignment_the_expert_lost_answers_404(client, setup, which):
    assignment = getattr(setup, which)
    application = assignment.application
    user = setup.x.user
    before = Assignment.objects.filter(pk=assignment.pk).values().get()
    denied = AuditEvent.objects.filter(action="access.denied").count()
    responses = [
        get(client, f"/review/assignments/{assignment.pk}", user),
        send(
            client,
            "put",
            f"/review/assignments/{assignment.pk}/scores",
            user,
            {"scores": {}, "recommendation": "fund"},
        ),
        send(client, "post", f"/review/assignments/{assignment.pk}/actions/pledge", user),
        send(
            client,
            "post",
            f"/review/assignments/{assignment.pk}/actions/decline",
            user,
            {"note": "再议"},
        ),
        send(
            client,
            "post",
            f"/review/assignments/{assignment.pk}/approach-reports",
            user,
            {"detail": "有人打招呼"},
        ),
        send(
            client, "post", f"/review/assignments/{assignment.pk}/withdraw", user, {"reason": "x"}
        ),
        get(client, f"/applications/{application.pk}", user),
        get(client, f"/applications/{application.pk}/attachments", user),
        get(client, f"/review/rounds/{setup.round.pk}/draws?application={application.pk}", user),
    ]
    assert [r.status_code for r in responses] == [404] * len(responses)
    assert all(r.json()["error"]["code"] == "not_found" for r in responses)
    assert Assignment.objects.filter(pk=assignment.pk).values().get() == before
    assert AuditEvent.objects.filter(action="access.denied").count() > denied


def test_the_application_is_read_only_after_the_pledge_and_never_its_avoidances(
    client, personas, setup
):
    # Listed while the application was a draft (the service allows it only then).
    with audit.writing():
        avoidance = Avoidance.objects.create(
            application=setup.held.application, kind="unit", name="第9研究所", reason="竞争关系"
        )
        audit.record("review.avoidances.replace", obj=avoidance.application)
    user = setup.x.user
    body = get(client, f"/review/assignments/{setup.held.pk}", user).json()
    assert body["state"] == "invited" and body["application"] is None
    assert {a["action"] for a in body["allowed_actions"]} == {
        "pledge",
        "declare_conflict",
        "decline",
    }
    response = send(client, "post", f"/review/assignments/{setup.held.pk}/actions/pledge", user)
    assert response.status_code == 200, response.content
    body = get(client, f"/review/assignments/{setup.held.pk}", user).json()
    assert body["state"] == "reviewing"
    assert body["application"]["title"] == setup.held.application.title
    assert [m["id_number"].count("*") > 0 for m in body["application"]["team"]] == [True, True]
    text = str(body)
    assert "第9研究所" not in text and "竞争关系" not in text and "avoid" not in text
    assert body["replaces_id"] is None
    assert len(body["criteria"]) == 3


def _pledged(setup):
    return ASSIGNMENT_WORKFLOW.apply(setup.x.user, setup.held, "pledge")


def test_scores_out_of_range_are_refused_by_field_and_nothing_is_saved(client, setup):
    assignment = _pledged(setup)
    first, second, third = assignment.round.call.rubric.criteria.all()
    response = send(
        client,
        "put",
        f"/review/assignments/{assignment.pk}/scores",
        setup.x.user,
        {
            "scores": {str(first.pk): 8, str(second.pk): 11, str(third.pk): "-1"},
            "recommendation": "fund",
            "comment": "好",
        },
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {f"scores.{second.pk}", f"scores.{third.pk}"}
    assert not Score.objects.filter(assignment=assignment).exists()
    fresh = Assignment.objects.get(pk=assignment.pk)
    assert (fresh.recommendation, fresh.comment, fresh.state) == ("", "", "reviewing")


def test_an_expert_saves_a_draft_and_then_submits(client, setup):
    assignment = _pledged(setup)
    criteria = list(assignment.round.call.rubric.criteria.all())
    path = f"/review/assignments/{assignment.pk}/scores"
    draft = {"scores": {str(criteria[0].pk): "7.5"}, "recommendation": "fund"}
    response = send(client, "put", path, setup.x.user, draft)
    assert response.status_code == 200, response.content
    assert response.json()["scores"] == [{"criterion_id": criteria[0].pk, "value": "7.50"}]
    assert response.json()["state"] == "reviewing"
    # Submitting with a criterion unscored is refused and changes nothing.
    response = send(client, "put", path, setup.x.user, {**draft, "submit": True})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "guard_refused"
    assert Assignment.objects.get(pk=assignment.pk).state == "reviewing"
    full = {
        "scores": {str(c.pk): 8 for c in criteria},
        "recommendation": "fund_with_changes",
        "comment": "建议压缩预算。",
        "submit": True,
    }
    response = send(client, "put", path, setup.x.user, full)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted" and response.json()["total"] == "80.00"


def test_the_officer_may_not_score_for_an_expert(client, personas, setup):
    assignment = _pledged(setup)
    criteria = assignment.round.call.rubric.criteria.all()
    response = send(
        client,
        "put",
        f"/review/assignments/{assignment.pk}/scores",
        personas.officer,
        {"scores": {str(c.pk): 5 for c in criteria}, "recommendation": "fund"},
    )
    assert response.status_code == 403
    assert not Score.objects.filter(assignment=assignment).exists()


def test_declining_through_the_api_hands_the_place_on_and_closes_the_door(client, setup):
    user = setup.x.user
    path = f"/review/assignments/{setup.held.pk}"
    response = send(client, "post", f"{path}/actions/decline", user)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "note_required"
    response = send(client, "post", f"{path}/actions/decline", user, {"note": "出差。"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "declined" and response.json()["application"] is None
    assert Assignment.objects.get(replaces=setup.held).state == "invited"
    assert get(client, path, user).status_code == 404
    assert ids(get(client, "/review/assignments", user)) == []


def test_an_expert_reports_an_approach_in_one_call(client, personas, setup):
    response = send(
        client,
        "post",
        f"/review/assignments/{setup.held.pk}/approach-reports",
        setup.x.user,
        {"detail": "申报单位来电请托。"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["application_id"] == setup.held.application_id
