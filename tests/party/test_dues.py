"""Party dues: the official bands at their boundaries, declarations, payments."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from keguan.audit.models import AuditEvent
from keguan.party.models import DuesRecord, dues_for
from keguan.party.services import dues as services
from keguan.party.workflow_members import MEMBER_WORKFLOW
from tests.party.factories import make_member, party_personas


@pytest.mark.parametrize(
    "income, dues",
    [
        ("0", "0.00"),
        ("2999.99", "15.00"),
        ("3000", "15.00"),  # 0.5 % up to and including 3,000
        ("3000.01", "30.00"),  # 1 % above 3,000
        ("5000", "50.00"),
        ("5000.01", "75.00"),  # 1.5 % above 5,000
        ("10000", "150.00"),
        ("10000.01", "200.00"),  # 2 % above 10,000
        ("4321.50", "43.22"),  # rounded half up to the fen
        ("1234.50", "6.17"),
        ("1234.70", "6.17"),
        ("1235.00", "6.18"),
    ],
)
def test_dues_follow_the_official_bands(income, dues):
    assert dues_for(Decimal(income)) == Decimal(dues)


pytestmark = pytest.mark.django_db


def _last_month() -> dt.date:
    first = timezone.localdate().replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def test_a_declaration_computes_the_amount_and_is_audited(personas):
    _branch, pat, _sam = party_personas(personas)
    record = services.declare_income(personas.party_member, pat, _last_month(), "4,800")
    assert record.amount == Decimal("48.00")
    assert record.income == Decimal("4800.00")
    assert record.paid_on is None
    event = AuditEvent.objects.get(action="party.dues.declare")
    assert event.after["amount"] == "48.00" or Decimal(str(event.after["amount"])) == 48


def test_a_new_declaration_replaces_an_unpaid_one(personas):
    _branch, pat, _sam = party_personas(personas)
    services.declare_income(personas.party_member, pat, _last_month(), "2000")
    record = services.declare_income(personas.party_member, pat, _last_month(), "6000")
    assert DuesRecord.objects.count() == 1
    assert record.amount == Decimal("90.00")


def test_a_paid_month_cannot_be_declared_again(personas):
    _branch, pat, _sam = party_personas(personas)
    record = services.declare_income(personas.party_member, pat, _last_month(), "2000")
    services.mark_paid(personas.party_secretary, record)
    with pytest.raises(ValidationError):
        services.declare_income(personas.party_member, pat, _last_month(), "9000")
    record.refresh_from_db()
    assert record.amount == Decimal("10.00")


@pytest.mark.parametrize("income", ["-1", "abc", "NaN", "1e20"])
def test_a_bad_income_is_refused(personas, income):
    _branch, pat, _sam = party_personas(personas)
    with pytest.raises(ValidationError) as exc:
        services.declare_income(personas.party_member, pat, _last_month(), income)
    assert "income" in exc.value.message_dict
    assert not DuesRecord.objects.exists()


def test_a_future_month_or_a_bad_month_is_refused(personas):
    _branch, pat, _sam = party_personas(personas)
    future = (timezone.localdate().replace(day=28) + dt.timedelta(days=5)).replace(day=1)
    for month in (future, "2024-13", "soon"):
        with pytest.raises(ValidationError) as exc:
            services.declare_income(personas.party_member, pat, month, "3000")
        assert "month" in exc.value.message_dict
    assert not DuesRecord.objects.exists()


def test_a_transferred_member_owes_no_new_dues(personas):
    branch, _pat, _sam = party_personas(personas)
    member = make_member(branch, "蒋五")
    MEMBER_WORKFLOW.apply(personas.party_secretary, member, "transfer_out", {"destination": "外县"})
    member.refresh_from_db()
    with pytest.raises(ValidationError):
        services.declare_income(personas.party_secretary, member, _last_month(), "3000")


def test_marking_paid_twice_is_refused_and_unpaid_lists_what_is_owed(personas):
    branch, pat, sam = party_personas(personas)
    month = _last_month()
    a = services.declare_income(personas.party_member, pat, month, "3000")
    services.declare_income(personas.party_secretary, sam, month, "8000")
    services.mark_paid(personas.party_secretary, a)
    with pytest.raises(ValidationError):
        services.mark_paid(personas.party_secretary, a)
    assert [r.member for r in services.unpaid(branch)] == [sam]
    with pytest.raises(ValidationError):
        services.mark_paid(
            personas.party_secretary,
            services.unpaid(branch).first(),
            timezone.localdate() + dt.timedelta(days=1),
        )
    services.mark_unpaid(personas.party_secretary, a)
    assert services.unpaid(branch).count() == 2


def test_the_month_sheet_lists_every_active_member(personas):
    branch, pat, sam = party_personas(personas)
    services.declare_income(personas.party_member, pat, _last_month(), "3000")
    rows = services.month_sheet(branch, _last_month())
    assert [(r["member"], bool(r["record"])) for r in rows] == sorted(
        [(pat, True), (sam, False)], key=lambda r: r[0].name
    )
    totals = services.totals(rows)
    assert totals == {
        "due": Decimal("15.00"),
        "paid": Decimal("0"),
        "outstanding": Decimal("15.00"),
        "undeclared": 1,
    }
