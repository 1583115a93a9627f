"""The reserve pool (项目储备库): candidate projects prepared with a guiding officer."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Bureau, Organization
from keguan.audit.guard import AuditedModel


class Maturity(models.TextChoices):
    IDEA = "idea", _("Idea")
    DEVELOPING = "developing", _("Being prepared")
    MATURE = "mature", _("Mature")


class Candidate(AuditedModel):
    """A project an organization might apply with, followed before a call opens."""

    class State(models.TextChoices):
        WATCHING = "watching", _("Watching")
        READY = "ready", _("Ready")
        APPLIED = "applied", _("Applied")
        DROPPED = "dropped", _("Dropped")

    OPEN_STATES = (State.WATCHING, State.READY)

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="candidates",
    )
    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="candidates"
    )
    title = models.CharField(_("title"), max_length=200)
    field = models.CharField(_("field"), max_length=50)
    summary = models.TextField(_("summary"), blank=True)
    maturity = models.CharField(
        _("maturity"), max_length=12, choices=Maturity.choices, default=Maturity.IDEA
    )
    target_level = models.CharField(
        _("target program level"), max_length=12, choices=Bureau.Level.choices
    )
    expected_funding = models.DecimalField(
        _("expected funding (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    guiding_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("guiding officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guided_candidates",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.WATCHING, db_index=True
    )
    state_note = models.CharField(_("note on the last decision"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")

    def __str__(self) -> str:
        return self.title


class FollowUp(AuditedModel):
    """A dated note of help given to a candidate: a visit, a lecture, materials, polishing."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        LECTURE = "lecture", _("Lecture")
        MATERIALS = "materials", _("Materials provided")
        POLISHING = "polishing", _("Document polishing")
        OTHER = "other", _("Other")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="follow_ups")
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"
