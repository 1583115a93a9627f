"""Fund pages: the list with its figures in 萬元, recording a fund, a fund's detail."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keguan.funds import services as funds
from keguan.funds.models import Fund
from tests.factories import sign_in
from tests.projects.factories import make_fund
from tests.projects.states import make_project

pytestmark = pytest.mark.django_db


def test_the_fund_list_shows_allocated_disbursed_left_and_the_execution_rate(client, personas):
    fund = make_fund(personas.officer, amount="650000")
    project = make_project(personas, amount="80000", fund=fund)
    funds.record_disbursement(
        personas.officer,
        project,
        {"amount": "20000", "paid_on": timezone.localdate(), "voucher_number": "记-1"},
    )
    sign_in(client, personas.leader)
    response = client.get(reverse("funds:fund_list"))
    assert response.status_code == 200
    [row] = list(response.context["page"])
    assert row.allocated == Decimal("80000")
    assert row.disbursed == Decimal("20000")
    assert row.left == Decimal("570000")
    assert row.execution_rate == Decimal("25.0")
    assert response.context["totals"]["left"] == Decimal("570000")
    assert "65.00" in response.text and "57.00" in response.text  # 萬元


def test_a_fund_with_nothing_allocated_has_no_execution_rate(client, personas):
    make_fund(personas.officer, amount="100000")
    sign_in(client, personas.officer)
    [row] = list(client.get(reverse("funds:fund_list")).context["page"])
    assert row.execution_rate is None
    assert row.left == Decimal("100000")


def test_the_fund_list_filters_by_year_and_kind(client, personas):
    year = timezone.localdate().year
    make_fund(personas.officer, amount="100000", year=year)
    make_fund(personas.officer, amount="100000", year=year - 1)
    make_fund(personas.officer, amount="100000", year=year, kind="patent_compensation")
    sign_in(client, personas.officer)
    url = reverse("funds:fund_list")
    rows = list(client.get(url, {"year": year, "kind": "science_budget"}).context["page"])
    assert [(f.year, f.kind) for f in rows] == [(year, "science_budget")]


def test_the_fund_list_costs_the_same_queries_for_one_fund_and_for_several(client, personas):
    year = timezone.localdate().year
    fund = make_fund(personas.officer, amount="650000", year=year)
    make_project(personas, fund=fund)
    sign_in(client, personas.officer)
    url = reverse("funds:fund_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for back in (1, 2, 3):
        make_fund(personas.officer, amount="100000", year=year - back)
    with CaptureQueriesContext(connection) as four:
        response = client.get(url)
    assert len(response.context["page"]) == 4
    assert len(four) == len(one)


def test_the_neighbouring_county_sees_none_of_our_funds(client, personas):
    fund = make_fund(personas.officer)
    sign_in(client, personas.neighbour_officer)
    assert list(client.get(reverse("funds:fund_list")).context["page"]) == []
    assert client.get(reverse("funds:fund_detail", args=[fund.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["applicant_a", "expert", "liaison", "sysadmin"])
def test_people_outside_the_bureau_get_no_fund_pages(client, personas, persona):
    fund = make_fund(personas.officer)
    sign_in(client, getattr(personas, persona))
    assert client.get(reverse("funds:fund_list")).status_code == 404
    assert client.get(reverse("funds:fund_detail", args=[fund.pk])).status_code == 404


def test_the_officer_records_a_fund_in_yuan(client, personas):
    sign_in(client, personas.officer)
    response = client.post(
        reverse("funds:fund_create"),
        {"kind": "sme_innovation", "year": "2026", "amount": "300,000", "note": "县财政"},
    )
    fund = Fund.objects.get(kind="sme_innovation")
    assert response.status_code == 302
    assert fund.amount == Decimal("300000")
    assert fund.bureau == personas.officer.bureau


def test_a_second_fund_of_the_same_kind_and_year_is_refused(client, personas):
    make_fund(personas.officer, year=2026)
    sign_in(client, personas.officer)
    response = client.post(
        reverse("funds:fund_create"),
        {"kind": "science_budget", "year": "2026", "amount": "1000"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Fund.objects.filter(year=2026).count() == 1


def test_a_bad_amount_is_named_beside_its_field(client, personas):
    sign_in(client, personas.officer)
    response = client.post(
        reverse("funds:fund_create"), {"kind": "other", "year": "2026", "amount": "-5"}
    )
    assert response.context["form"].errors["amount"]
    assert not Fund.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "inspector", "applicant_a"])
def test_only_officers_record_funds(client, personas, persona):
    sign_in(client, getattr(personas, persona))
    response = client.post(
        reverse("funds:fund_create"), {"kind": "other", "year": "2026", "amount": "1000"}
    )
    assert response.status_code == 404
    assert not Fund.objects.exists()


def test_the_fund_page_lists_allocations_and_disbursements(client, personas):
    fund = make_fund(personas.officer, amount="650000")
    project = make_project(personas, amount="80000", fund=fund)
    funds.record_disbursement(
        personas.officer,
        project,
        {"amount": "20000", "paid_on": timezone.localdate(), "voucher_number": "记-77"},
    )
    sign_in(client, personas.inspector)
    response = client.get(reverse("funds:fund_detail", args=[fund.pk]))
    assert response.status_code == 200
    assert project.application.title in response.text
    assert "记-77" in response.text
    assert response.context["fund"].execution_rate == Decimal("25.0")
