"""Projects and the tranches paid to them through the API."""

import datetime as dt

import pytest
from django.utils import timezone

from keguan.funds.models import Disbursement
from keguan.projects import services
from keguan.projects.models import Project
from tests.api.projects.helpers import (
    approved_project,
    get,
    ids,
    same_queries_for_one_and_many,
    send,
)

pytestmark = pytest.mark.django_db


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


def test_the_project_list_pages_in_the_database(client, personas):
    approved_project(personas)
    same_queries_for_one_and_many(
        client,
        personas.officer,
        "/projects",
        lambda: [approved_project(personas) for _n in range(2)],
    )
