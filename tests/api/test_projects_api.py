"""The projects API: the same scoping, services and workflows as the web pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from keguan.audit.models import AuditEvent
from keguan.funds.models import Disbursement, Fund
from keguan.projects import services
from keguan.projects.models import Application, Attachment, Call, Candidate, Project
from keguan.projects.workflow import APPLICATION_WORKFLOW
from tests.api.test_api import bearer
from tests.projects.factories import (
    PDF_BYTES,
    make_application,
    make_call,
    make_fund,
    make_id_number,
    make_program,
    pdf_upload,
    reviewed_application,
    submitted_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _attachment_dir(settings, tmp_path):
    settings.KEGUAN_ATTACHMENT_DIR = tmp_path / "attachments"


def send(client, method: str, path: str, user, body=None):
    """A JSON request to the API as USER."""
    return getattr(client, method)(
        f"/api/v1{path}", body or {}, content_type="application/json", **bearer(user)
    )


def get(client, path: str, user):
    return client.get(f"/api/v1{path}", **bearer(user))


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def approved_project(personas, amount: str = "80000") -> Project:
    """A county project of org A, approved for AMOUNT yuan from the county's fund."""
    call = make_call(personas.officer)
    fund = Fund.objects.filter(bureau=personas.officer.bureau).first() or make_fund(
        personas.officer, amount="10000000"
    )
    application = reviewed_application(personas.applicant_a, personas.officer, call)
    application = APPLICATION_WORKFLOW.apply(
        personas.leader, application, "decide_approve", {"amount": amount, "fund": fund.pk}
    )
    application = APPLICATION_WORKFLOW.apply(personas.officer, application, "publish_notice")
    APPLICATION_WORKFLOW.apply(personas.officer, application, "confirm")
    return Project.objects.get(application=application)


# The document.
def test_the_openapi_document_lists_the_project_paths(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/programs",
        "/api/v1/calls",
        "/api/v1/calls/{call_id}",
        "/api/v1/calls/{obj_id}/actions/{action}",
        "/api/v1/candidates",
        "/api/v1/candidates/{candidate_id}",
        "/api/v1/candidates/{candidate_id}/follow-ups",
        "/api/v1/candidates/{obj_id}/actions/{action}",
        "/api/v1/applications",
        "/api/v1/applications/{application_id}",
        "/api/v1/applications/{application_id}/actions/submit",
        "/api/v1/applications/{obj_id}/actions/{action}",
        "/api/v1/applications/{application_id}/attachments",
        "/api/v1/attachments/{attachment_id}/download",
        "/api/v1/projects",
        "/api/v1/projects/{project_id}",
        "/api/v1/projects/{obj_id}/actions/{action}",
        "/api/v1/projects/{project_id}/disbursements",
    ):
        assert path in paths, path


# Programs and calls.
def test_an_officer_lists_programs_and_calls_with_filters(client, personas):
    county = make_program(personas.officer, level="county")
    provincial = make_program(personas.officer, level="provincial")
    make_call(personas.officer, county)
    higher = make_call(personas.officer, provincial, publish=False)
    assert set(ids(get(client, "/programs", personas.officer))) == {county.pk, provincial.pk}
    assert ids(get(client, "/calls?level=provincial", personas.officer)) == [higher.pk]
    assert ids(get(client, "/calls?state=draft", personas.officer)) == [higher.pk]
    year = timezone.localdate().year
    assert len(ids(get(client, f"/calls?year={year}", personas.officer))) == 2
    assert ids(get(client, f"/calls?year={year - 1}", personas.officer)) == []


def test_a_call_says_its_money_as_a_string_and_its_actions(client, personas):
    call = make_call(personas.officer, publish=False, budget_ceiling=Decimal("150000"))
    body = get(client, f"/calls/{call.pk}", personas.officer).json()
    assert body["budget_ceiling"] == "150000.00"
    assert body["state"] == "draft"
    assert {a["action"] for a in body["allowed_actions"]} == {"publish", "cancel"}


def test_applicants_see_only_published_calls(client, personas):
    published = make_call(personas.officer)
    draft = make_call(personas.officer, publish=False)
    assert ids(get(client, "/calls", personas.applicant_a)) == [published.pk]
    assert get(client, f"/calls/{draft.pk}", personas.applicant_a).status_code == 404


