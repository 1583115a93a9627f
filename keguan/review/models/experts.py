"""The expert pool (专家库): experts, their fields, and the relations they declare."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Bureau, Organization
from keguan.audit.guard import AuditedModel, AuditedQuerySet
from keguan.projects.models.applications import discipline_code_validator

MAX_KEYWORDS = 5


class ExpertQuerySet(AuditedQuerySet):
    def active(self):
        return self.filter(state=Expert.State.ACTIVE)


class Expert(AuditedModel):
    """A person who may be drawn to review, kept by a bureau for its jurisdiction."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        REMOVED = "removed", _("Removed")

    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="experts"
    )
    # The account the expert signs in with; an expert without one cannot be drawn.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expert",
    )
    name = models.CharField(_("name"), max_length=50)
    unit = models.CharField(_("unit"), max_length=200)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("registered unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="experts",
    )
    title = models.CharField(_("professional title"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, db_index=True)
    state = models.CharField(
        _("state"), max_length=8, choices=State.choices, default=State.ACTIVE, db_index=True
    )
    state_note = models.CharField(_("note on the last decision"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [
            models.UniqueConstraint(fields=["bureau", "id_number"], name="one_expert_per_person")
        ]

    def __str__(self) -> str:
        return self.name


class ExpertField(AuditedModel):
    """A discipline the expert reviews in, with up to five keywords."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="fields")
    discipline_code = models.CharField(
        _("discipline code"), max_length=7, validators=[discipline_code_validator]
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True)

    class Meta:
        ordering = ["discipline_code", "pk"]
        verbose_name = _("field of expertise")
        verbose_name_plural = _("fields of expertise")

    def __str__(self) -> str:
        return self.discipline_code


class Relation(AuditedModel):
    """A relation the expert declared: a relative, a former employer, a unit they advise."""

    class Kind(models.TextChoices):
        RELATIVE = "relative", _("Relative")
        FORMER_EMPLOYER = "former_employer", _("Former employer")
        ADVISED_UNIT = "advised_unit", _("Unit advised")

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # A unit's name, or a relative's name.
    name = models.CharField(_("name"), max_length=200)
    # A relative's ID number, when known: a relative is recognised in a team by it.
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("declared relation")
        verbose_name_plural = _("declared relations")

    def __str__(self) -> str:
        return self.name


class Avoidance(AuditedModel):
    """A unit or an expert the applicant asks not to be reviewed by (at most three)."""

    class Kind(models.TextChoices):
        UNIT = "unit", _("Unit")
        EXPERT = "expert", _("Expert")

    MAX_PER_APPLICATION = 3

    application = models.ForeignKey(
        "projects.Application", on_delete=models.CASCADE, related_name="avoidances"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # The unit's name, or the expert's name.
    name = models.CharField(_("name"), max_length=200)
    # For an expert: their unit, to tell namesakes apart (optional).
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("avoidance request")
        verbose_name_plural = _("avoidance requests")

    def __str__(self) -> str:
        return self.name
