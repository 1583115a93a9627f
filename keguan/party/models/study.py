"""The study system (学习制度) and its checks (检查考核): yearly plans, study sessions with
their sign-in, leave and make-up study, study notes, and the quarterly assessment."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keguan.audit.guard import AuditedModel

__all__ = [
    "Assessment",
    "LeaveRequest",
    "PlanTopic",
    "QuarterClose",
    "SessionMaterial",
    "StudyAttendance",
    "StudyNote",
    "StudyPlan",
    "StudyReminder",
    "StudySession",
]

HOURS = {"max_digits": 5, "decimal_places": 1}


class StudyPlan(AuditedModel):
    """A branch's study plan for one year: the hours each member owes, topics by month."""

    branch = models.ForeignKey(
        "party.Branch",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="study_plans",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    required_hours = models.DecimalField(
        _("required hours per member"),
        validators=[MinValueValidator(Decimal("0.5"))],
        **HOURS,
    )
    # Study notes (心得体会) each member hands in over the year.
    required_notes = models.PositiveSmallIntegerField(_("study notes required per year"), default=4)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("study plan")
        verbose_name_plural = _("study plans")
        constraints = [
            models.UniqueConstraint(fields=["branch", "year"], name="one_study_plan_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.branch} {self.year}"


class PlanTopic(AuditedModel):
    """One row of a plan: a topic studied in a month."""

    plan = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="topics")
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    topic = models.CharField(_("topic"), max_length=200)

    class Meta:
        ordering = ["month", "pk"]
        verbose_name = _("plan topic")
        verbose_name_plural = _("plan topics")


class StudySession(AuditedModel):
    """One study session of the branch. Members sign in with its random TOKEN (a QR code
    shown at the session) within the sign-in window, or the secretary signs them in."""

    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("Collective study")
        LECTURE = "lecture", _("Party lecture")
        SELF_STUDY = "self_study", _("Self-study")
        THEME_DAY = "theme_day", _("Theme party day")

    branch = models.ForeignKey(
        "party.Branch",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="study_sessions",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=200)
    date = models.DateField(_("date"), db_index=True)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    speaker = models.CharField(_("speaker"), max_length=100, blank=True)
    hours = models.DecimalField(
        _("planned hours"), validators=[MinValueValidator(Decimal("0.5"))], **HOURS
    )
    summary = models.TextField(_("summary"), blank=True)
    # The secret in the sign-in QR code; whoever holds it may sign themselves in.
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-starts_at", "-pk"]
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic}"

    def _at(self, time: dt.time) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date, time))

    @property
    def start(self) -> dt.datetime:
        return self._at(self.starts_at)

    @property
    def end(self) -> dt.datetime:
        return self._at(self.ends_at)


class SessionMaterial(AuditedModel):
    """A file handed out for a session, stored outside the web root under a random name."""

    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="materials")
    original_name = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(max_length=100, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("session material")
        verbose_name_plural = _("session materials")


class StudyAttendance(AuditedModel):
    """A member's presence at a session (or make-up study for it) and the hours credited."""

    class How(models.TextChoices):
        QR = "qr", _("QR sign-in")
        SECRETARY = "secretary", _("Signed in by the secretary")
        MAKE_UP = "make_up", _("Make-up study")

    IN_PERSON = (How.QR, How.SECRETARY)

    session = models.ForeignKey(StudySession, on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey(
        "party.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="study_attendance",
    )
    how = models.CharField(_("how"), max_length=10, choices=How.choices)
    hours = models.DecimalField(_("hours credited"), validators=[MinValueValidator(0)], **HOURS)
    at = models.DateTimeField(_("at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Why the secretary signed someone in after the session ended.
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("study attendance")
        verbose_name_plural = _("study attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="study_attend_once")
        ]


class StudyNote(AuditedModel):
    """A member's study notes (学习心得) on a session: text, a file, or both."""

    session = models.ForeignKey(StudySession, on_delete=models.PROTECT, related_name="notes")
    member = models.ForeignKey("party.Member", on_delete=models.PROTECT, related_name="study_notes")
    text = models.TextField(_("notes"), blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    stored_name = models.CharField(max_length=100, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("study notes")
        verbose_name_plural = _("study notes")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="study_notes_once")
        ]


class LeaveRequest(AuditedModel):
    """A member asks before a session to be excused; the secretary decides (LEAVE_WORKFLOW)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting the secretary")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATES = (State.PENDING,)
    FINAL_STATES = (State.APPROVED, State.REFUSED, State.WITHDRAWN)

    session = models.ForeignKey(
        StudySession, on_delete=models.PROTECT, related_name="leave_requests"
    )
    member = models.ForeignKey(
        "party.Member", on_delete=models.PROTECT, related_name="study_leave_requests"
    )
    reason = models.CharField(_("reason"), max_length=500)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    state_note = models.CharField(_("note on the last decision"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"],
                condition=models.Q(state__in=["pending", "approved"]),
                name="one_open_leave_request",
            )
        ]


class QuarterClose(AuditedModel):
    """The secretary closed a quarter's assessment: its scores are stored and final."""

    branch = models.ForeignKey("party.Branch", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), default=timezone.now)

    class Meta:
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "year", "quarter"], name="close_study_quarter_once"
            )
        ]


class Assessment(AuditedModel):
    """A member's quarterly check against the plan, as computed when the quarter closed.

    Hours and notes count from the start of the year to the quarter's end, against the
    plan pro-rated to that quarter; attendance counts the quarter's own sessions."""

    close = models.ForeignKey(QuarterClose, on_delete=models.PROTECT, related_name="assessments")
    member = models.ForeignKey(
        "party.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="study_assessments",
    )
    sessions_held = models.PositiveSmallIntegerField(_("sessions held"))
    sessions_attended = models.PositiveSmallIntegerField(_("sessions attended"))
    attendance_rate = models.DecimalField(_("attendance rate (%)"), max_digits=5, decimal_places=1)
    hours = models.DecimalField(_("hours this year"), **HOURS)
    hours_required = models.DecimalField(_("hours required by now"), **HOURS)
    notes = models.PositiveSmallIntegerField(_("notes submitted"))
    notes_required = models.PositiveSmallIntegerField(_("notes required by now"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        ordering = ["rank", "pk"]
        verbose_name = _("study assessment")
        verbose_name_plural = _("study assessments")
        constraints = [
            models.UniqueConstraint(fields=["close", "member"], name="assess_member_once")
        ]


class StudyReminder(models.Model):
    """That a member was reminded of missing hours in a quarter (at most once): bookkeeping
    of the reminder task, not a record of the branch's work."""

    member = models.ForeignKey("party.Member", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "quarter"], name="remind_study_once_a_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year}Q{self.quarter}"
