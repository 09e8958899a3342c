"""The 窓口の実績 screen's layout rules that its Pilot tests' small week cannot show: the
busiest hours put a 「5件未満」 after every number whatever its place in the week, and a
bar is drawn for a number only."""

from __future__ import annotations

from counter.stats import SUPPRESSED
from screens.stats_tables import busiest_first
from screens.widgets.bar_chart import bar_lengths


def test_the_busiest_hours_keep_the_small_ones_last_in_the_weeks_order():
    hours = [
        {"weekday": "月", "hour": 9, "visits": SUPPRESSED},
        {"weekday": "月", "hour": 10, "visits": 7},
        {"weekday": "火", "hour": 9, "visits": SUPPRESSED},
        {"weekday": "水", "hour": 13, "visits": 12},
    ]
    ordered = [(r["weekday"], r["hour"]) for r in busiest_first(hours)]
    assert ordered == [("水", 13), ("月", 10), ("月", 9), ("火", 9)]


def test_a_bar_is_drawn_for_a_number_only_the_largest_filling_the_width():
    assert bar_lengths([SUPPRESSED, 0, None, 10, 5, 7.5], 20) == [0, 0, 0, 20, 10, 15]
    assert bar_lengths([SUPPRESSED, None], 20) == [0, 0]  # nothing to scale by
    assert bar_lengths([1000, 1], 20) == [20, 1]  # a number above zero is never invisible
