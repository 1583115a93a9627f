"""The paired poor village (挂钩联系贫困村): the village, its S&T development plan (科技兴村
规划) with items and progress, the branch's visits, the aid it gave and its disaster-relief
contributions."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.audit.guard import AuditedModel

POSITIVE = [MinValueValidator(0)]


class PairedVillage(AuditedModel):
    branch = models.ForeignKey("party.Branch", on_delete=models.PROTECT, related_name="villages")
    name = models.CharField(_("village"), max_length=100)
    township = models.CharField(_("township"), max_length=100)
    households = models.PositiveIntegerField(_("households"))
    poor_households = models.PositiveIntegerField(_("poor households"))
    paired_since = models.DateField(_("paired since"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("paired village")
        verbose_name_plural = _("paired villages")

    def __str__(self) -> str:
        return f"{self.township}{self.name}"


class PlanItem(AuditedModel):
    """One item of the village's S&T development plan."""

    village = models.ForeignKey(PairedVillage, on_delete=models.CASCADE, related_name="plan_items")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("item"), max_length=200)
    target = models.CharField(_("target"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["year", "position", "pk"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self) -> str:
        return self.title


class PlanProgress(AuditedModel):
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="progress")
    reported_on = models.DateField(_("date"))
    text = models.CharField(_("progress"), max_length=500)
    done = models.BooleanField(_("item completed"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["reported_on", "pk"]
        verbose_name = _("plan progress")
        verbose_name_plural = _("plan progress")


class Visit(AuditedModel):
    village = models.ForeignKey(PairedVillage, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("date"))
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("officers"), related_name="+"
    )
    households_visited = models.PositiveIntegerField(_("households visited"), default=0)
    requests = models.TextField(_("what was asked"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")


class Aid(AuditedModel):
    """Money or goods given to the village; goods count by their value in yuan."""

    class Kind(models.TextChoices):
        MONEY = "money", _("Money")
        GOODS = "goods", _("Goods")

    village = models.ForeignKey(PairedVillage, on_delete=models.PROTECT, related_name="aid")
    given_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("what"), max_length=200)
    quantity = models.CharField(_("quantity"), max_length=100, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, validators=POSITIVE
    )
    recipient = models.CharField(_("given to"), max_length=200, blank=True)

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("aid")
        verbose_name_plural = _("aid")


class ReliefContribution(AuditedModel):
    """The branch's contribution to a disaster relief (the ice storm, floods, an earthquake)."""

    branch = models.ForeignKey(
        "party.Branch", on_delete=models.PROTECT, related_name="relief_contributions"
    )
    given_on = models.DateField(_("date"))
    disaster = models.CharField(_("disaster"), max_length=200)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, validators=POSITIVE
    )
    goods = models.CharField(_("goods"), max_length=200, blank=True)
    contributors = models.PositiveIntegerField(_("people contributing"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("relief contribution")
        verbose_name_plural = _("relief contributions")
