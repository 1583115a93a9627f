"""Funds: what is left, reserving and releasing money for decisions, paying tranches.

Every check that money is available locks the fund's row first (`select_for_update`), so
two decisions taken at the same moment queue on the lock and the second one sees the
first one's allocation. On SQLite the IMMEDIATE transactions serialize writers anyway.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from keguan.audit import services as audit
from keguan.funds.models import Allocation, Disbursement, Fund

ZERO = Decimal("0")
FEN = Decimal("0.01")
MAX_YUAN = Decimal("1000000000000")
_money = DecimalField(max_digits=16, decimal_places=2)
_rate = DecimalField(max_digits=7, decimal_places=1)


def to_yuan(value, field: str) -> Decimal:
    """Parse VALUE as a positive amount of yuan, or raise ValidationError naming FIELD."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount in yuan, e.g. 50000.")}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: _("The amount must be more than zero.")})
    # Amounts are kept in 14 digits, 2 of them fen; a larger one would also make
    # quantize() below raise instead of answering.
    if amount >= MAX_YUAN:
        raise ValidationError(
            {field: _("The amount is too large; at most %(max)s yuan.") % {"max": MAX_YUAN - FEN}}
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("Amounts have at most two decimals (fen).")})
    return amount


def _sum_of(model, **filters):
    """A correlated subquery: the total amount of MODEL rows pointing at the outer fund."""
    return Coalesce(
        Subquery(
            model.objects.filter(fund=OuterRef("pk"), **filters)
            .order_by()
            .values("fund")
            .annotate(total=Sum("amount"))
            .values("total")
        ),
        Value(ZERO),
        output_field=_money,
    )


def with_totals(queryset):
    """Annotate funds with `allocated` (reserved + committed) and `disbursed`, in SQL.

    Subqueries rather than two joined Sums, which would multiply each other's rows.
    """
    return queryset.annotate(
        allocated=_sum_of(Allocation, state__in=Allocation.COUNTING_STATES),
        disbursed=_sum_of(Disbursement),
    )


def percent(part: str, whole: str):
    """PART as a percentage of WHOLE (field or annotation names), in SQL; NULL when WHOLE
    is zero. The execution rate (执行率) of funds and projects."""
    return Case(
        When(
            **{f"{whole}__gt": 0},
            then=ExpressionWrapper(F(part) * Value(Decimal(100)) / F(whole), output_field=_rate),
        ),
        default=Value(None),
        output_field=_rate,
    )


def with_fund_figures(queryset):
    """with_totals plus `left` (amount not allocated) and `execution_rate` (disbursed as a
    percentage of allocated): every figure of the fund list, in one query."""
    return with_totals(queryset).annotate(
        left=ExpressionWrapper(F("amount") - F("allocated"), output_field=_money),
        execution_rate=percent("disbursed", "allocated"),
    )


def funds_for_decision(application):
    """The funds a county decision on APPLICATION may draw on: those reaching its bureau,
    of the call's year, with their figures (`left` is what can still be allocated)."""
    return with_fund_figures(
        Fund.objects.reaching(application.bureau).filter(year=application.call.year)
    ).order_by("kind")


def totals_of(funds_queryset) -> dict:
    """The sums of the fund list's columns over FUNDS_QUERYSET, from the base tables
    (three aggregate queries; summing with_totals' annotations would sum the subqueries
    per row, which Django does not compile reliably)."""

    def total(qs):
        return qs.aggregate(t=Coalesce(Sum("amount"), Value(ZERO), output_field=_money))["t"]

    ids = funds_queryset.order_by().values("pk")
    amount = total(Fund.objects.filter(pk__in=ids))
    taken = total(Allocation.objects.filter(fund__in=ids, state__in=Allocation.COUNTING_STATES))
    paid = total(Disbursement.objects.filter(fund__in=ids))
    return {
        "amount": amount,
        "allocated": taken,
        "disbursed": paid,
        "left": amount - taken,
        "execution_rate": (paid * 100 / taken).quantize(Decimal("0.1")) if taken else None,
    }


