"""The REST API: Bearer tokens, one error shape, the same scoping as the web UI."""

import pytest

from keguan.accounts import services
from keguan.accounts.models import Organization
from keguan.audit.models import AuditEvent
from tests.factories import make_uscc

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _token, secret = services.create_token(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/organizations/{obj_id}/actions/{action}" in document["paths"]


def test_no_token_gets_a_json_401(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_a_revoked_token_no_longer_works(client, personas):
    token, secret = services.create_token(personas.officer, "old")
    services.revoke_token(personas.officer, token)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401


def test_me_names_the_caller_and_roles(client, personas):
    body = client.get("/api/v1/me", **bearer(personas.officer)).json()
    assert body["username"] == "olivia" and body["roles"] == ["officer"]
    assert body["bureau"]["region_code"] == "361127"


def test_an_applicant_lists_only_its_own_organization(client, personas):
    body = client.get("/api/v1/organizations", **bearer(personas.applicant_a)).json()
    assert [item["id"] for item in body["items"]] == [personas.org_a.pk]
    other = client.get(f"/api/v1/organizations/{personas.org_b.pk}", **bearer(personas.applicant_a))
    assert other.status_code == 404
    assert other.json()["error"]["code"] == "not_found"


def test_workflow_resources_say_state_and_allowed_actions(client, personas):
    body = client.get(
        f"/api/v1/organizations/{personas.org_a.pk}", **bearer(personas.officer)
    ).json()
    assert body["state"] == "pending"
    assert {a["action"] for a in body["allowed_actions"]} == {"verify", "return"}
    mine = client.get(
        f"/api/v1/organizations/{personas.org_a.pk}", **bearer(personas.applicant_a)
    ).json()
    assert mine["allowed_actions"] == []


def test_an_officer_verifies_through_the_api(client, personas):
    response = client.post(
        f"/api/v1/organizations/{personas.org_a.pk}/actions/verify",
        {"note": "材料齐全"},
        content_type="application/json",
        **bearer(personas.officer),
    )
    assert response.status_code == 200 and response.json()["state"] == "verified"
    event = AuditEvent.objects.filter(action="accounts.organization.verify").latest("seq")
    assert event.actor_username == "olivia"


def test_a_forbidden_action_is_refused_and_changes_nothing(client, personas):
    response = client.post(
        f"/api/v1/organizations/{personas.org_a.pk}/actions/verify",
        {},
        content_type="application/json",
        **bearer(personas.applicant_a),
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    personas.org_a.refresh_from_db()
    assert personas.org_a.state == Organization.State.PENDING


def test_a_stale_action_answers_409(client, personas):
    response = client.post(
        f"/api/v1/organizations/{personas.org_a.pk}/actions/verify",
        {"expected_state": "returned"},
        content_type="application/json",
        **bearer(personas.officer),
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stale_state"


def test_invalid_input_names_the_field(client, personas):
    response = client.post(
        "/api/v1/organizations",
        {"name": "新", "kind": "enterprise", "uscc": "91361127MA00000010"},
        content_type="application/json",
        **bearer(personas.officer),
    )
    assert response.status_code == 422
    assert "uscc" in response.json()["error"]["fields"]


def test_an_officer_registers_an_organization_through_the_api(client, personas):
    code = make_uscc()
    response = client.post(
        "/api/v1/organizations",
        {"name": "新单位", "kind": "enterprise", "uscc": code},
        content_type="application/json",
        **bearer(personas.officer),
    )
    assert response.status_code == 201
    assert Organization.objects.get(uscc=code).state == Organization.State.PENDING


def test_administrators_read_no_business_data_through_the_api(client, personas):
    body = client.get("/api/v1/organizations", **bearer(personas.auditadmin)).json()
    assert body["items"] == []


def test_a_refused_look_through_the_api_is_audited(client, personas):
    response = client.get(
        f"/api/v1/organizations/{personas.org_b.pk}", **bearer(personas.applicant_a)
    )
    assert response.status_code == 404
    event = AuditEvent.objects.filter(action="access.denied").latest("seq")
    assert event.actor_username == "alice" and event.object_id == str(personas.org_b.pk)


def test_the_api_masks_contact_phones_for_readers(client, personas):
    body = client.get(
        f"/api/v1/organizations/{personas.org_a.pk}", **bearer(personas.inspector)
    ).json()
    assert body["contact_phone"] == "138****5678"
    mine = client.get(
        f"/api/v1/organizations/{personas.org_a.pk}", **bearer(personas.applicant_a)
    ).json()
    assert mine["contact_phone"] == "13812345678"


def test_the_organization_list_pages_in_the_database(
    client, personas, django_assert_max_num_queries
):
    from tests.factories import make_organization

    headers = bearer(personas.officer)
    client.get("/api/v1/organizations?limit=5", **headers)
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/organizations?limit=5", **headers)
    for n in range(20):
        make_organization(personas.bureaus.county, f"接口单位{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/api/v1/organizations?limit=5", **headers).json()
    assert len(body["items"]) == 5 and body["count"] == 22
