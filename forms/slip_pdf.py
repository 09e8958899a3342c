"""The guidance slip (案内票) as an A4 PDF that a 75-year-old can read.

Large Universal Design type, one block per counter in walking order, a vector QR for the
payment code with its eL番号, and the city's contact details. Fixed wording comes from
``definitions/guidance_slip.toml`` so other language variants only add data.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import PageTemplate
from reportlab.platypus.frames import Frame

from counter.slip import Slip, SlipLine
from forms.fonts import slip_fonts
from forms.qr import qr_matrix

DEFINITION = Path(__file__).parent / "definitions" / "guidance_slip.toml"
MARGIN = 15 * mm
QR_SIZE = 42 * mm


@cache
def slip_texts(language: str = "ja") -> dict[str, str]:
    return tomllib.loads(DEFINITION.read_text(encoding="utf-8"))[language]


class QrFlowable(Flowable):
    """A QR symbol drawn as vector squares, black on white, quiet zone included."""

    def __init__(self, payload: str, size: float = QR_SIZE) -> None:
        super().__init__()
        self.matrix = qr_matrix(payload)
        self.size = size
        self.width = self.height = size

    def draw(self) -> None:
        count = len(self.matrix)
        module = self.size / count
        canvas = self.canv
        canvas.setFillColor(colors.white)
        canvas.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        for row, cells in enumerate(self.matrix):
            y = self.size - (row + 1) * module
            for col, dark in enumerate(cells):
                if dark:
                    canvas.rect(col * module, y, module, module, stroke=0, fill=1)


def _styles(large: bool) -> dict[str, ParagraphStyle]:
    fonts = slip_fonts()
    body = 14 if large else 12
    base = ParagraphStyle(
        "body", fontName=fonts.regular, fontSize=body, leading=body * 1.5, wordWrap="CJK"
    )
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=body - 1, leading=(body - 1) * 1.5),
        "title": ParagraphStyle("title", parent=base, fontName=fonts.bold, fontSize=22, leading=28),
        "heading": ParagraphStyle(
            "heading",
            parent=base,
            fontName=fonts.bold,
            fontSize=body + 3,
            leading=(body + 3) * 1.4,
            textColor=colors.white,
        ),
        "item": ParagraphStyle(
            "item", parent=base, fontName=fonts.bold, fontSize=body + 1, leading=(body + 1) * 1.45
        ),
        "big": ParagraphStyle("big", parent=base, fontName=fonts.bold, fontSize=18, leading=24),
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _line_block(line: SlipLine, t: dict[str, str], s: dict[str, ParagraphStyle]) -> list:
    status = f"　【{t['status_check']}】{t['status_check_note']}" if line.status == "check" else ""
    rows = [
        Paragraph(f"□ {_escape(line.name)}{status}", s["item"]),
        Paragraph(f"{t['members']}：{_escape(line.members)}", s["body"]),
        Paragraph(f"{t['deadline']}：{_escape(line.deadline)}", s["body"]),
    ]
    if line.documents:
        rows.append(Paragraph(f"{t['documents']}：{_escape('、'.join(line.documents))}", s["body"]))
    if line.fee:
        rows.append(Paragraph(f"{t['fee']}：{line.fee:,}円", s["body"]))
    rows.append(Paragraph(f"{t['reason']}：{_escape(line.reason)}", s["small"]))
    if line.online_note:
        rows.append(Paragraph(f"{t['online']}：{_escape(line.online_note)}", s["small"]))
    return [KeepTogether([*rows, Spacer(1, 3 * mm)])]


def _payment_block(slip: Slip, t: dict[str, str], s: dict[str, ParagraphStyle]) -> list:
    payment = slip.payment
    if payment is None:
        return []
    lines = [Paragraph(t["payment_title"], s["big"])]
    if slip.demo:
        lines.append(Paragraph(f"【{t['demo_mark']}】{t['demo_note']}", s["item"]))
    lines.append(Paragraph(t["payment_note"], s["small"]))
    lines.append(Paragraph(f"{t['payment_amount']}：{payment.amount:,}円", s["item"]))
    lines.append(Paragraph(f"{t['payment_due']}：{payment.due_date}", s["body"]))
    lines.append(Paragraph(f"{t['payment_until']}：{payment.payable_until}", s["body"]))
    for label, value in payment.el_parts.items():
        lines.append(Paragraph(f"{label}：{value}", s["body"]))
    table = Table([[QrFlowable(payment.payload), lines]], colWidths=[QR_SIZE + 6 * mm, None])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), slip_fonts().regular),
                ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        )
    )
    return [Spacer(1, 4 * mm), KeepTogether([table])]


def _section_heading(text: str, s: dict[str, ParagraphStyle], width: float) -> Table:
    table = Table([[Paragraph(_escape(text), s["heading"])]], colWidths=[width])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#1F3A5F")),
                ("FONTNAME", (0, 0), (-1, -1), slip_fonts().regular),
                ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
            ]
        )
    )
    return table


def render_slip(slip: Slip, path: Path, *, large_print: bool = False) -> Path:
    """Write the slip to ``path`` (parents created) and return the path."""
    t = slip_texts("ja")
    s = _styles(large_print)
    fonts = slip_fonts()
    path.parent.mkdir(parents=True, exist_ok=True)
    width = A4[0] - 2 * MARGIN
    story: list = [
        Paragraph(
            f"{t['title']}　<font size=16>{t['reception']} {slip.reception_number}</font>",
            s["title"],
        ),
        Paragraph(_escape(t["household"].format(head=slip.head_name)), s["item"]),
        Paragraph(_escape(t["event"].format(event=slip.event, date=slip.event_date)), s["body"]),
        Paragraph(t["issued"].format(date=slip.issued_on), s["body"]),
    ]
    if slip.demo:
        story.append(Paragraph(f"【{t['demo_mark']}】{t['demo_note']}", s["item"]))
    story += [Spacer(1, 2 * mm), Paragraph(t["intro"], s["body"]), Spacer(1, 3 * mm)]
    for section in slip.sections:
        heading = f"{section.number}　{section.department}（{section.counter}）"
        story += [_section_heading(heading, s, width), Spacer(1, 2 * mm)]
        for line in section.lines:
            story += _line_block(line, t, s)
    total = f"{t['total_fee']}：{slip.total_fee:,}円" if slip.total_fee else t["no_fee"]
    story.append(Paragraph(total, s["big"]))
    story += _payment_block(slip, t, s)
    if slip.online:
        story += [Spacer(1, 4 * mm), Paragraph(t["online_title"], s["big"])]
        story += [Paragraph(f"・{_escape(item)}", s["body"]) for item in slip.online]
    story += [
        Spacer(1, 4 * mm),
        Paragraph(f"{t['contact_title']}：{_escape(slip.city)}", s["big"]),
        Paragraph(t["office_hours"].format(hours=slip.office_hours), s["body"]),
        Paragraph(t["phone"].format(phone=slip.phone), s["body"]),
    ]

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(fonts.regular, 10)
        text = t["footer"].format(city=slip.city, reception=slip.reception_number, page=doc.page)
        canvas.drawString(MARGIN, 8 * mm, text)
        if slip.demo:
            canvas.setFont(fonts.bold, 14)
            canvas.drawRightString(A4[0] - MARGIN, A4[1] - 10 * mm, f"【{t['demo_mark']}】")
        canvas.restoreState()

    document = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{t['title']} {t['reception']} {slip.reception_number}",
        author=slip.city,
        initialFontName=fonts.regular,
    )
    frame = Frame(MARGIN, MARGIN, width, A4[1] - 2 * MARGIN, id="body")
    document.addPageTemplates([PageTemplate(id="slip", frames=[frame], onPage=footer)])
    document.build(story)
    return path
