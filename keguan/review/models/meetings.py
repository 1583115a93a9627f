"""Decision meetings (集体决策, 局务会): who attended, what was decided, by what votes."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Bureau
from keguan.audit.guard import AuditedModel


class Meeting(AuditedModel):
    """A leadership meeting. Its decisions are staged while it is a draft and released
    together; once released nothing about it changes (a new meeting decides anew)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Being recorded")
        RELEASED = "released", _("Decisions released")

    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leaders present"),
        through="Attendance",
        related_name="meetings_attended",
    )
    # The size of the leadership group on the day the attendance was recorded.
    leadership_size = models.PositiveSmallIntegerField(_("leadership group"), default=0)
    rounds = models.ManyToManyField(
        "review.Round", verbose_name=_("ranked lists considered"), blank=True, related_name="+"
    )
    minutes = models.TextField(_("minutes"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    state_note = models.CharField(_("note on the last decision"), max_length=500, blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("decision meeting")
        verbose_name_plural = _("decision meetings")

    def __str__(self) -> str:
        return self.title


class Attendance(AuditedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attend_once")]


class Decision(AuditedModel):
    """What one meeting decided about one application."""

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")
        DEFER = "defer", _("Defer")
        # An approval in public notice is withdrawn (an objection upheld, a fact found):
        # a decision changes only by a new meeting's decision.
        REVOKE = "revoke", _("Revoke the approval")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    application = models.ForeignKey(
        "projects.Application", on_delete=models.PROTECT, related_name="meeting_decisions"
    )
    outcome = models.CharField(_("decision"), max_length=8, choices=Outcome.choices)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fund = models.ForeignKey(
        "funds.Fund",
        verbose_name=_("fund"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    votes_for = models.PositiveSmallIntegerField(_("votes for"), validators=[MinValueValidator(0)])
    votes_against = models.PositiveSmallIntegerField(_("votes against"), default=0)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "application"], name="one_decision_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} / {self.application_id}: {self.outcome}"
