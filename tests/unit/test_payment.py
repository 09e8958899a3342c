"""Payment codes: check digits, eL-QR build/parse, eL番号, confirmation numbers, QR files."""

from __future__ import annotations

import binascii
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import cycle
from pathlib import Path

import pytest
import qrcode
import qrcode.constants
import qrcode.util
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from counter.payment import (
    ELQR_LENGTH,
    MAX_AMOUNT,
    ElNumber,
    ElqrFields,
    PaymentCodeError,
    build_elqr,
    confirmation_number,
    el_number,
    el_number_parts,
    gs1_check_digit,
    is_valid_local_government_code,
    local_government_code,
    ocr_line_check_digits,
    parse_el_number,
    parse_elqr,
)
from counter.payment.elqr import _checked_fields, _fields_if_valid
from forms.qr import PIXELS_PER_MODULE, QUIET_ZONE, qr_matrix, write_qr

EXAMPLE = (
    "0002010102122796000513800018305000000000000000000030021380009990000061000000000000000"
    "1234512345603120200000000005411000000003006226202620260020261231202701318085000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000630500116"
)
EXAMPLE_FIELDS = ElqrFields(
    amount=300,
    category="999",
    payment_number="12345",
    confirmation_number="123456",
    collector="31202",
    tax_office="000",
    levy_year=2026,
    tax_year=2026,
    period="00",
    due_date=date(2026, 12, 31),
    payable_until=date(2027, 1, 31),
)

# 1-based positions of every fixed or reserved digit of the layout (ELQR.md §1)
FIXED_POSITIONS = [
    *range(1, 30),
    *range(32, 43),
    *range(54, 61),
    *range(64, 69),
    97,
    *range(106, 117),
    *range(128, 132),
    *range(158, 251),
]


def with_crc(body: str) -> str:
    """A payload whose CRC is right for ``body`` (the first 250 digits)."""
    return body[:250] + f"{binascii.crc_hqx(body[:250].encode(), 0xFFFF):05d}"


def change_digit(payload: str, pos: int, digit: str | None = None) -> str:
    """``payload`` with the digit at 1-based ``pos`` replaced (by default by the next one)."""
    old = payload[pos - 1]
    new = digit if digit is not None else str((int(old) + 1) % 10)
    assert new != old
    return payload[: pos - 1] + new + payload[pos:]


def tlv_elements(payload: str) -> list[tuple[str, int]]:
    """(tag, length) of the top-level elements, read as TLV independently of the builder."""
    elements, i = [], 0
    while i < len(payload):
        tag, length = payload[i : i + 2], int(payload[i + 2 : i + 4])
        elements.append((tag, length))
        i += 4 + length
    assert i == len(payload)
    return elements


digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def digit_strings(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


days = st.dates(min_value=date(2026, 1, 1), max_value=date(2035, 12, 31))
years = st.integers(min_value=2026, max_value=2035)
everyday_amounts = st.integers(min_value=1, max_value=9_999_999)


@st.composite
def fields_strategy(
    draw: st.DrawFn, amounts: st.SearchStrategy[int] = everyday_amounts
) -> ElqrFields:
    due_date = draw(days)
    return ElqrFields(
        amount=draw(amounts),
        category=draw(digit_strings(3)),
        payment_number=draw(st.text(alphabet="0123456789", min_size=1, max_size=20)),
        confirmation_number=draw(digit_strings(6)),
        collector=draw(digit_strings(5)),
        tax_office=draw(digit_strings(3)),
        levy_year=draw(years),
        tax_year=draw(years),
        period=draw(digit_strings(2)),
        due_date=due_date,
        payable_until=due_date + timedelta(days=draw(st.integers(0, 400))),
    )


def reference_check_digits(data: str) -> str:
    """ELQR.md §2 word for word: positions 1..N of the line, CD1 CD2 at 1–2."""
    line = {p: int(c) for p, c in enumerate(data, start=3)}
    last = len(data) + 2
    cd2_weight = cycle((9, 8, 7, 6, 5, 4, 3, 2))
    cd2 = sum(line[p] * next(cd2_weight) for p in range(3, last + 1, 2))
    cd2 = (cd2 + sum(line[p] for p in range(4, last + 1, 2))) % 10
    line[2] = cd2
    cd1_weight = cycle((2, 3, 4, 5, 6, 7, 8, 9))
    cd1 = sum(line[p] * next(cd1_weight) for p in range(2, last + 1, 2))
    cd1 = (cd1 + sum(line[p] for p in range(3, last + 1, 2))) % 11
    return f"{0 if cd1 == 10 else cd1}{cd2}"


# --- check digits ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("0000000000000000003600226000033421101", "61"),
        ("100250881102000000061050501000000000000000", "22"),
    ],
)
def test_ocr_line_check_digit_vectors(data: str, expected: str) -> None:
    assert ocr_line_check_digits(data) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("0000000000000000003600226000033421101", "61"),
        ("100250881102000000061050501000000000000000", "22"),
    ],
)
def test_reference_check_digits_agree_with_the_vectors(data: str, expected: str) -> None:
    assert reference_check_digits(data) == expected


