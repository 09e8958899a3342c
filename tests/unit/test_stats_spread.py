"""counter.stats.spread_of: the nearest-rank median and 90% of a histogram, worked out by
hand (the smallest value with at least half, or nine tenths, of the group at or below)."""

from __future__ import annotations

import pytest

from counter.stats import Spread, spread_of


@pytest.mark.parametrize(
    ("histogram", "expected"),
    [
        ([], Spread()),
        ([(4.5, 0)], Spread()),  # an empty bucket is no visit
        ([(7.0, 1)], Spread(1, 7.0, 7.0)),
        # 1 2: half is reached at the 1st, nine tenths at the 2nd
        ([(2.0, 1), (1.0, 1)], Spread(2, 1.0, 2.0)),
        # 1 1 1 1 1 9 9 9 9 9: the 5th is 1, the 9th is 9
        ([(9.0, 5), (1.0, 5)], Spread(10, 1.0, 9.0)),
        # 10 values 1..10: the 5th and the 9th; one more makes them the 6th and the 10th
        ([(float(v), 1) for v in range(1, 11)], Spread(10, 5.0, 9.0)),
        ([(float(v), 1) for v in range(1, 12)], Spread(11, 6.0, 10.0)),
    ],
)
def test_the_nearest_rank_of_a_histogram(histogram, expected):
    assert spread_of(histogram) == expected
