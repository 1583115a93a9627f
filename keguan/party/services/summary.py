"""The branch's yearly summary (支部年度小结): members at the year's end, study hours, meetings
held against the required ones, the democratic evaluation's final grades, and party dues.

Built from each area's own functions and aggregates, so the summary says what the area's
pages say. A fixed number of queries, however many members the branch has; the evaluation
appears as counts of final grades only, never a ballot or a voter. The yearly report reads
`yearly_summary` too.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from keguan.audit import services as audit
from keguan.party.models import (
    Branch,
    DuesRecord,
    EvaluationRound,
    Grade,
    Member,
    StudyPlan,
)
from keguan.party.services import evaluation as evaluation_services
from keguan.party.services import study as study_services
from keguan.party.services.meetings_calendar import held_vs_required

ZERO = Decimal("0")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class MemberCounts:
    """Members in the branch on the year's last day (or today, in the current year), and
    those who left during the year."""

    active: int
    full: int
    probationary: int
    transferred_out: int
    deceased: int


@dataclass(frozen=True)
class StudySummary:
    """Hours credited in the year to the branch's active members, against the plan."""

    has_plan: bool
    required_hours: Decimal | None
    members: int
    total_hours: Decimal
    average_hours: Decimal
    # Names of members with fewer hours than the plan requires (empty without a plan).
    below_plan: list[str] = field(default_factory=list)

    @property
    def below_plan_count(self) -> int:
        return len(self.below_plan)


@dataclass(frozen=True)
class MeetingKindSummary:
    """One kind of meeting: periods requiring one, meetings held, periods covered/missed."""

    kind: str
    label: str
    period: str
    required: int
    held: int
    covered: int
    missed: int


@dataclass(frozen=True)
class GradeCount:
    grade: str
    label: str
    count: int


@dataclass(frozen=True)
class EvaluationSummary:
    """The year's round: its state and, once finished, how many got each final grade."""

    round_id: int | None
    name: str
    state: str
    finished: bool
    participants: int
    grades: list[GradeCount] = field(default_factory=list)
    ungraded: int = 0


@dataclass(frozen=True)
class DuesSummary:
    """Dues for the months of the year, in yuan: declared, paid, still unpaid."""

    declared: Decimal
    paid: Decimal
    unpaid: Decimal
    records: int
    unpaid_records: int


@dataclass(frozen=True)
class YearlySummary:
    branch_id: int
    branch_name: str
    year: int
    as_of: dt.date
    members: MemberCounts
    study: StudySummary
    meetings: list[MeetingKindSummary]
    evaluation: EvaluationSummary
    dues: DuesSummary

    @property
    def meetings_required(self) -> int:
        return sum(row.required for row in self.meetings)

    @property
    def meetings_covered(self) -> int:
        return sum(row.covered for row in self.meetings)

    @property
    def meetings_missed(self) -> int:
        return sum(row.missed for row in self.meetings)


def as_of(year: int, today: dt.date | None = None) -> dt.date:
    """The day the summary describes: 31 December, or today while the year runs."""
    today = today or timezone.localdate()
    return min(dt.date(year, 12, 31), today)


def member_counts(branch: Branch, year: int, today: dt.date | None = None) -> MemberCounts:
    """Who was in the branch at the year's end, read from the dates the member workflow
    keeps (a member transferred out or deceased after that day still counts). One query."""
    end = as_of(year, today)
    S = Member.State
    in_branch = Q(joined_on__lte=end) & (
        Q(state=S.ACTIVE)
        | Q(state=S.TRANSFERRED, transferred_on__gt=end)
        | Q(state=S.DECEASED, deceased_on__gt=end)
    )
    # Full by the year's end: full now and (recorded as full from the start or) since then.
    full = in_branch & Q(kind=Member.Kind.FULL) & (Q(full_on__isnull=True) | Q(full_on__lte=end))
    counts = Member.objects.filter(branch=branch).aggregate(
        active=Count("pk", filter=in_branch),
        full=Count("pk", filter=full),
        transferred_out=Count("pk", filter=Q(state=S.TRANSFERRED, transferred_on__year=year)),
        deceased=Count("pk", filter=Q(state=S.DECEASED, deceased_on__year=year)),
    )
    return MemberCounts(probationary=counts["active"] - counts["full"], **counts)


