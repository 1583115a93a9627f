"""Applications through the API: fields, team, budget, submission, actions."""

from decimal import Decimal

import pytest

from keguan.accounts.models import Bureau
from keguan.audit.models import AuditEvent
from keguan.funds.models import Allocation
from keguan.projects import services
from keguan.projects.models import Application, Candidate
from keguan.projects.workflow import APPLICATION_WORKFLOW
from tests.api.projects.helpers import get, ids, same_queries_for_one_and_many, send
from tests.api.test_api import bearer
from tests.projects.factories import (
    make_application,
    make_call,
    make_fund,
    make_id_number,
    make_program,
    pdf_upload,
    submitted_application,
)
from tests.projects.states import application_in, row

pytestmark = pytest.mark.django_db


def test_an_applicant_starts_an_application_from_a_candidate(client, personas):
    call = make_call(personas.officer)
    candidate = services.create_candidate(
        personas.applicant_a,
        personas.org_a,
        {"title": "储备项目", "field": "农业", "target_level": "county", "summary": "概要"},
    )
    body = {"call": call.pk, "candidate": candidate.pk, "discipline_code": "21040"}
    response = send(client, "post", "/applications", personas.applicant_a, body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["title"] == "储备项目" and data["state"] == "draft"
    assert data["organization_id"] == personas.org_a.pk and data["requested_total"] == "0.00"
    assert {a["action"] for a in data["allowed_actions"]} == {"submit", "withdraw"}
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.APPLIED


def test_only_applicants_start_applications(client, personas):
    call = make_call(personas.officer)
    response = send(
        client, "post", "/applications", personas.officer, {"call": call.pk, "title": "x"}
    )
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_an_application_to_a_closed_call_is_refused(client, personas):
    call = make_call(personas.officer, publish=False)
    response = send(
        client, "post", "/applications", personas.applicant_a, {"call": call.pk, "title": "x"}
    )
    assert response.status_code == 422 and "call" in response.json()["error"]["fields"]
    assert not Application.objects.exists()


def test_an_application_needs_a_title_and_says_so(client, personas):
    call = make_call(personas.officer)
    response = send(client, "post", "/applications", personas.applicant_a, {"call": call.pk})
    assert response.status_code == 422
    assert "title" in response.json()["error"]["fields"]


def test_the_application_list_filters_and_stays_in_scope(client, personas):
    call = make_call(personas.officer)
    other_call = make_call(personas.officer)
    mine = make_application(personas.applicant_a, call)
    theirs = submitted_application(personas.applicant_b, other_call)
    assert set(ids(get(client, "/applications", personas.officer))) == {mine.pk, theirs.pk}
    assert ids(get(client, f"/applications?call={call.pk}", personas.officer)) == [mine.pk]
    assert ids(get(client, "/applications?state=submitted", personas.officer)) == [theirs.pk]
    org = personas.org_b.pk
    assert ids(get(client, f"/applications?organization={org}", personas.officer)) == [theirs.pk]
    year = call.year
    assert len(ids(get(client, f"/applications?year={year}", personas.officer))) == 2
    assert ids(get(client, f"/applications?year={year + 1}", personas.officer)) == []
    assert ids(get(client, "/applications", personas.applicant_a)) == [mine.pk]
    assert ids(get(client, "/applications", personas.neighbour_officer)) == []


@pytest.mark.parametrize("who", ["expert", "liaison"])
def test_experts_and_liaisons_get_empty_lists(client, personas, who):
    call = make_call(personas.officer)
    application = submitted_application(personas.applicant_a, call)
    services.create_candidate(
        personas.applicant_a, personas.org_a, {"title": "x", "field": "y", "target_level": "county"}
    )
    user = getattr(personas, who)
    for path in ("/programs", "/calls", "/candidates", "/applications", "/projects"):
        assert ids(get(client, path, user)) == [], path
    assert get(client, f"/applications/{application.pk}", user).status_code == 404


def test_team_id_numbers_are_masked_for_everyone(client, personas):
    call = make_call(personas.officer)
    leader_id = make_id_number()
    application = make_application(personas.applicant_a, call, leader_id_number=leader_id)
    for user in (personas.applicant_a, personas.officer):
        team = get(client, f"/applications/{application.pk}", user).json()["team"]
        assert team[0]["id_number"] == leader_id[:3] + "*" * 11 + leader_id[-4:]
        assert leader_id not in get(client, "/applications", user).content.decode()


def test_an_applicant_changes_fields_team_and_budget_in_one_request(client, personas):
    call = make_call(personas.officer)
    application = make_application(personas.applicant_a, call, complete=False)
    body = {
        "title": "新题目",
        "team": [
            {"name": "张三", "unit": "甲企业", "role": "leader", "id_number": make_id_number()},
            {"name": "李四", "unit": "甲企业", "id_number": make_id_number("19920303")},
        ],
        "budget": [{"category": "equipment", "requested": "30000", "self_raised": 20000}],
    }
    response = send(client, "patch", f"/applications/{application.pk}", personas.applicant_a, body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["title"] == "新题目"
    assert [m["name"] for m in data["team"]] == ["张三", "李四"]
    assert data["budget"] == [
        {"category": "equipment", "requested": "30000.00", "self_raised": "20000.00"}
    ]
    assert data["requested_total"] == "30000.00" and data["self_raised_total"] == "20000.00"


def test_a_bad_team_row_is_named_and_nothing_changes(client, personas):
    call = make_call(personas.officer)
    application = make_application(personas.applicant_a, call)
    before_team = list(application.team.values_list("name", flat=True))
    body = {
        "title": "不该保存",
        "team": [
            {"name": "张三", "unit": "甲企业", "role": "leader", "id_number": make_id_number()},
            {"name": "李四", "unit": "甲企业", "id_number": "361127198001010000"},
        ],
        "budget": [{"category": "nonsense", "requested": "1"}],
    }
    response = send(client, "patch", f"/applications/{application.pk}", personas.applicant_a, body)
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert "team.2.id_number" in fields and "budget.1.category" in fields
    application.refresh_from_db()
    assert application.title != "不该保存"
    assert list(application.team.values_list("name", flat=True)) == before_team


def test_a_later_invalid_part_rolls_back_the_fields_already_saved(client, personas):
    call = make_call(personas.officer, budget_ceiling=Decimal("1000"))
    application = make_application(personas.applicant_a, call, complete=False)
    body = {"title": "不该保存", "budget": [{"category": "equipment", "requested": "5000"}]}
    response = send(client, "patch", f"/applications/{application.pk}", personas.applicant_a, body)
    assert response.status_code == 422 and "budget" in response.json()["error"]["fields"]
    application.refresh_from_db()
    assert application.title != "不该保存" and not application.budget_lines.exists()


def test_a_submitted_application_no_longer_changes(client, personas):
    call = make_call(personas.officer)
    application = submitted_application(personas.applicant_a, call)
    response = send(
        client, "patch", f"/applications/{application.pk}", personas.applicant_a, {"title": "改"}
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "invalid_state"
    response = send(
        client, "patch", f"/applications/{application.pk}", personas.officer, {"title": "改"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.title != "改"


def test_a_submit_sent_twice_submits_once(client, personas):
    call = make_call(personas.officer)
    application = make_application(personas.applicant_a, call)
    path = f"/applications/{application.pk}/actions/submit"
    first = send(client, "post", path, personas.applicant_a)
    second = send(client, "post", path, personas.applicant_a)
    assert first.status_code == 200 and second.status_code == 200, second.content
    assert first.json()["state"] == second.json()["state"] == "submitted"
    assert first.json()["submitted_at"] == second.json()["submitted_at"]
    events = AuditEvent.objects.filter(
        action="projects.application.submit", object_id=str(application.pk)
    )
    assert events.count() == 1


def test_a_returned_application_is_resubmitted_through_the_api(client, personas):
    call = make_call(personas.officer)
    application = submitted_application(personas.applicant_a, call)
    APPLICATION_WORKFLOW.apply(personas.officer, application, "return", {"note": "补材料"})
    path = f"/applications/{application.pk}/actions/resubmit"
    assert send(client, "post", path, personas.applicant_a).json()["state"] == "submitted"
    assert send(client, "post", path, personas.applicant_a).status_code == 200


def test_an_incomplete_application_is_not_submitted(client, personas):
    call = make_call(personas.officer)
    application = make_application(personas.applicant_a, call, complete=False)
    response = send(
        client, "post", f"/applications/{application.pk}/actions/submit", personas.applicant_a
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "guard_refused"
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT


def test_an_officer_cannot_submit_for_the_applicant(client, personas):
    call = make_call(personas.officer)
    application = make_application(personas.applicant_a, call)
    response = send(
        client, "post", f"/applications/{application.pk}/actions/submit", personas.officer
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT


def test_an_illegal_application_action_answers_409(client, personas):
    call = make_call(personas.officer)
    application = make_application(personas.applicant_a, call)
    response = send(
        client, "post", f"/applications/{application.pk}/actions/pass_check", personas.officer
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"
    response = send(client, "post", f"/applications/{application.pk}/actions/fly", personas.officer)
    assert response.status_code == 404 and response.json()["error"]["code"] == "unknown_action"


def test_a_forbidden_application_action_is_refused_and_changes_nothing(client, personas):
    call = make_call(personas.officer)
    application = submitted_application(personas.applicant_a, call)
    response = send(
        client, "post", f"/applications/{application.pk}/actions/pass_check", personas.applicant_a
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED


def test_data_travels_in_the_action_payload_and_a_slipped_in_actor_is_dropped(client, personas):
    program = make_program(personas.officer, level=Bureau.Level.MUNICIPAL)
    application = submitted_application(personas.applicant_a, make_call(personas.officer, program))
    base = f"/applications/{application.pk}/actions"
    assert send(client, "post", f"{base}/pass_check", personas.officer).status_code == 200
    body = {"note": "同意推荐上报。"}
    assert send(client, "post", f"{base}/recommend", personas.officer, body).status_code == 200
    response = send(
        client,
        "post",
        f"{base}/record_higher_approval",
        personas.officer,
        {"data": {"amount": "70000", "actor": personas.applicant_a.pk}},
    )
    assert response.status_code == 200, response.content
    assert (
        response.json()["state"] == "approved" and response.json()["granted_amount"] == "70000.00"
    )
    event = AuditEvent.objects.filter(action="projects.application.record_higher_approval").get()
    assert event.actor_username == personas.officer.username


def test_review_scores_and_decisions_are_neither_offered_nor_taken_through_the_api(
    client, personas
):
    """A closed review round records the score, a released meeting the decision: the
    transitions are the workflow's own, never a caller's."""
    fund = make_fund(personas.officer)
    checked = application_in(personas, Application.State.CHECKED)
    reviewed = application_in(personas, Application.State.REVIEWED, applicant=personas.applicant_b)
    moves = AuditEvent.objects.filter(action__startswith="projects.application.")
    before = (row(checked), row(reviewed), moves.count())
    attempts = [
        (checked, "record_review", personas.officer, {"data": {"score": "88.5"}}),
        (checked, "record_review", personas.officer, {"data": {"score": "130"}}),
        (reviewed, "decide_approve", personas.leader, {"data": {"amount": "7e4", "fund": fund.pk}}),
        (reviewed, "decide_reject", personas.leader, {"note": "不予支持。"}),
    ]
    for application, action, user, body in attempts:
        path = f"/applications/{application.pk}"
        offered = {a["action"] for a in get(client, path, user).json()["allowed_actions"]}
        assert action not in offered
        response = send(client, "post", f"{path}/actions/{action}", user, body)
        assert response.status_code == 404, response.content
        assert response.json()["error"]["code"] == "unknown_action"
    # What follows a decision is not a caller's either (and nothing is decided here).
    for action in ("publish_notice", "approve_directly"):
        response = send(
            client, "post", f"/applications/{reviewed.pk}/actions/{action}", personas.officer
        )
        assert response.status_code == 409 and response.json()["error"]["code"] == "invalid_state"
    assert (row(checked), row(reviewed), moves.count()) == before
    assert checked.review_score is None
    assert not Allocation.objects.exists()


def test_duplicate_hints_are_for_the_bureau_only(client, personas):
    earlier, call = make_call(personas.officer), make_call(personas.officer)
    submitted_application(personas.applicant_a, earlier, title="特种水稻高产栽培技术示范")
    application = submitted_application(
        personas.applicant_a, call, title="特种水稻高产栽培技术示范"
    )
    assert application.duplicate_hints
    path = f"/applications/{application.pk}"
    assert get(client, path, personas.officer).json()["duplicate_hints"]
    assert get(client, path, personas.applicant_a).json()["duplicate_hints"] == []


def test_another_organization_gets_404_on_an_application_and_nothing_changes(client, personas):
    call = make_call(personas.officer)
    application = make_application(personas.applicant_a, call)
    path = f"/applications/{application.pk}"
    bob = personas.applicant_b
    assert get(client, path, bob).status_code == 404
    assert send(client, "patch", path, bob, {"title": "乙改的"}).status_code == 404
    assert send(client, "post", f"{path}/actions/submit", bob).status_code == 404
    assert send(client, "post", f"{path}/actions/withdraw", bob).status_code == 404
    assert get(client, f"{path}/attachments", bob).status_code == 404
    upload = client.post(
        f"/api/v1{path}/attachments", {"kind": "other", "file": pdf_upload()}, **bearer(bob)
    )
    assert upload.status_code == 404
    application.refresh_from_db()
    assert application.title != "乙改的" and application.state == Application.State.DRAFT
    assert not application.attachments.exists()
    event = AuditEvent.objects.filter(action="access.denied").latest("seq")
    assert event.actor_username == "bob" and event.object_id == str(application.pk)


def test_the_application_list_pages_in_the_database(client, personas):
    call = make_call(personas.officer, max_per_organization=10)
    make_application(personas.applicant_a, call)
    same_queries_for_one_and_many(
        client,
        personas.officer,
        "/applications",
        lambda: [make_application(personas.applicant_b, call) for _n in range(4)],
    )


def test_a_submit_from_a_stale_page_answers_409(client, personas):
    call = make_call(personas.officer)
    application = make_application(personas.applicant_a, call)
    response = send(
        client,
        "post",
        f"/applications/{application.pk}/actions/submit",
        personas.applicant_a,
        {"expected_state": "returned"},
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "stale_state"
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT
