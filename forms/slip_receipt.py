"""The guidance slip on an 80 mm receipt roll: one page exactly as long as its content.

Receipt printers cut where the page ends, so the page height is measured from the story
before building (a roll has no page breaks to keep headings with their items). The
printable width is 72 mm; the QR stays 45 mm wide so a phone reads it from the paper.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether
from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate
from reportlab.platypus.frames import Frame

RECEIPT_WIDTH = 80 * mm
RECEIPT_MARGIN = 4 * mm
RECEIPT_PRINTABLE = RECEIPT_WIDTH - 2 * RECEIPT_MARGIN
RECEIPT_QR = 45 * mm
CUT_ALLOWANCE = 10 * mm  # blank roll after the last line, for the cutter
NO_PADDING = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}


def _unkept(story: list[Flowable]) -> list[Flowable]:
    """The story without KeepTogether wrappers: a single page never breaks, and a
    KeepTogether reports an unmeasurable height to force the frame to split it."""
    flat: list[Flowable] = []
    for flowable in story:
        flat += _unkept(flowable._content) if isinstance(flowable, KeepTogether) else [flowable]
    return flat


def story_height(story: list[Flowable], width: float) -> float:
    """Height the story takes in one frame of ``width``, spaces between flowables included."""
    scratch = Canvas(BytesIO())
    return sum(
        f.wrapOn(scratch, width, 1e9)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in story
    )


def write_receipt(story: list[Flowable], path: Path, *, title: str, author: str, font: str) -> None:
    """Build ``story`` on a single 80 mm wide page as tall as it needs."""
    story = _unkept(story)
    height = story_height(story, RECEIPT_PRINTABLE) + 2 * RECEIPT_MARGIN + CUT_ALLOWANCE
    document = BaseDocTemplate(
        str(path),
        pagesize=(RECEIPT_WIDTH, height),
        title=title,
        author=author,
        initialFontName=font,
    )
    frame = Frame(
        RECEIPT_MARGIN,
        RECEIPT_MARGIN,
        RECEIPT_PRINTABLE,
        height - 2 * RECEIPT_MARGIN,
        id="roll",
        **NO_PADDING,
    )
    document.addPageTemplates([PageTemplate(id="roll", frames=[frame])])
    document.build(story)
