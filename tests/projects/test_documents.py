"""The recommendation letter is a real Word document, for the bureau's officers only."""

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from keguan.projects.workflow import APPLICATION_WORKFLOW
from tests.factories import sign_in
from tests.projects.factories import make_call, make_program, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def recommended(personas):
    program = make_program(personas.officer, "星火计划", level="national", body="科学技术部")
    call = make_call(personas.officer, program)
    application = submitted_application(personas.applicant_a, call)
    application = APPLICATION_WORKFLOW.apply(personas.officer, application, "pass_check")
    return APPLICATION_WORKFLOW.apply(
        personas.officer,
        application,
        "recommend",
        {"note": "该项目技术成熟，带动农户增收效果明显，特此推荐。"},
    )


def test_the_officer_downloads_the_letter_as_word_with_the_recommendation(
    client, personas, recommended
):
    sign_in(client, personas.officer)
    response = client.get(reverse("projects:recommendation_letter", args=[recommended.pk]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)
    assert "特此推荐" in text
    assert "科学技术部" in text
    cells = [c.text for t in Document(BytesIO(response.content)).tables for c in t._cells]
    assert recommended.title in cells


def test_the_applicant_and_other_counties_get_no_letter(client, personas, recommended):
    url = reverse("projects:recommendation_letter", args=[recommended.pk])
    for persona in (personas.applicant_a, personas.applicant_b, personas.neighbour_officer):
        client.logout()
        sign_in(client, persona)
        assert client.get(url).status_code == 404


def test_no_letter_before_the_application_is_recommended(client, personas):
    call = make_call(personas.officer)
    application = submitted_application(personas.applicant_a, call)
    sign_in(client, personas.officer)
    url = reverse("projects:recommendation_letter", args=[application.pk])
    assert client.get(url).status_code == 404
