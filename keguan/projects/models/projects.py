"""Projects (立项) followed from the task book to acceptance and closing."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Bureau, Organization
from keguan.audit.guard import AuditedModel
from keguan.projects.models.applications import Application


class Project(AuditedModel):
    """An approved application, now a project with a number, a task book and money."""

    class State(models.TextChoices):
        CONTRACTING = "contracting", _("Task book being agreed")
        UNDER_WAY = "under_way", _("Under way")
        ACCEPTANCE_REQUESTED = "acceptance_requested", _("Acceptance requested")
        POSTPONED = "postponed", _("Acceptance postponed")
        PASSED = "passed", _("Acceptance passed")
        FAILED = "failed", _("Acceptance failed")
        CLOSED = "closed", _("Closed")

    OPEN_STATES = (
        State.CONTRACTING,
        State.UNDER_WAY,
        State.ACCEPTANCE_REQUESTED,
        State.POSTPONED,
    )

    class MidtermResult(models.TextChoices):
        GOOD = "good", _("On track")
        BEHIND = "behind", _("Behind schedule")
        PROBLEM = "problem", _("Serious problems")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="project"
    )
    number = models.CharField(_("project number"), max_length=30, unique=True)
    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="projects"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=Bureau.Level.choices)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    approved_amount = models.DecimalField(
        _("approved funding (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    # Task book (任务书).
    targets = models.TextField(_("targets"), blank=True)
    start_on = models.DateField(_("start"), null=True, blank=True)
    end_on = models.DateField(_("end"), null=True, blank=True)
    acceptance_due = models.DateField(_("acceptance due"), null=True, blank=True)
    task_book_signed_at = models.DateTimeField(_("task book signed"), null=True, blank=True)
    midterm_result = models.CharField(
        _("mid-term check"), max_length=10, choices=MidtermResult.choices, blank=True
    )
    midterm_note = models.TextField(_("mid-term check note"), blank=True)
    midterm_checked_at = models.DateTimeField(_("mid-term checked"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=State.choices,
        default=State.CONTRACTING,
        db_index=True,
    )
    state_note = models.CharField(_("note on the last decision"), max_length=1000, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "number"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Milestone(AuditedModel):
    """A dated duty of a project: a progress report, the mid-term check, acceptance."""

    class Kind(models.TextChoices):
        PROGRESS_REPORT = "progress_report", _("Progress report")
        MIDTERM = "midterm", _("Mid-term check")
        ACCEPTANCE = "acceptance", _("Acceptance")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due"), db_index=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    # Reminder bookkeeping: the scheduler sets these so nobody is told twice.
    reminded_before_at = models.DateTimeField(null=True, blank=True)
    reminded_after_at = models.DateTimeField(null=True, blank=True)

    audit_exempt_fields = frozenset({"reminded_before_at", "reminded_after_at"})

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class ProgressReport(AuditedModel):
    """What the unit reports on the way: progress, money spent, problems."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    milestone = models.OneToOneField(
        Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="report"
    )
    period = models.CharField(_("period"), max_length=50)
    progress = models.TextField(_("progress"))
    spent = models.DecimalField(
        _("spent so far (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    problems = models.TextField(_("problems"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return self.period
