"""Holiday counter days (休日窓口): the closed days on which a city opens some counters.

A city writes them as data: a monthly rule such as 「第2日曜日」, 「第1・第3土曜日」 or
「最終日曜日」, and/or a list of dates, less the dates it skips. They never move a legal
deadline: 地方自治法 4条の2 counts a 休日 by the city's 条例, and a day the counter opens
for some services stays a closed day, so deadlines still roll to the next open day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = "月火水木金土日"  # date.weekday() order
RULE_EXAMPLE = "例: 第2日曜日、第1・第3土曜日、最終日曜日"
_ITEM = re.compile(r"(?:第([1-5])|(最終))(?:([月火水木金土日])曜日)?")
_SEPARATORS = re.compile(r"[・、,，]")
SEARCH_DAYS = 400  # a monthly rule opens within any 400 days


class HolidayRuleError(ValueError):
    """A rule that cannot be read, in Japanese, naming the rule."""


@dataclass(frozen=True)
class MonthlyDay:
    """The ``week``-th ``weekday`` of a month (``week`` -1: the last one)."""

    week: int
    weekday: int

    def in_month(self, year: int, month: int) -> date | None:
        days = [
            d
            for d in range(1, calendar.monthrange(year, month)[1] + 1)
            if date(year, month, d).weekday() == self.weekday
        ]
        if self.week == -1:
            return date(year, month, days[-1])
        return date(year, month, days[self.week - 1]) if self.week <= len(days) else None


def parse_rule(text: str) -> tuple[MonthlyDay, ...]:
    """「毎月第2日曜日」 → the second Sunday; 「第1・第3土曜日」 → two days a month. An
    item without its weekday takes the next item's (第1・第3土曜日)."""
    body = text.strip().removeprefix("毎月")
    if not body:
        raise HolidayRuleError(f"休日窓口の決まりが空です（{RULE_EXAMPLE}）")
    items: list[tuple[int, str]] = []
    for part in _SEPARATORS.split(body):
        match = _ITEM.fullmatch(part.strip())
        if match is None:
            raise HolidayRuleError(f"休日窓口の決まり「{text}」が読めません（{RULE_EXAMPLE}）")
        week = -1 if match.group(2) else int(match.group(1))
        items.append((week, match.group(3) or ""))
    if not items[-1][1]:
        raise HolidayRuleError(f"休日窓口の決まり「{text}」に曜日がありません（{RULE_EXAMPLE}）")
    days: list[MonthlyDay] = []
    weekday = ""
    for week, named in reversed(items):
        weekday = named or weekday
        days.append(MonthlyDay(week, WEEKDAYS.index(weekday)))
    return tuple(reversed(days))


@dataclass(frozen=True)
class HolidayCounter:
    """When and for what the city opens a counter on a closed day ([holiday_counter])."""

    rule: str = ""  # as the city words it; "" when only ``dates`` are given or not known
    days: tuple[MonthlyDay, ...] = ()
    dates: tuple[date, ...] = ()  # single days, beside or instead of the rule
    skipped: tuple[date, ...] = ()  # days the rule names but the counter stays shut
    hours: str = ""
    services: tuple[str, ...] = ()
    note: str = ""
    source: str = ""
    unconfirmed: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        """Whether the days are known well enough to tell a resident."""
        return bool(self.days or self.dates) and "rule" not in self.unconfirmed

    def days_in(self, year: int, month: int) -> list[date]:
        """The holiday counter days of one month, in order."""
        found = {d.in_month(year, month) for d in self.days}
        found |= {d for d in self.dates if (d.year, d.month) == (year, month)}
        return sorted(d for d in found if d is not None and d not in self.skipped)

    def opens_on(self, day: date) -> bool:
        return day in self.days_in(day.year, day.month)

    def next_day(self, after: date) -> date | None:
        """The first holiday counter day after ``after`` (None when none is in sight)."""
        day = after
        for _ in range(SEARCH_DAYS):
            day += timedelta(days=1)
            if self.opens_on(day):
                return day
        return None

    def description(self) -> str:
        """One line for a resident (「毎月第2日曜日 9時から12時まで」); "" when the days are
        not known, so nothing unconfirmed is ever printed."""
        if not self.known:
            return ""
        when = self.rule or "、".join(f"{d.month}月{d.day}日" for d in self.dates)
        return f"{when} {self.hours}".strip()
