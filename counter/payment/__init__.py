"""Payment codes for slips: eL-QR payload, eL番号, convenience-store code, check digits,
confirmation numbers.

Pure standard library on import: the QR symbol itself is drawn by the printing layer
(``forms``), which hands `build_elqr`'s 255 digits to ``qrcode``; `parse_el_number`
borrows ``counter.textnorm`` (and so ``jaconv``) only when it is called.
"""

from counter.payment.checkdigits import (
    gs1_check_digit,
    is_valid_local_government_code,
    local_government_code,
    ocr_line_check_digits,
)
from counter.payment.confirmation import canonical_payment_number, confirmation_number
from counter.payment.elnumber import (
    ElNumber,
    el_number,
    el_number_parts,
    grouped_payment_number,
    parse_el_number,
)
from counter.payment.elqr import ELQR_LENGTH, MAX_AMOUNT, ElqrFields, build_elqr, parse_elqr
from counter.payment.errors import PaymentCodeError
from counter.payment.gs1 import GS1_LENGTH, GS1_MAX_AMOUNT, Gs1Fields, build_gs1, parse_gs1

__all__ = [
    "ELQR_LENGTH",
    "GS1_LENGTH",
    "GS1_MAX_AMOUNT",
    "MAX_AMOUNT",
    "ElNumber",
    "ElqrFields",
    "Gs1Fields",
    "PaymentCodeError",
    "build_elqr",
    "build_gs1",
    "canonical_payment_number",
    "confirmation_number",
    "el_number",
    "el_number_parts",
    "grouped_payment_number",
    "gs1_check_digit",
    "is_valid_local_government_code",
    "local_government_code",
    "ocr_line_check_digits",
    "parse_el_number",
    "parse_elqr",
    "parse_gs1",
]
