"""Pre-filled forms as A4 PDFs: the resident checks the values and signs, nothing more.

A boxed label/value table per section, one block per member, blanks for the counter
visibly marked (the few boxes the law asks the resident to write themselves are left
white, with room for a hand), and a signature box at the end. Every page carries the
form's name and the visit's reception number, so loose pages find their way back to the
right visit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import PageTemplate
from reportlab.platypus.frames import Frame

from forms.fonts import slip_fonts
from forms.pdf_parts import HEADING_BACKGROUND, heading_band, markup
from forms.prefill import BLANK, RESIDENT, FilledField, FilledForm, FilledSection, form_texts

MARGIN = 15 * mm
WIDTH = A4[0] - 2 * MARGIN
LABEL_WIDTH = 52 * mm
PAIR_LABEL_WIDTH = 28 * mm
LABEL_FILL = colors.HexColor("#EEF2F7")
BLANK_FILL = colors.HexColor("#FFF4CC")
MARK = colors.HexColor("#B00020")


def _styles() -> dict[str, ParagraphStyle]:
    fonts = slip_fonts()
    base = ParagraphStyle("body", fontName=fonts.regular, fontSize=11, leading=15, wordWrap="CJK")
    return {
        "body": base,
        "label": ParagraphStyle("label", parent=base, fontSize=10, leading=13),
        "value": ParagraphStyle("value", parent=base, fontName=fonts.bold, fontSize=12, leading=16),
        "blank": ParagraphStyle("blank", parent=base, fontSize=10, leading=13, textColor=MARK),
        "note": ParagraphStyle("note", parent=base, fontSize=8, leading=10, textColor=colors.grey),
        "title": ParagraphStyle("title", parent=base, fontName=fonts.bold, fontSize=20, leading=26),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName=fonts.bold, fontSize=12, textColor=colors.white
        ),
        "member": ParagraphStyle("member", parent=base, fontName=fonts.bold, fontSize=12),
    }


class FormStart(Flowable):
    """Zero-size marker: from here on, headers and footers name this form."""

    def __init__(self, form: FilledForm) -> None:
        super().__init__()
        self.form = form
        self.width = self.height = 0

    def draw(self) -> None:
        template = self.canv._doctemplate
        template.current_form = self.form
        template.form_first_page = template.page


def _value_cell(field: FilledField, s: dict[str, ParagraphStyle]) -> list:
    if field.status == RESIDENT:  # white, with room for a hand: the resident writes here
        cell = [Paragraph(f"（{markup(field.shown)}）", s["note"]), Spacer(1, 7 * mm)]
    elif field.status == BLANK:
        cell = [Paragraph(f"【{markup(field.shown)}】", s["blank"])]
    else:
        cell = [Paragraph(markup(field.value), s["value"])]
    if field.note:
        cell.append(Paragraph(markup(field.note), s["note"]))
    return cell


def _field_table(
    fields: tuple[FilledField, ...], s: dict[str, ParagraphStyle], *, pairs: bool = False
) -> Table:
    """Boxed label/value cells: one pair per line, or two pairs per line for member rows."""
    per_line = 2 if pairs else 1
    label_width = PAIR_LABEL_WIDTH if pairs else LABEL_WIDTH
    value_width = WIDTH / per_line - label_width
    rows: list[list[Any]] = []
    style: list[tuple] = []
    for index, field in enumerate(fields):
        line, column = divmod(index, per_line)
        if column == 0:
            rows.append([""] * (2 * per_line))
        rows[line][2 * column] = Paragraph(markup(field.label), s["label"])
        rows[line][2 * column + 1] = _value_cell(field, s)
        style.append(("BACKGROUND", (2 * column, line), (2 * column, line), LABEL_FILL))
        if field.status == BLANK:
            cell = (2 * column + 1, line)
            style.append(("BACKGROUND", cell, cell, BLANK_FILL))
    table = Table(rows, colWidths=[label_width, value_width] * per_line)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), slip_fonts().regular),  # else Helvetica
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 * mm),
                *style,
            ]
        )
    )
    return table


def _section(section: FilledSection, s: dict[str, ParagraphStyle]) -> list[list]:
    """The section as units that must stay on one page: the heading with the first block,
    then each further member row."""
    heading = [
        heading_band(Paragraph(markup(section.title), s["heading"]), WIDTH),
        Spacer(1, 1.5 * mm),
    ]
    if not section.per_member:
        return [[*heading, _field_table(section.fields, s), Spacer(1, 4 * mm)]]
    units = [
        [
            Paragraph(markup(f"{number}．{row.member_name}"), s["member"]),
            _field_table(row.fields, s, pairs=True),
            Spacer(1, 3 * mm),
        ]
        for number, row in enumerate(section.rows, start=1)
    ]
    units[0] = [*heading, *units[0]]
    units[-1].append(Spacer(1, 1 * mm))
    return units


def _signature(form: FilledForm, s: dict[str, ParagraphStyle]) -> list:
    t = form_texts()
    fonts = slip_fonts()
    rows = [
        [Paragraph(markup(t["signature_title"]), s["heading"]), ""],
        [Paragraph(markup(form.signature), s["label"]), ""],
        [
            Paragraph(markup(t["signature_date"]), s["label"]),
            Paragraph(markup(t["signature_date_blank"]), s["body"]),
        ],
    ]
    table = Table(
        rows, colWidths=[LABEL_WIDTH, WIDTH - LABEL_WIDTH], rowHeights=[None, 20 * mm, None]
    )
    table.setStyle(
        TableStyle(
            [
                ("SPAN", (0, 0), (-1, 0)),
                ("BACKGROUND", (0, 0), (-1, 0), HEADING_BACKGROUND),
                ("BACKGROUND", (0, 1), (0, -1), LABEL_FILL),
                ("GRID", (0, 1), (-1, -1), 0.6, colors.black),
                ("BOX", (0, 0), (-1, -1), 2, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTNAME", (0, 0), (-1, -1), fonts.regular),
                ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
            ]
        )
    )
    story = [Spacer(1, 2 * mm)]
    if form.declaration:
        story.append(Paragraph(markup(form.declaration), s["body"]))
    story += [
        Paragraph(markup(t["signature_note"]), s["note"]),
        Spacer(1, 2 * mm),
        table,
    ]
    return story


def _form_story(form: FilledForm, s: dict[str, ParagraphStyle]) -> list:
    t = form_texts()
    story: list = [
        FormStart(form),
        Paragraph(markup(form.title), s["title"]),
        Paragraph(
            f"{t['reception']} {form.reception_number}　{t['filed_on']} {markup(form.office_date)}",
            s["body"],
        ),
    ]
    if form.demo:
        story.append(Paragraph(f"【{t['demo_mark']}】{markup(t['demo_note'])}", s["blank"]))
    if form.late:
        story.append(Paragraph(markup(form.late), s["blank"]))
    story += [Paragraph(markup(t["prefilled_note"]), s["note"]), Spacer(1, 3 * mm)]
    units = [unit for x in form.sections if x.fields or x.rows for unit in _section(x, s)]
    # The signature never stands alone on a page: it keeps the last unit above it.
    last = [*units.pop(), *_signature(form, s)] if units else _signature(form, s)
    return story + [KeepTogether(unit) for unit in units] + [KeepTogether(last)]


def _decorate(canvas, document) -> None:
    """Header and footer naming the form and the reception number; 見本 on demo pages."""
    form: FilledForm | None = getattr(document, "current_form", None)
    if form is None:
        return
    t = form_texts()
    fonts = slip_fonts()
    page = document.page - document.form_first_page + 1
    canvas.saveState()
    canvas.setFont(fonts.regular, 9)
    header = t["header"].format(form=form.name, reception=form.reception_number)
    canvas.drawString(MARGIN, A4[1] - 9 * mm, header)
    footer = t["footer"].format(
        city=form.city, form=form.name, reception=form.reception_number, page=page
    )
    canvas.drawString(MARGIN, 8 * mm, footer)
    if form.demo:
        canvas.setStrokeColor(MARK)
        canvas.setFillColor(MARK)
        canvas.setLineWidth(1.5)
        canvas.rect(A4[0] - MARGIN - 22 * mm, A4[1] - 13 * mm, 22 * mm, 9 * mm)
        canvas.setFont(fonts.bold, 16)
        canvas.drawCentredString(A4[0] - MARGIN - 11 * mm, A4[1] - 10.5 * mm, t["demo_mark"])
    canvas.restoreState()


def render_visit_forms(forms: list[FilledForm], path: Path) -> Path:
    """All forms of a visit in one file, each starting on a new page; returns ``path``."""
    s = _styles()
    path.parent.mkdir(parents=True, exist_ok=True)
    story: list = []
    for index, form in enumerate(forms):
        if index:
            story.append(PageBreak())
        story += _form_story(form, s)
    document = BaseDocTemplate(
        str(path),
        pagesize=A4,
        title="・".join(dict.fromkeys(form.name for form in forms)),
        author=forms[0].city if forms else "",
        initialFontName=slip_fonts().regular,
    )
    frame = Frame(MARGIN, MARGIN, WIDTH, A4[1] - 2 * MARGIN - 4 * mm, id="body")
    document.addPageTemplates([PageTemplate(id="form", frames=[frame], onPageEnd=_decorate)])
    document.build(story)
    return path


def render_form(filled: FilledForm, path: Path) -> Path:
    """One form as its own PDF; returns ``path``."""
    return render_visit_forms([filled], path)
