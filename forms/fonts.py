"""Pick the Japanese font for printed pages.

BIZ UDゴシック (the Universal Design font made for public documents) is embedded when
installed, else IPAexゴシック; otherwise the built-in CID font HeiseiKakuGo-W5, which
needs no file but is not embedded.

Names in the register use characters the everyday fonts lack (𠮷, 髙 variants, 人名外字).
IPAmj明朝 — the government's character-infrastructure font (文字情報基盤), made for
resident records — covers them: ``fallback_font_for`` names it for such a character, and
it is loaded only when one is printed (it is 46 MB; reading it takes 0.2 s).
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
FALLBACK = ("IPAmjMincho", Path("/usr/share/fonts/truetype/ipamj/ipamjm.ttf"))


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


def warm_fonts() -> None:
    """Load the slip font and the fallback for rare kanji now (about 0.25 s), so the first
    visit of the day is not the one that waits; the app calls it from a worker at start."""
    fonts = slip_fonts()
    _characters(fonts.regular)
    _fallback_font()


@cache
def _characters(font_name: str) -> frozenset[int]:
    face = getattr(pdfmetrics.getFont(font_name), "face", None)
    return frozenset(face.charToGlyph) if face is not None else frozenset()


@cache
def _fallback_font() -> str | None:
    name, path = FALLBACK
    if not path.is_file():
        return None
    pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def fallback_font_for(char: str) -> str | None:
    """The font to print ``char`` in when the slip font lacks it; None when the slip font
    has it (or is the built-in CID font, whose coverage is not known) or nothing does."""
    fonts = slip_fonts()
    if not fonts.embedded or ord(char) in _characters(fonts.regular):
        return None
    fallback = _fallback_font()
    return fallback if fallback and ord(char) in _characters(fallback) else None
