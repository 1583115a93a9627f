"""Working days (工作日) by the official calendar: holidays and make-up working days.

The holidays come from the `chinese-calendar` package, which knows the years the State
Council has published (it raises for later ones). For a year it does not know yet, days
are counted Monday to Friday and the result says so (`estimated`), so the notice can tell
readers its end date may move once the year's holidays are announced.
"""

import datetime as dt
from dataclasses import dataclass

import chinese_calendar


@dataclass(frozen=True)
class Period:
    starts_on: dt.date
    ends_on: dt.date
    estimated: bool


def is_working_day(day: dt.date) -> tuple[bool, bool]:
    """(working day?, estimated?) for DAY."""
    try:
        return chinese_calendar.is_workday(day), False
    except NotImplementedError:
        return day.weekday() < 5, True


def period(first_day: dt.date, working_days: int) -> Period:
    """The period of WORKING_DAYS working days from FIRST_DAY on (FIRST_DAY counts when it is a
    working day): it starts on the first working day and ends on the last."""
    if working_days < 1:
        raise ValueError("a period has at least one working day")
    day, counted, estimated, starts_on = first_day, 0, False, None
    while True:
        working, guessed = is_working_day(day)
        estimated = estimated or guessed
        if working:
            counted += 1
            starts_on = starts_on or day
            if counted == working_days:
                return Period(starts_on, day, estimated)
        day += dt.timedelta(days=1)


def working_days_between(first: dt.date, last: dt.date) -> int:
    """How many working days from FIRST to LAST, both included."""
    count, day = 0, first
    while day <= last:
        count += is_working_day(day)[0]
        day += dt.timedelta(days=1)
    return count
