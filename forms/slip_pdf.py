"""The guidance slip (案内票) as a PDF that a 75-year-old can read.

One sheet for a typical visit (two sides at most), nothing under 12 pt: the first page
opens with the household, the number of procedures, the fee total and the payment QR
with its eL番号, so what is paid is never on another page than what it costs. Then one
block per counter in walking order, each procedure a small table that uses the width of
the page (name and deadline side by side, members and fee, documents, reason), and the
city's contact details. Every fixed word comes from ``definitions/guidance_slip.toml``
(ja, やさしい日本語, English), so a variant is data. The same story is laid out on A4
pages here or on one 80 mm receipt page (``forms.slip_receipt``); large print raises
every size to at least 14 pt and may take more pages.
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

from counter.plan import REFUSED
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
MARGIN = 12 * mm
A4_PRINTABLE = (A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN - 6 * mm)  # the footer's line
QR_SIZE = 36 * mm  # 0.85 mm a module at version 6: read by any phone from the paper
RECEPTION_BOX = 46 * mm
STATUS_WIDTH = 28 * mm  # 【必要】 or the reversed 要確認, in the item type
REFUSED_WIDTH = 46 * mm  # the reversed 交付できません, on one line
RULE = colors.HexColor("#7F8A99")


def _table(rows: list[list], widths: list[float | None], extra: list | None = None) -> Table:
    """A borderless table of paragraphs with small paddings, in the slip's font."""
    table = Table(rows, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), slip_fonts().regular),  # else Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 1.5 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 1.5 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 0.2 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.2 * mm),
                *(extra or []),
            ]
        )
    )
    return table


def _status(line: SlipLine, w: Words) -> str:
    """【必要】, or 要確認 or 交付できません reversed (white on black, legible on a thermal
    roll too); what 要確認 means is said once, under the count."""
    if line.status == REFUSED:
        return _reversed(w["status_refused"])
    if line.status != "check":
        return w["status_required"]
    return _reversed(w["status_check"])


def _reversed(text: str) -> str:
    return f'<span backColor="#000000" color="#FFFFFF">&#12288;{text}&#12288;</span>'


def _deadline(line: SlipLine, w: Words) -> str:
    if line.deadline is None:
        return markup(line.deadline_note) or w["no_deadline"]
    text = w.format("deadline_by", date=w.date(line.deadline))
    if line.overdue:
        text += f"<br/>{_reversed(w['overdue'])}"
    return text


