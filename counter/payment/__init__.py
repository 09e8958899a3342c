"""Payment codes for slips: eL-QR payload, eL番号, check digits, confirmation numbers.

Pure standard library: the QR symbol itself is drawn by the printing layer (``forms``),
which hands `build_elqr`'s 255 digits to ``qrcode``.
"""

from counter.payment.checkdigits import (
    gs1_check_digit,
    is_valid_local_government_code,
    local_government_code,
    ocr_line_check_digits,
)
from counter.payment.confirmation import canonical_payment_number, confirmation_number
from counter.payment.elnumber import el_number, el_number_parts, grouped_payment_number
from counter.payment.elqr import ELQR_LENGTH, MAX_AMOUNT, ElqrFields, build_elqr, parse_elqr
from counter.payment.errors import PaymentCodeError

__all__ = [
    "ELQR_LENGTH",
    "MAX_AMOUNT",
    "ElqrFields",
    "PaymentCodeError",
    "build_elqr",
    "canonical_payment_number",
    "confirmation_number",
    "el_number",
    "el_number_parts",
    "grouped_payment_number",
    "gs1_check_digit",
    "is_valid_local_government_code",
    "local_government_code",
    "ocr_line_check_digits",
    "parse_elqr",
]
