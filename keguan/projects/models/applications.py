"""Applications (申报书), their team and budget, and the integrity record (科研诚信)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Bureau, Organization
from keguan.audit.guard import AuditedModel, AuditedQuerySet
from keguan.projects.models.calls import Call
from keguan.projects.models.candidates import Candidate

# GB/T 13745 discipline codes: three digits, optionally two more for the second level.
discipline_code_validator = RegexValidator(
    r"^\d{3}(\d{2}){0,2}$", _("A discipline code is 3, 5 or 7 digits (GB/T 13745), e.g. 21040.")
)


class ApplicationQuerySet(AuditedQuerySet):
    def counting(self):
        """Applications that count against a call's limit per organization: submitted and
        not withdrawn or rejected."""
        return self.exclude(
            state__in=(
                Application.State.DRAFT,
                Application.State.WITHDRAWN,
                Application.State.REJECTED,
            )
        )


class Application(AuditedModel):
    """What an organization submits to a call, from draft to approval or rejection."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for revision")
        CHECKED = "checked", _("Formal check passed")
        REVIEWED = "reviewed", _("Reviewed")
        RECOMMENDED = "recommended", _("Recommended upward")
        DECIDED = "decided", _("Approval decided")
        IN_NOTICE = "in_notice", _("In public notice")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    EDITABLE_STATES = (State.DRAFT, State.RETURNED)
    WITHDRAWABLE_STATES = (
        State.DRAFT,
        State.SUBMITTED,
        State.RETURNED,
        State.CHECKED,
        State.REVIEWED,
    )
    FINAL_STATES = (State.APPROVED, State.REJECTED, State.WITHDRAWN)

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # The jurisdiction the application belongs to: the applying organization's bureau.
    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="applications"
    )
    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("reserve pool candidate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    discipline_code = models.CharField(
        _("discipline code"),
        max_length=7,
        blank=True,
        validators=[discipline_code_validator],
    )
    field = models.CharField(_("field"), max_length=50, blank=True)
    start_on = models.DateField(_("planned start"), null=True, blank=True)
    end_on = models.DateField(_("planned end"), null=True, blank=True)
    # Expected outputs.
    expected_patents = models.PositiveIntegerField(_("expected patents"), default=0)
    expected_products = models.PositiveIntegerField(_("expected new products"), default=0)
    expected_revenue = models.DecimalField(
        _("expected new revenue (yuan)"),
        max_digits=16,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    expected_jobs = models.PositiveIntegerField(_("expected new jobs"), default=0)

    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    state_note = models.CharField(_("note on the last decision"), max_length=1000, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Possible duplicates (重复申报/多头申报) found at submission: shown to officers only.
    duplicate_hints = models.JSONField(default=list, blank=True)
    review_score = models.DecimalField(
        _("review score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    recommendation_letter = models.TextField(_("recommendation letter"), blank=True)
    recommended_at = models.DateTimeField(_("recommended"), null=True, blank=True)
    # For a county program: the amount decided; for a higher one: the amount the higher
    # body granted (无偿科技经费).
    granted_amount = models.DecimalField(
        _("amount granted (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["call", "state"]),
            models.Index(fields=["bureau", "state"]),
            # Lists show the newest submissions first, a page at a time, often of one state.
            models.Index(fields=["submitted_at", "id"], name="application_submitted_idx"),
            models.Index(fields=["state", "submitted_at", "id"], name="application_state_sub_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def requested_total(self) -> Decimal:
        return sum((line.requested for line in self.budget_lines.all()), Decimal("0"))

    @property
    def self_raised_total(self) -> Decimal:
        return sum((line.self_raised for line in self.budget_lines.all()), Decimal("0"))

    def leader(self):
        return next((m for m in self.team.all() if m.role == TeamMember.Role.LEADER), None)


class TeamMember(AuditedModel):
    class Role(models.TextChoices):
        LEADER = "leader", _("Project leader")
        MEMBER = "member", _("Member")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("name"), max_length=50)
    unit = models.CharField(_("unit"), max_length=200)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(_("professional title"), max_length=50, blank=True)
    # Resident ID number (18 characters, check digit verified); shown masked.
    # Looked up by duplicate hints, integrity penalties and the review draw's conflicts.
    id_number = models.CharField(_("ID number"), max_length=18, db_index=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return self.name


class BudgetCategory(models.TextChoices):
    EQUIPMENT = "equipment", _("Equipment")
    MATERIALS = "materials", _("Materials")
    TESTING = "testing", _("Testing and processing")
    FUEL_POWER = "fuel_power", _("Fuel and power")
    TRAVEL = "travel", _("Travel and meetings")
    COOPERATION = "cooperation", _("Cooperation and exchange")
    PUBLICATION = "publication", _("Publication and intellectual property")
    LABOUR = "labour", _("Labour")
    CONSULTANCY = "consultancy", _("Expert consultancy")
    OTHER = "other", _("Other")


class BudgetLine(AuditedModel):
    """One category of the budget: what is asked of the program and what the unit raises."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.CharField(_("category"), max_length=12, choices=BudgetCategory.choices)
    requested = models.DecimalField(
        _("requested (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    self_raised = models.DecimalField(
        _("self-raised (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "category"], name="one_budget_line_per_category"
            )
        ]

    def __str__(self) -> str:
        return self.get_category_display()


class IntegrityPenaltyQuerySet(AuditedQuerySet):
    def in_force(self, today):
        """Penalties running on TODAY (both ends included)."""
        return self.filter(starts_on__lte=today, ends_on__gte=today)


class IntegrityPenalty(AuditedModel):
    """A research-integrity penalty (科研诚信失信记录): no application while it runs."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="integrity_penalties",
    )
    person_name = models.CharField(_("person"), max_length=50, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, db_index=True)
    reason = models.CharField(_("reason"), max_length=500)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IntegrityPenaltyQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("integrity penalty")
        verbose_name_plural = _("integrity penalties")

    def __str__(self) -> str:
        return self.reason

    def is_in_force(self, today) -> bool:
        return self.starts_on <= today <= self.ends_on