@settings(max_examples=500)
@given(st.text(alphabet="0123456789", min_size=1, max_size=60))
def test_ocr_line_check_digits_equal_the_reference(data: str) -> None:
    assert ocr_line_check_digits(data) == reference_check_digits(data)


def test_ocr_line_check_digits_of_the_example_lines() -> None:
    upper, lower = EXAMPLE[29:68], EXAMPLE[68:112]
    assert ocr_line_check_digits(upper[2:]) == upper[:2] == "05"
    assert ocr_line_check_digits(lower[2:]) == lower[:2] == "61"


@pytest.mark.parametrize("bad", ["", "12a4", "１２３"])
def test_ocr_line_check_digits_reject_non_digits(bad: str) -> None:
    with pytest.raises(PaymentCodeError):
        ocr_line_check_digits(bad)


@pytest.mark.parametrize(
    "data",
    ["9191234501234567890123456789010103310123000", "9194238617895391785393569273010307311031290"],
)
def test_gs1_check_digit_vectors(data: str) -> None:
    assert gs1_check_digit(data) == "3"


def test_gs1_check_digit_needs_43_digits() -> None:
    with pytest.raises(PaymentCodeError) as err:
        gs1_check_digit("919123450123456789012345678901010331012300")
    assert err.value.field == "gs1"


@pytest.mark.parametrize(
    ("code5", "code6"),
    [
        ("44000", "440001"),
        ("13000", "130001"),
        ("13113", "131130"),
        ("18207", "182079"),
        ("31202", "312029"),
    ],
)
def test_local_government_code_vectors(code5: str, code6: str) -> None:
    assert local_government_code(code5) == code6
    assert is_valid_local_government_code(code6)


@pytest.mark.parametrize("bad", ["312028", "31202", "3120290", "３１２０２９", "", "31202a"])
def test_invalid_local_government_codes(bad: str) -> None:
    assert not is_valid_local_government_code(bad)


def test_local_government_code_message_is_japanese() -> None:
    with pytest.raises(PaymentCodeError, match="地方公共団体コード"):
        local_government_code("3120")


def test_crc_is_ccitt_false() -> None:
    assert binascii.crc_hqx(b"123456789", 0xFFFF) == 10673


# --- eL-QR build ----------------------------------------------------------------------


def test_example_is_reproduced_exactly() -> None:
    assert build_elqr(EXAMPLE_FIELDS) == EXAMPLE


def test_example_parses_back() -> None:
    assert parse_elqr(EXAMPLE) == EXAMPLE_FIELDS


def test_layout_is_the_documented_tlv() -> None:
    payload = build_elqr(EXAMPLE_FIELDS)
    assert len(payload) == ELQR_LENGTH and payload.isascii() and payload.isdigit()
    assert tlv_elements(payload) == [
        ("00", 2),
        ("01", 2),
        ("27", 96),
        ("54", 11),
        ("62", 26),
        ("80", 85),
        ("63", 5),
    ]
    template = payload[16:112]
    assert tlv_elements(template) == [("00", 5), ("01", 83)]
    mpn = template[9 + 4 :]
    upper, lower = payload[29:68], payload[68:112]
    assert (len(upper), len(lower)) == (39, 44)
    assert mpn == upper + lower


def test_payment_number_is_right_aligned_and_amount_is_in_both_places() -> None:
    fields = replace(EXAMPLE_FIELDS, amount=12_345_678, payment_number="98765432109876543210")
    payload = build_elqr(fields)
    assert payload[70:90] == "98765432109876543210"
    assert payload[42:53] == payload[116:127] == "00012345678"


