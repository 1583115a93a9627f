"""Review rounds: the rubric of a call, the round, its draws, assignments and scores."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Bureau
from keguan.audit.guard import AuditedModel, AuditedQuerySet
from keguan.review.models.experts import Expert


class Rubric(AuditedModel):
    """How the applications of one call are scored."""

    call = models.OneToOneField(
        "projects.Call", verbose_name=_("call"), on_delete=models.PROTECT, related_name="rubric"
    )
    # A total at or above HIGH, or at or below LOW, needs a comment from the expert.
    comment_at_or_above = models.DecimalField(
        _("comment required at or above"), max_digits=5, decimal_places=2, default=Decimal("90")
    )
    comment_at_or_below = models.DecimalField(
        _("comment required at or below"), max_digits=5, decimal_places=2, default=Decimal("60")
    )
    # Experts disagree strongly when their totals lie further apart than this.
    spread_limit = models.DecimalField(
        _("spread flagged above"), max_digits=5, decimal_places=2, default=Decimal("20")
    )
    comments_to_applicants = models.BooleanField(
        _("applicants see the experts' comments (without names)"), default=False
    )

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self) -> str:
        return str(self.call)


class Criterion(AuditedModel):
    """One line of a rubric; the weights of a rubric add up to 100."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=100)
    guidance = models.CharField(_("guidance"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_score = models.PositiveSmallIntegerField(
        _("maximum score"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name


class Round(AuditedModel):
    """One review round: the applications of a call (or of one field of it), the number of
    experts per application, the seed fixed before any draw, and the review deadline."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        SEALED = "sealed", _("Seed fixed, drawing")
        REVIEWING = "reviewing", _("Under review")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATES = (State.DRAFT, State.SEALED, State.REVIEWING)
    # States in which experts hold their assignments.
    DRAWN_STATES = (State.SEALED, State.REVIEWING)

    MIN_EXPERTS = 3
    DEFAULT_EXPERTS = 5

    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="review_rounds"
    )
    call = models.ForeignKey(
        "projects.Call", verbose_name=_("call"), on_delete=models.PROTECT, related_name="rounds"
    )
    name = models.CharField(_("name"), max_length=100)
    experts_per_application = models.PositiveSmallIntegerField(
        _("experts per application"),
        default=DEFAULT_EXPERTS,
        validators=[MinValueValidator(MIN_EXPERTS), MaxValueValidator(15)],
    )
    reserves = models.PositiveSmallIntegerField(
        _("reserves per application"), default=2, validators=[MaxValueValidator(10)]
    )
    # Experts are drawn from these disciplines (codes, prefix match); empty means any.
    disciplines = models.JSONField(_("disciplines drawn from"), default=list, blank=True)
    review_deadline = models.DateTimeField(_("review deadline"))
    # The value published in advance (a lottery result, an index close...) from which every
    # draw of the round derives its seed; fixed when the round is sealed.
    seed_source = models.CharField(_("published seed value"), max_length=100, blank=True)
    seed_published_where = models.CharField(_("where it was published"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    state_note = models.CharField(_("note on the last decision"), max_length=500, blank=True)
    sealed_at = models.DateTimeField(_("sealed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")

    def __str__(self) -> str:
        return self.name


class RoundEntry(AuditedModel):
    """An application reviewed in a round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(
        "projects.Application", on_delete=models.PROTECT, related_name="round_entries"
    )
    # Set when the round closes: the score that went to the application.
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "application"], name="one_entry_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round} / {self.application}"


class Draw(AuditedModel):
    """One recorded draw for one application: the seed, whom it could draw from, whom it
    excluded and why, and the order it drew in. A redraw is a new Draw with a reason."""

    class Kind(models.TextChoices):
        FIRST = "first", _("First draw")
        REDRAW = "redraw", _("Redraw")
        SUPPLEMENT = "supplement", _("Supplementary draw")

    class Outcome(models.TextChoices):
        DRAWN = "drawn", _("Drawn")
        TOO_FEW = "too_few", _("Too few eligible experts; none drawn")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="draws")
    application = models.ForeignKey(
        "projects.Application", on_delete=models.PROTECT, related_name="draws"
    )
    sequence = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    wanted = models.PositiveSmallIntegerField(_("experts wanted"))
    reserves = models.PositiveSmallIntegerField(_("reserves wanted"))
    seed = models.CharField(max_length=64)
    # Expert ids, ascending: every expert the draw could pick from.
    pool = models.JSONField(default=list)
    # [{"expert": id, "rules": [code, ...], "detail": text}] for every expert left out.
    excluded = models.JSONField(default=list)
    # Expert ids in the order drawn: the first `wanted` review, the rest are reserves.
    result = models.JSONField(default=list)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(_("drawn"), auto_now_add=True)

    class Meta:
        ordering = ["application_id", "sequence"]
        verbose_name = _("draw")
        verbose_name_plural = _("draws")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "application", "sequence"], name="draw_sequence_per_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} / {self.application_id} #{self.sequence}"


class AssignmentQuerySet(AuditedQuerySet):
    def live(self):
        """Assignments whose expert holds the application now (drawn, not released)."""
        return self.filter(state__in=Assignment.LIVE_STATES)


class Assignment(AuditedModel):
    """An expert drawn for an application, from the pledge to the submitted score sheet."""

    class State(models.TextChoices):
        RESERVE = "reserve", _("Reserve")
        INVITED = "invited", _("Awaiting the pledge")
        REVIEWING = "reviewing", _("Reviewing")
        SUBMITTED = "submitted", _("Scores submitted")
        DECLINED = "declined", _("Declined")
        CONFLICT = "conflict", _("Declared a conflict")
        RELEASED = "released", _("Released from the review")

    class Recommendation(models.TextChoices):
        FUND = "fund", _("Fund")
        FUND_WITH_CHANGES = "fund_with_changes", _("Fund with changes")
        DO_NOT_FUND = "do_not_fund", _("Do not fund")

    LIVE_STATES = (State.INVITED, State.REVIEWING, State.SUBMITTED)
    # States in which the expert may read the application itself.
    READING_STATES = (State.REVIEWING, State.SUBMITTED)

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="assignments")
    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="assignments")
    application = models.ForeignKey(
        "projects.Application", on_delete=models.PROTECT, related_name="assignments"
    )
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    # Place in the draw's order (reserves come after the reviewers).
    position = models.PositiveSmallIntegerField()
    state = models.CharField(_("state"), max_length=10, choices=State.choices, db_index=True)
    state_note = models.CharField(_("note on the last decision"), max_length=500, blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    pledged_at = models.DateTimeField(_("pledge signed"), null=True, blank=True)
    total = models.DecimalField(
        _("weighted total"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=18, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssignmentQuerySet.as_manager()
    # Set by the reminder job (a delivery note, not a change of the review).
    audit_exempt_fields = frozenset({"reminded_at"})

    class Meta:
        ordering = ["application_id", "position", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [models.Index(fields=["expert", "state"])]

    def __str__(self) -> str:
        return f"{self.expert} / {self.application_id}"


class Score(AuditedModel):
    """An expert's score on one criterion (draft until the sheet is submitted)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="one_score_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class ApproachReport(AuditedModel):
    """An expert's report that someone tried to influence their review (请托)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="approach_reports"
    )
    application = models.ForeignKey(
        "projects.Application", on_delete=models.PROTECT, related_name="approach_reports"
    )
    detail = models.TextField(_("what happened"), blank=True)
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = _("approach report")
        verbose_name_plural = _("approach reports")

    def __str__(self) -> str:
        return f"{self.application_id} @ {self.reported_at:%Y-%m-%d}"
