"""The Party branch (党支部): its party groups, committee and members."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Bureau
from keguan.audit.guard import AuditedModel, AuditedQuerySet
from keguan.audit.services import mask_id_number
from keguan.core.crypto import BlindIndexField, EncryptedCharField

__all__ = ["Branch", "CommitteeSeat", "Member", "PartyGroup"]


class Branch(AuditedModel):
    """The bureau's Party branch: one per bureau."""

    bureau = models.OneToOneField(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="party_branch"
    )
    name = models.CharField(_("name"), max_length=100)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("party branch")
        verbose_name_plural = _("party branches")

    def __str__(self) -> str:
        return self.name


class PartyGroup(AuditedModel):
    """A party group (党小组) of the branch."""

    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("party group")
        verbose_name_plural = _("party groups")
        constraints = [
            models.UniqueConstraint(fields=["branch", "name"], name="party_group_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class MemberQuerySet(AuditedQuerySet):
    def active(self):
        """Members still in the branch, full and probationary alike (both count for quorum)."""
        return self.filter(state=Member.State.ACTIVE)


class Member(AuditedModel):
    """A Party member of the branch. The state changes only through MEMBER_WORKFLOW."""

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Kind(models.TextChoices):
        PROBATIONARY = "probationary", _("Probationary member")
        FULL = "full", _("Full member")

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        TRANSFERRED = "transferred", _("Transferred out")
        DECEASED = "deceased", _("Deceased")

    FINAL_STATES = (State.TRANSFERRED, State.DECEASED)

    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="members"
    )
    # The account the member signs in with, if they have one.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_member",
    )
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # Encrypted at rest; found and kept unique through its blind index.
    id_number = EncryptedCharField(_("ID number"), max_length=18)
    id_number_index = BlindIndexField(source="id_number", purpose="party.member.id_number")
    joined_on = models.DateField(_("joined the Party on"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.PROBATIONARY
    )
    # A probationary member's year ends here; the branch then decides on full membership.
    full_due_on = models.DateField(_("full membership due on"), null=True, blank=True)
    full_on = models.DateField(_("full member since"), null=True, blank=True)
    full_decision = models.TextField(_("branch decision on full membership"), blank=True)
    post = models.CharField(_("post"), max_length=100, blank=True)
    group = models.ForeignKey(
        PartyGroup,
        verbose_name=_("party group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.ACTIVE, db_index=True
    )
    state_note = models.CharField(_("note on the last decision"), max_length=500, blank=True)
    transferred_on = models.DateField(_("transferred out on"), null=True, blank=True)
    transferred_to = models.CharField(_("transferred to"), max_length=200, blank=True)
    deceased_on = models.DateField(_("deceased on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "id_number_index"],
                condition=~models.Q(id_number_index=""),
                name="party_member_id_number_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The blind index follows the ID number even when only the ID number is saved.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "id_number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "id_number_index"}
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        """The ID number as every page and export shows it (full only on an audited reveal)."""
        return mask_id_number(self.id_number) if self.id_number else ""

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE

    @property
    def is_probationary(self) -> bool:
        return self.kind == self.Kind.PROBATIONARY


class CommitteeSeat(AuditedModel):
    """A seat on the branch committee (支委会): secretary, deputy secretary or member."""

    class Duty(models.TextChoices):
        SECRETARY = "secretary", _("Secretary")
        DEPUTY = "deputy", _("Deputy secretary")
        MEMBER = "member", _("Committee member")

    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.CASCADE, related_name="committee"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="seats"
    )
    duty = models.CharField(_("seat"), max_length=12, choices=Duty.choices)
    # What the seat looks after: organisation, propaganda, discipline inspection…
    duties = models.CharField(_("duties"), max_length=200, blank=True)

    class Meta:
        ordering = ["duty", "pk"]
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")
        constraints = [
            models.UniqueConstraint(fields=["branch", "member"], name="one_seat_per_member"),
            models.UniqueConstraint(
                fields=["branch"],
                condition=models.Q(duty="secretary"),
                name="one_secretary_per_branch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_duty_display()} {self.member}"
