"""Pre-filled forms as printed: values, form name and reception number read back."""

from __future__ import annotations

import re
from datetime import date

import pdfcheck
from conftest import birth_family, case_of, member, spouse
from pdfcheck import embedded_fonts, page_count, pdf_text

from counter.rules import plan
from forms.form_pdf import render_form, render_visit_forms
from forms.prefill import VisitInfo, forms_for_visit, staff_inputs

VISIT = VisitInfo(reception_number=23, office_date=date(2026, 11, 24), staff_name="窓口　一郎")


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_texts(path) -> list[str]:
    return [flat(text) for text in pdfcheck.page_texts(path)]


def birth_forms(catalogue, profile, typed=None):
    case = case_of("birth", "2026-11-20", birth_family())
    result = plan(case, catalogue, profile, filed_on=VISIT.office_date)
    return forms_for_visit(result, case, profile, VISIT, typed)


def test_one_form_prints_its_prefilled_values_and_a_signature_box(tmp_path, catalogue, profile):
    form = next(f for f in birth_forms(catalogue, profile) if f.name == "出生届")
    path = render_form(form, tmp_path / "birth.pdf")
    text = flat(pdf_text(path))
    for value in (
        "米子　陽翔",
        "ヨナゴ　ハルト",
        "令和8年11月20日（金）",
        "米子　花子",
        "米子市長",
    ):
        assert flat(value) in text
    assert "令和8年11月24日（火）" in text
    assert "米子\u3000陽翔" in pdf_text(path)
    assert ("署名欄" in text) != form.draft  # a draft is signed on the 届書 itself
    assert "窓口で記入" in text
    assert "見本" in text


def test_every_page_names_the_form_and_the_reception_number(tmp_path, catalogue, profile):
    family = [
        member(
            f"m{n}",
            name=f"米子　子{n}",
            birth_date=f"20{10 + n}-04-02",
            relation="child",
            subject=True,
        )
        for n in range(1, 9)
    ]
    family.insert(0, member("h", subject=True))
    case = case_of("move_in", "2026-11-16", family)
    result = plan(case, catalogue, profile, filed_on=VISIT.office_date)
    form = next(f for f in forms_for_visit(result, case, profile, VISIT) if f.name == "住民異動届")
    path = render_form(form, tmp_path / "idou.pdf")
    pages = page_texts(path)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert "住民異動届" in text and "受付番号23" in text and "見本" in text
        assert f"{number}ページ" in text
    assert "署名欄" in pages[-1]


def test_the_visit_file_starts_each_form_on_a_new_page(tmp_path, catalogue, profile):
    forms = birth_forms(catalogue, profile)
    typed = {i.key: "0859-00-0000" for i in staff_inputs(forms) if i.key == "contact_phone"}
    forms = birth_forms(catalogue, profile, typed)
    path = render_visit_forms(forms, tmp_path / "visit.pdf")
    pages = page_texts(path)
    assert page_count(path) == len(pages) >= len(forms)
    starts = [text for text in pages if text.find("1ページ") >= 0]
    assert len(starts) == len(forms)
    for form in forms:
        assert any(flat(form.title) in text and "1ページ" in text for text in pages), form.name
    for text in pages:
        assert "受付番号23" in text
    assert flat(pdf_text(path)).count("0859-00-0000") >= len(forms) - 1
    assert flat(pdf_text(path)).count("署名欄") == sum(not form.draft for form in forms)


def test_every_font_in_a_form_file_is_embedded(tmp_path, catalogue, profile):
    """A form prints the same on any printer: no font left to the viewer (Helvetica)."""
    path = render_visit_forms(birth_forms(catalogue, profile), tmp_path / "visit.pdf")
    fonts = embedded_fonts(path)
    assert fonts and all(fonts.values()), fonts


def test_the_signature_box_never_stands_alone_on_a_page(tmp_path, catalogue, profile):
    """The 署名欄 shares its page with the form's last section, whatever the page break."""
    checked = 0
    for event in ("birth", "move_within", "death"):
        members = birth_family() if event == "birth" else [member("h", subject=True), spouse()]
        case = case_of(event, "2026-11-20", members)
        result = plan(case, catalogue, profile, filed_on=VISIT.office_date)
        for form in forms_for_visit(result, case, profile, VISIT):
            last = [x for x in form.sections if x.fields or x.rows][-1]
            pages = page_texts(render_form(form, tmp_path / f"{checked}.pdf"))
            signed = [text for text in pages if "署名欄" in text]
            checked += 1
            if form.draft:  # signed on the 届書 itself
                assert signed == [], form.name
                continue
            assert len(signed) == 1, form.name
            assert flat(last.title) in signed[0], form.name
    assert checked >= 12


def test_a_late_birth_registration_says_so_on_the_plan_the_slip_and_the_form(
    tmp_path, catalogue, profile
):
    """出生 on 11月2日 filed on the 15th day: 届出期間経過 with its statute for staff and the
    department, in plain words for the resident, in each of the slip's languages."""
    from counter.slip import build_slip
    from forms.slip_preview import slip_lines

    case = case_of("birth", "2026-11-02", birth_family(date="2026-11-02"))
    late = plan(case, catalogue, profile, filed_on=date(2026, 11, 17))
    text = late.to_text()
    assert "届出期間経過: 届出の期間を過ぎていますが、届出はこのまま受け付けます" in text
    assert "戸籍法第137条" in text and text.count("届出期間経過") == 1  # the 出生届 alone
    slip = build_slip(late, case, profile, reception_number=7, issued_on=date(2026, 11, 17),
                      payments=())  # fmt: skip
    resident = {
        language: "\n".join(slip_lines(slip, language)) for language in ("ja", "easy", "en")
    }
    assert "【届出期間経過】届出はこのまま受け付けます" in resident["ja"]
    assert "過料（5万円以下）を科すかどうかは裁判所が決めること" in resident["ja"]
    assert "さいばんしょが きめます" in resident["easy"]
    assert "Filed after the legal period" in resident["en"]
    visit = VisitInfo(reception_number=7, office_date=date(2026, 11, 17), staff_name="窓口　一郎")
    form = next(f for f in forms_for_visit(late, case, profile, visit) if f.name == "出生届")
    printed = flat(pdf_text(render_form(form, tmp_path / "late.pdf")))
    assert flat("【届出期間経過】期限 令和8年11月16日（月） を過ぎて届け出られました") in printed
    assert "戸籍法第137条" in printed
    in_time = plan(case, catalogue, profile, filed_on=date(2026, 11, 16))
    assert "届出期間経過" not in in_time.to_text()
    form = next(f for f in forms_for_visit(in_time, case, profile, visit) if f.name == "出生届")
    assert form.late == ""


def test_a_move_out_filed_ahead_says_it_is_for_the_planned_day(catalogue, profile):
    from counter.slip import build_slip
    from forms.slip_preview import slip_lines

    head = member("m1", subject=True)
    case = case_of("move_out", "2026-11-30", [head])
    ahead = plan(case, catalogue, profile, filed_on=date(2026, 11, 20))
    assert "転出予定日（届出の日から10日後）での届出です" in ahead.to_text()
    slip = build_slip(ahead, case, profile, reception_number=8, issued_on=date(2026, 11, 20),
                      payments=())  # fmt: skip
    assert "転出は予定日（令和8年11月30日（月））での届出です" in "\n".join(slip_lines(slip, "ja"))
