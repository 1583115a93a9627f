"""Rubrics, rounds, draws, the ranked list and the draw check through the API."""

import datetime as dt

import pytest
from django.utils import timezone

from keguan.review import services
from keguan.review.models import Assignment, Criterion, Draw, Round
from tests.api.projects.helpers import get, ids, same_queries_for_one_and_many, send
from tests.api.review.helpers import checked_applications, expert_in_every_state
from tests.review.factories import CRITERIA, make_expert, make_pool, make_round, score_all

pytestmark = pytest.mark.django_db


def test_an_officer_sets_a_rubric_prepares_seals_and_draws_a_round(client, personas):
    p = personas
    applications = checked_applications(p, 2)
    call = applications[0].call
    experts = make_pool(p.officer, 5)
    # An expert of the applicant's own unit is excluded, and the officer is told why.
    same_unit = make_expert(p.officer, unit=p.org_a.name, organization=p.org_a)
    response = send(
        client,
        "put",
        f"/review/calls/{call.pk}/rubric",
        p.officer,
        {"spread_limit": "15", "criteria": CRITERIA},
    )
    assert response.status_code == 200, response.content
    assert [c["weight"] for c in response.json()["criteria"]] == [30, 30, 40]
    body = {
        "call": call.pk,
        "name": "接口第一轮",
        "experts_per_application": 3,
        "reserves": 1,
        "review_deadline": (timezone.now() + dt.timedelta(days=7)).isoformat(),
        "seed_source": "2026-11-20 福彩3D 123",
        "seed_published_where": "中国福利彩票网",
    }
    response = send(client, "post", "/review/rounds", p.officer, body)
    assert response.status_code == 201, response.content
    round_id = response.json()["id"]
    path = f"/review/rounds/{round_id}"
    response = send(
        client, "put", f"{path}/entries", p.officer, {"applications": [a.pk for a in applications]}
    )
    assert response.status_code == 200, response.content
    assert {e["application_id"] for e in response.json()["entries"]} == {a.pk for a in applications}
    response = send(client, "post", f"{path}/actions/seal", p.officer)
    assert response.status_code == 200 and response.json()["state"] == "sealed"
    response = send(client, "post", f"{path}/draw", p.officer)
    assert response.status_code == 200, response.content
    draws = response.json()["draws"]
    assert [d["outcome"] for d in draws] == ["drawn", "drawn"]
    assert all(len(d["result"]) == 4 and same_unit.pk not in d["result"] for d in draws)
    log = get(client, f"{path}/draws", p.officer).json()
    assert log["seed_source"] == "2026-11-20 福彩3D 123"
    for draw in log["draws"]:
        assert draw["seed"] and set(draw["result"]) <= set(draw["pool"])
        assert set(draw["pool"]) == {e.pk for e in experts}
        [excluded] = draw["excluded"]
        assert excluded["expert"] == same_unit.pk and "same_unit" in excluded["rules"]
        assert excluded["expert_name"] == same_unit.name and excluded["rule_labels"]
    response = send(client, "post", f"{path}/actions/open_review", p.officer)
    assert response.status_code == 200, response.content
    assert get(client, f"{path}/verify", p.inspector).json() == {
        "ok": True,
        "draws": 2,
        "differences": [],
    }


def test_a_rubric_whose_weights_do_not_add_up_is_refused(client, personas):
    [application] = checked_applications(personas, 1)
    criteria = [{"name": "创新性", "weight": 30}, {"name": "可行性", "weight": 30}]
    response = send(
        client,
        "put",
        f"/review/calls/{application.call_id}/rubric",
        personas.officer,
        {"criteria": criteria},
    )
    assert response.status_code == 422
    assert "criteria" in response.json()["error"]["fields"]
    assert not Criterion.objects.exists()
    response = send(
        client,
        "put",
        f"/review/calls/{application.call_id}/rubric",
        personas.applicant_a,
        {"criteria": CRITERIA},
    )
    assert response.status_code == 403
    assert not Criterion.objects.exists()


def test_the_round_list_costs_the_same_queries_for_one_and_many(client, personas):
    [application] = checked_applications(personas, 1)

    def more_rounds():
        for index in range(3):
            services.create_round(
                personas.officer,
                application.call,
                {"name": f"轮次{index}", "review_deadline": timezone.now() + dt.timedelta(days=5)},
            )

    services.create_round(
        personas.officer,
        application.call,
        {"name": "首轮", "review_deadline": timezone.now() + dt.timedelta(days=5)},
    )
    same_queries_for_one_and_many(client, personas.officer, "/review/rounds", more_rounds)


def test_a_round_with_too_few_experts_draws_none_and_says_so(client, personas):
    [application] = checked_applications(personas, 1)

    make_pool(personas.officer, 2)
    round = make_round(personas.officer, [application])
    response = send(client, "post", f"/review/rounds/{round.pk}/draw", personas.officer)
    assert response.status_code == 200
    [draw] = response.json()["draws"]
    assert draw["outcome"] == "too_few" and draw["result"] == []
    assert not Assignment.objects.filter(round=round).exists()


def test_draws_are_hidden_from_applicants_experts_and_leaders(client, personas):
    setup = expert_in_every_state(personas)
    path = f"/review/rounds/{setup.round.pk}"
    for user in (personas.applicant_a, setup.x.user, personas.expert, personas.leader):
        for sub in ("/draws", "/verify"):
            response = get(client, f"{path}{sub}", user)
            assert response.status_code == 404, (user, sub)
    for user in (personas.officer, personas.inspector):
        assert get(client, f"{path}/draws", user).status_code == 200
    # Applicants and experts do not even see the round.
    for user in (personas.applicant_a, setup.x.user):
        assert ids(get(client, "/review/rounds", user)) == []
        assert get(client, path, user).status_code == 404


def test_only_officers_draw_and_the_round_does_not_change_otherwise(client, personas):
    setup = expert_in_every_state(personas)
    count = Draw.objects.count()
    for user, status in ((personas.inspector, 403), (personas.applicant_a, 404)):
        response = send(
            client,
            "post",
            f"/review/rounds/{setup.round.pk}/redraw",
            user,
            {"application": setup.applications[0].pk, "reason": "x"},
        )
        assert response.status_code == status
    assert Draw.objects.count() == count
    response = send(
        client, "patch", f"/review/rounds/{setup.round.pk}", personas.officer, {"name": "改名"}
    )
    assert response.status_code == 422  # sealed: the round can no longer change
    assert Round.objects.get(pk=setup.round.pk).name == "接口评审"


def test_the_ranked_list_names_no_expert(client, personas):
    setup = expert_in_every_state(personas)
    score_all(setup.round, values=(8, 7, 9))
    response = get(client, f"/review/rounds/{setup.round.pk}/ranking", personas.leader)
    assert response.status_code == 200, response.content
    rows = response.json()
    assert len(rows) == 5 and rows[0]["rank"] == 1
    assert all(row["sheets"] == 3 and row["score"] == "81.00" for row in rows)
    text = response.content.decode()
    for expert in setup.experts:
        assert expert.name not in text
    assert (
        get(client, f"/review/rounds/{setup.round.pk}/ranking", personas.applicant_a).status_code
        == 404
    )
