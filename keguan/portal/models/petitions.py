"""Petitions and reports (信访) from the public, tracked by an unguessable code."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Bureau
from keguan.audit.guard import AuditedModel


class Petition(AuditedModel):
    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        REPORT = "report", _("Report of misconduct")
        SUGGESTION = "suggestion", _("Suggestion")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged, being handled")
        CONCLUDED = "concluded", _("Concluded")

    OPEN_STATES = (State.RECEIVED, State.ACKNOWLEDGED)

    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="petitions"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # Only the SHA-256 of the tracking code is kept: the filer holds the code itself.
    code_hash = models.CharField(max_length=64, unique=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    name = models.CharField(_("name"), max_length=50, blank=True)
    contact = models.CharField(_("phone or email"), max_length=100, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("what happened"))
    # A report about a named officer is hidden from that officer.
    concerns = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    concerns_name = models.CharField(_("person concerned (as named)"), max_length=50, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    state_note = models.CharField(_("note on the last decision"), max_length=1000, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledge_due = models.DateField(_("acknowledge by"))
    conclude_due = models.DateField(_("conclude by"))
    extension_reason = models.CharField(_("why extended"), max_length=500, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("concluded"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    audit_exempt_fields = frozenset({"reminded_at"})

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        indexes = [models.Index(fields=["bureau", "state"])]

    def __str__(self) -> str:
        return self.subject


class PublicSubmission(models.Model):
    """One submission of a public form from an address, for the rate limit (kept a day)."""

    form = models.CharField(max_length=20)
    address = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["form", "address", "at"])]

    def __str__(self) -> str:
        return f"{self.form} {self.address} {self.at:%Y-%m-%d %H:%M}"