def test_maximum_amount_round_trips() -> None:
    fields = replace(EXAMPLE_FIELDS, amount=MAX_AMOUNT)
    assert parse_elqr(build_elqr(fields)) == fields


@given(fields_strategy())
def test_round_trip(fields: ElqrFields) -> None:
    payload = build_elqr(fields)
    assert len(payload) == ELQR_LENGTH and payload.isascii() and payload.isdigit()
    assert parse_elqr(payload) == fields
    assert build_elqr(parse_elqr(payload)) == payload
    # both ways of reading agree: the whole-slice fast path and the field-by-field one
    assert _fields_if_valid(payload) == _checked_fields(payload) == fields


# --- eL-QR parse: every single-digit change is refused ---------------------------------


def test_every_single_digit_change_of_the_example_is_rejected() -> None:
    for pos in range(1, ELQR_LENGTH + 1):
        for digit in "0123456789":
            if digit == EXAMPLE[pos - 1]:
                continue
            with pytest.raises(PaymentCodeError):
                parse_elqr(change_digit(EXAMPLE, pos, digit))


@settings(max_examples=300)
@given(
    fields_strategy(),
    st.integers(min_value=1, max_value=ELQR_LENGTH),
    st.integers(min_value=1, max_value=9),
)
def test_any_single_digit_change_is_rejected(fields: ElqrFields, pos: int, shift: int) -> None:
    payload = build_elqr(fields)
    digit = str((int(payload[pos - 1]) + shift) % 10)
    changed = change_digit(payload, pos, digit)
    assert _fields_if_valid(changed) is None
    with pytest.raises(PaymentCodeError):
        parse_elqr(changed)


@pytest.mark.parametrize("pos", FIXED_POSITIONS)
def test_fixed_and_reserved_digits_are_checked_even_with_a_matching_crc(pos: int) -> None:
    for digit in "0123456789":
        if digit == EXAMPLE[pos - 1]:
            continue
        with pytest.raises(PaymentCodeError) as err:
            parse_elqr(with_crc(change_digit(EXAMPLE, pos, digit)))
        assert err.value.field != "crc"


@pytest.mark.parametrize(
    ("pos", "field"),
    [
        (1, "tag_00"),
        (8, "tag_01"),
        (14, "tag_27"),
        (21, "tag_27_00"),
        (27, "tag_27_01"),
        (30, "upper_check_digits"),
        (45, "upper_check_digits"),
        (62, "upper_check_digits"),
        (70, "lower_check_digits"),
        (85, "lower_check_digits"),
        (101, "lower_check_digits"),
        (115, "tag_54"),
        (125, "amount"),
        (130, "tag_62"),
        (141, "crc"),
        (200, "tag_80"),
        (248, "tag_63"),
        (255, "crc"),
    ],
)
def test_rejection_names_the_first_wrong_field(pos: int, field: str) -> None:
    with pytest.raises(PaymentCodeError) as err:
        parse_elqr(change_digit(EXAMPLE, pos))
    assert err.value.field == field


@pytest.mark.parametrize(
    ("pos", "field", "label"),
    [
        (32, "account", "口座番号欄"),
        (54, "fee_bearer", "料金負担区分"),
        (56, "institution_id", "機関識別番号"),
        (60, "revenue_stamp", "印紙区分"),
        (66, "reserved_upper", "OCR上段の予備欄"),
        (97, "lower_flag", "OCR下段の区分"),
        (110, "reserved_lower", "OCR下段の予備欄"),
    ],
)
def test_fixed_digits_inside_an_ocr_line_are_named(pos: int, field: str, label: str) -> None:
    # with the line's check digits and the CRC recomputed, only the fixed value is wrong
    changed = change_digit(EXAMPLE, pos)
    line = slice(29, 68) if pos <= 68 else slice(68, 112)
    data = changed[line][2:]
    changed = changed[: line.start] + ocr_line_check_digits(data) + data + changed[line.stop :]
    with pytest.raises(PaymentCodeError, match=label) as err:
        parse_elqr(with_crc(changed))
    assert err.value.field == field


def test_length_message() -> None:
    with pytest.raises(PaymentCodeError) as err:
        parse_elqr(EXAMPLE[:-1])
    assert err.value.field == "length"
    assert str(err.value) == "桁数が255桁ではありません（254桁）"


