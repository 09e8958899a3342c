"""The individual number: its check digit (番号法施行令第8条), typed forms, mask and redact."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter.mynumber import REDACTED, check_digit, is_valid, mask, normalize, redact
from counter.textnorm import TextFormatError

# Left to right, the weights Qn of the 11 digits (Pn is the n-th digit from the right:
# Qn = n + 1 for n ≤ 6, n − 5 for n ≥ 7), written out as the order's table reads.
WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
ELEVEN = st.text(alphabet="0123456789", min_size=11, max_size=11)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def remainder(first_eleven: str) -> int:
    return sum(int(d) * w for d, w in zip(first_eleven, WEIGHTS, strict=True)) % 11


def test_known_numbers_pass_and_their_neighbours_fail():
    # 1×2+0×3+9×4+8×5+7×6+6×7+5×2+4×3+3×4+2×5+1×6 = 212; 212 mod 11 = 3; 11 − 3 = 8
    assert check_digit("12345678901") == 8
    assert is_valid("123456789018")
    assert is_valid("999999999996")  # 9 × 47 = 423, mod 11 = 5 → 6
    assert is_valid("000000000000")  # remainder 0 → 0
    assert remainder("00000000001") == 2 and is_valid("000000000019")
    for wrong in ("123456789017", "123456789010", "12345678901", "1234567890180"):
        assert not is_valid(wrong)
    assert not is_valid("１２３４５６７８９０１８")  # full width only after normalize


def test_a_remainder_of_one_gives_the_check_digit_zero():
    first = next(f"{n:011d}" for n in range(10**6) if remainder(f"{n:011d}") == 1)
    assert check_digit(first) == 0 and is_valid(first + "0")


@given(ELEVEN)
def test_the_check_digit_follows_the_order(first_eleven):
    r = remainder(first_eleven)
    assert check_digit(first_eleven) == (0 if r <= 1 else 11 - r)
    assert is_valid(first_eleven + str(check_digit(first_eleven)))


@given(ELEVEN, st.integers(0, 11), st.integers(1, 9))
def test_a_single_changed_digit_is_caught(first_eleven, position, step):
    """Every weight is prime to 11, so a changed digit always changes the remainder; the
    order's one blind spot is that remainders 0 and 1 both give the check digit 0."""
    number = first_eleven + str(check_digit(first_eleven))
    digit = str((int(number[position]) + step) % 10)
    changed = number[:position] + digit + number[position + 1 :]
    blind_spot = {remainder(number[:11]), remainder(changed[:11])} == {0, 1}
    assert is_valid(changed) is (position < 11 and blind_spot)


def test_the_blind_spot_exists_so_staff_still_check_the_card():
    assert is_valid("595748906820") and is_valid("795748906820")


def test_check_digit_wants_eleven_ascii_digits():
    for bad in ("1234567890", "123456789012", "1234567890a", "１２３４５６７８９０１"):
        with pytest.raises(ValueError):
            check_digit(bad)


@pytest.mark.parametrize(
    "typed",
    [
        "123456789018",
        "１２３４５６７８９０１８",
        "1234 5678 9018",
        "1234-5678-9018",
        "１２３４－５６７８－９０１８",
        "１２３４　５６７８　９０１８",
        "  123456789018\u3000",
    ],
)
def test_normalize_accepts_what_staff_type(typed):
    assert normalize(typed) == "123456789018"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("12345678901", "12桁の数字"),
        ("1234567890181", "12桁の数字"),
        ("12345678901a", "12桁の数字"),
        ("", "12桁の数字"),
        ("123456789019", "検査数字が合いません"),
        ("１２３４ ５６７８ ９０１７", "検査数字が合いません"),
    ],
)
def test_normalize_gives_a_japanese_reason(typed, reason):
    with pytest.raises(TextFormatError, match=reason) as raised:
        normalize(typed)
    assert "個人番号" in str(raised.value)
    assert typed.strip() == "" or typed not in str(raised.value)  # the reason never echoes it


def test_mask_shows_the_last_four_in_ascii():
    assert mask("123456789018") == "********9018"
    assert mask("123456789018").isascii()


@given(ELEVEN)
def test_redact_removes_every_form_of_a_number_inside_text(first_eleven):
    number = first_eleven + str(check_digit(first_eleven))
    grouped = f"{number[:4]}-{number[4:8]}-{number[8:]}"
    spaced = f"{number[:4]} {number[4:8]} {number[8:]}"
    for form in (number, number.translate(FULL_WIDTH), grouped, spaced):
        text = f"番号は{form}です。/{form}/ (x{form})"
        assert redact(text) == f"番号は{REDACTED}です。/{REDACTED}/ (x{REDACTED})"


def test_redact_takes_mistyped_numbers_and_grouped_full_width_too():
    assert redact("誤り 123456789019") == f"誤り {REDACTED}"
    assert redact("１２３４　５６７８　９０１８ と 1234ー5678ー9018") == f"{REDACTED} と {REDACTED}"


def test_redact_leaves_other_runs_of_digits_alone():
    text = "電話 08592351110 口座 1234567890123 番号 12345678901 受付 2026-11-24 10:00:00"
    assert redact(text) == text
    assert redact("１２３４５６７８９０１") == "１２３４５６７８９０１"  # 11 full-width digits
    assert redact("1234567890181") == "1234567890181"  # 13 digits
    assert redact("0123456789012345") == "0123456789012345"
    # a slip's file name: a date and a counter, not a number grouped 8-4
    assert redact("20261124-0001-4a2c2b16.pdf") == "20261124-0001-4a2c2b16.pdf"
