"""Pre-filled forms as A4 PDFs: the resident checks the values and signs, nothing more.

A boxed label/value table per section, one block per member, blanks for the counter
visibly marked, and a signature box at the end. Each value is tagged with where it came
from (〔住民記録〕〔聞き取り〕〔窓口で入力〕〔窓口で作成〕, explained at the top), so the
resident and the receiving department tell them apart in black and white too; what the
resident writes or must check is a thick box captioned 「ご本人が記入」 or 「ご確認ください」.
A 戸籍届書 (``draft``) is filed on the law's A3 form, so ours is printed only as a copying
aid: titled as such, every field of the 様式 in its order, no signature. Every page
carries the form's name and the visit's reception number, so loose pages find their way
back to the right visit.
"""

from __future__ import annotations

from dataclasses import replace
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
from forms.prefill import (
    BLANK,
    RESIDENT,
    FilledField,
    FilledForm,
    FilledSection,
    form_texts,
)
from forms.registry import BY_RESIDENT, ORIGINS, Yoshiki

MARGIN = 15 * mm
WIDTH = A4[0] - 2 * MARGIN
LABEL_WIDTH = 52 * mm
PAIR_LABEL_WIDTH = 28 * mm
LABEL_FILL = colors.HexColor("#EEF2F7")
BLANK_FILL = colors.HexColor("#FFF4CC")
MARK = colors.HexColor("#B00020")
PADDING = 12  # a cell's left and right padding together (ReportLab's default, 6 + 6)
TAG_SIZE = 9
NOTE = colors.HexColor("#555555")  # dark enough to read when printed in black and white


def _styles() -> dict[str, ParagraphStyle]:
    fonts = slip_fonts()
    base = ParagraphStyle("body", fontName=fonts.regular, fontSize=11, leading=15, wordWrap="CJK")
    return {
        "body": base,
        "label": ParagraphStyle("label", parent=base, fontSize=11, leading=14),
        "value": ParagraphStyle("value", parent=base, fontName=fonts.bold, fontSize=12, leading=16),
        "blank": ParagraphStyle("blank", parent=base, fontSize=10, leading=13, textColor=MARK),
        "note": ParagraphStyle(
            "note", parent=base, fontSize=9, leading=11, textColor=colors.dimgrey
        ),
        "title": ParagraphStyle("title", parent=base, fontName=fonts.bold, fontSize=20, leading=26),
        "caption": ParagraphStyle("caption", parent=base, fontName=fonts.bold, fontSize=11),
        "legend": ParagraphStyle("legend", parent=base, fontSize=10, leading=14),
        "draft": ParagraphStyle("draft", parent=base, fontName=fonts.bold, fontSize=16, leading=21),
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


def _tag(origin: str) -> str:
    """「〔住民記録〕」: four characters each, so the values after them line up."""
    t = form_texts()
    return t["origin_tag"].format(tag=t["origin_tags"][origin])


def _boxed(caption: str, content: list, width: float, s: dict[str, ParagraphStyle]) -> Table:
    """A thick box with its caption on top: what the resident writes in, or must check."""
    table = Table([[Paragraph(markup(caption), s["caption"])], [content]], colWidths=[width])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), slip_fonts().regular),  # else Helvetica
                ("BOX", (0, 0), (-1, -1), 2, colors.black),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("BACKGROUND", (0, 0), (-1, -1), colors.white),
                ("TOPPADDING", (0, 0), (-1, -1), 1 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 * mm),
            ]
        )
    )
    return table


def _value_cell(field: FilledField, s: dict[str, ParagraphStyle], width: float) -> list:
    """The value with its origin tag (a blank: the mark for the counter); the resident's
    box or the box to check as a captioned thick box ``width`` wide."""
    t = form_texts()
    if field.status == RESIDENT:  # white, with room for a hand: the resident writes here
        cell: list = [_boxed(t["resident_mark"], [Spacer(1, 10 * mm)], width, s)]
    else:
        if field.status == BLANK:
            shown = Paragraph(f"【{markup(field.shown)}】", s["blank"])
        else:
            # the tag first: a value that wraps never splits it, and the values line up
            font = slip_fonts().regular
            tag = f'<font name="{font}" size="{TAG_SIZE}">{_tag(field.origin)}</font>'
            shown = Paragraph(f"{tag}{markup(field.value)}", s["value"])
        cell = [_boxed(t["confirm_mark"], [shown], width, s) if field.confirm else shown]
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
        rows[line][2 * column + 1] = _value_cell(field, s, value_width - PADDING)
        style.append(("BACKGROUND", (2 * column, line), (2 * column, line), LABEL_FILL))
        if field.status == BLANK:
            cell = (2 * column + 1, line)
            style.append(("BACKGROUND", cell, cell, BLANK_FILL))
    return _grid(rows, [label_width, value_width] * per_line, style)