@pytest.mark.parametrize("char", ["a", " ", "０", "٣"])
def test_non_digit_message(char: str) -> None:
    with pytest.raises(PaymentCodeError) as err:
        parse_elqr(EXAMPLE[:9] + char + EXAMPLE[10:])
    assert err.value.field == "characters"
    assert str(err.value) == "数字以外の文字が含まれています（10桁目）"


def test_crc_message() -> None:
    with pytest.raises(PaymentCodeError) as err:
        parse_elqr(change_digit(EXAMPLE, 253))
    assert (err.value.field, str(err.value)) == ("crc", "CRCが一致しません")


def test_amount_message_even_with_matching_crc() -> None:
    with pytest.raises(PaymentCodeError) as err:
        parse_elqr(with_crc(change_digit(EXAMPLE, 125)))
    assert (err.value.field, str(err.value)) == ("amount", "金額がタグ54と一致しません")


@pytest.mark.parametrize(
    ("start", "value", "field", "label"),
    [
        (142, "20261331", "due_date", "納期限"),
        (142, "20270229", "due_date", "納期限"),
        (150, "20270132", "payable_until", "支払期限"),
        (132, "0000", "levy_year", "賦課年度"),
        (136, "0000", "tax_year", "課税年度"),
    ],
)
def test_impossible_dates_are_named(start: int, value: str, field: str, label: str) -> None:
    body = EXAMPLE[: start - 1] + value + EXAMPLE[start - 1 + len(value) :]
    with pytest.raises(PaymentCodeError, match=label) as err:
        parse_elqr(with_crc(body))
    assert err.value.field == field


def test_payment_code_error_is_a_value_error() -> None:
    assert issubclass(PaymentCodeError, ValueError)


# --- ElqrFields -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": -1}, "amount"),
        ({"amount": 0}, "amount"),
        ({"amount": MAX_AMOUNT + 1}, "amount"),
        ({"amount": True}, "amount"),
        ({"category": "99"}, "category"),
        ({"payment_number": "1" * 21}, "payment_number"),
        ({"payment_number": ""}, "payment_number"),
        ({"payment_number": "１２３"}, "payment_number"),
        ({"confirmation_number": "12345"}, "confirmation_number"),
        ({"collector": "3120"}, "collector"),
        ({"tax_office": "0"}, "tax_office"),
        ({"levy_year": 0}, "levy_year"),
        ({"tax_year": 10_000}, "tax_year"),
        ({"period": "1"}, "period"),
        ({"due_date": datetime(2026, 12, 31)}, "due_date"),
        ({"payable_until": "2027-01-31"}, "payable_until"),
        ({"payable_until": date(2026, 12, 30)}, "payable_until"),
        ({"due_date": date(2027, 2, 1)}, "payable_until"),
    ],
)
def test_fields_are_validated(change: dict[str, object], field: str) -> None:
    with pytest.raises(PaymentCodeError) as err:
        replace(EXAMPLE_FIELDS, **change)
    assert err.value.field == field


def test_validation_messages_name_the_field_in_japanese() -> None:
    with pytest.raises(PaymentCodeError, match="金額は1円から"):
        replace(EXAMPLE_FIELDS, amount=0)
    with pytest.raises(PaymentCodeError) as err:
        replace(EXAMPLE_FIELDS, payable_until=date(2026, 12, 30))
    assert str(err.value) == "支払期限（2026-12-30）が納期限（2026-12-31）より前です"


def test_payable_until_may_equal_the_due_date() -> None:
    fields = replace(EXAMPLE_FIELDS, payable_until=EXAMPLE_FIELDS.due_date)
    assert parse_elqr(build_elqr(fields)) == fields


def test_a_zero_yen_payload_is_refused_even_with_matching_crc() -> None:
    body = EXAMPLE[:42] + "0" * 11 + EXAMPLE[53:116] + "0" * 11 + EXAMPLE[127:]
    upper = body[31:68]
    body = body[:29] + ocr_line_check_digits(upper) + body[31:]
    with pytest.raises(PaymentCodeError) as err:
        parse_elqr(with_crc(body))
    assert (err.value.field, str(err.value)) == ("amount", "金額が0円です（43〜53桁目）")


def test_payable_until_before_due_date_is_refused_even_with_matching_crc() -> None:
    body = EXAMPLE[:149] + "20261230" + EXAMPLE[157:]
    with pytest.raises(PaymentCodeError, match="支払期限（2026-12-30）が納期限") as err:
        parse_elqr(with_crc(body))
    assert err.value.field == "payable_until"


