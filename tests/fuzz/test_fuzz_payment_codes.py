"""Fuzzing the payment strings read back from scanners and staff: the 255-digit eL-QR, the
eL番号 typed by hand and the 44-digit convenience-store (GS1-128) code.

Whatever is read is exactly what the builder makes from the fields read; anything else
is one PaymentCodeError naming its part (``field``) with a Japanese message.
"""

from __future__ import annotations

from datetime import date, timedelta

from fuzzing import ANY_CHARACTER, FAST, assert_staff_message, full_width, near, near_or_any
from hypothesis import example, given, settings
from hypothesis import strategies as st

from counter.payment import (
    ElNumber,
    ElqrFields,
    Gs1Fields,
    PaymentCodeError,
    build_elqr,
    build_gs1,
    el_number,
    grouped_payment_number,
    parse_el_number,
    parse_elqr,
    parse_gs1,
)


def digits(n: int, most: int | None = None) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=most or n)


@st.composite
def elqr_fields(draw) -> ElqrFields:
    due = draw(st.dates(date(2026, 1, 1), date(2035, 12, 31)))
    return ElqrFields(
        amount=draw(st.integers(1, 99_999_999_999)),
        category=draw(digits(3)),
        payment_number=draw(digits(1, 20)),
        confirmation_number=draw(digits(6)),
        collector=draw(digits(5)),
        tax_office=draw(digits(3)),
        levy_year=draw(st.integers(2026, 2035)),
        tax_year=draw(st.integers(2026, 2035)),
        period=draw(digits(2)),
        due_date=due,
        payable_until=due + timedelta(days=draw(st.integers(0, 400))),
    )


gs1_fields = st.builds(
    Gs1Fields,
    company_code=digits(6),
    free_field=digits(21),
    reissue=st.integers(0, 9),
    deadline=st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    revenue_stamp=st.booleans(),
    amount=st.integers(1, 999_999),
)


def check_refusal(exc: PaymentCodeError) -> None:
    assert exc.field and exc.field.isascii() and exc.field.isidentifier()
    assert_staff_message(exc.message)
    assert str(exc) == exc.message


def one_digit_changed(payload: str) -> st.SearchStrategy[str]:
    """The hardest case for the checks: still all digits, still the right length."""
    return st.tuples(st.integers(0, len(payload) - 1), digits(1)).map(
        lambda change: payload[: change[0]] + change[1] + payload[change[0] + 1 :]
    )


@settings(**FAST)
@given(
    st.one_of(
        elqr_fields().map(build_elqr).flatmap(near),
        elqr_fields().map(build_elqr).flatmap(one_digit_changed),
        elqr_fields().map(build_elqr).map(full_width),
        st.text(ANY_CHARACTER, max_size=300),
    )
)
@example("0" * 255)
@example("9" * 255)
@example("٣" * 255)  # 255 digits str.isdigit() accepts, not ASCII
def test_an_elqr_payload_is_exactly_what_its_fields_build_or_is_refused(text):
    try:
        fields = parse_elqr(text)
    except PaymentCodeError as exc:
        check_refusal(exc)
        return
    assert build_elqr(fields) == text


@settings(**FAST)
@given(near_or_any(elqr_fields().map(el_number)))
@example("1234 5678 123456 999")  # the message quoted the value as a Python repr
@example("12345 " + "9" * 21 + " 123456 999")
@example("12345 ٣ 123456 999")
@example("᧚" * 20)
def test_an_el_number_reads_back_or_is_refused(text):
    try:
        number = parse_el_number(text)
    except PaymentCodeError as exc:
        check_refusal(exc)
        return
    assert isinstance(number, ElNumber)
    printed = " ".join(
        [
            number.collector,
            grouped_payment_number(number.payment_number),
            number.confirmation_number,
            number.category,
        ]
    )
    assert parse_el_number(printed) == number
    assert len(number.collector) == 5 and len(number.confirmation_number) == 6
    assert len(number.category) == 3 and 1 <= len(number.payment_number) <= 20


@settings(**FAST)
@given(
    st.one_of(
        gs1_fields.map(build_gs1).flatmap(near),
        gs1_fields.map(build_gs1).flatmap(one_digit_changed),
        st.text(ANY_CHARACTER, max_size=60),
        digits(44),
    )
)
@example("91" + "0" * 42)
@example("٣" * 44)
def test_a_convenience_store_code_is_exactly_what_its_fields_build_or_is_refused(text):
    try:
        fields = parse_gs1(text)
    except PaymentCodeError as exc:
        check_refusal(exc)
        return
    assert build_gs1(fields) == text
