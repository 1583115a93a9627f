"""The demo's meetings: every kind over two years, one period missed, one assembly without
quorum, major matters decided by quorate assemblies; loading twice adds nothing."""

import datetime as dt

import pytest

from keguan.party import demo_meetings
from keguan.party.models import BranchMeeting, MajorMatter, MeetingKind
from keguan.party.services.meetings_calendar import calendar
from tests.party.meetings_factories import branch_of_ten

pytestmark = pytest.mark.django_db


def test_the_demo_fills_two_years_of_meetings_once(personas):
    branch = branch_of_ten(personas)[0]
    today = dt.date.today()
    demo_meetings.load(branch, today)
    count = BranchMeeting.objects.count()
    assert set(BranchMeeting.objects.values_list("kind", flat=True)) == set(MeetingKind.values)
    assemblies = BranchMeeting.objects.filter(kind=MeetingKind.ASSEMBLY)
    assert sum(1 for meeting in assemblies if not meeting.quorate) == 1
    decided = MajorMatter.objects.filter(state=MajorMatter.State.DECIDED)
    assert decided.count() == 2
    assert all(m.decision.meeting.quorate for m in decided)
    assert MajorMatter.objects.filter(state=MajorMatter.State.PROPOSED).count() == 1
    last_year = {row.kind: row for row in calendar(branch, today.year - 1, today)}
    assert [c.span.index for c in last_year[MeetingKind.GROUP].cells if c.state == "missed"] == [8]
    assert all(c.state == "held" for c in last_year[MeetingKind.COMMITTEE].cells)
    this_year = {row.kind: row for row in calendar(branch, today.year, today)}
    assert this_year[MeetingKind.THEME_DAY].cells[today.month - 1].state == "due"
    demo_meetings.load(branch, today)
    assert BranchMeeting.objects.count() == count
