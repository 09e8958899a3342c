"""Deadlines computed the way the law counts days.

- ``koseki``: 戸籍法 counts the day of the event (出生 on 11/20, 14 days → 12/3).
- ``jumin``: 住民基本台帳法 and most other laws follow 民法 140条 and start on the next
  day (転入 on 11/16, 14 days → 11/30).
- ``filing``: counted like ``jumin`` but from the day the resident files at the counter
  (マイナンバーカード継続利用: 90 days from the 転入届).
- ``months``: a period in months from the next day; 民法 143条 ends it on the day that
  corresponds to the event date (or the month's last day when there is none).
- ``koseki_months``: a period in months counted like 戸籍法 from the event day itself
  (婚氏続称: a divorce on 4/1 has until 6/30).
- ``none``: no fixed deadline; ``note`` then says when (速やかに), and ``notice`` is
  what to know about the timing that is not a deadline at all (死亡の記載が戸籍に反映
  されるまで数日から2週間ほどかかります), printed apart so it never reads as a 期限.
A last day on a closed day moves to the next open day (地方自治法 4条の2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from counter.opendays import OfficeCalendar

RULES = ("koseki", "jumin", "filing", "months", "koseki_months", "none")


@dataclass(frozen=True)
class DeadlineRule:
    rule: str
    days: int = 0
    months: int = 0
    roll_to_open_day: bool = True
    note: str = ""
    notice: str = ""

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"未知の期限の数え方: {self.rule}")
        if self.notice and self.rule != "none":
            raise ValueError('notice は期限のない手続き（rule = "none"）にだけ書けます')
        if self.rule in ("months", "koseki_months") and self.months <= 0:
            raise ValueError("期限の月数は1以上にしてください")
        if self.rule in ("koseki", "jumin", "filing") and self.days <= 0:
            raise ValueError("期限の日数は1以上にしてください")


@dataclass(frozen=True)
class Deadline:
    """The computed last day; ``moved_from`` is the legal last day when it was closed."""

    last_day: date | None
    moved_from: date | None = None
    closed_reason: str | None = None


def compute_deadline(
    rule: DeadlineRule, event_date: date, filed_on: date, calendar: OfficeCalendar
) -> Deadline:
    if rule.rule == "none":
        return Deadline(last_day=None)
    if rule.rule == "koseki":
        last = event_date + timedelta(days=rule.days - 1)
    elif rule.rule == "jumin":
        last = event_date + timedelta(days=rule.days)
    elif rule.rule == "months":
        last = event_date + relativedelta(months=rule.months)
    elif rule.rule == "koseki_months":
        last = event_date + relativedelta(months=rule.months) - timedelta(days=1)
    else:
        last = filed_on + timedelta(days=rule.days)
    if not rule.roll_to_open_day:
        return Deadline(last_day=last)
    reason = calendar.closed_reason(last)
    if reason is None:
        return Deadline(last_day=last)
    return Deadline(last_day=calendar.next_open_day(last), moved_from=last, closed_reason=reason)
