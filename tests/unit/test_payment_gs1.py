"""The 44-digit GS1-128 convenience-store code: build, parse, every corruption refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter.payment import (
    GS1_LENGTH,
    GS1_MAX_AMOUNT,
    Gs1Fields,
    PaymentCodeError,
    build_gs1,
    gs1_check_digit,
    parse_gs1,
)

VECTORS = {
    "91912345012345678901234567890101033101230003": Gs1Fields(
        company_code="912345",
        free_field="012345678901234567890",
        reissue=1,
        deadline=date(2001, 3, 31),
        revenue_stamp=False,
        amount=123_000,
    ),
    "91942386178953917853935692730103073110312903": Gs1Fields(
        company_code="942386",
        free_field="178953917853935692730",
        reissue=1,
        deadline=date(2003, 7, 31),
        revenue_stamp=True,
        amount=31_290,
    ),
}
FIRST_CODE, FIRST_FIELDS = next(iter(VECTORS.items()))


def digit_strings(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


gs1_fields = st.builds(
    Gs1Fields,
    company_code=digit_strings(6),
    free_field=digit_strings(21),
    reissue=st.integers(min_value=0, max_value=9),
    deadline=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    revenue_stamp=st.booleans(),
    amount=st.integers(min_value=1, max_value=GS1_MAX_AMOUNT),
)


def with_check_digit(code: str) -> str:
    return code[:43] + gs1_check_digit(code[:43])


@pytest.mark.parametrize(("code", "fields"), VECTORS.items())
def test_vectors_parse(code: str, fields: Gs1Fields) -> None:
    assert parse_gs1(code) == fields


@pytest.mark.parametrize(("code", "fields"), VECTORS.items())
def test_vectors_are_built(code: str, fields: Gs1Fields) -> None:
    assert build_gs1(fields) == code


@given(gs1_fields)
def test_round_trip(fields: Gs1Fields) -> None:
    code = build_gs1(fields)
    assert len(code) == GS1_LENGTH and code.isascii() and code.isdigit()
    assert code.startswith("91")
    assert code[37:43] == f"{fields.amount:06d}"
    assert parse_gs1(code) == fields


@pytest.mark.parametrize("code", VECTORS)
def test_every_single_digit_change_is_rejected(code: str) -> None:
    for pos in range(GS1_LENGTH):
        for digit in "0123456789":
            if digit == code[pos]:
                continue
            with pytest.raises(PaymentCodeError):
                parse_gs1(code[:pos] + digit + code[pos + 1 :])


@given(gs1_fields, st.integers(min_value=0, max_value=GS1_LENGTH - 1), st.integers(1, 9))
def test_any_single_digit_change_of_any_code_is_rejected(
    fields: Gs1Fields, pos: int, shift: int
) -> None:
    code = build_gs1(fields)
    digit = str((int(code[pos]) + shift) % 10)
    with pytest.raises(PaymentCodeError):
        parse_gs1(code[:pos] + digit + code[pos + 1 :])


@pytest.mark.parametrize(
    ("code", "field", "message"),
    [
        (FIRST_CODE[:-1], "length", "桁数が44桁ではありません（43桁）"),
        (FIRST_CODE + "0", "length", "桁数が44桁ではありません（45桁）"),
        (
            FIRST_CODE[:5] + "x" + FIRST_CODE[6:],
            "characters",
            "数字以外の文字が含まれています（6桁目）",
        ),
        (
            FIRST_CODE[:5] + "５" + FIRST_CODE[6:],
            "characters",
            "数字以外の文字が含まれています（6桁目）",
        ),
        (with_check_digit("92" + FIRST_CODE[2:]), "prefix", "先頭（1〜2桁目）が91ではありません"),
        (
            with_check_digit(FIRST_CODE[:30] + "010230" + FIRST_CODE[36:]),
            "deadline",
            "支払期限日（31〜36桁目）の日付が正しくありません（010230）",
        ),
        (
            with_check_digit(FIRST_CODE[:36] + "2" + FIRST_CODE[37:]),
            "revenue_stamp",
            "印紙フラグ（37桁目）が0か1ではありません（2）",
        ),
        (
            with_check_digit(FIRST_CODE[:37] + "000000" + FIRST_CODE[43:]),
            "amount",
            "金額（38〜43桁目）が0円です",
        ),
        (FIRST_CODE[:43] + "4", "check_digit", "チェックデジット（44桁目）が一致しません"),
    ],
)
def test_rejection_names_the_first_wrong_field(code: str, field: str, message: str) -> None:
    with pytest.raises(PaymentCodeError) as err:
        parse_gs1(code)
    assert (err.value.field, str(err.value)) == (field, message)


def test_a_wrong_date_is_named_before_the_check_digit() -> None:
    with pytest.raises(PaymentCodeError) as err:
        parse_gs1(FIRST_CODE[:32] + "13" + FIRST_CODE[34:])
    assert err.value.field == "deadline"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"company_code": "91234"}, "company_code"),
        ({"company_code": "９１２３４５"}, "company_code"),
        ({"free_field": "0" * 20}, "free_field"),
        ({"reissue": 10}, "reissue"),
        ({"reissue": -1}, "reissue"),
        ({"reissue": True}, "reissue"),
        ({"deadline": date(1999, 12, 31)}, "deadline"),
        ({"deadline": date(2100, 1, 1)}, "deadline"),
        ({"deadline": datetime(2026, 12, 31)}, "deadline"),
        ({"revenue_stamp": 1}, "revenue_stamp"),
        ({"amount": 0}, "amount"),
        ({"amount": GS1_MAX_AMOUNT + 1}, "amount"),
        ({"amount": 1.0}, "amount"),
    ],
)
def test_fields_are_validated(change: dict[str, object], field: str) -> None:
    with pytest.raises(PaymentCodeError) as err:
        replace(FIRST_FIELDS, **change)
    assert err.value.field == field


def test_largest_amount_round_trips() -> None:
    fields = replace(FIRST_FIELDS, amount=GS1_MAX_AMOUNT)
    assert build_gs1(fields)[37:43] == "999999"
    assert parse_gs1(build_gs1(fields)) == fields


def test_non_str_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        parse_gs1(int(FIRST_CODE))  # type: ignore[arg-type]
