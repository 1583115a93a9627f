"""Requests to the projects API as a persona, and the objects its tests start from."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from keguan.funds.models import Fund
from keguan.projects.models import Project
from keguan.projects.workflow import APPLICATION_WORKFLOW
from tests.api.test_api import bearer
from tests.projects.factories import make_call, make_fund, reviewed_application
from tests.projects.states import decide


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
    application = decide(personas, application, amount, fund)  # a released meeting
    APPLICATION_WORKFLOW.apply(personas.officer, application, "confirm", automatic=True)
    return Project.objects.get(application=application)


def same_queries_for_one_and_many(client, user, path: str, add_more) -> None:
    headers = bearer(user)
    client.get(f"/api/v1{path}", **headers)
    with CaptureQueriesContext(connection) as one:
        first = client.get(f"/api/v1{path}", **headers).json()
    add_more()
    with CaptureQueriesContext(connection) as many:
        later = client.get(f"/api/v1{path}", **headers).json()
    assert first["count"] == 1 and later["count"] > 1
    assert len(many.captured_queries) == len(one.captured_queries)
