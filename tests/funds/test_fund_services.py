"""Funds: amounts parsed strictly, money reserved only while it lasts, totals that add up,
and no tranche paid beyond what was approved."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from keguan.audit import services as audit
from keguan.audit.models import AuditEvent
from keguan.funds import services as funds
from keguan.funds.models import Allocation, Disbursement, Fund
from keguan.projects.models import Application, Project
from tests.projects.factories import make_fund
from tests.projects.states import application_in, meeting_decides

pytestmark = pytest.mark.django_db

A = Application.State


# Parsing amounts.
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter an amount in yuan, e.g. 50000."),
        ("abc", "Enter an amount in yuan, e.g. 50000."),
        (None, "Enter an amount in yuan, e.g. 50000."),
        ("1 000", "Enter an amount in yuan, e.g. 50000."),
        ("-1", "The amount must be more than zero."),
        ("0", "The amount must be more than zero."),
        ("0.00", "The amount must be more than zero."),
        ("1.234", "Amounts have at most two decimals (fen)."),
        ("0.001", "Amounts have at most two decimals (fen)."),
    ],
)
def test_an_amount_that_is_not_a_positive_sum_in_fen_is_refused_naming_the_field(value, message):
    with pytest.raises(ValidationError) as refused:
        funds.to_yuan(value, "amount")
    assert refused.value.message_dict == {"amount": [_(message)]}


@pytest.mark.parametrize("value", ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf"])
def test_not_a_number_and_infinity_are_refused(value):
    with pytest.raises(ValidationError) as refused:
        funds.to_yuan(value, "amount")
    assert list(refused.value.message_dict) == ["amount"]


@pytest.mark.parametrize("value", ["1e30", "9" * 40, "1E+15", "1000000000000"])
def test_an_amount_too_large_for_the_books_is_refused_not_crashed_on(value):
    with pytest.raises(ValidationError) as refused:
        funds.to_yuan(value, "amount")
    [message] = refused.value.message_dict["amount"]
    assert "999999999999.99" in message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("50000", Decimal("50000")),
        (" 50,000.5 ", Decimal("50000.5")),
        ("0.01", Decimal("0.01")),
        (Decimal("80000.00"), Decimal("80000")),
        (80000, Decimal("80000")),
        ("999999999999.99", Decimal("999999999999.99")),
    ],
)
def test_a_well_formed_amount_is_read_as_yuan(value, expected):
    assert funds.to_yuan(value, "amount") == expected


# Reserving, committing, releasing.
def _reserve(personas, fund, application, amount):
    with audit.writing():
        return funds.reserve(personas.leader, fund, application, Decimal(amount))


def test_reserving_more_than_is_left_is_refused_naming_what_is_left(personas):
    fund = make_fund(personas.officer, amount="100000")
    first = application_in(personas, A.REVIEWED)
    second = application_in(personas, A.REVIEWED, applicant=personas.applicant_b)
    _reserve(personas, fund, first, "70000")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        _reserve(personas, fund, second, "30000.01")
    assert "30000" in refused.value.message_dict["amount"][0]
    assert Allocation.objects.filter(application=second).count() == 0
    assert AuditEvent.objects.count() == events
    assert funds.remaining(fund) == Decimal("30000")
    _reserve(personas, fund, second, "30000")
    assert funds.remaining(fund) == Decimal("0")


def test_commit_and_release_move_only_the_applications_own_allocations(personas):
    fund = make_fund(personas.officer, amount="300000")
    first = application_in(personas, A.REVIEWED)
    second = application_in(personas, A.REVIEWED, applicant=personas.applicant_b)
    mine = _reserve(personas, fund, first, "100000")
    theirs = _reserve(personas, fund, second, "100000")
    with audit.writing():
        funds.commit(first)
        audit.record("test.commit", obj=fund)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.state, theirs.state) == (Allocation.State.COMMITTED, Allocation.State.RESERVED)
    assert funds.remaining(fund) == Decimal("100000")
    with audit.writing():
        funds.release(first)
        audit.record("test.release", obj=fund)
    mine.refresh_from_db()
    assert mine.state == Allocation.State.RELEASED
    assert funds.remaining(fund) == Decimal("200000")
    assert AuditEvent.objects.filter(action="funds.allocation.commit").count() == 1
    assert AuditEvent.objects.filter(action="funds.allocation.release").count() == 1


def test_reserving_outside_an_audited_block_is_refused(personas):
    fund = make_fund(personas.officer)
    application = application_in(personas, A.REVIEWED)
    with pytest.raises(audit.AuditBypassError):
        funds.reserve(personas.leader, fund, application, Decimal("1000"))
    assert not Allocation.objects.exists()


def test_a_fund_cannot_be_cut_below_what_is_allocated(personas):
    fund = make_fund(personas.officer, amount="100000")
    _reserve(personas, fund, application_in(personas, A.REVIEWED), "60000")
    with pytest.raises(ValidationError) as refused:
        funds.change_fund_amount(personas.officer, fund, "59999.99")
    assert "60000" in refused.value.message_dict["amount"][0]
    assert Fund.objects.get(pk=fund.pk).amount == Decimal("100000")
    fund = funds.change_fund_amount(personas.officer, fund, "60000")
    assert funds.remaining(fund) == Decimal("0")


def test_one_fund_per_bureau_kind_and_year(personas):
    make_fund(personas.officer, year=2026)
    with pytest.raises(ValidationError):
        make_fund(personas.officer, year=2026)
    make_fund(personas.officer, year=2026, kind="sme_innovation")
    make_fund(personas.neighbour_officer, year=2026)
    assert Fund.objects.count() == 3


# Totals.
def _project(personas, applicant=None) -> Project:
    application = application_in(personas, A.APPROVED, applicant=applicant)
    return Project.objects.get(application=application)


def _pay(personas, project, amount, voucher="记-001", fund=None) -> Disbursement:
    data = {"amount": amount, "paid_on": dt.date(2026, 9, 1), "voucher_number": voucher}
    if fund is not None:
        data["fund"] = fund
    return funds.record_disbursement(personas.officer, project, data)


def test_totals_count_equal_allocations_and_disbursements_each_once(personas):
    first = _project(personas)
    fund = Fund.objects.get()  # the county fund the approvals were decided on
    second = _project(personas, applicant=personas.applicant_b)
    # Two more equal reservations (decided, in public notice), one of them released: equal
    # amounts must not collapse.
    third = application_in(personas, A.IN_NOTICE)
    fourth = application_in(personas, A.IN_NOTICE, applicant=personas.applicant_b)
    meeting_decides(personas.leader, fourth, outcome="revoke")
    for project in (first, second):
        _pay(personas, project, "20000", "记-1")
        _pay(personas, project, "20000", "记-2")
    _pay(personas, first, "10000", "记-3")

    totals = funds.with_totals(Fund.objects.filter(pk=fund.pk)).get()
    assert totals.allocated == Decimal("150000")  # 3 × 50000 reserved or committed
    assert totals.disbursed == Decimal("90000")
    assert totals.allocated == funds.allocated(fund)
    assert funds.remaining(fund) == fund.amount - Decimal("150000")
    assert third.allocations.get().state == Allocation.State.RESERVED


def test_totals_of_a_fund_with_nothing_are_zero_and_funds_do_not_mix(personas):
    empty = make_fund(personas.officer, year=2020)
    other = make_fund(personas.neighbour_officer, year=2020)
    project = _project(personas)
    _pay(personas, project, "5000")
    rows = {f.pk: f for f in funds.with_totals(Fund.objects.all())}
    assert (rows[empty.pk].allocated, rows[empty.pk].disbursed) == (0, 0)
    assert (rows[other.pk].allocated, rows[other.pk].disbursed) == (0, 0)
    county = Fund.objects.get(bureau=personas.bureaus.county, year=project.year)
    assert (rows[county.pk].allocated, rows[county.pk].disbursed) == (50000, 5000)


def test_totals_take_a_constant_number_of_queries(personas, django_assert_num_queries):
    application_in(personas, A.IN_NOTICE)  # decided: its money reserved
    make_fund(personas.officer, year=2020)
    make_fund(personas.officer, year=2021)
    with django_assert_num_queries(1):
        assert len(list(funds.with_totals(Fund.objects.all()))) == 3


# Disbursements.
def test_a_disbursement_takes_the_fund_the_money_was_committed_from(personas):
    project = _project(personas)
    disbursement = _pay(personas, project, "30000")
    assert disbursement.fund == Fund.objects.get()
    assert disbursement.recorded_by == personas.officer
    event = AuditEvent.objects.get(action="funds.disbursement.create")
    assert event.after["amount"] == "30000"


def test_paying_beyond_the_approved_amount_is_refused_and_nothing_is_saved(personas):
    project = _project(personas)
    _pay(personas, project, "30000")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        _pay(personas, project, "20000.01", "记-9")
    message = refused.value.message_dict["amount"][0]
    assert "20000" in message and "50000" in message
    assert Disbursement.objects.count() == 1
    assert AuditEvent.objects.count() == events
    assert funds.disbursed_total(project) == Decimal("30000")
    _pay(personas, project, "20000", "记-10")
    assert funds.disbursed_total(project) == Decimal("50000")


def test_a_tranche_is_paid_from_a_fund_of_the_projects_bureau_or_above(personas):
    project = _project(personas)
    neighbours = make_fund(personas.neighbour_officer, year=2026)
    with pytest.raises(ValidationError) as refused:
        _pay(personas, project, "1000", fund=neighbours)
    assert list(refused.value.message_dict) == ["fund"]
    assert not Disbursement.objects.exists()
    city = make_fund(personas.city_officer, year=2026)
    assert _pay(personas, project, "1000", fund=city).fund == city


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"amount": "abc"}, "amount"),
        ({"amount": "1000", "voucher_number": ""}, "voucher_number"),
        ({"amount": "1000", "paid_on": None}, "paid_on"),
    ],
)
def test_an_incomplete_disbursement_is_refused_naming_the_field(personas, data, field):
    project = _project(personas)
    full = {"amount": "1000", "paid_on": dt.date(2026, 9, 1), "voucher_number": "记-1"}
    full.update(data)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        funds.record_disbursement(personas.officer, project, full)
    assert field in refused.value.message_dict
    assert not Disbursement.objects.exists()
    assert AuditEvent.objects.count() == events
