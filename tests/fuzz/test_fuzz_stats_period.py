"""Fuzzing the period of the counter's figures: `counter stats --from --to` and the screen
窓口の実績 read it with ``counter.stats.read_period``.

Any two texts give a period of readable days, first to last, under ten years, that
reads back from its 和暦 and 西暦; or one PeriodError whose Japanese line starts with the
field at fault: the first unreadable day, else the first day when it comes after the
last, else the last day when the period is too long.
"""

from __future__ import annotations

from datetime import date, timedelta

from fuzzing import ANY_CHARACTER, FAST, assert_staff_message
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_fuzz_text_fields import DAYS, typed_dates

from counter.stats import LONGEST_DAYS, PeriodError, read_period
from counter.wareki import (
    SUPPORTED_FROM,
    SUPPORTED_UNTIL,
    DateFormatError,
    format_wareki,
    parse_date,
)

NAMES = st.sampled_from([("--from", "--to"), ("最初の日", "最後の日")])  # the command, the screen


@st.composite
def periods(draw) -> tuple[str, str]:
    """Two typed days a period apart, about as long as allowed, or back to front."""
    start = draw(DAYS)
    length = draw(
        st.integers(-40, LONGEST_DAYS + 40)
        | st.sampled_from([0, -1, LONGEST_DAYS - 1, LONGEST_DAYS])
    )
    # Within the days a date can be typed (deep fuzzing drew a day before 1873 here).
    end = max(min(start + timedelta(days=length), SUPPORTED_UNTIL), SUPPORTED_FROM)
    return draw(typed_dates(st.just(start))), draw(typed_dates(st.just(end)))


# What each day may be besides: another day, or any short text (parse_date alone is fuzzed
# with near-valid and huge texts in test_fuzz_text_fields.py).
DAY_OR_TEXT = typed_dates() | st.text(ANY_CHARACTER, max_size=20)
PAIRS = st.one_of(
    periods(),
    periods(),
    periods().flatmap(lambda p: st.tuples(st.just(p[0]), DAY_OR_TEXT)),
    st.tuples(DAY_OR_TEXT, DAY_OR_TEXT),
)


def expected_field(first: str, last: str, names: tuple[str, str]) -> str | None:
    """The field the period is refused for, read day by day: None when it is a period."""
    days = []
    for text, name in zip((first, last), names, strict=True):
        try:
            days.append(parse_date(text))
        except DateFormatError:
            return name
    if days[0] > days[1]:
        return names[0]
    return names[1] if (days[1] - days[0]).days >= LONGEST_DAYS else None


@settings(**FAST)
@given(PAIRS, NAMES)
@example(("2026-11-09", "2026-11-02"), ("最初の日", "最後の日"))
@example(("R8.13.1", "2026-11-02"), ("--from", "--to"))
@example(("2020-01-01", "2030-01-01"), ("--from", "--to"))  # 3,653 days: one report
@example(("2020-01-01", "2030-01-08"), ("--from", "--to"))  # 3,660 days: too long
@example(("", "\ud800"), ("--from", "--to"))
def test_a_period_is_read_or_the_field_at_fault_is_named(texts, names):
    first, last = texts
    try:
        start, end = read_period(first, last, names)
    except PeriodError as exc:
        assert exc.field == expected_field(first, last, names)
        assert str(exc).startswith(f"{exc.field}: ")
        assert_staff_message(str(exc).removeprefix(f"{exc.field}: "))
        return
    assert expected_field(first, last, names) is None
    assert (start, end) == (parse_date(first), parse_date(last))
    assert start <= end and (end - start).days < LONGEST_DAYS
    assert read_period(format_wareki(start), end.isoformat(), names) == (start, end)


def test_the_limits_of_a_period():
    assert read_period("R8.11.1", "2026-11-30") == (date(2026, 11, 1), date(2026, 11, 30))
    with_the_screen = ("最初の日", "最後の日")
    for first, last, said in [
        ("2026-11-30", "2026-11-01", "最初の日: 最後の日より後の日は指定できません"),
        ("2016-01-01", "2026-01-08", f"最後の日: 期間は{LONGEST_DAYS}日までにしてください"),
        ("", "2026-11-01", "最初の日: 日付を入力してください"),
    ]:
        try:
            read_period(first, last, with_the_screen)
        except PeriodError as exc:
            assert str(exc) == said
        else:
            raise AssertionError(f"{first}〜{last} was read")