def test_payment_number_is_kept_without_leading_zeros() -> None:
    assert replace(EXAMPLE_FIELDS, payment_number="0012345").payment_number == "12345"
    assert replace(EXAMPLE_FIELDS, payment_number="0" * 20).payment_number == "0"


# --- eL番号 ----------------------------------------------------------------------------


def test_el_number_of_the_example() -> None:
    assert el_number(EXAMPLE_FIELDS) == "31202 0000 0000 0000 0001 2345 123456 999"


def test_el_number_parts() -> None:
    assert el_number_parts(EXAMPLE_FIELDS) == {
        "収納機関番号": "31202",
        "納付番号": "0000 0000 0000 0001 2345",
        "確認番号": "123456",
        "納付区分": "999",
    }


@given(fields_strategy())
def test_el_number_carries_the_same_values_as_the_qr(fields: ElqrFields) -> None:
    parts = el_number(fields).split(" ")
    payload = build_elqr(fields)
    assert parts[0] == payload[97:102]
    assert "".join(parts[1:6]) == payload[70:90]
    assert parts[6] == payload[90:96]
    assert parts[7] == payload[60:63]


EXAMPLE_EL_NUMBER = ElNumber("31202", "12345", "123456", "999")


@pytest.mark.parametrize(
    "typed",
    [
        "31202 0000 0000 0000 0001 2345 123456 999",
        "31202-0000-0000-0000-0001-2345-123456-999",
        "３１２０２　００００　００００　００００　０００１　２３４５　１２３４５６　９９９",
        "31202－12345－123456－999",
        " 31202  00000000000000012345\t123456 999 ",
        "31202 12 345 123456 999",
        "312020000000000000001234512345699９",
        "3120212345123456999",
    ],
)
def test_el_number_is_read_as_typed(typed: str) -> None:
    assert parse_el_number(typed) == EXAMPLE_EL_NUMBER


@given(fields_strategy())
def test_el_number_round_trips(fields: ElqrFields) -> None:
    expected = (
        fields.collector,
        fields.payment_number,
        fields.confirmation_number,
        fields.category,
    )
    assert parse_el_number(el_number(fields)) == expected
    assert parse_el_number(el_number(fields).replace(" ", "")) == expected


@pytest.mark.parametrize(
    ("typed", "field", "label"),
    [
        ("3120 0000 0000 0000 0001 2345 123456 999", "collector", "収納機関番号"),
        ("31202 0000 0000 0000 0001 2345 9 123456 999", "payment_number", "納付番号"),
        ("31202 0000 0000 0000 0001 2345 12345 999", "confirmation_number", "確認番号"),
        ("31202 0000 0000 0000 0001 2345 123456 99", "category", "納付区分"),
        ("31202 123456 999", "format", "空白で区切って"),
        ("31202 0000 0000 0000 0001 2345 123456 99a", "characters", "数字で"),
        ("", "characters", "数字で"),
        ("31202123456999", "length", "15〜34桁"),
        ("31202" + "1" * 21 + "123456999", "length", "（35桁）"),
    ],
)
def test_el_number_errors_name_the_part(typed: str, field: str, label: str) -> None:
    with pytest.raises(PaymentCodeError, match=label) as err:
        parse_el_number(typed)
    assert err.value.field == field


# --- confirmation number --------------------------------------------------------------


def test_confirmation_number_is_six_digits_keyed_and_stable() -> None:
    assert confirmation_number("12345", b"demo-key") == "035536"
    assert confirmation_number("00000000000000012345", b"demo-key") == "035536"
    assert confirmation_number("12345", b"other-key") == "222305"


@given(st.text(alphabet="0123456789", min_size=1, max_size=20), st.binary(min_size=1))
def test_confirmation_number_shape(payment_number: str, key: bytes) -> None:
    value = confirmation_number(payment_number, key)
    assert len(value) == 6 and value.isascii() and value.isdigit()


def test_confirmation_number_needs_a_key() -> None:
    with pytest.raises(PaymentCodeError) as err:
        confirmation_number("12345", b"")
    assert err.value.field == "key"


