"""Pieces the guidance slip and the forms both draw, so the city's paper looks one."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from forms.fonts import fallback_font_for, slip_fonts

HEADING_BACKGROUND = colors.HexColor("#1F3A5F")


def markup(text: str) -> str:
    """Data as literal text inside Paragraph markup, printed exactly: ``&<>`` escaped;
    U+3000 as a character reference, which Paragraph keeps (a literal one it treats as
    white space and prints as U+0020, so 「米子　太郎」 would come out 「米子 太郎」); a
    character the slip font lacks (𠮷) in the fallback font instead of a missing glyph."""
    if all(fallback_font_for(char) is None for char in set(text)):
        return escape(text, {"\u3000": "&#12288;"})
    pieces = []
    for char in text:
        piece = escape(char, {"\u3000": "&#12288;"})
        fallback = fallback_font_for(char)
        pieces.append(f'<font name="{fallback}">{piece}</font>' if fallback else piece)
    return "".join(pieces)


def heading_band(
    heading: Paragraph, width: float, *, left_padding: float = 6, padding: float = 1.5 * mm
) -> Table:
    """A heading as white text on a dark band across ``width`` (a counter, a section);
    ``padding`` above the text (a little more below it)."""
    table = Table([[heading]], colWidths=[width])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), slip_fonts().regular),  # else Helvetica
                ("BACKGROUND", (0, 0), (-1, -1), HEADING_BACKGROUND),
                ("LEFTPADDING", (0, 0), (-1, -1), left_padding),
                ("TOPPADDING", (0, 0), (-1, -1), padding),
                ("BOTTOMPADDING", (0, 0), (-1, -1), padding + 0.5 * mm),
            ]
        )
    )
    return table
