"""Programs (计划类别) and their calls (申报指南): what units can apply to, and when."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Bureau, Organization
from keguan.audit.guard import AuditedModel, AuditedQuerySet

Level = Bureau.Level


class AttachmentKind(models.TextChoices):
    """What an attached document is; a call lists the kinds an application must carry."""

    BUSINESS_LICENSE = "business_license", _("Business licence")
    FEASIBILITY_REPORT = "feasibility_report", _("Feasibility report")
    BUDGET_SHEET = "budget_sheet", _("Budget sheet")
    COOPERATION_AGREEMENT = "cooperation_agreement", _("Cooperation agreement")
    FINANCIAL_STATEMENT = "financial_statement", _("Financial statement")
    PHOTO = "photo", _("Photograph")
    RECOMMENDATION_LETTER = "recommendation_letter", _("Recommendation letter")
    TASK_BOOK = "task_book", _("Task book")
    PROGRESS_REPORT = "progress_report", _("Progress report")
    ACCEPTANCE_REPORT = "acceptance_report", _("Acceptance report")
    VOUCHER = "voucher", _("Payment voucher")
    OTHER = "other", _("Other")


class Program(AuditedModel):
    """A funding program at one level, run by some body (科技部, 省科技厅, the county...)."""

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    body = models.CharField(_("run by"), max_length=100)
    # The bureau that keeps this program in keguan (its jurisdiction sees it).
    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="programs"
    )
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.UniqueConstraint(fields=["bureau", "name"], name="one_program_name_per_bureau")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def funded_by_county(self) -> bool:
        """County programs are paid from the bureau's own funds; others are recommended up."""
        return self.level == Level.COUNTY


class CallQuerySet(AuditedQuerySet):
    def admitting(self, kind: str):
        """Calls an organization of KIND may apply to (no kinds listed: every kind).

        Matched on the JSON text, which works alike on SQLite and PostgreSQL; kinds are
        plain identifiers, so the quoted name cannot match another kind."""
        return self.filter(
            models.Q(eligible_kinds=[]) | models.Q(eligible_kinds__icontains=f'"{kind}"')
        )

    def open_at(self, moment=None):
        moment = moment or timezone.now()
        return self.filter(state=Call.State.PUBLISHED, opens_at__lte=moment, closes_at__gt=moment)


class Call(AuditedModel):
    """One round of a program (申报指南 / 批次) with its window and eligibility rules."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="calls"
    )
    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="calls"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=200)
    guide = models.TextField(_("guide"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    # Organization.Kind values; empty means every kind may apply.
    eligible_kinds = models.JSONField(_("eligible kinds"), default=list, blank=True)
    max_per_organization = models.PositiveSmallIntegerField(
        _("applications per organization"), default=1, validators=[MinValueValidator(1)]
    )
    # AttachmentKind values every application must carry before it can be submitted.
    required_attachments = models.JSONField(_("required attachments"), default=list, blank=True)
    budget_ceiling = models.DecimalField(
        _("budget ceiling per application (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    # Whether an approval is published for objections before it takes effect (公示).
    public_notice = models.BooleanField(_("public notice before approval"), default=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    state_note = models.CharField(_("note on the last decision"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-opens_at"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self) -> str:
        return self.title

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.state == self.State.PUBLISHED and self.opens_at <= moment < self.closes_at

    def window_status(self, moment=None) -> str:
        """Where the window stands: upcoming, open or closed (an unpublished call: its
        state). The server's rule for submissions is `rules.window_refusal`; this names it."""
        moment = moment or timezone.now()
        if self.state != self.State.PUBLISHED:
            return self.state
        if moment < self.opens_at:
            return "upcoming"
        return "open" if moment < self.closes_at else "closed"

    def admits_kind(self, kind: str) -> bool:
        return not self.eligible_kinds or kind in self.eligible_kinds

    def eligible_kind_labels(self) -> list[str]:
        labels = dict(Organization.Kind.choices)
        return [str(labels.get(k, k)) for k in self.eligible_kinds]

    def required_attachment_labels(self) -> list[str]:
        labels = dict(AttachmentKind.choices)
        return [str(labels.get(k, k)) for k in self.required_attachments]
