"""Party dues (党费): incomes declared by month, the amount by the official bands, payments.

The amount is always computed here from the declared income (`dues_for`), never typed in.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from keguan.audit import services as audit
from keguan.party.models import Branch, DuesRecord, Member
from keguan.party.models.dues import dues_for, month_start

MAX_INCOME = Decimal("99999999.99")


def parse_month(value) -> dt.date:
    """'2024-03' (or a date) as the first day of that month; a clear error otherwise."""
    if isinstance(value, dt.date):
        return month_start(value)
    try:
        year, month = str(value or "").strip().split("-")[:2]
        return dt.date(int(year), int(month), 1)
    except (ValueError, TypeError):
        raise ValidationError({"month": _("Month: give it as YYYY-MM, e.g. 2024-03.")}) from None


def _income(value) -> Decimal:
    try:
        income = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"income": _("Income: give an amount in yuan.")}) from None
    if not income.is_finite() or income < 0 or income > MAX_INCOME:
        raise ValidationError({"income": _("Income: give an amount of zero or more yuan.")})
    return income.quantize(Decimal("0.01"))


def declare_income(user, member: Member, month, income) -> DuesRecord:
    """Record MEMBER's income for MONTH and the dues it gives (a changed declaration replaces
    the earlier one while unpaid). Refused for a future month, a paid month, or a member no
    longer active. Side effect: one audit event party.dues.declare."""
    month = parse_month(month)
    income = _income(income)
    if month > month_start(timezone.localdate()):
        raise ValidationError({"month": _("Month: dues cannot be declared for a future month.")})
    if not member.is_active:
        raise ValidationError(_("The member is no longer in the branch."))
    amount = dues_for(income)
    with audit.writing():
        record = DuesRecord.objects.select_for_update().filter(member=member, month=month).first()
        before = None
        if record is None:
            record = DuesRecord(member=member, month=month)
        elif record.paid_on is not None:
            raise ValidationError(_("The dues of this month are paid; the income cannot change."))
        else:
            before = {"income": record.income, "amount": record.amount}
        record.income, record.amount = income, amount
        record.save()
        audit.record(
            "party.dues.declare",
            obj=record,
            before=before,
            after={"member": member.pk, "month": month, "income": income, "amount": amount},
        )
    return record


def mark_paid(user, record: DuesRecord, paid_on: dt.date | None = None) -> DuesRecord:
    """Record that the month's dues were paid on PAID_ON (today by default)."""
    paid_on = paid_on or timezone.localdate()
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("Paid on: the date cannot be in the future.")})
    with audit.writing():
        fresh = DuesRecord.objects.select_for_update().get(pk=record.pk)
        if fresh.paid_on is not None:
            raise ValidationError(_("These dues are already marked paid."))
        fresh.paid_on = paid_on
        fresh.save(update_fields=["paid_on", "updated_at"])
        audit.record(
            "party.dues.paid",
            obj=fresh,
            after={
                "member": fresh.member_id,
                "month": fresh.month,
                "amount": fresh.amount,
                "paid_on": paid_on,
            },
        )
    return fresh


def mark_unpaid(user, record: DuesRecord) -> DuesRecord:
    """Withdraw a payment recorded by mistake."""
    with audit.writing():
        fresh = DuesRecord.objects.select_for_update().get(pk=record.pk)
        if fresh.paid_on is None:
            raise ValidationError(_("These dues are not marked paid."))
        before = {"paid_on": fresh.paid_on}
        fresh.paid_on = None
        fresh.save(update_fields=["paid_on", "updated_at"])
        audit.record("party.dues.unpaid", obj=fresh, before=before, after={"paid_on": None})
    return fresh


def unpaid(branch: Branch):
    """The branch's declared, unpaid dues, oldest first."""
    return (
        DuesRecord.objects.filter(member__branch=branch, paid_on__isnull=True)
        .select_related("member")
        .order_by("month", "member__name")
    )


def month_sheet(branch: Branch, month: dt.date) -> list[dict]:
    """One row per member active in the branch (and any other member with a record that
    month): the member, their record or None. Two queries."""
    month = month_start(month)
    records = {
        r.member_id: r for r in DuesRecord.objects.filter(member__branch=branch, month=month)
    }
    members = Member.objects.filter(
        Q(state=Member.State.ACTIVE) | Q(pk__in=list(records)), branch=branch
    ).order_by("name", "pk")
    return [{"member": m, "record": records.get(m.pk)} for m in members]


def totals(rows: list[dict]) -> dict:
    due = sum((r["record"].amount for r in rows if r["record"]), Decimal("0"))
    paid = sum(
        (r["record"].amount for r in rows if r["record"] and r["record"].paid_on), Decimal("0")
    )
    return {
        "due": due,
        "paid": paid,
        "outstanding": due - paid,
        "undeclared": sum(1 for r in rows if r["record"] is None),
    }


@transaction.atomic
def declare_for_members(user, items: list[tuple[Member, object]], month) -> list[DuesRecord]:
    """Several declarations for one month at once (the secretary's sheet): all or none."""
    return [declare_income(user, member, month, income) for member, income in items]
