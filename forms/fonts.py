"""Pick the Japanese font for printed pages.

BIZ UDゴシック (the Universal Design font made for public documents) is embedded when
installed, else IPAexゴシック; otherwise the built-in CID font HeiseiKakuGo-W5, which
needs no file but is not embedded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

CANDIDATES = (
    (
        "BIZUDGothic",
        Path("/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Regular.ttf"),
        Path("/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Bold.ttf"),
    ),
    (
        "IPAexGothic",
        Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
        None,
    ),
)
CID_FONT = "HeiseiKakuGo-W5"


@dataclass(frozen=True)
class SlipFonts:
    regular: str
    bold: str
    embedded: bool


@cache
def slip_fonts() -> SlipFonts:
    for name, regular, bold in CANDIDATES:
        if regular.is_file():
            pdfmetrics.registerFont(TTFont(name, str(regular)))
            bold_name = name
            if bold is not None and bold.is_file():
                bold_name = f"{name}-Bold"
                pdfmetrics.registerFont(TTFont(bold_name, str(bold)))
            return SlipFonts(regular=name, bold=bold_name, embedded=True)
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return SlipFonts(regular=CID_FONT, bold=CID_FONT, embedded=False)
