"""Public notices (公示) with their items, and the objections (异议) raised against them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Bureau
from keguan.audit.guard import AuditedModel, AuditedQuerySet


def letter_storage():
    """Scans of objection letters live beside the other uploads, outside the web root."""
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.KEGUAN_ATTACHMENT_DIR)


class NoticeKind(models.TextChoices):
    PROJECT_APPROVAL = "project_approval", _("Project approval")
    FUNDING = "funding", _("Funding")
    AWARD = "award", _("Award")
    REVIEW_RESULT = "review_result", _("Expert review result")
    PARTY_AFFAIRS = "party_affairs", _("Party-affairs disclosure")
    OTHER = "other", _("Other")


# Kinds whose items name a person (an award goes to people); the others never show names.
KINDS_NAMING_PEOPLE = frozenset({NoticeKind.AWARD})


class NoticeQuerySet(AuditedQuerySet):
    def public(self):
        """Notices the public may read: published (running or ended), not withdrawn."""
        return self.filter(state__in=(Notice.State.RUNNING, Notice.State.ENDED))


class Notice(AuditedModel):
    """A publication with an objection period counted in working days."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RUNNING = "running", _("In its objection period")
        ENDED = "ended", _("Period over")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    working_days = models.PositiveSmallIntegerField(_("working days of the period"), default=5)
    starts_on = models.DateField(_("period starts"), null=True, blank=True)
    ends_on = models.DateField(_("period ends"), null=True, blank=True)
    # The holidays of a year the calendar package does not know yet were counted as
    # Monday-to-Friday: said on the notice.
    calendar_estimated = models.BooleanField(default=False)
    contact = models.CharField(_("contact for objections"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    state_note = models.CharField(_("note on the last decision"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")

    def __str__(self) -> str:
        return self.title


class NoticeItem(AuditedModel):
    """One line of a notice: a project, its unit, an amount; an application when it is one."""

    class State(models.TextChoices):
        LISTED = "listed", _("Listed")
        HELD = "held", _("Held by an objection")
        MOVED_ON = "moved_on", _("Moved on")
        WITHDRAWN = "withdrawn", _("Withdrawn after an objection")
        REVISED = "revised", _("Revised after an objection")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey(
        "projects.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notice_items",
    )
    title = models.CharField(_("item"), max_length=200)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    # Only for kinds that name people (awards): never shown otherwise.
    person_name = models.CharField(_("person"), max_length=100, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.LISTED, db_index=True
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("notice item")
        verbose_name_plural = _("notice items")

    def __str__(self) -> str:
        return self.title


class Objection(AuditedModel):
    """A written objection by a named person or organization during the period."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        INVESTIGATING = "investigating", _("Being investigated")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    OPEN_STATES = (State.RECEIVED, State.INVESTIGATING)

    class Objector(models.TextChoices):
        PERSON = "person", _("A person")
        ORGANIZATION = "organization", _("An organization")

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    item = models.ForeignKey(
        NoticeItem,
        verbose_name=_("item objected to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections",
    )
    objector = models.CharField(_("objecting as"), max_length=12, choices=Objector.choices)
    # The objector's identity: seen only by the inspector and the officer handling it.
    name = models.CharField(_("real name"), max_length=50)
    contact = models.CharField(_("phone or email"), max_length=100)
    organization_name = models.CharField(_("organization"), max_length=200, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    letter = models.FileField(
        _("sealed letter (scan)"),
        upload_to="objections/%Y/",
        storage=letter_storage,
        blank=True,
        max_length=200,
    )
    text = models.TextField(_("the objection"))
    state = models.CharField(
        _("state"), max_length=14, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    state_note = models.CharField(_("note on the last decision"), max_length=1000, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.notice} #{self.pk}"
