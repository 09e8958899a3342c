"""The eL-QR symbol as a module matrix: numeric mode, version 6, error level M.

Both the printed slip and the terminal draw from this matrix, so what staff show on
screen and what the resident takes home are the same symbol; `write_qr` saves it as a
file for other systems (a PNG for mail and web pages, an SVG for print layouts).
"""

from __future__ import annotations

import io
from pathlib import Path

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import MODE_NUMBER, QRData

QUIET_ZONE = 4
PIXELS_PER_MODULE = 8  # PNG: a version-6 symbol with its quiet zone is 392 px square


def qr_matrix(payload: str, *, version: int = 6) -> list[list[bool]]:
    """Rows of modules (True = dark), quiet zone included."""
    symbol = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    symbol.add_data(QRData(payload, mode=MODE_NUMBER))
    symbol.make(fit=False)
    return symbol.get_matrix()


def write_qr(payload: str, path: Path) -> Path:
    """Write the symbol of ``payload`` to ``path``, a ``.png`` or ``.svg`` (black on white).

    The file is made in memory first, so a bad payload or suffix leaves nothing behind.
    """
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ValueError(
            f"QRコードのファイル名は .png か .svg で終わるものにしてください（{path.name}）"
        )
    matrix = qr_matrix(payload)
    content = _png(matrix) if suffix == ".png" else _svg(matrix).encode("utf-8")
    path.write_bytes(content)
    return path


def _png(matrix: list[list[bool]]) -> bytes:
    from PIL import Image  # only this file format needs Pillow

    size = len(matrix)
    image = Image.new("1", (size, size))
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    scaled = image.resize((size * PIXELS_PER_MODULE,) * 2, Image.Resampling.NEAREST)
    out = io.BytesIO()
    scaled.save(out, format="PNG")
    return out.getvalue()


def _svg(matrix: list[list[bool]]) -> str:
    """One 1×1 ``rect`` per dark module on a white square; the user unit is one module."""
    size = len(matrix)
    modules = "".join(
        f'<rect x="{x}" y="{y}" width="1" height="1"/>'
        for y, row in enumerate(matrix)
        for x, dark in enumerate(row)
        if dark
    )
    pixels = size * PIXELS_PER_MODULE
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
        f'width="{pixels}" height="{pixels}" viewBox="0 0 {size} {size}" '
        'shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<g fill="#000">{modules}</g></svg>\n'
    )
