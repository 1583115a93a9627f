"""The expert pool through the API: phone and ID masked except to officers."""

import pytest

from keguan.accounts.roles import Role
from keguan.review.models import Expert, ExpertField
from tests.api.projects.helpers import get, ids, same_queries_for_one_and_many, send
from tests.factories import make_user
from tests.projects.factories import make_id_number
from tests.review.factories import make_expert

pytestmark = pytest.mark.django_db


def test_officers_see_phone_and_id_in_full_and_other_staff_masked(client, personas):
    expert = make_expert(personas.officer)
    body = get(client, f"/review/experts/{expert.pk}", personas.officer).json()
    assert body["phone"] == expert.phone and body["id_number"] == expert.id_number
    for user in (personas.leader, personas.inspector):
        body = get(client, f"/review/experts/{expert.pk}", user).json()
        assert "*" in body["phone"] and "*" in body["id_number"]
        assert body["id_number"] != expert.id_number


def test_applicants_and_experts_reach_no_expert(client, personas):
    expert = make_expert(personas.officer)
    for user in (personas.applicant_a, personas.expert, expert.user, personas.neighbour_officer):
        assert ids(get(client, "/review/experts", user)) == []
        assert get(client, f"/review/experts/{expert.pk}", user).status_code == 404


def test_the_pool_list_costs_the_same_queries_for_one_and_many(client, personas):
    make_expert(personas.officer)
    same_queries_for_one_and_many(
        client,
        personas.officer,
        "/review/experts",
        lambda: [make_expert(personas.officer) for _ in range(3)],
    )


def test_an_officer_adds_an_expert_with_fields_and_relations(client, personas):
    account = make_user("newexpert", [Role.EXPERT], personas.officer.bureau)
    body = {
        "name": "王教授",
        "unit": "江西农业大学",
        "title": "教授",
        "phone": "13900001111",
        "id_number": make_id_number("19700101"),
        "user": account.pk,
    }
    response = send(client, "post", "/review/experts", personas.officer, body)
    assert response.status_code == 201, response.content
    expert_id = response.json()["id"]
    path = f"/review/experts/{expert_id}"
    response = send(
        client,
        "put",
        f"{path}/fields",
        personas.officer,
        [{"discipline_code": "21040", "keywords": "水稻，育种、栽培"}],
    )
    assert response.status_code == 200, response.content
    assert response.json()["fields"] == [
        {"discipline_code": "21040", "keywords": ["水稻", "育种", "栽培"]}
    ]
    response = send(
        client,
        "put",
        f"{path}/relations",
        personas.officer,
        [{"kind": "former_employer", "name": "甲企业"}],
    )
    assert response.status_code == 200 and response.json()["relations"][0]["name"] == "甲企业"
    response = send(client, "patch", path, personas.officer, {"title": "研究员"})
    assert response.status_code == 200 and response.json()["title"] == "研究员"


def test_bad_input_names_the_field_and_changes_nothing(client, personas):
    expert = make_expert(personas.officer, fields=("210",))
    response = send(
        client,
        "put",
        f"/review/experts/{expert.pk}/fields",
        personas.officer,
        [{"discipline_code": "21040", "keywords": ["a", "b", "c", "d", "e", "f"]}],
    )
    assert response.status_code == 422
    assert "fields.1" in response.json()["error"]["fields"]
    assert list(
        ExpertField.objects.filter(expert=expert).values_list("discipline_code", flat=True)
    ) == ["210"]
    response = send(
        client,
        "post",
        "/review/experts",
        personas.officer,
        {"name": "重复", "unit": "某所", "id_number": expert.id_number},
    )
    assert response.status_code == 422 and "id_number" in response.json()["error"]["fields"]
    assert Expert.objects.count() == 1


def test_only_officers_keep_the_pool(client, personas):
    expert = make_expert(personas.officer)
    response = send(
        client, "patch", f"/review/experts/{expert.pk}", personas.inspector, {"title": "x"}
    )
    assert response.status_code == 403
    response = send(
        client, "post", f"/review/experts/{expert.pk}/actions/pause", personas.leader, {"note": "x"}
    )
    assert response.status_code == 403
    assert Expert.objects.get(pk=expert.pk).state == "active"
    response = send(client, "post", f"/review/experts/{expert.pk}/actions/pause", personas.officer)
    assert response.json()["error"]["code"] == "note_required"
    response = send(
        client,
        "post",
        f"/review/experts/{expert.pk}/actions/pause",
        personas.officer,
        {"note": "出国"},
    )
    assert response.status_code == 200 and response.json()["state"] == "paused"
