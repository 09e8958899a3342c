"""Every layout × language × large print of the guidance slip, read back from the PDF.

Each variant is rendered once per session; the tests assert what a resident would read:
exactly the plan's procedures with their status, 和暦 deadlines, the total, the contact
details, a QR that decodes to the payment payload, the paper size and the type sizes.
"""

from __future__ import annotations

import re
import string
import tomllib
from datetime import date

import pytest
from pdfcheck import decoded_qr_codes, font_sizes, page_count, page_texts, pdf_text
from pypdf import PdfReader
from test_slip_pdf import flat, make_slip

from counter.events import EVENTS, OTHER_VISITS
from counter.wareki import format_wareki
from forms.slip_pdf import SLIP_LANGUAGES, SLIP_LAYOUTS, render_slip, slip_texts
from forms.slip_preview import TICK, slip_lines
from forms.slip_typography import DEFINITION

VARIANTS = [
    (layout, language, large)
    for layout in SLIP_LAYOUTS
    for language in SLIP_LANGUAGES
    for large in (False, True)
]
MM = 72 / 25.4


def variant_id(variant: tuple[str, str, bool]) -> str:
    layout, language, large = variant
    return f"{layout}-{language}{'-large' if large else ''}"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, catalogue, profile):
    """(plan, slip, payload, {variant: pdf path}) with every variant rendered once."""
    result, slip, payload = make_slip(catalogue, profile)
    folder = tmp_path_factory.mktemp("slips")
    paths = {
        variant: render_slip(
            slip,
            folder / f"{variant_id(variant)}.pdf",
            layout=variant[0],
            large_print=variant[2],
            language=variant[1],
        )
        for variant in VARIANTS
    }
    return result, slip, payload, paths


@pytest.mark.parametrize("variant", VARIANTS, ids=variant_id)
def test_slip_lists_exactly_the_plan_with_status_deadlines_total_contact(rendered, variant):
    result, slip, _, paths = rendered
    texts = slip_texts(variant[1])
    text = flat(pdf_text(paths[variant]))
    statuses = {flat(texts["status_required"]): "required", flat(texts["status_check"]): "check"}
    marker = "|".join(re.escape(s) for s in statuses)
    printed = re.findall(rf"□(.+?)({marker})", text)
    assert sorted((name, statuses[status]) for name, status in printed) == sorted(
        (flat(p.name), p.status) for p in result.procedures
    )
    assert {p.status for p in result.procedures} == {"required", "check"}
    for procedure in result.procedures:
        if procedure.deadline is not None:
            assert flat(format_wareki(procedure.deadline)) in text
    assert "令和8年12月3日（木）" in text
    total = texts["label"].format(
        label=texts["total_fee"], value=texts["yen"].format(amount=f"{result.total_fee:,}")
    )
    assert flat(total) in text and "650" in total
    assert flat(profile_hours := slip.office_hours) in text and profile_hours
    assert "0859-23-5111" in text
    assert flat(texts["intro"]) in text


@pytest.mark.parametrize("variant", VARIANTS, ids=variant_id)
def test_payment_qr_decodes_and_demo_is_marked_sample(rendered, variant):
    _, slip, payload, paths = rendered
    assert payload is not None and slip.demo
    assert decoded_qr_codes(paths[variant]) == [payload]
    assert "見本" in pdf_text(paths[variant])


@pytest.mark.parametrize("variant", VARIANTS, ids=variant_id)
def test_paper_size_and_pages(rendered, variant):
    *_, paths = rendered
    box = PdfReader(str(paths[variant])).pages[0].mediabox
    if variant[0] == "receipt":
        assert page_count(paths[variant]) == 1
        assert float(box.width) == pytest.approx(80 * MM, abs=0.01)
        assert float(box.height) > 500 * MM  # one long page, not cut into A4-sized pieces
    else:
        assert (float(box.width), float(box.height)) == pytest.approx((595.28, 841.89), abs=0.01)


