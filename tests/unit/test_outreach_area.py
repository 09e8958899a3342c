"""`--area` as staff type it: postal codes, their prefixes and town names, any width."""

from __future__ import annotations

import pytest

from counter.outreach import POSTAL, PREFIX, TOWN, describe_area, parse_area
from counter.textnorm import TextFormatError


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [
        ("6830823", POSTAL, "6830823"),
        ("683-0823", POSTAL, "6830823"),
        ("６８３", PREFIX, "683"),
        ("683ー08", PREFIX, "68308"),
        ("加茂町", TOWN, "加茂町"),
        (" 淀江町西原\u3000", TOWN, "淀江町西原"),
        ("加茂町二丁目", TOWN, "加茂町二丁目"),
    ],
)
def test_each_kind_of_area_is_read(typed, kind, value):
    term = parse_area(typed)
    assert (term.kind, term.value) == (kind, value)


@pytest.mark.parametrize("typed", ["", "\u3000", "68308231", "加茂\x1b[2J"])
def test_an_unusable_area_is_refused_in_japanese(typed):
    with pytest.raises(TextFormatError):
        parse_area(typed)


def test_the_area_is_recorded_as_typed():
    assert describe_area([parse_area("683-08"), parse_area("淀江町")]) == "683-08、淀江町"
