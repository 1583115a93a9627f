"""Industry–university–research cooperation (产学研合作) between organizations.

The rest of the enterprise ledger comes later; the agreements are here already because the
expert draw must avoid the partners an applicant worked with.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Bureau, Organization
from keguan.audit.guard import AuditedModel


class Cooperation(AuditedModel):
    """An agreement between an enterprise (or any unit) and a university or institute."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="cooperations",
    )
    # The partner is often outside the county and not registered here: its name is what
    # counts, the link is kept when it is known.
    partner_name = models.CharField(_("partner"), max_length=200)
    partner = models.ForeignKey(
        Organization,
        verbose_name=_("partner organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cooperations_as_partner",
    )
    title = models.CharField(_("subject"), max_length=200)
    signed_on = models.DateField(_("signed"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "pk"]
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")

    def __str__(self) -> str:
        return f"{self.organization} — {self.partner_name}"
