"""/api/v1/party/summary: the branch's yearly summary, for its secretary and the inspectors
over it (the same predicate and service as the page). Counts and sums only: the
evaluation appears as the number of members given each final grade."""

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from keguan.api.projects.common import forbidden, invalid
from keguan.core.access import get_visible
from keguan.party.permissions import branch_of
from keguan.party.permissions import summary as can
from keguan.party.services import summary as services

router = Router()


class MembersOut(Schema):
    active: int
    full: int
    probationary: int
    transferred_out: int
    deceased: int


class StudyOut(Schema):
    has_plan: bool
    required_hours: Decimal | None
    members: int
    total_hours: Decimal
    average_hours: Decimal
    below_plan_count: int
    below_plan: list[str]


class MeetingKindOut(Schema):
    kind: str
    label: str
    period: str
    required: int
    held: int
    covered: int
    missed: int


class GradeCountOut(Schema):
    grade: str
    label: str
    count: int


class EvaluationOut(Schema):
    round_id: int | None
    name: str
    state: str
    finished: bool
    participants: int
    grades: list[GradeCountOut]
    ungraded: int


class DuesOut(Schema):
    declared: Decimal
    paid: Decimal
    unpaid: Decimal
    records: int
    unpaid_records: int


class SummaryOut(Schema):
    branch_id: int
    branch_name: str
    year: int
    as_of: dt.date
    members: MembersOut
    study: StudyOut
    meetings: list[MeetingKindOut]
    evaluation: EvaluationOut
    dues: DuesOut


@router.get(
    "/summary", response=SummaryOut, summary="The branch's yearly summary (counts and sums)"
)
def yearly_summary(request, year: int | None = None, branch: int | None = None):
    user = request.auth
    if not can.can_read_summary(user):
        raise forbidden(_("The yearly summary is for the branch secretary and inspectors."))
    this_year = timezone.localdate().year
    year = this_year if year is None else year
    if not 1990 <= year <= this_year:
        raise invalid("year", _("Year: give a year from 1990 to this year."))
    branches = can.summary_branches(user)
    if branch is not None:
        chosen = get_visible(request, branches, branch)
    else:
        own = branch_of(user)
        chosen = (branches.filter(pk=own.pk).first() if own else None) or branches.first()
    if chosen is None:
        raise Http404()
    return services.yearly_summary(chosen, year)
