"""確認番号 derived from the 納付番号 with a secret key.

The confirmation number travels with the payment number so that a mistyped or guessed
payment number is refused. Taking it from HMAC-SHA256 under a key the city keeps means it
cannot be computed from the payment number alone, and every terminal that holds the key
derives the same value without asking the server.
"""

from __future__ import annotations

import hashlib
import hmac

from counter.payment.errors import PaymentCodeError, given, is_ascii_digits


def canonical_payment_number(payment_number: str) -> str:
    """The 納付番号 without leading zeros ("0" when all zeros); 1–20 ASCII digits."""
    if not (is_ascii_digits(payment_number) and len(payment_number) <= 20):
        raise PaymentCodeError(
            "payment_number", f"納付番号は20桁以内の数字で指定してください{given(payment_number)}"
        )
    return payment_number.lstrip("0") or "0"


def confirmation_number(payment_number: str, key: bytes) -> str:
    """Six digits from HMAC-SHA256(key, payment number).

    The payment number is taken without leading zeros, as it is in the QR (where it is
    zero-padded to 20), so ``"012345"`` and ``"12345"`` give the same value.
    """
    if not isinstance(key, bytes | bytearray) or not key:
        raise PaymentCodeError("key", "確認番号の鍵が設定されていません")
    message = canonical_payment_number(payment_number).encode("ascii")
    digest = hmac.new(bytes(key), message, hashlib.sha256).digest()
    return f"{int.from_bytes(digest, 'big') % 1_000_000:06d}"