def with_disbursed(projects):
    """Annotate projects with `disbursed` (the tranches paid) and `execution_rate` (paid as
    a percentage of the approved funding), in SQL."""
    paid = Coalesce(
        Subquery(
            Disbursement.objects.filter(project=OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(total=Sum("amount"))
            .values("total")
        ),
        Value(ZERO),
        output_field=_money,
    )
    return projects.annotate(disbursed=paid).annotate(
        execution_rate=percent("disbursed", "approved_amount")
    )


def allocated(fund: Fund) -> Decimal:
    return fund.allocations.filter(state__in=Allocation.COUNTING_STATES).aggregate(
        total=Coalesce(Sum("amount"), Value(ZERO), output_field=_money)
    )["total"]


def remaining(fund: Fund) -> Decimal:
    return fund.amount - allocated(fund)


def create_fund(user, bureau, kind: str, year: int, amount, note: str = "") -> Fund:
    """Record a year's fund of a bureau."""
    fund = Fund(bureau=bureau, kind=kind, year=year, amount=to_yuan(amount, "amount"), note=note)
    fund.full_clean()
    with audit.writing():
        fund.save()
        audit.record(
            "funds.fund.create",
            obj=fund,
            after={"kind": kind, "year": year, "amount": str(fund.amount)},
        )
    return fund


def change_fund_amount(user, fund: Fund, amount) -> Fund:
    """Change a fund's total; it can never drop below what is already allocated."""
    new_amount = to_yuan(amount, "amount")
    with audit.writing():
        locked = Fund.objects.select_for_update().get(pk=fund.pk)
        taken = allocated(locked)
        if new_amount < taken:
            raise ValidationError(
                {
                    "amount": _(
                        "%(taken)s yuan are already allocated from this fund; "
                        "the total cannot be lower."
                    )
                    % {"taken": taken}
                }
            )
        before = str(locked.amount)
        locked.amount = new_amount
        locked.save(update_fields=["amount"])
        audit.record(
            "funds.fund.change",
            obj=locked,
            before={"amount": before},
            after={"amount": str(new_amount)},
        )
    return locked


def reserve(user, fund: Fund, application, amount: Decimal) -> Allocation:
    """Set AMOUNT of FUND aside for APPLICATION; refuse if the fund has less left.

    Must run inside the caller's audited transaction (the decision's). The fund row stays
    locked until that transaction ends, which is what makes two simultaneous decisions safe.
    """
    locked = Fund.objects.select_for_update().get(pk=fund.pk)
    left = remaining(locked)
    if amount > left:
        raise ValidationError(
            {
                "amount": _(
                    "The fund %(fund)s has only %(left)s yuan left; %(amount)s yuan cannot be "
                    "allocated."
                )
                % {"fund": locked, "left": left, "amount": amount}
            }
        )
    allocation = Allocation.objects.create(
        fund=locked, application=application, amount=amount, decided_by=user
    )
    audit.record(
        "funds.allocation.reserve",
        obj=allocation,
        after={"fund": locked.pk, "application": application.pk, "amount": str(amount)},
    )
    return allocation


def _move_allocations(application, source: tuple, target: str, action: str) -> None:
    for allocation in Allocation.objects.select_for_update().filter(
        application=application, state__in=source
    ):
        allocation.state = target
        allocation.save(update_fields=["state"])
        audit.record(action, obj=allocation, after={"state": target})


def commit(application) -> None:
    """The approval stands: reserved money becomes committed (inside the caller's block)."""
    _move_allocations(
        application,
        (Allocation.State.RESERVED,),
        Allocation.State.COMMITTED,
        "funds.allocation.commit",
    )


def release(application) -> None:
    """The approval fell through: the money goes back to the fund."""
    _move_allocations(
        application,
        Allocation.COUNTING_STATES,
        Allocation.State.RELEASED,
        "funds.allocation.release",
    )


def disbursed_total(project) -> Decimal:
    return project.disbursements.aggregate(
        total=Coalesce(Sum("amount"), Value(ZERO), output_field=_money)
    )["total"]


def record_disbursement(user, project, data: dict) -> Disbursement:
    """Pay a tranche to PROJECT. The total paid can never exceed the approved funding.

    The project row is locked so two officers recording tranches at once cannot together
    pay out more than approved.
    """
    from keguan.projects.models import Project

    amount = to_yuan(data.get("amount"), "amount")
    with audit.writing():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.state == Project.State.CLOSED:
            raise ValidationError(_("A closed project takes no more payments."))
        paid = disbursed_total(locked)
        if paid + amount > locked.approved_amount:
            raise ValidationError(
                {
                    "amount": _(
                        "Only %(left)s yuan of the approved %(approved)s yuan are left to pay."
                    )
                    % {"left": locked.approved_amount - paid, "approved": locked.approved_amount}
                }
            )
        fund = data.get("fund")
        if fund is None:
            allocation = locked.application.allocations.filter(
                state=Allocation.State.COMMITTED
            ).first()
            fund = allocation.fund if allocation else None
        if (
            fund is not None
            and not Fund.objects.reaching(locked.bureau).filter(pk=fund.pk).exists()
        ):
            # Another county's money would show as spent in that county's books.
            raise ValidationError({"fund": _("Choose a fund of the project's bureau or above.")})
        disbursement = Disbursement(
            project=locked,
            fund=fund,
            amount=amount,
            paid_on=data.get("paid_on"),
            voucher_number=(data.get("voucher_number") or "").strip(),
            note=(data.get("note") or "").strip(),
            recorded_by=user,
        )
        disbursement.full_clean()
        disbursement.save()
        audit.record(
            "funds.disbursement.create",
            obj=disbursement,
            after={
                "project": locked.pk,
                "amount": str(amount),
                "paid_on": str(disbursement.paid_on),
                "voucher_number": disbursement.voucher_number,
            },
        )
    return disbursement
