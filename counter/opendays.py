"""Which days the city office is open, so deadlines can roll to the next open day.

地方自治法 4条の2 第4項: a deadline for a procedure at the city office that falls on a
closed day moves to the next open day. Closed days are Saturdays, Sundays, national
holidays (incl. 振替休日 and 国民の休日, from jpholiday), the year-end closure 29 Dec – 3 Jan,
and any extra days in the municipality profile.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import jpholiday


class OfficeCalendar:
    def __init__(self, extra_closed: Iterable[date] = ()) -> None:
        self._extra_closed = frozenset(extra_closed)

    def closed_reason(self, day: date) -> str | None:
        """Why the office is closed that day, in Japanese, or None when it is open."""
        if day in self._extra_closed:
            return "閉庁日"
        if (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3):
            return "年末年始"
        name = jpholiday.is_holiday_name(day)
        if name:
            return name
        if day.weekday() == 5:
            return "土曜日"
        if day.weekday() == 6:
            return "日曜日"
        return None

    def is_open(self, day: date) -> bool:
        return self.closed_reason(day) is None

    def next_open_day(self, day: date) -> date:
        """The day itself when open, else the first open day after it."""
        while not self.is_open(day):
            day += timedelta(days=1)
        return day
