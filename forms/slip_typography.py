"""What the guidance slip prints and in which type: the fixed texts of each language
variant (from ``definitions/guidance_slip.toml``) and the paragraph styles of each size.

Kept apart from the layouts so A4 and the receipt roll share one set of words and sizes.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from counter.events import event_label
from counter.slip import Slip
from counter.wareki import format_wareki
from forms.fonts import slip_fonts
from forms.pdf_parts import markup
from forms.qr import qr_matrix

SLIP_LANGUAGES = ("ja", "easy", "en")
DEFINITION = Path(__file__).parent / "definitions" / "guidance_slip.toml"


@cache
def slip_texts(language: str = "ja") -> dict[str, Any]:
    """The fixed texts of one language variant (``[<language>]`` of the definition)."""
    if language not in SLIP_LANGUAGES:
        raise ValueError(f"案内票の言語「{language}」には対応していません（ja・easy・en のどれか）")
    return tomllib.loads(DEFINITION.read_text(encoding="utf-8"))[language]


class Words:
    """One variant's fixed texts, with its date/yen rules. Escaped for Paragraph markup by
    default; ``escape=str`` gives the plain text the screen preview shows."""

    def __init__(self, language: str, escape: Callable[[str], str] = markup) -> None:
        self.texts = slip_texts(language)
        self.escape = escape

    def __getitem__(self, key: str) -> str:
        return self.escape(self.texts[key])

    def format(self, key: str, **values: Any) -> str:
        """A template filled with data; data is escaped, the template's own words too."""
        safe = {k: self.escape(v) if isinstance(v, str) else v for k, v in values.items()}
        return self[key].format(**safe)

    def date(self, day: date) -> str:
        return self.format("date", wareki=format_wareki(day), western=day)

    def yen(self, amount: int) -> str:
        return self.format("yen", amount=f"{amount:,}")

    def label(self, key: str, value_markup: str) -> str:
        return self["label"].format(label=self[key], value=value_markup)

    def events(self, slip: Slip) -> list[str]:
        """One 「届出：…」 line per event of the visit, in the variant's words."""
        names = self.texts.get("events", {})
        return [
            self.format("event", event=names.get(e.key, e.label), date=self.date(e.date))
            for e in slip.events
        ]

    def ahead(self, slip: Slip) -> list[str]:
        """The line that says a move is filed before its planned day (none otherwise)."""
        if slip.ahead is None:
            return []
        event, day = slip.ahead
        name = self.texts.get("events", {}).get(event, event_label(event))
        return [self.format("ahead", event=name, date=self.date(day))]


class QrFlowable(Flowable):
    """A QR symbol drawn as vector squares, black on white, quiet zone included."""

    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        self.matrix = qr_matrix(payload)
        self.width = self.height = self.size = size
        self.hAlign = "CENTER"

    def draw(self) -> None:
        module = self.size / len(self.matrix)
        canvas = self.canv
        canvas.setFillColor(colors.white)
        canvas.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        for row, cells in enumerate(self.matrix):
            y = self.size - (row + 1) * module
            for col, dark in enumerate(cells):
                if dark:
                    canvas.rect(col * module, y, module, module, stroke=0, fill=1)


def slip_styles(large: bool, language: str, narrow: bool) -> dict[str, ParagraphStyle]:
    """Nothing under 12 pt (14 pt in large print): body, reasons, numbers and the page
    footer alike. Lines are set a little tighter than book type so a typical visit fits
    one sheet; the roll's title is smaller so that it stays on one line."""
    fonts = slip_fonts()
    body = 14 if large else 12
    base = ParagraphStyle(
        "body",
        fontName=fonts.regular,
        fontSize=body,
        leading=body * 1.25,
        wordWrap=None if language == "en" else "CJK",
    )
    bold = ParagraphStyle("bold", parent=base, fontName=fonts.bold)

    def sized(name: str, parent: ParagraphStyle, size: float, **extra: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, fontSize=size, leading=size * 1.25, **extra)

    return {
        "body": base,
        "title": sized("title", bold, body + (5 if narrow else 8)),
        "heading": sized("heading", bold, body + 1, textColor=colors.white),
        "item": sized("item", bold, body + 1),
        "big": sized("big", bold, body + 4),
        "value": sized("value", bold, body + 2, leftIndent=body),
        "footer": sized("footer", base, body),
    }


def bold(markup: str) -> str:
    """Bold inline text: the TrueType bold face is a font of its own, not a <b> family."""
    return f'<font name="{slip_fonts().bold}">{markup}</font>'