def study_summary(branch: Branch, year: int) -> StudySummary:
    """The study area's hours per member (`hours_by_member`: the members active now) summed
    up, leaving out those who joined after the year. Two queries."""
    plan = StudyPlan.objects.filter(branch=branch, year=year).first()
    end = dt.date(year, 12, 31)
    rows = [row for row in study_services.hours_by_member(branch, year) if row.joined_on <= end]
    total = sum((row.hours for row in rows), ZERO)
    average = (total / len(rows)).quantize(TENTH, rounding=ROUND_HALF_UP) if rows else ZERO
    required = plan.required_hours if plan else None
    below = [row.name for row in rows if required is not None and row.hours < required]
    return StudySummary(
        has_plan=plan is not None,
        required_hours=required,
        members=len(rows),
        total_hours=total,
        average_hours=average,
        below_plan=below,
    )


def meetings_summary(branch: Branch, year: int, today: dt.date | None = None):
    """The meetings area's held-vs-required table, kind by kind. One query."""
    return [
        MeetingKindSummary(kind=str(kind), **row)
        for kind, row in held_vs_required(branch, year, today).items()
    ]


def evaluation_summary(branch: Branch, year: int) -> EvaluationSummary:
    """The year's round; final grades counted only once it is finished (members told).
    Counts only: the participants' final grades, never a ballot. At most two queries."""
    round = EvaluationRound.objects.filter(branch=branch, year=year).first()
    if round is None:
        return EvaluationSummary(None, "", "", False, 0)
    finished = round.state == EvaluationRound.State.FINISHED
    by_grade = dict(
        evaluation_services.results(round)
        .order_by()
        .values_list("final_grade")
        .annotate(n=Count("pk"))
    )
    participants = sum(by_grade.values())
    grades = []
    if finished:
        grades = [GradeCount(g.value, str(g.label), by_grade.get(g.value, 0)) for g in Grade]
    ungraded = by_grade.get("", 0) if finished else 0
    return EvaluationSummary(
        round.pk, round.name, round.state, finished, participants, grades, ungraded
    )


def dues_summary(branch: Branch, year: int) -> DuesSummary:
    """The dues records of the year's months, summed in the database. One query."""
    totals = DuesRecord.objects.filter(member__branch=branch, month__year=year).aggregate(
        declared=Sum("amount"),
        paid=Sum("amount", filter=Q(paid_on__isnull=False)),
        records=Count("pk"),
        unpaid_records=Count("pk", filter=Q(paid_on__isnull=True)),
    )
    declared = totals["declared"] or ZERO
    paid = totals["paid"] or ZERO
    return DuesSummary(
        declared=declared,
        paid=paid,
        unpaid=declared - paid,
        records=totals["records"],
        unpaid_records=totals["unpaid_records"],
    )


def yearly_summary(branch: Branch, year: int, today: dt.date | None = None) -> YearlySummary:
    """BRANCH's summary of YEAR (as of TODAY while the year runs). Seven queries whatever
    the branch's size; reads only, changes nothing."""
    today = today or timezone.localdate()
    return YearlySummary(
        branch_id=branch.pk,
        branch_name=branch.name,
        year=year,
        as_of=as_of(year, today),
        members=member_counts(branch, year, today),
        study=study_summary(branch, year),
        meetings=meetings_summary(branch, year, today),
        evaluation=evaluation_summary(branch, year),
        dues=dues_summary(branch, year),
    )


def record_export(user, branch: Branch, year: int) -> None:
    """The export of the summary is audited like the areas' own exports."""
    audit.record("party.summary.export", obj=branch, after={"year": year})
