"""Programs, calls and the reserve pool through the API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from keguan.projects import services
from keguan.projects.models import Call, Candidate
from tests.api.projects.helpers import get, ids, same_queries_for_one_and_many, send
from tests.projects.factories import make_call, make_program

pytestmark = pytest.mark.django_db


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


def test_the_call_and_candidate_lists_page_in_the_database(client, personas):
    make_call(personas.officer)
    same_queries_for_one_and_many(
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
    same_queries_for_one_and_many(
        client, personas.officer, "/candidates", lambda: [candidate() for _n in range(3)]
    )


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


def test_an_applicant_cannot_unpair_or_repair_its_candidates_guiding_officer(client, personas):
    candidate = services.create_candidate(
        personas.officer,
        personas.org_a,
        {
            "title": "富硒大米",
            "field": "农业",
            "target_level": "county",
            "guiding_officer": personas.officer,
        },
    )
    for value in (None, personas.leader.pk):
        response = send(
            client,
            "patch",
            f"/candidates/{candidate.pk}",
            personas.applicant_a,
            {"guiding_officer": value},
        )
        assert response.status_code == 422
        assert "guiding_officer" in response.json()["error"]["fields"]
    candidate.refresh_from_db()
    assert candidate.guiding_officer == personas.officer
