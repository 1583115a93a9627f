"""Attached documents through the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from keguan.projects.models import Attachment
from tests.api.projects.helpers import get
from tests.api.test_api import bearer
from tests.projects.factories import (
    PDF_BYTES,
    make_application,
    make_call,
    pdf_upload,
    submitted_application,
)

pytestmark = pytest.mark.django_db


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
