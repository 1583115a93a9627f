"""The public disclosure pages: each year's figures, generated from the records."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keguan.accounts.models import Bureau
from keguan.funds import services as funds
from keguan.projects.models import Application, Project, TeamMember
from keguan.projects.workflow import APPLICATION_WORKFLOW
from tests.projects.factories import make_call, make_fund, make_program
from tests.projects.states import application_in, make_project

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def year_url(year: int = YEAR) -> str:
    return reverse("portal:disclosure_year", kwargs={"year": year})


def higher_approval(personas, amount: str = "300000") -> Application:
    """A municipal grant won by alice's unit: recommended up, approved by the city."""
    application = application_in(personas, Application.State.RECOMMENDED)
    return APPLICATION_WORKFLOW.apply(
        personas.officer, application, "record_higher_approval", {"amount": amount}
    )


def test_anonymous_visitors_read_the_index_and_a_year_page(client, personas):
    make_project(personas)
    index = client.get(reverse("portal:disclosure_index"))
    assert index.status_code == 200
    assert year_url() in index.content.decode()
    assert client.get(year_url()).status_code == 200


def test_the_index_lists_years_with_calls_or_projects_newest_first(client, personas):
    make_call(personas.officer, year=YEAR - 2)
    make_project(personas)
    # A fund alone, or a draft call, is not something to disclose a year for.
    make_fund(personas.officer, year=YEAR - 5)
    make_call(personas.officer, publish=False, year=YEAR - 7)
    response = client.get(reverse("portal:disclosure_index"))
    assert response.context["years"] == [YEAR, YEAR - 2]


def test_the_year_page_shows_the_figures_that_were_recorded(client, personas):
    fund = make_fund(personas.officer, amount="650000")
    first = make_project(personas, amount="80000", fund=fund)
    second = make_project(personas, applicant=personas.applicant_b, amount="50000", fund=fund)
    funds.record_disbursement(
        personas.officer,
        first,
        {"amount": "20000", "paid_on": timezone.localdate(), "voucher_number": "记-1"},
    )
    granted = higher_approval(personas)
    higher_project = Project.objects.get(application=granted)

    response = client.get(year_url())
    assert response.status_code == 200
    context = response.context
    assert {project.pk for project in context["projects"]} == {
        first.pk,
        second.pk,
        higher_project.pk,
    }
    assert context["project_totals"]["count"] == 3
    assert context["project_totals"]["amount"] == Decimal("430000")
    by_level = {row["level"]: row for row in context["project_totals"]["levels"]}
    assert by_level[Bureau.Level.COUNTY]["amount"] == Decimal("130000")
    assert by_level[Bureau.Level.MUNICIPAL]["amount"] == Decimal("300000")

    obtained = context["funds_obtained"]
    assert [(row["level"], row["count"], row["amount"]) for row in obtained["levels"]] == [
        (Bureau.Level.MUNICIPAL, 1, Decimal("300000"))
    ]
    assert obtained["amount"] == Decimal("300000")

    [row] = context["budget"]["funds"]
    assert row.pk == fund.pk
    assert (row.amount, row.allocated, row.disbursed) == (
        Decimal("650000"),
        Decimal("130000"),
        Decimal("20000"),
    )
    assert row.execution_rate.quantize(Decimal("0.1")) == Decimal("15.4")
    assert context["budget"]["totals"]["allocated"] == Decimal("130000")

    body = response.content.decode()
    for project in (first, second, higher_project):
        assert project.number in body and project.title in body
    assert first.application.call.title in body
    assert personas.org_a.name in body and personas.org_b.name in body
    # Amounts in 萬元: 8.00 and 30.00 (10,000 yuan), the total 43.00.
    assert "8.00" in body and "30.00" in body and "43.00" in body


def test_another_countys_calls_and_projects_and_drafts_stay_out(client, personas):
    make_project(personas)
    far_call = make_call(personas.neighbour_officer, title="邻县指南")
    draft = make_call(personas.officer, publish=False, title="草稿指南")
    response = client.get(year_url())
    body = response.content.decode()
    assert far_call.title not in body and draft.title not in body
    assert {project.bureau_id for project in response.context["projects"]} == {
        personas.bureaus.county.pk
    }


def test_calls_of_the_levels_above_are_disclosed(client, personas):
    make_project(personas)
    city = make_call(
        personas.city_officer,
        make_program(personas.city_officer, level=Bureau.Level.MUNICIPAL),
        title="市级指南",
    )
    response = client.get(year_url())
    assert city in response.context["calls"]


def test_a_year_with_nothing_to_disclose_is_not_found(client, personas):
    make_project(personas)
    make_fund(personas.officer, year=YEAR - 3)
    assert client.get(year_url(YEAR - 3)).status_code == 404
    assert client.get(year_url(1999)).status_code == 404


def test_without_any_county_bureau_the_index_is_empty_and_years_are_not_found(client, db):
    response = client.get(reverse("portal:disclosure_index"))
    assert response.status_code == 200
    assert response.context["years"] == []
    assert client.get(year_url()).status_code == 404


def test_the_year_page_takes_the_same_number_of_queries_for_one_or_many_projects(client, personas):
    fund = make_fund(personas.officer, amount="5000000")
    make_project(personas, fund=fund)
    with CaptureQueriesContext(connection) as one:
        assert client.get(year_url()).status_code == 200
    make_project(personas, applicant=personas.applicant_b, fund=fund)
    make_project(personas, fund=fund)
    higher_approval(personas)
    make_call(personas.officer, make_program(personas.officer, level=Bureau.Level.PROVINCIAL))
    with CaptureQueriesContext(connection) as many:
        response = client.get(year_url())
    assert len(response.context["projects"]) == 4
    assert len(many) == len(one)


def test_no_personal_data_appears_on_the_year_page(client, personas):
    project = make_project(personas)
    higher_approval(personas)
    response = client.get(year_url())
    body = response.content.decode()
    members = TeamMember.objects.filter(application=project.application)
    assert members.exists()
    for member in members:
        assert member.id_number not in body
        assert member.name not in body
    for org in (personas.org_a, personas.org_b):
        assert org.contact_phone not in body
        assert org.contact_name not in body
    assert personas.applicant_a.username not in body
    assert not re.search(r"\d{17}[\dXx]", body), "no 18-character ID number"
    assert not re.search(r"1[3-9]\d{9}", body), "no mobile number"


def test_awards_come_from_the_award_notices_that_ran_their_period(client, personas):
    """An award notice's items (names included, as the notice published them) appear in
    the year its period ended; nothing is typed twice."""
    import datetime as dt

    import time_machine

    from keguan.portal import services
    from keguan.portal.workflow import NOTICE_WORKFLOW

    p = personas
    notice = services.create_notice(p.officer, {"kind": "award", "title": "科技进步奖公示"})
    services.replace_items(
        p.officer,
        notice,
        [
            {
                "title": "特种水稻高产栽培",
                "unit": "四股桥特种水稻研究开发中心",
                "person_name": "杨玉梁",
            }
        ],
    )
    notice = NOTICE_WORKFLOW.apply(p.officer, notice, "publish")
    with time_machine.travel(notice.ends_on + dt.timedelta(days=2), tick=False):
        services.end_due_notices()
    page = client.get(f"/disclosure/{notice.ends_on.year}/").content.decode()
    assert "特种水稻高产栽培" in page and "杨玉梁" in page
