"""Calendar arithmetic for relative dates: which July, which Tuesday, relative to an anchor day.

Plain arithmetic on `datetime.date`: dateparser's relative handling (PREFER_DATES_FROM) knows
only "past" or "future" from *now*, not "latest on or before the publication day, this day
counting" nor "nearest occurrence, ties to the past", so it adds nothing here.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Literal

Direction = Literal["past", "future", "nearest", "before", "after"]


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    """(year, month) moved by `delta` months."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month_occurrence(month: int, anchor: dt.date, direction: Direction) -> tuple[int, int]:
    """The (year, month) of the named month relative to the anchor's month.

    past: latest on or before; future: next on or after; before/after: strictly;
    nearest: closest in either direction, ties to the past.
    """
    year = anchor.year
    past_year = year if month <= anchor.month else year - 1
    future_year = year if month >= anchor.month else year + 1
    if direction == "past":
        return past_year, month
    if direction == "future":
        return future_year, month
    if direction == "before":
        return (year if month < anchor.month else year - 1), month
    if direction == "after":
        return (year if month > anchor.month else year + 1), month
    back = (anchor.month - month) % 12
    ahead = (month - anchor.month) % 12
    return (past_year, month) if back <= ahead else (future_year, month)


def _valid_day(year: int, month: int, day: int) -> dt.date | None:
    if day > calendar.monthrange(year, month)[1]:
        return None
    return dt.date(year, month, day)


def month_day_occurrence(month: int, day: int, anchor: dt.date, direction: Direction) -> dt.date | None:
    """The month-day in the year that makes it latest on/before (past) or next on/after (future)."""
    step = 1 if direction in ("future", "after") else -1
    year = anchor.year
    for _ in range(9):  # 29 February recurs at least once in eight years
        candidate = _valid_day(year, month, day)
        if candidate is not None:
            if direction == "past" and candidate <= anchor:
                return candidate
            if direction == "future" and candidate >= anchor:
                return candidate
            if direction == "before" and candidate < anchor:
                return candidate
            if direction == "after" and candidate > anchor:
                return candidate
        year += step
    return None


def weekday_occurrence(weekday: int, anchor: dt.date, direction: Direction) -> dt.date:
    """The weekday (0 = Monday) relative to the anchor day; the anchor day itself counts unless strict."""
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if direction == "before":
        return anchor - dt.timedelta(days=back or 7)
    if direction == "after":
        return anchor + dt.timedelta(days=ahead or 7)
    if direction == "future":
        return anchor + dt.timedelta(days=ahead)
    return anchor - dt.timedelta(days=back)


_YEAR_DAYS = 366


def weekday_year(month: int, day: int, weekday: int, reference: dt.date) -> int | None:
    """The one year within a year of the reference where month-day falls on the weekday, if one does.

    A date without a year is never put further than a year from the day it is read against.
    """
    years = [y for y in range(reference.year - 1, reference.year + 2)
             if (d := _valid_day(y, month, day)) is not None and d.weekday() == weekday
             and abs((d - reference).days) <= _YEAR_DAYS]
    return years[0] if len(years) == 1 else None