def _procedure(
    line: SlipLine, w: Words, s: dict[str, ParagraphStyle], width: float
) -> list[Flowable]:
    """One procedure. On A4: the name with the deadline and fee beside it, then across
    the width the members (left out when the reason already names each of them), the
    documents, a timing notice, the reason and the online way. On the roll: the same
    lines one under the other."""
    name = Paragraph(f"□ {markup(line.name)}", s["item"])
    status = Paragraph(_status(line, w), s["item"])
    if line.status == REFUSED:  # no deadline and no fee: where to ask instead
        side = [Paragraph(w.label("refused_where", bold(markup(line.where))), s["body"])]
    else:
        side = [Paragraph(w.label("deadline", bold(_deadline(line, w))), s["body"])]
    if line.fee:
        side.append(Paragraph(w.label("fee", bold(w.yen(line.fee))), s["body"]))
    across = []
    if not all(member in line.reason for member in line.members):
        members = w["separator"].join(w.format("member_name", name=n) for n in line.members)
        across.append(Paragraph(w.label("members", members), s["body"]))
    if line.documents:
        documents = w["separator"].join(markup(d) for d in line.documents)
        across.append(Paragraph(w.label("documents", documents), s["body"]))
    if line.deadline_notice:
        across.append(Paragraph(w.label("notice", markup(line.deadline_notice)), s["body"]))
    if line.late:
        across.append(Paragraph(f"{_reversed(w['late'])} {w['late_note']}", s["body"]))
    across.append(Paragraph(w.label("reason", markup(line.reason)), s["body"]))
    if line.online_note:
        across.append(Paragraph(w.format("online", note=line.online_note), s["body"]))
    if width < 100 * mm:
        rows = [[name], [status], *[[part] for part in side], *[[a] for a in across]]
        return [_table(rows, [width]), Spacer(1, 3 * mm)]
    # The status has a column of its own, so it never breaks inside 要確認.
    mark = REFUSED_WIDTH if line.status == REFUSED else STATUS_WIDTH
    left = width * 0.6 - mark
    rows = [[name, status, side], *[[a, "", ""] for a in across]]
    spans = [("SPAN", (0, row), (2, row)) for row in range(1, len(rows))]
    rule = [("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE), ("TOPPADDING", (0, 0), (-1, 0), 1 * mm)]
    return [_table(rows, [left, mark, width - left - mark], spans + rule)]


def _payment(
    slip: Slip, payment: SlipPayment, w: Words, s: dict[str, ParagraphStyle], narrow: bool
) -> Flowable:
    """One code: QR beside the numbers on A4; on the roll the QR centred above them, each
    number on its own line so the 20-digit 納付番号 never wraps."""
    title = w["payment_title"] + (f"【{w['demo_mark']}】" if slip.demo else "")
    lines = [Paragraph(title, s["item"])]
    if payment.label and w.texts["payment_item"]:
        lines.append(Paragraph(w.format("payment_item", label=payment.label), s["body"]))
    lines.append(Paragraph(w.label("payment_amount", bold(w.yen(payment.amount))), s["item"]))
    lines.append(Paragraph(w.label("payment_due", w.date(payment.due_date)), s["body"]))
    lines.append(Paragraph(w.label("payment_until", w.date(payment.payable_until)), s["body"]))
    numbers = (
        ("el_collector", payment.collector),
        ("el_payment_number", payment.payment_number),
        ("el_confirmation", payment.confirmation_number),
        ("el_category", payment.category),
    )
    if narrow:
        for key, value in numbers:
            lines += [Paragraph(w.label(key, ""), s["body"]), Paragraph(value, s["value"])]
    else:  # two numbers a line: 収納機関番号 and 納付番号, 確認番号 and 納付区分
        pairs = [numbers[0:2], numbers[2:4]]
        lines += [
            Paragraph("　".join(w.label(key, bold(value)) for key, value in pair), s["body"])
            for pair in pairs
        ]
    lines.append(Paragraph(w["payment_note"], s["body"]))
    if narrow:
        head = 2 if payment.label and w.texts["payment_item"] else 1
        qr = QrFlowable(payment.payload, RECEIPT_QR)
        return KeepTogether([*lines[:head], qr, Spacer(1, 2 * mm), *lines[head:]])
    table = _table(
        [[QrFlowable(payment.payload, QR_SIZE), lines]],
        [QR_SIZE + 5 * mm, None],
        [("BOX", (0, 0), (-1, -1), 1.2, colors.black), ("TOPPADDING", (0, 0), (-1, -1), 2 * mm)],
    )
    return KeepTogether([table])


def _opening(slip: Slip, w: Words, s: dict[str, ParagraphStyle], width: float) -> list:
    """Who and what, with the 受付番号 boxed on the right on A4."""
    about = [
        Paragraph(w["title"], s["title"]),
        Paragraph(w.format("household", head=slip.head_name), s["item"]),
        *(Paragraph(line, s["body"]) for line in w.events(slip)),
        *(Paragraph(line, s["body"]) for line in w.ahead(slip)),
        Paragraph(w.format("issued", date=w.date(slip.issued_on)), s["body"]),
    ]
    number = Paragraph(w.format("reception", number=slip.reception_number), s["big"])
    if width < 100 * mm:
        return [about[0], number, *about[1:]]
    box = [("BOX", (1, 0), (1, 0), 1.2, colors.black), ("VALIGN", (1, 0), (1, 0), "MIDDLE")]
    return [_table([[about, number]], [width - RECEPTION_BOX, RECEPTION_BOX], box)]


def slip_story(slip: Slip, w: Words, s: dict[str, ParagraphStyle], width: float) -> list:
    """Everything printed, top to bottom: the opening, the count and total, the payment
    codes, then the counters; a department heading always keeps its first procedure."""
    narrow = width < 100 * mm
    story: list = _opening(slip, w, s, width)
    if slip.demo:
        story.append(Paragraph(f"【{w['demo_mark']}】{w['demo_note']}", s["item"]))
    count = w.format("summary", count=len(slip.lines), checks=slip.checks)
    total = w.label("total_fee", w.yen(slip.total_fee)) if slip.total_fee else w["no_fee"]
    story += [Spacer(1, 2 * mm), Paragraph(f"{count}　{bold(total)}", s["big"])]
    if slip.checks:
        story.append(Paragraph(w.label("status_check", w["status_check_note"]), s["body"]))
    for payment in slip.payments:
        story += [Spacer(1, 2 * mm), _payment(slip, payment, w, s, narrow)]
    story += [Spacer(1, 3 * mm), Paragraph(w["intro"], s["body"]), Spacer(1, 2 * mm)]
    for section in slip.sections:
        heading = w.format(
            "section", number=section.number, department=section.department, counter=section.counter
        )
        first, *rest = [_procedure(line, w, s, width) for line in section.lines]
        band = heading_band(
            Paragraph(heading, s["heading"]), width, left_padding=2 * mm, padding=0.6 * mm
        )
        story += [Spacer(1, 1.5 * mm), KeepTogether([band, *first])]
        story += [KeepTogether(rows) for rows in rest]
    contact = [
        Paragraph(w.format("contact_title", city=slip.city), s["item"]),
        Paragraph(w.format("office_hours", hours=slip.office_hours), s["body"]),
    ]
    if slip.holiday_counter:
        contact.append(Paragraph(w.format("holiday_counter", days=slip.holiday_counter), s["body"]))
    if slip.phone:  # a profile without a confirmed number prints none
        contact.append(Paragraph(w.format("phone", phone=slip.phone), s["item"]))
    return [*story, Spacer(1, 3 * mm), KeepTogether(contact)]


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
            canvas.drawRightString(A4[0] - MARGIN, A4[1] - 9 * mm, f"【{w.texts['demo_mark']}】")
        canvas.restoreState()

    document = BaseDocTemplate(
        str(path),
        pagesize=A4,
        title=f"{w.texts['title']} {slip.reception_number}",
        author=slip.city,
        initialFontName=fonts.regular,
    )
    frame = Frame(MARGIN, MARGIN + 6 * mm, *A4_PRINTABLE, id="body", **NO_PADDING)
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
    SLIP_LANGUAGES; anything else raises ValueError with a Japanese message, and a
    machine without a Japanese font raises ``forms.fonts.FontMissing``; no file is
    written then.
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