def test_an_officer_drafts_changes_and_publishes_a_call(client, personas):
    program = make_program(personas.officer)
    now = timezone.now()
    body = {
        "program": program.pk,
        "year": now.year,
        "title": "接口申报指南",
        "opens_at": (now - dt.timedelta(days=1)).isoformat(),
        "closes_at": (now + dt.timedelta(days=20)).isoformat(),
        "budget_ceiling": "300000",
    }
    response = send(client, "post", "/calls", personas.officer, body)
    assert response.status_code == 201, response.content
    call_id = response.json()["id"]
    assert response.json()["state"] == "draft"
    response = send(client, "patch", f"/calls/{call_id}", personas.officer, {"guide": "新要求"})
    assert response.status_code == 200 and response.json()["guide"] == "新要求"
    response = send(client, "post", f"/calls/{call_id}/actions/publish", personas.officer)
    assert response.status_code == 200 and response.json()["state"] == "published"


def test_an_applicant_may_not_draft_or_change_calls(client, personas):
    call = make_call(personas.officer)
    program = make_program(personas.officer)
    body = {
        "program": program.pk,
        "year": 2030,
        "title": "不该有的指南",
        "opens_at": "2030-01-01T00:00:00+08:00",
        "closes_at": "2030-02-01T00:00:00+08:00",
        "budget_ceiling": "1",
    }
    response = send(client, "post", "/calls", personas.applicant_a, body)
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    response = send(client, "patch", f"/calls/{call.pk}", personas.applicant_a, {"guide": "x"})
    assert response.status_code == 403
    assert not Call.objects.filter(title="不该有的指南").exists()
    call.refresh_from_db()
    assert call.guide != "x"