@pytest.mark.parametrize("variant", VARIANTS, ids=variant_id)
def test_type_sizes(rendered, variant):
    *_, paths = rendered
    sizes = font_sizes(paths[variant])
    # Nothing a resident reads is small: 12 pt at least, 14 pt in large print.
    assert min(sizes) >= (14 if variant[2] else 12)


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v[0] == "a4"], ids=variant_id)
def test_a4_heading_is_never_last_on_its_page(rendered, variant):
    _, slip, _, paths = rendered
    texts = slip_texts(variant[1])
    headings = [
        flat(texts["section"].format(number=s.number, department=s.department, counter=s.counter))
        for s in slip.sections
    ]
    pages = [flat(page) for page in page_texts(paths[variant])]
    assert len(pages) > 1
    for heading in headings:
        page = next(page for page in pages if heading in page)
        assert "□" in page[page.index(heading) :]


@pytest.mark.parametrize("variant", VARIANTS, ids=variant_id)
def test_no_individual_number_on_any_slip(rendered, variant):
    _, slip, _, paths = rendered
    text = pdf_text(paths[variant])
    assert slip.payments
    for part in slip.payments[0].el_number.split():
        text = text.replace(part, "")
    assert not re.search(r"\d(?:[ 　-]?\d){11}", text)
    assert "individual" not in " ".join(slip.__dataclass_fields__)


def test_english_slip_speaks_english_around_the_data(rendered):
    _, slip, _, paths = rendered
    text = flat(pdf_text(paths[("a4", "en", False)]))
    assert "Notification:Birth" in text
    assert "Deadline:by令和8年12月3日（木）(Thu03Dec2026)" in text
    assert flat(slip.head_name) in text and "様" not in text


def test_easy_japanese_slip_uses_short_plain_phrases(rendered):
    *_, paths = rendered
    text = flat(pdf_text(paths[("receipt", "easy", False)]))
    assert "このかみをもって、まどぐちにいってください。" in text
    assert "あかちゃんがうまれた" in text
    assert "手数料" not in text


def test_every_language_has_every_key_and_placeholder_of_ja():
    tables = tomllib.loads(DEFINITION.read_text(encoding="utf-8"))
    assert set(tables) == set(SLIP_LANGUAGES)

    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    ja = {k: v for k, v in tables["ja"].items() if isinstance(v, str)}
    for language in SLIP_LANGUAGES:
        table = tables[language]
        assert set(ja) <= set(table), language
        for key, template in ja.items():
            optional = {"western"} if key == "date" else set()
            if table[key] == "" and key == "payment_item":
                continue  # not printed in this variant
            assert fields(table[key]) - optional == fields(template), (language, key)
        named = set(table.get("events", {**EVENTS, **OTHER_VISITS}))
        assert named == set(EVENTS) | set(OTHER_VISITS), language
        assert table["date"].format(wareki="W", western=date(2026, 12, 3)).startswith("W")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [("layout", "a5", "案内票の用紙「a5」"), ("language", "fr", "案内票の言語「fr」")],
)
def test_unknown_layout_or_language_is_refused_in_japanese(
    tmp_path, catalogue, profile, option, value, message
):
    _, slip, _ = make_slip(catalogue, profile)
    with pytest.raises(ValueError, match=message):
        render_slip(slip, tmp_path / "slip.pdf", **{option: value})
    assert not (tmp_path / "slip.pdf").exists()


@pytest.mark.parametrize("language", SLIP_LANGUAGES)
def test_the_screen_preview_says_what_the_a4_slip_prints(rendered, language):
    """Every line staff read on the done screen is printed, in the same order."""
    _, slip, _, paths = rendered
    printed = flat(pdf_text(paths[("a4", language, False)]))
    lines = [flat(line.replace(TICK, "□")) for line in slip_lines(slip, language) if line.strip()]
    assert len(lines) > 20
    position = 0
    for line in lines:
        found = printed.find(line, position)
        assert found >= 0, line
        position = found + len(line)
