"""The applicant's list of units and experts to avoid, through the API."""

import pytest

from keguan.projects.models import Application
from keguan.review.models import Avoidance
from tests.api.projects.helpers import get, send
from tests.projects.states import application_in

pytestmark = pytest.mark.django_db
A = Application.State
ITEMS = [
    {"kind": "unit", "name": "竞争对手研究院", "unit": "", "reason": "同行竞争"},
    {"kind": "expert", "name": "赵六", "unit": "某大学", "reason": "学术分歧"},
]


def test_the_unit_sets_its_list_and_the_officer_reads_it(client, personas):
    p = personas
    application = application_in(p, A.DRAFT)
    path = f"/review/applications/{application.pk}/avoidances"
    response = send(client, "put", path, p.applicant_a, {"items": ITEMS})
    assert response.status_code == 200, response.content
    assert [item["name"] for item in response.json()] == ["竞争对手研究院", "赵六"]
    response = get(client, path, p.officer)
    assert response.status_code == 200 and len(response.json()) == 2


def test_the_list_is_hidden_from_experts_and_other_units(client, personas):
    p = personas
    application = application_in(p, A.DRAFT)
    path = f"/review/applications/{application.pk}/avoidances"
    for user in (p.expert, p.applicant_b, p.leader):
        assert get(client, path, user).status_code == 404


def test_the_officer_cannot_change_it_and_a_submitted_list_is_frozen(client, personas):
    p = personas
    draft = application_in(p, A.DRAFT)
    response = send(
        client, "put", f"/review/applications/{draft.pk}/avoidances", p.officer, {"items": ITEMS}
    )
    assert response.status_code == 403
    submitted = application_in(p, A.SUBMITTED)
    response = send(
        client,
        "put",
        f"/review/applications/{submitted.pk}/avoidances",
        p.applicant_a,
        {"items": ITEMS},
    )
    assert response.status_code == 403
    assert not Avoidance.objects.exists()


def test_a_missing_reason_is_refused_naming_the_row(client, personas):
    p = personas
    application = application_in(p, A.DRAFT)
    items = [{**ITEMS[0], "reason": ""}]
    response = send(
        client,
        "put",
        f"/review/applications/{application.pk}/avoidances",
        p.applicant_a,
        {"items": items},
    )
    assert response.status_code in (400, 422), response.content
    assert "avoidances.1" in response.content.decode()
    assert not Avoidance.objects.exists()
