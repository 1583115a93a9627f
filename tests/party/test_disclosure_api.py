"""The affairs resources of /api/v1/party/: the disclosure workflow shape, scoping, the
village summary."""

import datetime as dt

import pytest

from keguan.accounts import services as accounts
from keguan.party.models import DisclosureItem
from keguan.party.services import affairs_village as village_services
from tests.party.affairs_helpers import affairs_people, proposed

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _token, secret = accounts.create_token(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def people(personas):
    return affairs_people(personas)


def test_the_review_through_the_api_takes_the_confidentiality_tick(client, people):
    item = proposed(people.committee)
    url = f"/api/v1/party/disclosures/{item.pk}/actions/review"
    headers = bearer(people.secretary)
    refused = client.post(url, {}, content_type="application/json", **headers)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "guard_refused"
    done = client.post(
        url, {"data": {"confidential": True}}, content_type="application/json", **headers
    )
    assert done.status_code == 200
    assert done.json()["state"] == "reviewed"


def test_a_member_sees_no_unpublished_item_and_cannot_move_one(client, people):
    item = proposed(people.committee)
    headers = bearer(people.member)
    assert client.get("/api/v1/party/disclosures", **headers).json()["items"] == []
    response = client.post(
        f"/api/v1/party/disclosures/{item.pk}/actions/review",
        {"data": {"confidential": True}},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.state == DisclosureItem.State.PROPOSED


def test_the_village_resource_carries_its_yearly_summary(client, people):
    village = village_services.create_village(
        people.secretary,
        {"name": "塘背村", "township": "双明镇", "households": 400, "poor_households": 50},
    )
    village_services.record_aid(
        people.secretary,
        village,
        {
            "given_on": dt.date(2011, 1, 20),
            "kind": "money",
            "description": "慰问金",
            "amount": 3000,
        },
    )
    response = client.get(f"/api/v1/party/villages/{village.pk}", **bearer(people.member))
    assert response.status_code == 200
    assert response.json()["summaries"][0]["aid_money"] == "3000.00"
