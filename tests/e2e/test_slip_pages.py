"""The slip of a typical visit is one sheet a 70-year-old can read (issue 15).

The visits a counter sees most (``typical_visits``: a 4-member 転入, a 出生, a 死亡 of a
head), with the answers residents typically give and with every question left open,
rendered as staff print them: two A4 sides at most, nothing under 12 pt, and the fee
total with every payment QR on the first page. The large-print variant is 14 pt at least.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from pdfcheck import decoded_qr_codes, font_sizes, page_count, page_texts, pdf_text
from typical_visits import move_in_of_four, typical_visits

from counter.billing import DEMO_KEY, bills_for_plan
from counter.rules import plan
from counter.slip import build_slip
from forms.slip_pdf import render_slip

FILED_ON = date(2026, 11, 24)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def slip_of(case, catalogue, profile, filed_on=FILED_ON):
    result = plan(case, catalogue, profile, filed_on=filed_on)
    bills = bills_for_plan(result, profile)
    codes = [bill.issue(str(8000 + i), DEMO_KEY) for i, bill in enumerate(bills)]
    slip = build_slip(
        result, case, profile, reception_number=12, issued_on=filed_on, payments=codes
    )
    return result, slip, codes


VISITS = [(name, answered) for answered in (True, False) for name in typical_visits()]


@pytest.mark.parametrize(("name", "answered"), VISITS, ids=[f"{n}-{a}" for n, a in VISITS])
def test_a_typical_visit_fits_one_sheet_with_the_money_on_the_first_page(
    tmp_path, catalogue, profile, name, answered
):
    case = typical_visits(answered)[name]
    result, slip, codes = slip_of(case, catalogue, profile)
    path = render_slip(slip, tmp_path / "slip.pdf")
    assert page_count(path) <= 2
    assert min(font_sizes(path)) >= 12
    first = flat(page_texts(path)[0])
    total = f"手数料の合計：{result.total_fee:,}円" if result.total_fee else "手数料はかかりません"
    assert total in first
    assert decoded_qr_codes(path, pages=1) == [code.payload for code in codes]
    if answered:  # residents who ask for certificates pay for them
        assert codes
    large = render_slip(slip, tmp_path / "large.pdf", large_print=True)
    assert min(font_sizes(large)) >= 14
    assert decoded_qr_codes(large, pages=1) == [code.payload for code in codes]


def test_a_passed_deadline_is_said_to_have_passed(tmp_path, catalogue, profile):
    """A 転入 of 11/20 filed on 12/5: its 14 days ended on 12/4."""
    case = move_in_of_four(answers={})
    result, slip, _ = slip_of(case, catalogue, profile, filed_on=date(2026, 12, 5))
    late = [p for p in result.procedures if p.overdue]
    assert "move_in_notification" in {p.id for p in late}
    assert all(p.deadline < date(2026, 12, 5) for p in late)
    text = flat(pdf_text(render_slip(slip, tmp_path / "slip.pdf")))
    assert "期限：令和8年12月4日（金）まで期限を過ぎています" in text
    assert text.count("期限を過ぎています") == len(late)
