"""The city's secret for confirmation numbers, kept in a file outside the database.

The 確認番号 is a keyed hash of the 納付番号 (``confirmation.py``), so whoever can read the
database still cannot make a valid code. The key file is named by
``COUNTER_PAYMENT_KEY_FILE``; demo profiles use the published demo key instead.
"""

from __future__ import annotations

import os
from pathlib import Path

from counter.files import InputFileError, read_input

KEY_FILE_ENV = "COUNTER_PAYMENT_KEY_FILE"
MIN_KEY_BYTES = 16


MAX_KEY_FILE_BYTES = 4096


class PaymentKeyError(ValueError):
    """The key file is named but cannot be used; the message is for staff."""


def read_payment_key(path: Path | None = None) -> bytes | None:
    """The key from ``path`` (else the file ``COUNTER_PAYMENT_KEY_FILE`` names); None when
    no file is configured. Surrounding whitespace is not part of the key."""
    if path is None:
        named = os.environ.get(KEY_FILE_ENV, "").strip()
        if not named:
            return None
        path = Path(named)
    try:
        key = read_input(path, limit=MAX_KEY_FILE_BYTES).strip()
    except InputFileError as exc:
        raise PaymentKeyError(f"{KEY_FILE_ENV}: 鍵ファイルを読めません（{path}: {exc}）") from None
    if len(key) < MIN_KEY_BYTES:
        raise PaymentKeyError(
            f"{KEY_FILE_ENV}: 鍵が短すぎます（{MIN_KEY_BYTES}バイト以上にしてください）"
        )
    return key
