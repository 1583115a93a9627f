"""Honours (先进个人 / 先进集体) of the bureau and of its people."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.audit.guard import AuditedModel


class Honour(AuditedModel):
    class Recipient(models.TextChoices):
        BUREAU = "bureau", _("The bureau")
        PERSON = "person", _("A person")

    branch = models.ForeignKey("party.Branch", on_delete=models.PROTECT, related_name="honours")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("honour"), max_length=200)
    granted_by = models.CharField(_("granted by"), max_length=200)
    recipient = models.CharField(_("awarded to"), max_length=10, choices=Recipient.choices)
    # A person: a member of the branch, or a name when they are not one.
    member = models.ForeignKey(
        "party.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )
    person_name = models.CharField(_("person"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("honour")
        verbose_name_plural = _("honours")

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    @property
    def recipient_name(self) -> str:
        if self.recipient == self.Recipient.BUREAU:
            return str(self.branch.bureau)
        return self.member.name if self.member_id else self.person_name
