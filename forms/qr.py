"""The eL-QR symbol as a module matrix: numeric mode, version 6, error level M.

Both the printed slip and the terminal draw from this matrix, so what staff show on
screen and what the resident takes home are the same symbol.
"""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import MODE_NUMBER, QRData

QUIET_ZONE = 4


def qr_matrix(payload: str, *, version: int = 6) -> list[list[bool]]:
    """Rows of modules (True = dark), quiet zone included."""
    symbol = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    symbol.add_data(QRData(payload, mode=MODE_NUMBER))
    symbol.make(fit=False)
    return symbol.get_matrix()
