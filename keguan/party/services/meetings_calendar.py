"""What the branch had to hold and what it held: periods, the yearly calendar, held vs
required. Everything comes from one query over the year's meetings, never a query a cell."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from keguan.party.models import FREQUENCY, BranchMeeting, MeetingKind, Period

PERIOD_MONTHS = {Period.MONTH: 1, Period.QUARTER: 3, Period.YEAR: 12}


@dataclass(frozen=True)
class Span:
    """One period of a year: its first and last day and its label (2024-03, 2024 Q1…)."""

    period: str
    index: int  # 1-based: the month, the quarter, or 1 for the year
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        if self.period == Period.MONTH:
            return _("Month %(month)d") % {"month": self.index}
        if self.period == Period.QUARTER:
            return _("Q%(quarter)d") % {"quarter": self.index}
        return _("Year")

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def spans(period: str, year: int) -> list[Span]:
    """The periods of YEAR: 12 months, 4 quarters or the year itself."""
    months = PERIOD_MONTHS[period]
    result = []
    for index, first in enumerate(range(1, 13, months), start=1):
        start = dt.date(year, first, 1)
        last_month = first + months - 1
        end = (
            dt.date(year, 12, 31)
            if last_month == 12
            else dt.date(year, last_month + 1, 1) - dt.timedelta(days=1)
        )
        result.append(Span(period, index, start, end))
    return result


def span_of(kind: str, day: dt.date) -> Span:
    """The period of KIND's frequency that DAY falls in."""
    return next(s for s in spans(FREQUENCY[kind], day.year) if s.contains(day))


@dataclass
class Cell:
    span: Span
    meetings: list = field(default_factory=list)  # (pk, held_on, topic)
    state: str = "future"  # held, missed, due (the current period, still open), future
    current: bool = False  # today falls in this period

    @property
    def held(self) -> int:
        return len(self.meetings)


@dataclass
class KindRow:
    kind: str
    label: str
    period: str
    period_label: str
    cells: list[Cell]

    @property
    def required(self) -> int:
        """Periods of the year: each needs at least one meeting."""
        return len(self.cells)

    @property
    def held(self) -> int:
        return sum(cell.held for cell in self.cells)

    @property
    def covered(self) -> int:
        return sum(1 for cell in self.cells if cell.held)

    @property
    def missed(self) -> int:
        return sum(1 for cell in self.cells if cell.state == "missed")


def calendar(branch, year: int, today: dt.date | None = None) -> list[KindRow]:
    """Per kind, the periods of YEAR with the meetings held in each and its state: held,
    missed (ended without one), due (the current period, still without one) or future.
    One query."""
    today = today or timezone.localdate()
    held = defaultdict(list)
    rows = (
        BranchMeeting.objects.filter(branch=branch, held_on__year=year)
        .order_by("held_on", "pk")
        .values_list("pk", "kind", "held_on", "topic")
    )
    for pk, kind, held_on, topic in rows:
        held[kind].append((pk, held_on, topic))
    result = []
    for kind in MeetingKind:
        period = FREQUENCY[kind]
        cells = []
        for span in spans(period, year):
            cell = Cell(span, [m for m in held[kind] if span.contains(m[1])])
            cell.current = span.contains(today)
            if cell.held:
                cell.state = "held"
            elif span.end < today:
                cell.state = "missed"
            elif cell.current:
                cell.state = "due"
            cells.append(cell)
        result.append(KindRow(kind, str(kind.label), period, str(Period(period).label), cells))
    return result


def held_vs_required(branch, year: int, today: dt.date | None = None) -> dict[str, dict]:
    """Per kind: `required` periods in the year (each needs a meeting), `held` meetings,
    `covered` periods that had one, `missed` periods that ended without one. For the branch's
    yearly summary."""
    return {
        row.kind: {
            "label": row.label,
            "period": row.period,
            "required": row.required,
            "held": row.held,
            "covered": row.covered,
            "missed": row.missed,
        }
        for row in calendar(branch, year, today)
    }


def missing_now(branch_ids, today: dt.date, before: dt.timedelta) -> list[tuple[int, str, Span]]:
    """(branch id, kind, span) for each kind whose current period ends within BEFORE of
    TODAY without a meeting of the kind held, for the branches BRANCH_IDS. One query."""
    closing = {
        kind: span_of(kind, today)
        for kind in MeetingKind
        if span_of(kind, today).end - today < before
    }
    if not closing:
        return []
    earliest = min(span.start for span in closing.values())
    held = set(
        BranchMeeting.objects.filter(branch_id__in=branch_ids, held_on__gte=earliest).values_list(
            "branch_id", "kind", "held_on"
        )
    )
    done = {(b, k) for b, k, day in held if k in closing and closing[k].contains(day)}
    return [
        (branch_id, kind, span)
        for branch_id in branch_ids
        for kind, span in closing.items()
        if (branch_id, kind) not in done
    ]
