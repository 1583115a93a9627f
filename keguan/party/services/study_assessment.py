"""The quarterly check of the study system (检查考核): each member's attendance, hours and
notes against the plan, scored and ranked; stored when the secretary closes the quarter."""

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from keguan.audit import services as audit
from keguan.party.models import (
    Assessment,
    Branch,
    LeaveRequest,
    Member,
    QuarterClose,
    StudyAttendance,
    StudyNote,
    StudyPlan,
    StudySession,
)
from keguan.party.services.study import ZERO

# What each part of the check weighs in the score out of 100.
WEIGHT_ATTENDANCE = Decimal(40)
WEIGHT_HOURS = Decimal(40)
WEIGHT_NOTES = Decimal(20)
ONE_PLACE = Decimal("0.1")


@dataclass
class Row:
    member: Member
    sessions_held: int
    sessions_attended: int
    attendance_rate: Decimal
    hours: Decimal
    hours_required: Decimal
    notes: int
    notes_required: int
    score: Decimal
    rank: int = 0


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * quarter - 2, 1)
    after = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, after - dt.timedelta(days=1)


def required_hours_by(plan: StudyPlan, day: dt.date) -> Decimal:
    """The plan's hours pro-rated to DAY (by the days of the year gone by, DAY included)."""
    days = (dt.date(day.year, 12, 31) - dt.date(day.year, 1, 1)).days + 1
    gone = day.timetuple().tm_yday
    return (plan.required_hours * gone / days).quantize(ONE_PLACE, ROUND_HALF_UP)


def _sum(queryset, field: str, output):
    return Coalesce(
        Subquery(
            queryset.order_by().values("member").annotate(total=Sum(field)).values("total")[:1]
        ),
        output,
    )


def _count(queryset):
    return Coalesce(
        Subquery(queryset.order_by().values("member").annotate(n=Count("pk")).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )


def _ratio(part, whole) -> Decimal:
    if not whole:
        return Decimal(1)
    return min(Decimal(part) / Decimal(whole), Decimal(1))


def compute(branch: Branch, year: int, quarter: int) -> list[Row]:
    """Each active member's check for the quarter, ranked (equal scores share a rank).

    Attendance counts the quarter's sessions other than self-study, less those the member
    was excused from; hours and notes count from New Year to the quarter's end against the
    plan pro-rated to four quarters. A fixed number of queries, whatever the branch's size.
    """
    plan = StudyPlan.objects.filter(branch=branch, year=year).first()
    if plan is None:
        raise ValidationError(_("The branch has no study plan for %(year)d.") % {"year": year})
    first, last = quarter_bounds(year, quarter)
    held = StudySession.objects.filter(branch=branch, date__range=(first, last)).exclude(
        kind=StudySession.Kind.SELF_STUDY
    )
    sessions_held = held.count()
    member = OuterRef("pk")
    to_date = {"session__date__range": (dt.date(year, 1, 1), last)}
    members = list(
        Member.objects.active()
        .filter(branch=branch)
        .annotate(
            attended=_count(
                StudyAttendance.objects.filter(
                    member=member, session__in=held, how__in=StudyAttendance.IN_PERSON
                )
            ),
            excused=_count(
                LeaveRequest.objects.filter(
                    member=member, session__in=held, state=LeaveRequest.State.APPROVED
                )
            ),
            year_hours=_sum(
                StudyAttendance.objects.filter(member=member, **to_date), "hours", ZERO
            ),
            notes_in=_count(StudyNote.objects.filter(member=member, **to_date)),
        )
        .order_by("name", "pk")
    )
    hours_required = (plan.required_hours * quarter / 4).quantize(ONE_PLACE, ROUND_HALF_UP)
    notes_required = math.ceil(plan.required_notes * quarter / 4)
    rows = []
    for m in members:
        expected = max(sessions_held - m.excused, 0)
        rate = _ratio(m.attended, expected)
        score = (
            WEIGHT_ATTENDANCE * rate
            + WEIGHT_HOURS * _ratio(m.year_hours, hours_required)
            + WEIGHT_NOTES * _ratio(m.notes_in, notes_required)
        ).quantize(ONE_PLACE, ROUND_HALF_UP)
        rows.append(
            Row(
                member=m,
                sessions_held=sessions_held,
                sessions_attended=m.attended,
                attendance_rate=(rate * 100).quantize(ONE_PLACE, ROUND_HALF_UP),
                hours=m.year_hours,
                hours_required=hours_required,
                notes=m.notes_in,
                notes_required=notes_required,
                score=score,
            )
        )
    rows.sort(key=lambda r: (-r.score, r.member.name, r.member.pk))
    for index, row in enumerate(rows):
        same = index and rows[index - 1].score == row.score
        row.rank = rows[index - 1].rank if same else index + 1
    return rows


def close_quarter(user, branch: Branch, year: int, quarter: int, today=None) -> QuarterClose:
    """Close the quarter's check: every active member's scores are computed and stored,
    so later sign-ins or edits do not change them. Side effects: one QuarterClose, one
    Assessment per member, one audit event `party.study.quarter.close`. Refused before the
    quarter has ended, and a second time."""
    today = today or timezone.localdate()
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("Choose a quarter from 1 to 4.")})
    _first, last = quarter_bounds(year, quarter)
    if today <= last:
        raise ValidationError(
            _("The quarter ends on %(day)s; it can be closed after that.") % {"day": last}
        )
    with transaction.atomic(), audit.writing():
        # The branch row is locked so two secretaries' clicks close the quarter once.
        Branch.objects.select_for_update().get(pk=branch.pk)
        if QuarterClose.objects.filter(branch=branch, year=year, quarter=quarter).exists():
            raise ValidationError(_("This quarter has already been closed."))
        rows = compute(branch, year, quarter)
        close = QuarterClose.objects.create(
            branch=branch, year=year, quarter=quarter, closed_by=user, closed_at=timezone.now()
        )
        Assessment.objects.bulk_create(
            [
                Assessment(
                    close=close,
                    member=row.member,
                    sessions_held=row.sessions_held,
                    sessions_attended=row.sessions_attended,
                    attendance_rate=row.attendance_rate,
                    hours=row.hours,
                    hours_required=row.hours_required,
                    notes=row.notes,
                    notes_required=row.notes_required,
                    score=row.score,
                    rank=row.rank,
                )
                for row in rows
            ]
        )
        audit.record(
            "party.study.quarter.close",
            obj=close,
            after={
                "branch": branch.pk,
                "year": year,
                "quarter": quarter,
                "scores": {str(r.member.pk): str(r.score) for r in rows},
            },
        )
    return close


def closed(branch: Branch, year: int, quarter: int) -> QuarterClose | None:
    return QuarterClose.objects.filter(branch=branch, year=year, quarter=quarter).first()