def _grid(rows: list[list[Any]], widths: list[float], style: list[tuple], **table: Any) -> Table:
    """Label and value cells ruled as a table, ``style`` (fills, spans) on top."""
    grid = Table(rows, colWidths=widths, **table)
    grid.setStyle(
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
    return grid


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


def _legend(form: FilledForm, s: dict[str, ParagraphStyle]) -> list:
    """What the tags and boxes printed on this form mean (only those it uses), two to a
    line: the tag or the box as printed, then its meaning."""
    t = form_texts()
    shown = {f.origin for f in form.fields if f.status not in (BLANK, RESIDENT)}
    items = [
        (_tag(origin), t["origin_legend"][origin], False)
        for origin in ORIGINS
        if origin in shown and origin != BY_RESIDENT
    ]
    if any(f.status == RESIDENT for f in form.fields):
        items.append((t["resident_mark"], t["resident_legend"], True))
    if any(f.confirm for f in form.fields):
        items.append((t["confirm_mark"], t["confirm_legend"], True))
    if not items:
        return []
    rows: list[list[Any]] = [[Paragraph(markup(t["legend_title"]), s["caption"]), "", "", ""]]
    style: list[tuple] = [("SPAN", (0, 0), (-1, 0))]
    for index, (mark, meaning, boxed) in enumerate(items):
        line, column = divmod(index, 2)
        if column == 0:
            rows.append(["", "", "", ""])
        rows[line + 1][2 * column] = Paragraph(markup(mark), s["caption" if boxed else "legend"])
        rows[line + 1][2 * column + 1] = Paragraph(markup(meaning), s["legend"])
        if boxed:
            cell = (2 * column, line + 1)
            style.append(("BOX", cell, cell, 2, colors.black))
    table = Table(rows, colWidths=[32 * mm, 58 * mm] * 2)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), slip_fonts().regular),
                ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 1 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1 * mm),
                *style,
            ]
        )
    )
    return [table, Spacer(1, 3 * mm)]


def _heading(form: FilledForm, s: dict[str, ParagraphStyle]) -> list:
    """Title, reception line, demo and late marks, the prefilled note and the legend; a
    draft's title says first that it is no 届書."""
    t = form_texts()
    story: list = [FormStart(form)]
    if form.draft:
        story.append(Paragraph(markup(t["draft_title"]), s["draft"]))
    story += [
        Paragraph(markup(form.title), s["title"]),
        Paragraph(
            f"{_reception(form)}{t['filed_on']} {markup(form.office_date)}",
            s["body"],
        ),
    ]
    if form.draft:
        story.append(Paragraph(markup(t["draft_note"]), s["body"]))
    if form.demo:
        story.append(Paragraph(f"【{t['demo_mark']}】{markup(t['demo_note'])}", s["blank"]))
    if form.late:
        story.append(Paragraph(markup(form.late), s["blank"]))
    story += [Paragraph(markup(t["prefilled_note"]), s["note"]), Spacer(1, 2 * mm)]
    return story + _legend(form, s)


def _form_story(form: FilledForm, s: dict[str, ParagraphStyle]) -> list:
    if form.draft:
        return _draft_story(form, s)
    story = _heading(form, s)
    units = [unit for x in form.sections if x.fields or x.rows for unit in _section(x, s)]
    # The signature never stands alone on a page: it keeps the last unit above it.
    last = [*units.pop(), *_signature(form, s)] if units else _signature(form, s)
    return story + [KeepTogether(unit) for unit in units] + [KeepTogether(last)]


def _entry_cell(fields: list[FilledField], s: dict[str, ParagraphStyle], width: float) -> list:
    """The values carrying one 様式 field; each named when there are several."""
    if len(fields) == 1:
        return _value_cell(fields[0], s, width - PADDING)
    cell: list = []
    for field in fields:
        cell += [Paragraph(markup(field.label), s["note"]), *_value_cell(field, s, width - PADDING)]
    return cell


