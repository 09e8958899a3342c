"""Japanese era (和暦) dates: what the counter prints and what staff type.

Every form and slip shows 和暦 (``令和8年12月3日（木）``), and staff type dates in
whatever shape the paper in front of them uses (``R8.11.20``, ``昭和50年1月1日``,
``２０２６－１１－２０``). This module turns those into ``datetime.date`` strictly — a 和暦
date must lie inside its era — and holds the age arithmetic that eligibility rules
need (年齢, 就学年, 「18歳到達後最初の3月31日」).

Supported range: from 1873-01-01 (明治6年1月1日), the day Japan adopted the Gregorian
calendar. Earlier 明治 dates were lunisolar and cannot be mapped by year arithmetic,
so they are rejected. 改元 took effect on the day itself for 大正 (1912-07-30) and
昭和 (1926-12-25), so ``大正15年12月25日`` is rejected; 平成 began the day after the
demise (1989-01-08), so 1989-01-07 is 昭和64年.

Only the date string is NFKC-normalised here; this module never sees names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta, timezone

from dateutil.relativedelta import relativedelta


class DateFormatError(ValueError):
    """A typed date that cannot be read or does not exist; the message is for staff."""


@dataclass(frozen=True)
class _Era:
    name: str
    letter: str
    start: date
    end: date | None  # last day, inclusive


# Newest first. 明治 began 1868-01-25 (慶応4年1月1日), but see SUPPORTED_FROM.
_ERAS = (
    _Era("令和", "R", date(2019, 5, 1), None),
    _Era("平成", "H", date(1989, 1, 8), date(2019, 4, 30)),
    _Era("昭和", "S", date(1926, 12, 25), date(1989, 1, 7)),
    _Era("大正", "T", date(1912, 7, 30), date(1926, 12, 24)),
    _Era("明治", "M", date(1868, 1, 25), date(1912, 7, 29)),
)
_ERA_BY_TOKEN = {
    token: era for era in _ERAS for token in (era.name, era.name[0], era.letter, era.letter.lower())
}

JST = timezone(timedelta(hours=9), "JST")  # Japan time: office days, hours, dates on paper
SUPPORTED_FROM = date(1873, 1, 1)
"""First supported date (明治6年1月1日, Gregorian calendar adopted)."""
SUPPORTED_UNTIL = date(2199, 12, 31)
"""Last supported date: beyond any counter's need, and every date up to it reads back from
its 和暦 (令和181年), which a year such as 9000 (令和6982年) would not."""

WEEKDAYS = "月火水木金土日"
_BEFORE_SUPPORTED = "1873年1月1日（明治6年）より前の日付には対応していません"
_AFTER_SUPPORTED = "2200年以降の日付には対応していません"
FORMAT_EXAMPLE = "日付の形式が正しくありません（例: 2026-11-20、令和8年11月20日、R8.11.20）"

_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−ー", "-"))
_WEEKDAY_SUFFIX = re.compile(r"\s*\(\s*([月火水木金土日])(?:曜日?)?\s*\)$")
_ERA_TOKEN = "|".join(sorted(map(re.escape, _ERA_BY_TOKEN), key=len, reverse=True))
_PATTERNS = (
    re.compile(r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})"),
    re.compile(r"(?P<y>[0-9]{4})\s*(?P<s>[-/.])\s*(?P<m>[0-9]{1,2})\s*(?P=s)\s*(?P<d>[0-9]{1,2})"),
    re.compile(r"(?P<y>[0-9]{4})\s*年\s*(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})\s*日?"),
    re.compile(
        rf"(?P<era>{_ERA_TOKEN})\s*(?P<y>[0-9]{{1,3}}|元)\s*(?P<s>[-/.])"
        r"\s*(?P<m>[0-9]{1,2})\s*(?P=s)\s*(?P<d>[0-9]{1,2})"
    ),
    re.compile(
        rf"(?P<era>{_ERA_TOKEN})\s*(?P<y>[0-9]{{1,3}}|元)\s*年"
        r"\s*(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})\s*日?"
    ),
)


def _kanji_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _era_of(d: date) -> _Era:
    if d < SUPPORTED_FROM:
        raise ValueError(_BEFORE_SUPPORTED)
    return next(era for era in _ERAS if d >= era.start)


def era_year(d: date) -> tuple[str, int]:
    """Era name and era year of ``d``: ``date(2019, 5, 1)`` → ``("令和", 1)``."""
    era = _era_of(d)
    return era.name, d.year - era.start.year + 1


def format_wareki(d: date, *, weekday: bool = True) -> str:
    """``date(2026, 12, 3)`` → ``令和8年12月3日（木）``; year 1 is written ``元年``.

    Raises ValueError for dates before 1873-01-01 (see module docstring).
    """
    name, year = era_year(d)
    text = f"{name}{'元' if year == 1 else year}年{d.month}月{d.day}日"
    return f"{text}（{WEEKDAYS[d.weekday()]}）" if weekday else text


def format_wareki_short(d: date) -> str:
    """``date(2026, 12, 3)`` → ``R8.12.3(木)``: the same 和暦 with its weekday, for the
    narrow columns of an 80-column screen."""
    era = _era_of(d)
    year = d.year - era.start.year + 1
    return f"{era.letter}{year}.{d.month}.{d.day}({WEEKDAYS[d.weekday()]})"


def parse_date(text: str) -> date:
    """Read a date as typed at the counter (西暦 or 和暦, full- or half-width).

    Accepts ``2026-11-20``, ``2026/11/20``, ``2026.11.20``, ``20261120``,
    ``2026年11月20日``, ``令和8年11月20日``, ``令和元年5月1日``, ``R8.11.20``, ``r8/11/20``,
    ``令8.11.20``, ``㋿8.11.20`` and an optional trailing weekday ``（木）``, which must
    match. Raises DateFormatError (Japanese message) for anything else, for dates that
    do not exist, and for 和暦 dates outside their era.
    """
    s = unicodedata.normalize("NFKC", text).strip().translate(_DASHES)
    if not s:
        raise DateFormatError("日付を入力してください")
    given_weekday = None
    if found := _WEEKDAY_SUFFIX.search(s):
        given_weekday = found.group(1)
        s = s[: found.start()]
    match = next((m for p in _PATTERNS if (m := p.fullmatch(s))), None)
    if match is None:
        raise DateFormatError(FORMAT_EXAMPLE)
    year_text, month, day = match["y"], int(match["m"]), int(match["d"])
    era = _ERA_BY_TOKEN[match["era"]] if "era" in match.re.groupindex else None
    if era is None:
        year, label = int(year_text), f"{year_text}年"
    else:
        n = 1 if year_text == "元" else int(year_text)
        year, label = era.start.year + n - 1, f"{era.name}{year_text}年"
    try:
        result = date(year, month, day)
    except ValueError:
        raise DateFormatError(f"{label}{month}月{day}日は存在しない日付です") from None
    if result < SUPPORTED_FROM:
        raise DateFormatError(_BEFORE_SUPPORTED)
    if result > SUPPORTED_UNTIL:
        raise DateFormatError(_AFTER_SUPPORTED)
    if era is not None and result < era.start:
        raise DateFormatError(f"{era.name}は{_kanji_date(era.start)}からです")
    if era is not None and era.end is not None and result > era.end:
        raise DateFormatError(
            f"{era.name}は{_kanji_date(era.end)}（{format_wareki(era.end, weekday=False)}）までです"
        )
    actual = WEEKDAYS[result.weekday()]
    if given_weekday is not None and given_weekday != actual:
        raise DateFormatError(
            f"{_kanji_date(result)}は{actual}曜日です（入力は{given_weekday}曜日）"
        )
    return result


def age_on(birth: date, on: date) -> int:
    """Age in completed years on ``on``, the ordinary calendar way.

    The age goes up on the birthday itself (how cities apply 受給資格 and how residents
    count). Someone born on 2/29 reaches it on 2/28 in common years, because
    ``dateutil.relativedelta`` clips 2/29 to 2/28 — which is also the legal day.
    For the legal day of 年齢計算ニ関スル法律 (the day before the birthday) see
    ``first_march_31_after_age``.
    """
    if on < birth:
        raise ValueError("基準日が生年月日より前です")
    return relativedelta(on, birth).years


def day_reaching_age(birth: date, age: int) -> date:
    """The day at whose end the person reaches ``age`` (年齢計算ニ関スル法律, 民法143条).

    That is the day before the ``age``-th birthday; for a 2/29 birth in a common year
    the birthday does not exist and the period ends on the last day of February.
    """
    if age < 0:
        raise ValueError("年齢は0以上で指定してください")
    if age == 0:
        return birth
    anniversary = birth + relativedelta(years=age)
    if anniversary.day != birth.day:  # 2/29 clipped to 2/28
        return anniversary
    return anniversary - timedelta(days=1)


AGE_COUNTS = {
    "reached": "年齢に達した日から（誕生日の前日。年齢計算ニ関スル法律、民法第143条）",
    "birthday": "誕生日当日から（年齢に達した日の翌日。2月29日生まれは平年は3月1日）",
}
"""How a statute counts an age, each with what it means: the catalogue names one for
every age condition (``age_at_least:65:reached``). 介護保険 and 国民年金 begin (and 国民年金
ends) on the day the age is reached, the day before the birthday; 後期高齢者医療 and a
status such as 「15歳以上」 hold from the birthday itself."""


def age_counts_from(birth: date, age: int, count: str) -> date:
    """The first day on which the person has ``age`` as ``count`` (AGE_COUNTS) counts it."""
    if count not in AGE_COUNTS:
        raise ValueError(f"年齢の数え方は {' / '.join(AGE_COUNTS)} のどれかです: {count}")
    reached = day_reaching_age(birth, age)
    return reached if count == "reached" else reached + timedelta(days=1)


def first_march_31_after_age(birth: date, age: int) -> date:
    """The first 31 March on or after the legal day the person reaches ``age``.

    Uses the legal day (the day before the birthday), so someone born on 4/1 reaches 18
    on 3/31 and that very 3/31 counts: born 2008-04-01 → 2026-03-31, born 2008-04-02 →
    2027-03-31 (児童手当「18歳到達後最初の年度末」, 学年の区切り).
    """
    reached = day_reaching_age(birth, age)
    march_31 = date(reached.year, 3, 31)
    return march_31 if reached <= march_31 else date(reached.year + 1, 3, 31)


def school_grade_year(birth: date) -> int:
    """Calendar year in which the child enters elementary school (in April).

    Born 4/2 of year Y to 4/1 of Y+1 → April of Y+7 (学校教育法17条: the April after the
    first 3/31 on or after turning 6, by the legal day).
    """
    return first_march_31_after_age(birth, 6).year
