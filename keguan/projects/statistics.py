"""Counts and sums per program level and year over the user's whole jurisdiction.

Three grouped queries (applications, projects, disbursements), whatever the size of the
jurisdiction: the database aggregates, Python only merges a few dozen rows. Over a province
the first query still reads every application once, so the result is kept for a few
minutes per jurisdiction (the page says as of when).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone

from keguan.funds.models import Disbursement
from keguan.projects import permissions
from keguan.projects.models import Application, Call, Level

S = Application.State
# Applications that reached the bureau: drafts and withdrawals before submission do not count.
SUBMITTED_STATES = [state for state in S.values if state not in (S.DRAFT,)]
LEVEL_ORDER = [Level.NATIONAL, Level.PROVINCIAL, Level.MUNICIPAL, Level.COUNTY]
CACHE_SECONDS = 300


@dataclass
class Row:
    year: int
    level: str
    submitted: int = 0
    approved: int = 0
    projects: int = 0
    approved_amount: Decimal = Decimal(0)
    disbursed: Decimal = Decimal(0)

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)


@dataclass
class Statistics:
    rows: list[Row] = field(default_factory=list)
    as_of: dt.datetime | None = None

    def totals_by_year(self) -> list[Row]:
        years: dict[int, Row] = {}
        for row in self.rows:
            total = years.setdefault(row.year, Row(row.year, ""))
            total.submitted += row.submitted
            total.approved += row.approved
            total.projects += row.projects
            total.approved_amount += row.approved_amount
            total.disbursed += row.disbursed
        return sorted(years.values(), key=lambda row: -row.year)


def by_level_and_year(
    user, years: tuple[int, int] | None = None, *, fresh: bool = False
) -> Statistics:
    """The statistics of USER's jurisdiction (see `compute`), computed at most every
    CACHE_SECONDS per jurisdiction and range; FRESH computes them now."""
    if not permissions.can_read_statistics(user):
        return Statistics([], timezone.now())
    key = f"keguan:statistics:{user.bureau.path}:{years}"
    stats = None if fresh else cache.get(key)
    if stats is None:
        stats = compute(user, years)
        cache.set(key, stats, CACHE_SECONDS)
    return stats


def compute(user, years: tuple[int, int] | None = None) -> Statistics:
    """What USER's jurisdiction applied for, got approved and paid, per level and year.

    Applications count by their call's year and program level once submitted; projects by
    their own year and level, with the approved amount; disbursements by their project's
    year and level. YEARS limits to an inclusive (first, last) range.
    """
    applications = permissions.visible_applications(user).filter(state__in=SUBMITTED_STATES)
    projects = permissions.visible_projects(user)
    paid = Disbursement.objects.filter(project__in=projects)
    if years:
        applications = applications.filter(call__year__range=years)
        projects = projects.filter(year__range=years)
        paid = paid.filter(project__year__range=years)
    rows: dict[tuple[int, str], Row] = {}

    def row(year, level) -> Row:
        return rows.setdefault((year, level), Row(year, level))

    # Grouped by call alone (no join to calls and programs while reading every
    # application); the few hundred calls are then placed by year and level.
    by_call = list(
        applications.values("call_id")
        .annotate(submitted=Count("pk"), approved=Count("pk", filter=Q(state=S.APPROVED)))
        .order_by()
    )
    placed = {
        call["pk"]: (call["year"], call["program__level"])
        for call in Call.objects.filter(pk__in=[item["call_id"] for item in by_call]).values(
            "pk", "year", "program__level"
        )
    }
    for item in by_call:
        target = row(*placed[item["call_id"]])
        target.submitted += item["submitted"]
        target.approved += item["approved"]
    for item in projects.values("year", "level").annotate(
        n=Count("pk"), amount=Sum("approved_amount")
    ):
        target = row(item["year"], item["level"])
        target.projects, target.approved_amount = item["n"], item["amount"] or Decimal(0)
    for item in paid.values("project__year", "project__level").annotate(amount=Sum("amount")):
        row(item["project__year"], item["project__level"]).disbursed = item["amount"] or Decimal(0)
    ordered = sorted(rows.values(), key=lambda r: (-r.year, LEVEL_ORDER.index(r.level)))
    return Statistics(ordered, timezone.now())
