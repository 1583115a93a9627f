"""Statistics per level and year: aggregated in the database over the jurisdiction."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keguan.funds import services as funds
from keguan.projects.statistics import by_level_and_year
from tests.factories import sign_in
from tests.projects.factories import make_call, submitted_application
from tests.projects.states import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_statistics():
    cache.clear()
    yield
    cache.clear()


def _county_row(stats, year):
    return next(row for row in stats.rows if row.year == year and row.level == "county")


def test_statistics_count_submissions_approvals_and_money_per_level_and_year(personas):
    year = timezone.localdate().year
    project = make_project(personas, amount="80000")
    funds.record_disbursement(
        personas.officer,
        project,
        {"amount": Decimal("30000"), "paid_on": timezone.localdate(), "voucher_number": "PZ1"},
    )
    submitted_application(personas.applicant_b, make_call(personas.officer))

    row = _county_row(by_level_and_year(personas.officer), year)

    assert (row.submitted, row.approved, row.projects) == (2, 1, 1)
    assert row.approved_amount == Decimal("80000")
    assert row.disbursed == Decimal("30000")


def test_a_county_officer_counts_only_their_own_county(personas):
    make_project(personas)
    assert by_level_and_year(personas.neighbour_officer).rows == []
    city_rows = by_level_and_year(personas.city_officer).rows
    assert sum(row.projects for row in city_rows) == 1


def test_statistics_are_kept_for_a_while_and_recounted_on_request(personas):
    make_project(personas)
    first = by_level_and_year(personas.officer)
    submitted_application(personas.applicant_b, make_call(personas.officer))
    assert by_level_and_year(personas.officer).rows == first.rows
    recounted = by_level_and_year(personas.officer, fresh=True)
    year = timezone.localdate().year
    assert _county_row(recounted, year).submitted == 2


def test_statistics_page_issues_the_same_queries_for_one_project_or_many(client, personas):
    sign_in(client, personas.officer)
    make_project(personas)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("projects:statistics") + "?fresh=1").status_code == 200
    for _ in range(3):
        make_project(personas, applicant=personas.applicant_b)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("projects:statistics") + "?fresh=1")
    assert len(many.captured_queries) == len(one.captured_queries)
    assert "8.00" in response.content.decode() or "32.00" in response.content.decode()


def test_applicants_do_not_see_statistics(client, personas):
    sign_in(client, personas.applicant_a)
    assert client.get(reverse("projects:statistics")).status_code == 404
    assert client.get(reverse("projects:statistics_export")).status_code == 404


def test_statistics_export_is_a_workbook_and_audited(client, personas):
    from keguan.audit.models import AuditEvent

    make_project(personas)
    sign_in(client, personas.officer)
    response = client.get(reverse("projects:statistics_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="projects.statistics.export").exists()