def _draft_story(form: FilledForm, s: dict[str, ParagraphStyle]) -> list:
    """Every field of the 様式 in its order (``_draft_table``), then our fields the 様式
    lacks; no signature (that goes on the 届書)."""
    t = form_texts()
    assert form.yoshiki is not None
    flat = {f.key: f for x in form.sections for f in x.fields}
    members: dict[str, tuple[str, dict[str, FilledField]]] = {}
    for x in form.sections:
        for row in x.rows:
            members.setdefault(row.member_id, (row.member_name, {}))[1].update(
                {f.key: f for f in row.fields}
            )
    story = [*_heading(form, s), _draft_table(form.yoshiki, flat, members, s), Spacer(1, 4 * mm)]
    listed = {k for entry in form.yoshiki.fields for k in entry.fields}
    extra = [f for f in flat.values() if f.key not in listed] + [
        replace(f, label=f"{f.label}（{name}）")
        for name, found in members.values()
        for f in found.values()
        if f.key not in listed
    ]
    if extra:
        heading = heading_band(Paragraph(markup(t["draft_extra"]), s["heading"]), WIDTH)
        story.append(KeepTogether([heading, Spacer(1, 1.5 * mm), _field_table(tuple(extra), s)]))
    return [*story, Spacer(1, 3 * mm), Paragraph(markup(t["draft_signature"]), s["body"])]


def _draft_table(
    yoshiki: Yoshiki,
    flat: dict[str, FilledField],
    members: dict[str, tuple[str, dict[str, FilledField]]],
    s: dict[str, ParagraphStyle],
) -> Table:
    """One row per 様式 field, a column per member for the members' fields (the others
    across them all); an omitted field as an empty row with its label, so the copy
    follows the whole form (its note printed, if any)."""
    t = form_texts()
    columns = list(members.values()) or [("", {})]
    column_width = (WIDTH - LABEL_WIDTH) / len(columns)
    rows: list[list[Any]] = []
    style: list[tuple] = []
    if members:
        rows.append(
            [Paragraph(markup(t["draft_column"]), s["label"])]
            + [Paragraph(markup(name), s["member"]) for name, _ in columns]
        )
        style.append(("BACKGROUND", (0, 0), (-1, 0), LABEL_FILL))
    for entry in yoshiki.fields:
        line = len(rows)
        label: list = [Paragraph(markup(entry.label), s["label"])]
        if entry.note:  # the reason an entry is omitted is for the docs, not the resident
            label.append(Paragraph(markup(entry.note), s["note"]))
        style.append(("BACKGROUND", (0, line), (0, line), LABEL_FILL))
        shared = [flat[k] for k in entry.fields if k in flat]
        own = [[found[k] for k in entry.fields if k in found] for _, found in columns]
        if not any(own):  # one cell across the columns: the shared value, or nothing
            cell = _entry_cell(shared, s, WIDTH - LABEL_WIDTH) if shared else Spacer(1, 8 * mm)
            rows.append([label, cell] + [""] * (len(columns) - 1))
            style.append(("SPAN", (1, line), (-1, line)))
            cells = [shared]
        else:
            rows.append([label] + [_entry_cell(shared + o, s, column_width) for o in own])
            cells = [shared + o for o in own]
        style += [
            ("BACKGROUND", (1 + n, line), (1 + n, line), BLANK_FILL)
            for n, fields in enumerate(cells)
            if fields and all(f.status == BLANK for f in fields)
        ]
    return _grid(
        rows,
        [LABEL_WIDTH] + [column_width] * len(columns),
        style,
        repeatRows=1 if members else 0,
    )


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
    header = t["header"].format(form=form.name, reception=_reception(form)).rstrip("　")
    if form.draft:
        header = f"{t['draft_title']}　{header}"
    canvas.drawString(MARGIN, A4[1] - 9 * mm, header)
    footer = t["footer"].format(
        city=form.city, form=form.name, reception=_reception(form), page=page
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


def _reception(form: FilledForm) -> str:
    """「受付番号 N　」, or nothing for a form made before any visit is stored (the forms
    check's preview, `counter forms`): a number 0 would read as a real one."""
    if not form.reception_number:
        return ""
    return f"{form_texts()['reception']} {form.reception_number}　"
