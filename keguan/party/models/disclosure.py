"""Party-affairs disclosure (党务公开): items proposed, reviewed for confidentiality, approved
by another person and published inside the branch or to the public portal."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.audit.guard import AuditedModel


class DisclosureItem(AuditedModel):
    """One item the branch discloses; its state moves only through DISCLOSURE_WORKFLOW."""

    class Scope(models.TextChoices):
        BRANCH = "branch", _("Inside the branch")
        PUBLIC = "public", _("To the public")

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        REVIEWED = "reviewed", _("Reviewed")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned")

    OPEN_STATES = (State.PROPOSED, State.REVIEWED, State.APPROVED, State.RETURNED)
    FINAL_STATES = (State.PUBLISHED,)

    branch = models.ForeignKey("party.Branch", on_delete=models.PROTECT, related_name="disclosures")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    scope = models.CharField(_("disclosed"), max_length=10, choices=Scope.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED, db_index=True
    )
    state_note = models.CharField(_("note on the last decision"), max_length=500, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The reviewer confirmed: no state secret, no personal data.
    confidentiality_confirmed = models.BooleanField(_("confidentiality checked"), default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # The portal's public notice that carries a public item (made by the portal's services).
    notice = models.OneToOneField(
        "portal.Notice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_disclosure",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("disclosure item")
        verbose_name_plural = _("disclosure items")

    def __str__(self) -> str:
        return self.title
