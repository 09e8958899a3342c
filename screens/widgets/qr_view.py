"""The payment QR drawn with half blocks, black on white, so a phone can read it off the
counter screen.

Each terminal cell holds two modules: the upper one as the foreground of 「▀」, the lower
one as the background. The colours are fixed black and white whatever the theme, since a
reader needs the contrast of paper. The quiet zone is cropped to two modules when the
screen is too short for the full four (phone readers accept that on a bright screen).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from forms.qr import QUIET_ZONE, qr_matrix

UPPER_HALF = "\u2580"
BLACK, WHITE = "#000000", "#ffffff"
STYLES = {
    (top, bottom): Style(color=BLACK if top else WHITE, bgcolor=BLACK if bottom else WHITE)
    for top in (False, True)
    for bottom in (False, True)
}


def half_block_rows(matrix: list[list[bool]]) -> list[list[tuple[bool, bool]]]:
    """Pairs of module rows as (upper, lower) per cell; an odd last row gets white below."""
    rows = []
    for y in range(0, len(matrix), 2):
        lower = matrix[y + 1] if y + 1 < len(matrix) else [False] * len(matrix[y])
        rows.append(list(zip(matrix[y], lower, strict=True)))
    return rows


def cropped(matrix: list[list[bool]], quiet_zone: int) -> list[list[bool]]:
    """The matrix with a narrower quiet zone (``qr_matrix`` always has four modules)."""
    cut = QUIET_ZONE - quiet_zone
    return [row[cut : len(row) - cut] for row in matrix[cut : len(matrix) - cut]]


class QrView(Widget):
    DEFAULT_CSS = """
    QrView {
        width: auto;
        height: auto;
    }
    """

    def __init__(self, payload: str, *, quiet_zone: int = QUIET_ZONE, id: str | None = None):
        super().__init__(id=id)
        self.matrix = cropped(qr_matrix(payload), quiet_zone)

    def get_content_width(self, container, viewport) -> int:
        return len(self.matrix[0])

    def get_content_height(self, container, viewport, width: int) -> int:
        return (len(self.matrix) + 1) // 2

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="crop")
        for index, row in enumerate(half_block_rows(self.matrix)):
            if index:
                text.append("\n")
            for cell in row:
                text.append(UPPER_HALF, STYLES[cell])
        return text
