"""What was held and what each period still requires; the reminder before a period ends."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from keguan.core.tasks import SCHEDULE
from keguan.notifications.models import Notification
from keguan.party.models import MeetingKind, MeetingReminder
from keguan.party.services.meetings_calendar import calendar, held_vs_required, spans
from keguan.party.tasks_meetings import remind_missing_meetings
from tests.party.meetings_factories import branch_of_ten, make_meeting

pytestmark = pytest.mark.django_db
K = MeetingKind
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(year, month, day):
    return time_machine.travel(dt.datetime(year, month, day, 9, 0, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def branch(personas):
    return branch_of_ten(personas)[0]


def test_the_periods_of_a_year_are_months_quarters_or_the_year():
    assert [(s.start, s.end) for s in spans("quarter", 2024)][0] == (
        dt.date(2024, 1, 1),
        dt.date(2024, 3, 31),
    )
    assert spans("month", 2024)[1].end == dt.date(2024, 2, 29)
    assert len(spans("month", 2024)) == 12 and len(spans("year", 2024)) == 1


def test_the_calendar_shows_held_missed_and_still_required_periods(personas, branch):
    sam = personas.party_secretary
    with _at(2024, 5, 20):
        make_meeting(sam, branch, K.ASSEMBLY, dt.date(2024, 2, 10), present=8)
        make_meeting(sam, branch, K.COMMITTEE, dt.date(2024, 1, 15))
        make_meeting(sam, branch, K.COMMITTEE, dt.date(2024, 1, 28))
        make_meeting(sam, branch, K.COMMITTEE, dt.date(2024, 5, 6))
        rows = {row.kind: row for row in calendar(branch, 2024)}
        summary = held_vs_required(branch, 2024)
    assembly = [cell.state for cell in rows[K.ASSEMBLY].cells]
    assert assembly == ["held", "due", "future", "future"]
    committee = [cell.state for cell in rows[K.COMMITTEE].cells[:6]]
    assert committee == ["held", "missed", "missed", "missed", "held", "future"]
    assert rows[K.COMMITTEE].cells[4].current and not rows[K.COMMITTEE].cells[3].current
    assert rows[K.LIFE].cells[0].state == "due"
    assert summary[K.COMMITTEE] == {
        "label": str(K.COMMITTEE.label),
        "period": "month",
        "required": 12,
        "held": 3,
        "covered": 2,
        "missed": 3,
    }
    assert (summary[K.ASSEMBLY]["required"], summary[K.ASSEMBLY]["held"]) == (4, 1)
    assert summary[K.LIFE]["required"] == 1


def test_the_calendar_takes_one_query_however_many_meetings(
    personas, branch, django_assert_num_queries
):
    sam = personas.party_secretary
    with _at(2024, 12, 30):
        for month in range(1, 13):
            make_meeting(sam, branch, K.THEME_DAY, dt.date(2024, month, 5))
            make_meeting(sam, branch, K.GROUP, dt.date(2024, month, 6))
        with django_assert_num_queries(1):
            rows = calendar(branch, 2024)
    assert all(cell.state == "held" for row in rows[2:5:2] for cell in row.cells)


def _remind(capture) -> int:
    with capture(execute=True):
        return remind_missing_meetings.call()


def test_the_secretary_is_reminded_once_of_each_meeting_missing_before_the_month_ends(
    personas, branch, django_capture_on_commit_callbacks
):
    sam = personas.party_secretary
    told = Notification.objects.filter(user=sam)
    with _at(2024, 5, 10):
        make_meeting(sam, branch, K.COMMITTEE, dt.date(2024, 5, 8))
        # Three weeks before the month ends: too early to remind.
        assert _remind(django_capture_on_commit_callbacks) == 0
    with _at(2024, 5, 25):
        # The group meeting and the theme party day are still missing in May.
        assert _remind(django_capture_on_commit_callbacks) == 2
        assert _remind(django_capture_on_commit_callbacks) == 0
    assert told.count() == 2
    assert set(MeetingReminder.objects.values_list("kind", flat=True)) == {K.GROUP, K.THEME_DAY}
    assert all("2024-05-31" in subject for subject in told.values_list("subject", flat=True))
    assert not Notification.objects.filter(user=personas.party_member).exists()


def test_before_a_quarter_ends_its_assembly_and_lecture_are_reminded_too(
    personas, branch, django_capture_on_commit_callbacks
):
    with _at(2024, 6, 26):
        make_meeting(personas.party_secretary, branch, K.LECTURE, dt.date(2024, 4, 20))
        assert _remind(django_capture_on_commit_callbacks) == 4  # 3 monthly + the assembly
    with _at(2024, 12, 27):
        # December: the monthly and quarterly kinds, and the yearly life meeting.
        assert _remind(django_capture_on_commit_callbacks) == 6


def test_the_reminder_runs_from_the_schedule():
    assert any(job is remind_missing_meetings for _name, _interval, job in SCHEDULE)
