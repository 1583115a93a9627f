"""The bureau's funds by year, what is allocated from them, and what is paid out."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Bureau
from keguan.audit.guard import AuditedModel, AuditedQuerySet


class FundQuerySet(AuditedQuerySet):
    def reaching(self, bureau: Bureau) -> "FundQuerySet":
        """Funds a record of BUREAU may draw on: its own bureau's and those above it."""
        return self.filter(bureau__path__in=bureau.paths_up())


class Fund(AuditedModel):
    """One year's money of one fund of a bureau, e.g. 2011's S&T budget (科技三项费)."""

    class Kind(models.TextChoices):
        SCIENCE_BUDGET = "science_budget", _("S&T budget")
        SME_INNOVATION = "sme_innovation", _("SME innovation fund")
        PATENT_COMPENSATION = "patent_compensation", _("Patent compensation fund")
        OTHER = "other", _("Other fund")

    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="funds"
    )
    kind = models.CharField(_("fund"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = FundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            models.UniqueConstraint(fields=["bureau", "kind", "year"], name="one_fund_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()}"


class Allocation(AuditedModel):
    """Money of a fund set aside for one application when its funding is decided.

    Reserved at the decision, committed when the project is approved, released when the
    approval falls through; only reserved and committed allocations count against the fund.
    """

    class State(models.TextChoices):
        RESERVED = "reserved", _("Reserved")
        COMMITTED = "committed", _("Committed")
        RELEASED = "released", _("Released")

    COUNTING_STATES = (State.RESERVED, State.COMMITTED)

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="allocations"
    )
    application = models.ForeignKey(
        "projects.Application", on_delete=models.PROTECT, related_name="allocations"
    )
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.RESERVED, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")

    def __str__(self) -> str:
        return f"{self.fund}: {self.amount}"


class Disbursement(AuditedModel):
    """A tranche (拨付) paid to a project, with its voucher."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    fund = models.ForeignKey(
        Fund,
        verbose_name=_("fund"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    paid_on = models.DateField(_("paid on"))
    voucher_number = models.CharField(_("voucher number"), max_length=50)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount}"