# --- the printed symbol ---------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        EXAMPLE_FIELDS,
        replace(EXAMPLE_FIELDS, amount=MAX_AMOUNT, payment_number="9" * 20),
        replace(EXAMPLE_FIELDS, amount=1, payment_number="0", category="000"),
    ],
)
def test_qr_decodes_to_the_same_255_digits(fields: ElqrFields) -> None:
    payload = build_elqr(fields)
    qr = qrcode.QRCode(
        version=6, error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=4
    )
    qr.add_data(qrcode.util.QRData(payload, mode=qrcode.util.MODE_NUMBER))
    qr.make(fit=False)
    image = qr.make_image().get_image()
    assert image.size == ((41 + 2 * 4) * 4,) * 2  # version 6 = 41 modules

    (barcode,) = zxingcpp.read_barcodes(image)
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    assert barcode.text == payload
    assert barcode.extra["Version"] == "6"
    assert barcode.ec_level == "M"
    assert parse_elqr(barcode.text) == fields


@pytest.fixture(scope="module")
def qr_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("qr")


def decode_png(path: Path) -> str:
    with Image.open(path) as image:
        # only QR: zxing-cpp may also "see" a DX film-edge code in the module pattern
        (barcode,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert (barcode.extra["Version"], barcode.ec_level) == ("6", "M")
    return barcode.text


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields_strategy(amounts=st.integers(min_value=1, max_value=MAX_AMOUNT)))
def test_make_png_decode_parse_round_trip(qr_dir: Path, fields: ElqrFields) -> None:
    payload = build_elqr(fields)
    path = write_qr(payload, qr_dir / "code.png")
    assert parse_elqr(decode_png(path)) == fields


def test_png_is_black_on_white_with_the_quiet_zone(tmp_path: Path) -> None:
    path = write_qr(EXAMPLE, tmp_path / "code.PNG")
    side = (41 + 2 * QUIET_ZONE) * PIXELS_PER_MODULE
    with Image.open(path) as image:
        assert image.size == (side, side)
        grey = image.convert("L")
        assert {colour for _, colour in grey.getcolors()} == {0, 255}
        border = QUIET_ZONE * PIXELS_PER_MODULE
        assert grey.crop((0, 0, side, border)).getextrema() == (255, 255)
        assert grey.crop((0, 0, border, side)).getextrema() == (255, 255)
        # the top-left finder pattern starts right after the quiet zone
        assert grey.getpixel((border, border)) == 0


def svg_dark_modules(path: Path) -> set[tuple[int, int]]:
    """(x, y) of every black 1×1 rect, read from the file as an SVG reader would."""
    ns = {"svg": "http://www.w3.org/2000/svg"}
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    group = root.find("svg:g", ns)
    assert group is not None and group.get("fill") == "#000"
    rects = group.findall("svg:rect", ns)
    assert all((r.get("width"), r.get("height")) == ("1", "1") for r in rects)
    modules = {(int(r.get("x")), int(r.get("y"))) for r in rects}
    assert len(modules) == len(rects)
    return modules


def test_svg_has_exactly_the_dark_modules_of_the_matrix(tmp_path: Path) -> None:
    path = write_qr(EXAMPLE, tmp_path / "code.svg")
    matrix = qr_matrix(EXAMPLE)
    expected = {(x, y) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark}
    assert svg_dark_modules(path) == expected
    root = ET.parse(path).getroot()
    size = len(matrix)
    assert root.get("viewBox") == f"0 0 {size} {size}"
    background = root.find("{http://www.w3.org/2000/svg}rect")
    assert background is not None
    assert (background.get("width"), background.get("fill")) == (str(size), "#fff")


def test_svg_decodes_to_the_payload(tmp_path: Path) -> None:
    """Paint the SVG's rects (no SVG renderer here) and read the symbol back."""
    path = write_qr(EXAMPLE, tmp_path / "code.svg")
    size = len(qr_matrix(EXAMPLE))
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    for x, y in svg_dark_modules(path):
        image.paste(0, (x * scale, y * scale, (x + 1) * scale, (y + 1) * scale))
    png = tmp_path / "painted.png"
    image.save(png)
    assert decode_png(png) == EXAMPLE


@pytest.mark.parametrize("name", ["code.pdf", "code", "code.png.txt"])
def test_write_qr_refuses_other_suffixes_and_writes_nothing(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match=r"\.png か \.svg"):
        write_qr(EXAMPLE, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


# --- import hygiene -------------------------------------------------------------------


def test_payment_core_imports_only_the_standard_library() -> None:
    script = (
        "import sys; before = set(sys.modules); import counter.payment; "
        "new = {m.split('.')[0] for m in set(sys.modules) - before}; "
        "print(sorted(new - set(sys.stdlib_module_names) - {'counter'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
