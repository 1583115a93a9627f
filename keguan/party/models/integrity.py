"""Clean government (党风廉政建设): yearly responsibility letters with their items and
checkpoints, education activities with attendance, and officers' declarations of interests
(relatives in applicant units), which the review draw also reads as conflicts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.audit.guard import AuditedModel


class ResponsibilityLetter(AuditedModel):
    """The clean-government responsibility letter (责任书) one leader or officer signs for a
    year."""

    class Post(models.TextChoices):
        LEADER = "leader", _("Leader")
        OFFICER = "officer", _("Officer")

    branch = models.ForeignKey("party.Branch", on_delete=models.PROTECT, related_name="letters")
    year = models.PositiveSmallIntegerField(_("year"))
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        related_name="responsibility_letters",
    )
    post = models.CharField(_("as"), max_length=10, choices=Post.choices)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "post", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "year", "holder"], name="party_letter_one_per_holder_year"
            )
        ]
        verbose_name = _("responsibility letter")
        verbose_name_plural = _("responsibility letters")

    def __str__(self) -> str:
        return f"{self.year} {self.holder}"


class LetterItem(AuditedModel):
    """One duty the letter's holder takes on."""

    letter = models.ForeignKey(ResponsibilityLetter, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(_("duty"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("letter item")
        verbose_name_plural = _("letter items")

    def __str__(self) -> str:
        return self.text


class Checkpoint(AuditedModel):
    """Progress on, or the check of, one item of a letter."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress")
        CHECK = "check", _("Check")

    class Result(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        MET = "met", _("Met")
        NOT_MET = "not_met", _("Not met")

    item = models.ForeignKey(LetterItem, on_delete=models.CASCADE, related_name="checkpoints")
    checked_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["checked_on", "pk"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")


class EducationActivity(AuditedModel):
    """A clean-government education activity, e.g. the yearly visit to the anti-corruption
    education base."""

    class Kind(models.TextChoices):
        BASE_VISIT = "base_visit", _("Visit to an education base")
        LECTURE = "lecture", _("Lecture")
        FILM = "film", _("Warning film")
        OTHER = "other", _("Other")

    branch = models.ForeignKey(
        "party.Branch", on_delete=models.PROTECT, related_name="education_activities"
    )
    held_on = models.DateField(_("held on"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    attendees = models.ManyToManyField(
        "party.Member", through="EducationAttendance", related_name="+", blank=True
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("education activity")
        verbose_name_plural = _("education activities")

    def __str__(self) -> str:
        return self.title


class EducationAttendance(AuditedModel):
    activity = models.ForeignKey(
        EducationActivity, on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey("party.Member", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "member"], name="party_education_attended_once"
            )
        ]


class InterestDeclaration(AuditedModel):
    """An officer's relative working in (or running) an organization that may apply: the
    review draw keeps the officer, when an expert, away from that organization's applications
    while the declaration runs."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        PARENT = "parent", _("Parent")
        CHILD = "child", _("Child")
        SIBLING = "sibling", _("Brother or sister")
        IN_LAW = "in_law", _("In-law")
        OTHER = "other", _("Other relative")

    declarant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        on_delete=models.PROTECT,
        related_name="interest_declarations",
    )
    relative_name = models.CharField(_("relative"), max_length=50)
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.CharField(_("position there"), max_length=100, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    created_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("declaration of interest")
        verbose_name_plural = _("declarations of interest")

    def __str__(self) -> str:
        return f"{self.relative_name} ({self.organization_id})"

    def is_in_force(self, on) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)
