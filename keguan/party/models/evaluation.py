"""Democratic evaluation of members (民主评议党员): the yearly round, the members taking part,
self-evaluations, peer comments, the secret ballot and the organization's final grades.

The secret ballot is stored in two tables that share nothing but the round:
`VoterRecord` says who has voted, `BallotGrade` holds the grades. Why there is no row that
groups one voter's grades into a "ballot", and why the grades carry no order, is explained
on `BallotGrade`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.audit.guard import AuditedModel

__all__ = [
    "BallotGrade",
    "EvaluationParticipant",
    "EvaluationRound",
    "Grade",
    "PeerComment",
    "SelfEvaluation",
    "VoterRecord",
]


class Grade(models.TextChoices):
    """The four grades of a democratic evaluation, best first."""

    EXCELLENT = "excellent", _("Excellent")
    COMPETENT = "competent", _("Competent")
    BASIC = "basic", _("Basically competent")
    INCOMPETENT = "incompetent", _("Not competent")


class EvaluationRound(AuditedModel):
    """One year's democratic evaluation in a branch. The state changes only through
    ROUND_WORKFLOW (keguan.party.workflow_evaluation)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Open for evaluation and voting")
        CLOSED = "closed", _("Closed, votes counted")
        FINISHED = "finished", _("Finished, members told")

    # Ballots are cast only while open; counts exist (and are shown) only from CLOSED on.
    RESULT_STATES = (State.CLOSED, State.FINISHED)

    branch = models.ForeignKey(
        "party.Branch",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="evaluation_rounds",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=100)
    # At most this many 优秀 on one ballot. Empty while being prepared means "one third of
    # the participants, rounded down" (at most one third, never more); fixed at opening.
    excellent_cap = models.PositiveSmallIntegerField(
        _("most 'excellent' grades on one ballot"), null=True, blank=True
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    state_note = models.CharField(_("note on the last decision"), max_length=500, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        constraints = [
            models.UniqueConstraint(fields=["branch", "year"], name="one_evaluation_round_a_year")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shows_results(self) -> bool:
        return self.state in self.RESULT_STATES


class EvaluationParticipant(AuditedModel):
    """A member taking part in a round: the active members when it opened. Holds the
    member's counted votes (set when the round closes) and the organization's final grade."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="participants"
    )
    member = models.ForeignKey(
        "party.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="evaluation_participations",
    )
    excellent_votes = models.PositiveSmallIntegerField(_("excellent"), null=True, blank=True)
    competent_votes = models.PositiveSmallIntegerField(_("competent"), null=True, blank=True)
    basic_votes = models.PositiveSmallIntegerField(_("basically competent"), null=True, blank=True)
    incompetent_votes = models.PositiveSmallIntegerField(_("not competent"), null=True, blank=True)
    final_grade = models.CharField(
        _("final grade"), max_length=12, choices=Grade.choices, blank=True
    )
    final_reasons = models.TextField(_("reasons"), blank=True)

    class Meta:
        ordering = ["member__name", "pk"]
        verbose_name = _("evaluation participant")
        verbose_name_plural = _("evaluation participants")
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="one_participation_a_round")
        ]

    def __str__(self) -> str:
        return f"{self.round} / {self.member}"

    @property
    def votes_total(self) -> int:
        return sum(
            v or 0
            for v in (
                self.excellent_votes,
                self.competent_votes,
                self.basic_votes,
                self.incompetent_votes,
            )
        )


class SelfEvaluation(AuditedModel):
    """What a member writes about their own year."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="self_evaluations"
    )
    member = models.ForeignKey("party.Member", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("self-evaluation"), max_length=5000)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["member__name", "pk"]
        verbose_name = _("self-evaluation")
        verbose_name_plural = _("self-evaluations")
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="one_self_evaluation")
        ]


class PeerComment(AuditedModel):
    """A member's comment on another member. Signed, not secret: the secretary reads it."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="peer_comments"
    )
    author = models.ForeignKey(
        "party.Member", verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        "party.Member", verbose_name=_("about"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=2000)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["subject__name", "author__name", "pk"]
        verbose_name = _("peer comment")
        verbose_name_plural = _("peer comments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "author", "subject"], name="one_comment_per_pair"
            )
        ]


class VoterRecord(AuditedModel):
    """That a member has voted in a round — nothing else: no time, no link to a grade.

    The unique constraint is the rule "one ballot per member per round"; the round's row
    lock serialises the casting, and the constraint still holds if two requests race.
    """

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="voter_records"
    )
    member = models.ForeignKey("party.Member", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("voter record")
        verbose_name_plural = _("voter records")
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="one_ballot_per_member")
        ]


class BallotGrade(AuditedModel):
    """One grade of one secret ballot: the round, the member graded, the grade. Nothing
    about the voter, no time, and an id that is random.

    Why the grades of one ballot are NOT grouped under a ballot row: every voter grades
    every other participant, so a grouped ballot lacks exactly one participant — its voter.
    A "ballot" row with its grades would name its voter by that gap. Each grade is
    therefore stored alone.

    Why the ids are random and the rows re-written: a grade's row position (SQLite's
    rowid, PostgreSQL's ctid and transaction id xmin) and a sequential id would follow the
    voting order, which the voter records and the audit trail also follow. Each cast
    therefore re-writes every grade of the round in a random order with fresh random ids
    (`services.evaluation.cast_ballot`), so at any moment all of a round's grades are
    equally new and in no order.

    The per-ballot rules (every other participant graded once, no self-grading, the cap
    on 优秀) are checked before the grades are stored; they cannot be re-checked from the
    stored grades afterwards, and that is the price of secrecy.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="grades")
    member = models.ForeignKey("party.Member", on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=12, choices=Grade.choices)

    class Meta:
        verbose_name = _("ballot grade")
        verbose_name_plural = _("ballot grades")
