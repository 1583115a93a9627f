"""Working days by the official calendar: holidays and make-up working days counted."""

import datetime as dt

from keguan.portal.calendar import is_working_day, period, working_days_between


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_the_spring_festival_holiday_is_skipped_and_its_make_up_saturday_counts():
    """2026: 15–23 February off; Saturday 14 February and Saturday 28 February are
    working days."""
    assert is_working_day(d("2026-02-14")) == (True, False)
    assert is_working_day(d("2026-02-16")) == (False, False)
    span = period(d("2026-02-13"), 5)
    assert (span.starts_on, span.ends_on, span.estimated) == (
        d("2026-02-13"),
        d("2026-02-26"),
        False,
    )


def test_the_national_day_week_is_skipped():
    """2026: 1–7 October off; the period started on 30 September ends after the holiday."""
    span = period(d("2026-09-30"), 5)
    assert span.ends_on == d("2026-10-12")
    assert working_days_between(d("2026-10-01"), d("2026-10-07")) == 0


def test_a_period_starting_on_a_holiday_starts_on_the_next_working_day():
    span = period(d("2026-10-03"), 1)
    assert span.starts_on == span.ends_on
    assert span.starts_on > d("2026-10-07")


def test_an_ordinary_week_counts_monday_to_friday():
    span = period(d("2026-11-23"), 5)  # a Monday without holidays
    assert span.ends_on == d("2026-11-27")


def test_a_year_the_calendar_does_not_know_is_counted_monday_to_friday_and_said_so():
    span = period(d("2026-12-28"), 5)
    assert span.estimated
    assert span.ends_on == d("2027-01-01")  # Mon 28 Dec – Fri 1 Jan, weekdays only
