"""The OpenAPI document names every path of the projects API."""

import pytest

pytestmark = pytest.mark.django_db


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