def test_a_call_closing_before_it_opens_is_refused_naming_the_field(client, personas):
    program = make_program(personas.officer)
    body = {
        "program": program.pk,
        "year": 2030,
        "title": "倒置的指南",
        "opens_at": "2030-02-01T00:00:00+08:00",
        "closes_at": "2030-01-01T00:00:00+08:00",
        "budget_ceiling": "1000",
    }
    response = send(client, "post", "/calls", personas.officer, body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"].keys() == {"closes_at"}


def test_a_call_without_its_close_time_is_refused_naming_the_field(client, personas):
    program = make_program(personas.officer)
    body = {"program": program.pk, "year": 2030, "title": "缺", "opens_at": "2030-01-01T00:00"}
    response = send(client, "post", "/calls", personas.officer, body)
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert "closes_at" in fields and "budget_ceiling" in fields


def test_an_illegal_call_action_answers_409_with_its_code(client, personas):
    call = make_call(personas.officer)
    response = send(client, "post", f"/calls/{call.pk}/actions/publish", personas.officer)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"


def test_a_call_action_needing_a_reason_answers_409_note_required(client, personas):
    call = make_call(personas.officer)
    response = send(client, "post", f"/calls/{call.pk}/actions/cancel", personas.officer)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "note_required"
    call.refresh_from_db()
    assert call.state == Call.State.PUBLISHED


# The reserve pool.
def test_an_applicant_adds_a_candidate_of_its_own_organization(client, personas):
    body = {"title": "稻米深加工", "field": "农业", "target_level": "county"}
    response = send(client, "post", "/candidates", personas.applicant_a, body)
    assert response.status_code == 201, response.content
    candidate = Candidate.objects.get(pk=response.json()["id"])
    assert candidate.organization == personas.org_a
    assert response.json()["expected_funding"] == "0.00"
    assert ids(get(client, "/candidates", personas.officer)) == [candidate.pk]
    assert ids(get(client, "/candidates", personas.applicant_b)) == []


def test_an_applicant_cannot_add_a_candidate_for_another_organization(client, personas):
    body = {
        "organization": personas.org_b.pk,
        "title": "冒名",
        "field": "农业",
        "target_level": "county",
    }
    response = send(client, "post", "/candidates", personas.applicant_a, body)
    assert response.status_code == 422
    assert "organization" in response.json()["error"]["fields"]
    assert not Candidate.objects.exists()


def test_an_officer_adds_guides_and_follows_up_a_candidate(client, personas):
    body = {
        "organization": personas.org_b.pk,
        "title": "茶叶种植",
        "field": "农业",
        "target_level": "county",
        "expected_funding": "50000",
        "guiding_officer": personas.officer.pk,
    }
    response = send(client, "post", "/candidates", personas.officer, body)
    assert response.status_code == 201, response.content
    candidate_id = response.json()["id"]
    assert response.json()["guiding_officer_id"] == personas.officer.pk
    response = send(
        client, "patch", f"/candidates/{candidate_id}", personas.officer, {"maturity": "mature"}
    )
    assert response.status_code == 200 and response.json()["maturity"] == "mature"
    note = {"on": timezone.localdate().isoformat(), "kind": "visit", "text": "上门指导"}
    response = send(
        client, "post", f"/candidates/{candidate_id}/follow-ups", personas.officer, note
    )
    assert response.status_code == 201 and response.json()["text"] == "上门指导"
    response = send(
        client, "post", f"/candidates/{candidate_id}/actions/mark_ready", personas.officer
    )
    assert response.status_code == 200 and response.json()["state"] == "ready"
    detail = get(client, f"/candidates/{candidate_id}", personas.applicant_b).json()
    assert [f["kind"] for f in detail["follow_ups"]] == ["visit"]


def test_a_follow_up_in_the_future_is_refused_naming_the_date(client, personas):
    candidate = services.create_candidate(
        personas.officer, personas.org_a, {"title": "x", "field": "农业", "target_level": "county"}
    )
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    note = {"on": tomorrow.isoformat(), "kind": "visit", "text": "还没去"}
    response = send(
        client, "post", f"/candidates/{candidate.pk}/follow-ups", personas.officer, note
    )
    assert response.status_code == 422 and "on" in response.json()["error"]["fields"]
    assert not candidate.follow_ups.exists()


def test_applicants_do_not_log_follow_ups_or_guide(client, personas):
    candidate = services.create_candidate(
        personas.applicant_a,
        personas.org_a,
        {"title": "x", "field": "农业", "target_level": "county"},
    )
    note = {"on": timezone.localdate().isoformat(), "kind": "visit", "text": "自己写"}
    response = send(
        client, "post", f"/candidates/{candidate.pk}/follow-ups", personas.applicant_a, note
    )
    assert response.status_code == 403
    response = send(
        client, "post", f"/candidates/{candidate.pk}/actions/mark_ready", personas.applicant_a
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    response = send(
        client,
        "patch",
        f"/candidates/{candidate.pk}",
        personas.applicant_a,
        {"guiding_officer": personas.officer.pk},
    )
    assert response.status_code == 422 and "guiding_officer" in response.json()["error"]["fields"]
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.WATCHING and not candidate.follow_ups.exists()
    assert candidate.guiding_officer is None


def test_an_applicant_of_another_organization_gets_404_on_a_candidate(client, personas):
    candidate = services.create_candidate(
        personas.applicant_a,
        personas.org_a,
        {"title": "甲的储备", "field": "农业", "target_level": "county"},
    )
    assert get(client, f"/candidates/{candidate.pk}", personas.applicant_b).status_code == 404
    response = send(
        client, "patch", f"/candidates/{candidate.pk}", personas.applicant_b, {"title": "改"}
    )
    assert response.status_code == 404
    response = send(
        client,
        "post",
        f"/candidates/{candidate.pk}/actions/drop",
        personas.applicant_b,
        {"note": "x"},
    )
    assert response.status_code == 404
    candidate.refresh_from_db()
    assert candidate.title == "甲的储备" and candidate.state == Candidate.State.WATCHING


# Applications.
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


def test_review_and_decision_data_travel_in_the_action_payload(client, personas):
    call = make_call(personas.officer)
    fund = make_fund(personas.officer)
    application = submitted_application(personas.applicant_a, call)
    base = f"/applications/{application.pk}/actions"
    assert send(client, "post", f"{base}/pass_check", personas.officer).status_code == 200
    response = send(
        client, "post", f"{base}/record_review", personas.officer, {"data": {"score": "88.5"}}
    )
    assert response.status_code == 200 and response.json()["review_score"] == "88.50"
    response = send(
        client,
        "post",
        f"{base}/decide_approve",
        personas.leader,
        {"data": {"amount": "70000", "fund": fund.pk, "actor": personas.applicant_a.pk}},
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "decided" and response.json()["granted_amount"] == "70000.00"
    event = AuditEvent.objects.filter(action="projects.application.decide_approve").latest("seq")
    assert event.actor_username == "leo"


def test_a_review_score_out_of_range_is_refused(client, personas):
    call = make_call(personas.officer)
    application = submitted_application(personas.applicant_a, call)
    APPLICATION_WORKFLOW.apply(personas.officer, application, "pass_check")
    response = send(
        client,
        "post",
        f"/applications/{application.pk}/actions/record_review",
        personas.officer,
        {"data": {"score": "130"}},
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "guard_refused"
    application.refresh_from_db()
    assert application.state == Application.State.CHECKED and application.review_score is None


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
    headers = bearer(personas.officer)
    client.get("/api/v1/applications", **headers)
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/applications", **headers)
    for _n in range(4):
        make_application(personas.applicant_b, call)
    with CaptureQueriesContext(connection) as many:
        body = client.get("/api/v1/applications", **headers).json()
    assert body["count"] == 5
    assert len(many.captured_queries) == len(one.captured_queries)


def _same_queries_for_one_and_many(client, user, path: str, add_more) -> None:
    headers = bearer(user)
    client.get(f"/api/v1{path}", **headers)
    with CaptureQueriesContext(connection) as one:
        first = client.get(f"/api/v1{path}", **headers).json()
    add_more()
    with CaptureQueriesContext(connection) as many:
        later = client.get(f"/api/v1{path}", **headers).json()
    assert first["count"] == 1 and later["count"] > 1
    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_call_and_candidate_lists_page_in_the_database(client, personas):
    make_call(personas.officer)
    _same_queries_for_one_and_many(
        client,
        personas.officer,
        "/calls",
        lambda: [make_call(personas.officer, publish=False) for _n in range(3)],
    )

    def candidate():
        services.create_candidate(
            personas.applicant_a,
            personas.org_a,
            {"title": "储备", "field": "农业", "target_level": "county"},
        )

    candidate()
    _same_queries_for_one_and_many(
        client, personas.officer, "/candidates", lambda: [candidate() for _n in range(3)]
    )


def test_the_project_list_pages_in_the_database(client, personas):
    approved_project(personas)
    _same_queries_for_one_and_many(
        client,
        personas.officer,
        "/projects",
        lambda: [approved_project(personas) for _n in range(2)],
    )


# Projects and disbursements.
def test_projects_are_listed_and_read_in_scope(client, personas):
    project = approved_project(personas)
    assert ids(get(client, "/projects", personas.officer)) == [project.pk]
    assert ids(get(client, "/projects", personas.applicant_a)) == [project.pk]
    assert ids(get(client, f"/projects?year={project.year + 1}", personas.officer)) == []
    body = get(client, f"/projects/{project.pk}", personas.applicant_a).json()
    assert body["approved_amount"] == "80000.00" and body["disbursed_total"] == "0.00"
    assert body["state"] == "contracting"
    assert get(client, f"/projects/{project.pk}", personas.applicant_b).status_code == 404
    assert get(client, f"/projects/{project.pk}", personas.neighbour_officer).status_code == 404


def test_an_officer_signs_the_task_book_and_postpones_through_the_api(client, personas):
    project = approved_project(personas)
    services.update_task_book(
        personas.officer,
        project,
        {"targets": "推广1000亩", "start_on": dt.date(2030, 1, 1), "end_on": dt.date(2031, 12, 31)},
    )
    base = f"/projects/{project.pk}/actions"
    response = send(client, "post", f"{base}/sign_task_book", personas.officer)
    assert response.status_code == 200 and response.json()["state"] == "under_way"
    due = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
    response = send(
        client,
        "post",
        f"{base}/postpone",
        personas.officer,
        {"note": "天气原因", "data": {"due_on": due}},
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "postponed" and response.json()["acceptance_due"] == due


def test_an_officer_records_a_tranche_and_everyone_in_scope_sees_it(client, personas):
    project = approved_project(personas)
    body = {"amount": "30000", "paid_on": "2030-03-01", "voucher_number": "凭-001"}
    response = send(client, "post", f"/projects/{project.pk}/disbursements", personas.officer, body)
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "30000.00"
    listed = get(client, f"/projects/{project.pk}/disbursements", personas.applicant_a).json()
    assert [d["voucher_number"] for d in listed["items"]] == ["凭-001"]
    body = get(client, f"/projects/{project.pk}", personas.officer).json()
    assert body["disbursed_total"] == "30000.00"


def test_a_tranche_beyond_the_approved_amount_is_refused_naming_the_amount(client, personas):
    project = approved_project(personas, amount="80000")
    body = {"amount": "80000.01", "paid_on": "2030-03-01", "voucher_number": "凭-002"}
    response = send(client, "post", f"/projects/{project.pk}/disbursements", personas.officer, body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"].keys() == {"amount"}
    assert not Disbursement.objects.exists()


def test_an_unreadable_amount_is_refused_naming_the_amount(client, personas):
    project = approved_project(personas)
    body = {"amount": "很多", "paid_on": "2030-03-01", "voucher_number": "凭-003"}
    response = send(client, "post", f"/projects/{project.pk}/disbursements", personas.officer, body)
    assert response.status_code == 422 and "amount" in response.json()["error"]["fields"]


def test_applicants_do_not_record_tranches(client, personas):
    project = approved_project(personas)
    body = {"amount": "100", "paid_on": "2030-03-01", "voucher_number": "凭-004"}
    mine = send(client, "post", f"/projects/{project.pk}/disbursements", personas.applicant_a, body)
    assert mine.status_code == 403
    theirs = send(
        client, "post", f"/projects/{project.pk}/disbursements", personas.applicant_b, body
    )
    assert theirs.status_code == 404
    response = get(client, f"/projects/{project.pk}/disbursements", personas.applicant_b)
    assert response.status_code == 404
    response = send(
        client, "post", f"/projects/{project.pk}/actions/request_acceptance", personas.applicant_b
    )
    assert response.status_code == 404
    assert not Disbursement.objects.exists()
    project.refresh_from_db()
    assert project.state == Project.State.CONTRACTING


# Attachments.
def upload(client, application, user, kind: str = "feasibility_report"):
    return client.post(
        f"/api/v1/applications/{application.pk}/attachments",
        {"kind": kind, "file": pdf_upload()},
        **bearer(user),
    )


def test_an_applicant_attaches_lists_and_downloads_a_document(client, personas):
    call = make_call(personas.officer)
    application = make_application(personas.applicant_a, call)
    response = upload(client, application, personas.applicant_a)
    assert response.status_code == 201, response.content
    attachment = response.json()
    assert attachment["original_name"] == "可行性报告.pdf" and attachment["current"] is True
    listed = get(client, f"/applications/{application.pk}/attachments", personas.officer)
    assert [a["id"] for a in listed.json()["items"]] == [attachment["id"]]
    download = client.get(attachment["download_url"], **bearer(personas.officer))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert "attachment" in download["Content-Disposition"]


def test_a_file_that_is_not_a_document_is_refused_naming_the_file(client, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    call = make_call(personas.officer)
    application = make_application(personas.applicant_a, call)
    response = client.post(
        f"/api/v1/applications/{application.pk}/attachments",
        {"kind": "other", "file": SimpleUploadedFile("a.pdf", b"MZ not a pdf")},
        **bearer(personas.applicant_a),
    )
    assert response.status_code == 422 and "file" in response.json()["error"]["fields"]
    assert not Attachment.objects.exists()


def test_an_unknown_kind_is_refused_naming_the_kind(client, personas):
    call = make_call(personas.officer)
    application = make_application(personas.applicant_a, call)
    response = upload(client, application, personas.applicant_a, kind="poster")
    assert response.status_code == 422 and "kind" in response.json()["error"]["fields"]


def test_nothing_is_attached_to_a_submitted_application(client, personas):
    call = make_call(personas.officer)
    application = submitted_application(personas.applicant_a, call)
    response = upload(client, application, personas.applicant_a)
    assert response.status_code == 409
    assert upload(client, application, personas.officer).status_code == 403
    assert not Attachment.objects.exists()


def test_another_organization_cannot_download_an_attachment(client, personas):
    call = make_call(personas.officer)
    application = make_application(personas.applicant_a, call)
    attachment = upload(client, application, personas.applicant_a).json()
    for user in (personas.applicant_b, personas.expert, personas.neighbour_officer):
        response = client.get(attachment["download_url"], **bearer(user))
        assert response.status_code == 404, user
        assert response.json()["error"]["code"] == "not_found"


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


def test_an_unknown_choice_is_refused_naming_the_field(client, personas):
    candidate = services.create_candidate(
        personas.applicant_a,
        personas.org_a,
        {"title": "x", "field": "农业", "target_level": "county"},
    )
    response = send(
        client, "patch", f"/candidates/{candidate.pk}", personas.applicant_a, {"maturity": "ripe"}
    )
    assert response.status_code == 422 and "maturity" in response.json()["error"]["fields"]
    candidate.refresh_from_db()
    assert candidate.maturity == "idea"
