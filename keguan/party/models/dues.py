"""Party dues (党费): one record per member and month, from the declared income."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.audit.guard import AuditedModel

__all__ = ["DUES_BANDS", "DuesRecord", "dues_for"]

# The official bands: the whole monthly income at one rate, by the band it falls in.
# (upper bound of the band inclusive, rate); None = no upper bound.
DUES_BANDS = (
    (Decimal("3000"), Decimal("0.005")),
    (Decimal("5000"), Decimal("0.01")),
    (Decimal("10000"), Decimal("0.015")),
    (None, Decimal("0.02")),
)
FEN = Decimal("0.01")


def dues_rate(income: Decimal) -> Decimal:
    for limit, rate in DUES_BANDS:
        if limit is None or income <= limit:
            return rate
    raise AssertionError("the last band has no limit")


def dues_for(income: Decimal) -> Decimal:
    """The month's dues for a declared INCOME (yuan), rounded half up to the fen."""
    income = Decimal(income)
    return (income * dues_rate(income)).quantize(FEN, rounding=ROUND_HALF_UP)


class DuesRecord(AuditedModel):
    """What a member owes for one month and whether it is paid."""

    member = models.ForeignKey(
        "party.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="dues"
    )
    # The first day of the month the dues are for.
    month = models.DateField(_("month"))
    income = models.DecimalField(_("declared monthly income"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("dues"), max_digits=8, decimal_places=2)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-month", "pk"]
        verbose_name = _("party dues")
        verbose_name_plural = _("party dues")
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="one_dues_record_a_month"),
            models.CheckConstraint(condition=models.Q(income__gte=0), name="dues_income_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%Y-%m}"

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)
