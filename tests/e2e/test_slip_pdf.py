"""The guidance slip as printed: its words and its QR, read back from the PDF."""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import birth_family, case_of
from pdfcheck import decoded_qr_codes, embedded_fonts, pdf_text

from counter.billing import DEMO_KEY, bills_for_plan
from counter.payment import parse_elqr
from counter.rules import plan
from counter.slip import build_slip
from forms.fonts import fallback_font_for, slip_fonts
from forms.slip_pdf import render_slip

ANSWERS = {"birth_acceptance_certificate": "yes", "residence_certificate": "yes"}


def make_slip(catalogue, profile, answers=ANSWERS):
    case = case_of("birth", "2026-11-20", birth_family(), answers=answers)
    result = plan(case, catalogue, profile, filed_on=date(2026, 11, 24))
    codes = [
        bill.issue(str(4321 + i), DEMO_KEY)
        for i, bill in enumerate(bills_for_plan(result, profile))
    ]
    slip = build_slip(
        result,
        case,
        profile,
        reception_number=17,
        issued_on=date(2026, 11, 24),
        payments=codes,
    )
    return result, slip, codes[0].payload if codes else None


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_slip_lists_exactly_the_plan_grouped_by_counter(tmp_path, catalogue, profile):
    result, slip, _ = make_slip(catalogue, profile)
    path = render_slip(slip, tmp_path / "slip.pdf")
    text = flat(pdf_text(path))
    for procedure in result.procedures:
        assert flat(procedure.name) in text
    assert sorted(slip.procedure_names) == sorted(p.name for p in result.procedures)
    positions = [text.index(flat(f"{s.number}{s.department}")) for s in slip.sections]
    assert positions == sorted(positions)
    assert [s.department for s in slip.sections][:2] == ["市民課", "保険年金課"]
    assert "令和8年12月3日（木）" in text
    assert "手数料の合計：650円" in text
    assert "受付番号17" in text
    assert "米子太郎様の世帯" in text
    assert "見本" in text
    assert "0859-23-5111" in text


def test_qr_on_the_rendered_page_decodes_to_the_exact_payload(tmp_path, catalogue, profile):
    _, slip, payload = make_slip(catalogue, profile)
    assert payload is not None and len(payload) == 255
    path = render_slip(slip, tmp_path / "slip.pdf")
    codes = decoded_qr_codes(path)
    assert codes == [payload]
    fields = parse_elqr(codes[0])
    assert fields.amount == 650
    assert fields.collector == "99999"
    assert fields.category == "999"
    assert fields.payment_number == "4321"
    assert "99999" in flat(pdf_text(path))


def test_no_fee_means_no_payment_code(tmp_path, catalogue, profile):
    result, slip, payload = make_slip(catalogue, profile, answers={})
    assert result.total_fee == 0 and payload is None
    path = render_slip(slip, tmp_path / "slip.pdf")
    assert decoded_qr_codes(path) == []
    assert "手数料はかかりません" in flat(pdf_text(path))


@pytest.mark.parametrize(("layout", "language"), [("a4", "ja"), ("receipt", "en")])
def test_slip_embeds_the_universal_design_font_when_installed(
    tmp_path, catalogue, profile, layout, language
):
    _, slip, _ = make_slip(catalogue, profile)
    path = render_slip(slip, tmp_path / "slip.pdf", layout=layout, language=language)
    fonts = embedded_fonts(path)
    assert any("BIZUDGothic" in name for name in fonts), fonts
    assert all(fonts.values()), fonts


@pytest.mark.parametrize("layout", ["a4", "receipt"])
def test_names_print_exactly_with_their_ideographic_space(tmp_path, catalogue, profile, layout):
    """Paragraph would print U+3000 as U+0020; a name must read as registered."""
    _, slip, _ = make_slip(catalogue, profile)
    text = pdf_text(render_slip(slip, tmp_path / "slip.pdf", layout=layout))
    assert "米子\u3000太郎様の世帯" in text
    assert "米子\u3000陽翔さん" in text
    assert "米子 太郎" not in text and "米子 陽翔" not in text


def test_a_character_the_slip_font_lacks_is_printed_in_the_fallback_font(
    tmp_path, catalogue, profile
):
    """𠮷 is not in BIZ UDゴシック: it is drawn in IPAmj明朝 (only then embedded), not as
    a missing-glyph box."""
    assert slip_fonts().family == "BIZ UDGothic", (
        "BIZ UDゴシックがありません（apt-get install fonts-morisawa-bizud-gothic "
        "fonts-ipamj-mincho。scripts/test が入れます）"
    )
    assert fallback_font_for("𠮷") == "IPAmjMincho"
    assert fallback_font_for("吉") is None
    family = birth_family()
    family[2] = {**family[2], "name": "𠮷田\u3000陽翔"}
    case = case_of("birth", "2026-11-20", family, answers=ANSWERS)
    result = plan(case, catalogue, profile, filed_on=date(2026, 11, 24))
    slip = build_slip(
        result, case, profile, reception_number=3, issued_on=date(2026, 11, 24),
        payments=(),
    )  # fmt: skip
    rare = embedded_fonts(render_slip(slip, tmp_path / "rare.pdf"))
    assert any(name.endswith("+IPAmjMincho") and embedded for name, embedded in rare.items())
    _, plain_slip, _ = make_slip(catalogue, profile)
    plain = embedded_fonts(render_slip(plain_slip, tmp_path / "plain.pdf"))
    assert not any("IPAmj" in name for name in plain)
