"""Branch meetings (三会一课), their attendance and decisions, and major matters (三重一大).

A meeting's kind says how often the branch must hold one (FREQUENCY). Attendance names the
members expected and whether each was present; how many were expected is kept on the
meeting, so its quorum stays what it was on the day even after members leave the branch.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.audit.guard import AuditedModel

__all__ = [
    "DECIDING_KINDS",
    "FREQUENCY",
    "BranchMeeting",
    "MajorMatter",
    "MeetingAttendance",
    "MeetingDecision",
    "MeetingKind",
    "MeetingReminder",
    "Period",
]


class MeetingKind(models.TextChoices):
    ASSEMBLY = "assembly", _("Branch assembly")  # 支部党员大会
    COMMITTEE = "committee", _("Branch committee meeting")  # 支委会
    GROUP = "group", _("Party group meeting")  # 党小组会
    LECTURE = "lecture", _("Party lecture")  # 党课
    THEME_DAY = "theme_day", _("Theme party day")  # 主题党日
    LIFE = "life", _("Organizational life meeting")  # 组织生活会


class Period(models.TextChoices):
    MONTH = "month", _("monthly")
    QUARTER = "quarter", _("quarterly")
    YEAR = "year", _("yearly")


# At least one meeting of each kind in every such period (the Party's rules for 三会一课).
FREQUENCY = {
    MeetingKind.ASSEMBLY: Period.QUARTER,
    MeetingKind.COMMITTEE: Period.MONTH,
    MeetingKind.GROUP: Period.MONTH,
    MeetingKind.LECTURE: Period.QUARTER,
    MeetingKind.THEME_DAY: Period.MONTH,
    MeetingKind.LIFE: Period.YEAR,
}
# Only these meetings take decisions by vote; the others study, discuss, criticize.
DECIDING_KINDS = (MeetingKind.ASSEMBLY, MeetingKind.COMMITTEE)


class BranchMeeting(AuditedModel):
    branch = models.ForeignKey(
        "party.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices, db_index=True)
    # A group meeting is the meeting of one party group; other kinds leave it empty.
    group = models.ForeignKey(
        "party.PartyGroup",
        verbose_name=_("party group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    topic = models.CharField(_("topic"), max_length=200)
    held_on = models.DateField(_("held on"), db_index=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.ForeignKey(
        "party.Member",
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    # How many were expected when the attendance was recorded: the branch's active members
    # for an assembly, the committee seats for a committee meeting, the group's members.
    expected_count = models.PositiveSmallIntegerField(_("expected"), default=0)
    present_count = models.PositiveSmallIntegerField(_("present"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("branch meeting")
        verbose_name_plural = _("branch meetings")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}: {self.topic}"

    @property
    def decides(self) -> bool:
        return self.kind in DECIDING_KINDS

    @property
    def quorate(self) -> bool:
        """More than half of those expected are present (an assembly: of the active
        members; a committee meeting: of the committee seats)."""
        return self.expected_count > 0 and self.present_count * 2 > self.expected_count


class MeetingAttendance(AuditedModel):
    """One expected member: present, or absent with the reason given."""

    meeting = models.ForeignKey(BranchMeeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("party.Member", on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("present"), default=True)
    absence_reason = models.CharField(_("reason for absence"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="party_attend_once")
        ]


class MeetingDecision(AuditedModel):
    """What a deciding meeting resolved, with its votes. Passed with the votes of more than
    half of those present, and only at a quorate meeting."""

    meeting = models.ForeignKey(BranchMeeting, on_delete=models.PROTECT, related_name="decisions")
    text = models.CharField(_("decision"), max_length=500)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), validators=[MinValueValidator(0)])
    votes_against = models.PositiveSmallIntegerField(_("votes against"), default=0)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")

    def __str__(self) -> str:
        return self.text

    def passed_with(self, present: int) -> bool:
        return self.votes_for * 2 > present


class MajorMatter(AuditedModel):
    """A 三重一大 matter: decided only by a passed decision of a quorate meeting."""

    class Category(models.TextChoices):
        DECISION = "decision", _("Major decision")
        CADRE = "cadre", _("Appointment or removal of cadres")
        PROJECT = "project", _("Major project")
        FUNDS = "funds", _("Use of a large sum")

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATES = (State.PROPOSED,)
    FINAL_STATES = (State.DECIDED, State.WITHDRAWN)

    branch = models.ForeignKey(
        "party.Branch",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="major_matters",
    )
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    proposed_on = models.DateField(_("proposed on"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED, db_index=True
    )
    state_note = models.CharField(_("note on the last decision"), max_length=500, blank=True)
    decision = models.ForeignKey(
        MeetingDecision,
        verbose_name=_("meeting decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="major_matters",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-proposed_on", "-pk"]
        verbose_name = _("major matter")
        verbose_name_plural = _("major matters")

    def __str__(self) -> str:
        return self.title


class MeetingReminder(models.Model):
    """That the secretary was reminded of a kind's missing meeting in a period: a row is
    claimed (unique) before anyone is told, so nobody is told twice."""

    branch = models.ForeignKey("party.Branch", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=MeetingKind.choices)
    period_start = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "kind", "period_start"], name="party_remind_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.kind} {self.period_start:%Y-%m-%d}"
