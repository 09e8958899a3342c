"""The guidance slip (案内票) as a PDF that a 75-year-old can read.

Large Universal Design type, one block per counter in walking order, a vector QR for the
payment code with its eL番号, and the city's contact details. Every fixed word comes from
``definitions/guidance_slip.toml`` (ja, やさしい日本語, English), so a variant is data.
The same story is laid out on A4 pages here or on one 80 mm receipt page
(``forms.slip_receipt``); large print raises every size to at least 14 pt.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate
from reportlab.platypus.frames import Frame

from counter.slip import Slip, SlipLine, SlipPayment
from forms.fonts import slip_fonts
from forms.pdf_parts import heading_band, markup
from forms.slip_receipt import NO_PADDING, RECEIPT_PRINTABLE, RECEIPT_QR, write_receipt
from forms.slip_typography import (
    SLIP_LANGUAGES,
    QrFlowable,
    Words,
    bold,
    slip_styles,
    slip_texts,
)

SLIP_LAYOUTS = ("a4", "receipt")
__all__ = ["SLIP_LANGUAGES", "SLIP_LAYOUTS", "render_slip", "slip_texts"]
MARGIN = 15 * mm
A4_PRINTABLE = (A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN)
QR_SIZE = 42 * mm


def _name_rows(
    line: SlipLine, w: Words, s: dict[str, ParagraphStyle], narrow: bool
) -> list[Paragraph]:
    """The tick box, the name and its status (on its own line on the roll, where it would
    break inside its brackets): 【必要】, or 要確認 reversed (white on black, legible on a
    thermal roll too) with what happens at the counter."""
    if line.status == "check":
        status = f'<span backColor="#000000" color="#FFFFFF">&nbsp;{w["status_check"]}&nbsp;</span>'
    else:
        status = w["status_required"]
    name = f"□ {markup(line.name)}"
    rows = [Paragraph(name, s["item"]), Paragraph(status, s["item"])]
    if not narrow:
        rows = [Paragraph(f"{name}　{status}", s["item"])]
    if line.status == "check":
        rows.append(Paragraph(bold(w["status_check_note"]), s["body"]))
    return rows


def _line_rows(
    line: SlipLine, w: Words, s: dict[str, ParagraphStyle], narrow: bool
) -> list[Flowable]:
    members = w["separator"].join(w.format("member_name", name=n) for n in line.members)
    if line.deadline is not None:
        deadline = w.format("deadline_by", date=w.date(line.deadline))
    else:
        deadline = markup(line.deadline_note) or w["no_deadline"]
    rows = [
        *_name_rows(line, w, s, narrow),
        Paragraph(w.label("members", members), s["body"]),
        Paragraph(w.label("deadline", bold(deadline)), s["body"]),
    ]
    if len(line.documents) == 1:
        rows.append(Paragraph(w.label("documents", markup(line.documents[0])), s["body"]))
    elif line.documents:
        rows.append(Paragraph(w.label("documents", ""), s["body"]))
        rows += [Paragraph(f"・{markup(d)}", s["bullet"]) for d in line.documents]
    if line.fee:
        rows.append(Paragraph(w.label("fee", bold(w.yen(line.fee))), s["body"]))
    rows.append(Paragraph(w.label("reason", markup(line.reason)), s["small"]))
    if line.online_note:
        rows.append(Paragraph(w["online"], s["small"]))
    return [*rows, Spacer(1, 4 * mm)]


def _payment_block(
    slip: Slip, payment: SlipPayment, w: Words, s: dict[str, ParagraphStyle], narrow: bool
) -> list:
    """One code: QR beside the numbers on A4; on the roll the QR centred above them, each
    number on its own line so the 20-digit 納付番号 never wraps."""
    lines = [Paragraph(w["payment_title"], s["big"])]
    item = w.texts["payment_item"]
    if payment.label and item:
        lines.append(Paragraph(w.format("payment_item", label=payment.label), s["item"]))
    if slip.demo:
        lines.append(Paragraph(f"【{w['demo_mark']}】{w['demo_note']}", s["item"]))
    lines.append(Paragraph(w["payment_note"], s["small"]))
    lines.append(Paragraph(w.label("payment_amount", w.yen(payment.amount)), s["item"]))
    lines.append(Paragraph(w.label("payment_due", w.date(payment.due_date)), s["body"]))
    lines.append(Paragraph(w.label("payment_until", w.date(payment.payable_until)), s["body"]))
    numbers = (
        ("el_collector", payment.collector),
        ("el_payment_number", payment.payment_number),
        ("el_confirmation", payment.confirmation_number),
        ("el_category", payment.category),
    )
    for key, value in numbers:
        if narrow:
            lines += [Paragraph(w.label(key, ""), s["body"]), Paragraph(value, s["value"])]
        else:
            lines.append(Paragraph(w.label(key, bold(value)), s["body"]))
    if narrow:
        qr = QrFlowable(payment.payload, RECEIPT_QR)
        head = 4 if payment.label and item else 3
        return [
            Spacer(1, 4 * mm),
            KeepTogether([*lines[:head], qr, Spacer(1, 2 * mm), *lines[head:]]),
        ]
    table = Table(
        [[QrFlowable(payment.payload, QR_SIZE), lines]], colWidths=[QR_SIZE + 6 * mm, None]
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), slip_fonts().regular),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        )
    )
    return [Spacer(1, 4 * mm), KeepTogether([table])]


def slip_story(slip: Slip, w: Words, s: dict[str, ParagraphStyle], width: float) -> list:
    """Everything printed, top to bottom; a department heading always keeps its first item."""
    narrow = width < 100 * mm
    story: list = [
        Paragraph(w["title"], s["title"]),
        Paragraph(w.format("reception", number=slip.reception_number), s["big"]),
        Paragraph(w.format("household", head=slip.head_name), s["item"]),
        *(Paragraph(line, s["body"]) for line in w.events(slip)),
        Paragraph(w.format("issued", date=w.date(slip.issued_on)), s["body"]),
    ]
    if slip.demo:
        story.append(Paragraph(f"【{w['demo_mark']}】{w['demo_note']}", s["item"]))
    story += [Spacer(1, 2 * mm), Paragraph(w["intro"], s["body"]), Spacer(1, 3 * mm)]
    for section in slip.sections:
        heading = w.format(
            "section", number=section.number, department=section.department, counter=section.counter
        )
        first, *rest = [_line_rows(line, w, s, narrow) for line in section.lines]
        story.append(
            KeepTogether(
                [
                    heading_band(Paragraph(heading, s["heading"]), width, left_padding=2 * mm),
                    Spacer(1, 2 * mm),
                    *first,
                ]
            )
        )
        story += [KeepTogether(rows) for rows in rest]
    total = w.label("total_fee", w.yen(slip.total_fee)) if slip.total_fee else w["no_fee"]
    story.append(Paragraph(total, s["big"]))
    for payment in slip.payments:
        story += _payment_block(slip, payment, w, s, narrow)
    if slip.online:
        story += [Spacer(1, 4 * mm), Paragraph(w["online_title"], s["big"])]
        story += [
            Paragraph(f"・{w.format('online_item', name=name, note=note)}", s["bullet"])
            for name, note in slip.online
        ]
    return [
        *story,
        Spacer(1, 4 * mm),
        Paragraph(w.format("contact_title", city=slip.city), s["big"]),
        Paragraph(w.format("office_hours", hours=slip.office_hours), s["body"]),
        Paragraph(w.format("phone", phone=slip.phone), s["item"]),
    ]


def _write_a4(slip: Slip, story: list, path: Path, w: Words, s: dict[str, ParagraphStyle]) -> None:
    fonts = slip_fonts()

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(fonts.regular, s["footer"].fontSize)
        text = w.texts["footer"].format(
            city=slip.city, reception=slip.reception_number, page=doc.page
        )
        canvas.drawString(MARGIN, 8 * mm, text)
        if slip.demo:
            canvas.setFont(fonts.bold, 16)
            canvas.drawRightString(A4[0] - MARGIN, A4[1] - 10 * mm, f"【{w.texts['demo_mark']}】")
        canvas.restoreState()

    document = BaseDocTemplate(
        str(path),
        pagesize=A4,
        title=f"{w.texts['title']} {slip.reception_number}",
        author=slip.city,
        initialFontName=fonts.regular,
    )
    frame = Frame(MARGIN, MARGIN, *A4_PRINTABLE, id="body", **NO_PADDING)
    document.addPageTemplates([PageTemplate(id="slip", frames=[frame], onPage=footer)])
    document.build(story)


def render_slip(
    slip: Slip,
    path: Path,
    *,
    layout: str = "a4",
    large_print: bool = False,
    language: str = "ja",
) -> Path:
    """Write the slip to ``path`` (parents created) and return the path.

    ``layout`` is ``a4`` or ``receipt`` (80 mm roll, one page), ``language`` one of
    SLIP_LANGUAGES; anything else raises ValueError with a Japanese message.
    """
    if layout not in SLIP_LAYOUTS:
        raise ValueError(f"案内票の用紙「{layout}」には対応していません（a4・receipt のどちらか）")
    w = Words(language)
    s = slip_styles(large_print, language, narrow=layout == "receipt")
    path.parent.mkdir(parents=True, exist_ok=True)
    if layout == "receipt":
        story = slip_story(slip, w, s, RECEIPT_PRINTABLE)
        title = f"{w.texts['title']} {slip.reception_number}"
        write_receipt(story, path, title=title, author=slip.city, font=slip_fonts().regular)
    else:
        _write_a4(slip, slip_story(slip, w, s, A4_PRINTABLE[0]), path, w, s)
    return path
