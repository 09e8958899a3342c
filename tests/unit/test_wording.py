"""What residents read is worded as a counter would write it (issue 15, point 8): 続柄 as a
住民票 writes it, 国籍 by the country's name, and a timing notice never printed as a 期限."""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import case_of, member, spouse
from pdfcheck import pdf_text

from counter.countries import country_code, country_name
from counter.household import relation_label
from counter.rules import plan
from counter.slip import build_slip
from counter.textnorm import TextFormatError
from forms.prefill import VisitInfo, forms_for_visit
from forms.slip_pdf import render_slip


def test_a_spouse_and_a_parent_are_written_by_their_sex():
    case = case_of(
        "move_in",
        "2026-11-20",
        [
            member("m1", subject=True),
            spouse(subject=True),
            member("m3", name="米子　一郎", relation="parent", birth_date="1950-01-01"),
            member("m4", name="米子　和子", relation="parent", sex="female"),
        ],
    )
    labels = [relation_label(m) for m in case.household.members]
    assert labels == ["世帯主", "妻", "父", "母"]
    husband = spouse(sex="male", name="米子　次郎", subject=True)
    wife_heads = case_of("move_in", "2026-11-20", [member("m1", sex="female"), husband])
    assert relation_label(wife_heads.household.members[1]) == "夫"


@pytest.mark.parametrize(
    ("typed", "code"),
    [("VN", "VN"), ("ｖｎ", "VN"), ("ベトナム", "VN"), ("日本", "JP"), (" 韓国 ", "KR")],
)
def test_a_nationality_is_typed_as_a_code_or_a_name_and_stored_as_the_code(typed, code):
    assert country_code(typed) == code


def test_an_unknown_nationality_is_named_in_japanese():
    with pytest.raises(TextFormatError, match="国籍・地域: 「ベトナミ」はわかりません"):
        country_code("ベトナミ")


def test_the_moving_in_form_prints_the_country_name_not_its_code(catalogue, profile):
    case = case_of(
        "move_in",
        "2026-11-20",
        [member("m1", subject=True, nationality="VN", name="グエン　ヴァン　アン")],
    )
    result = plan(case, catalogue, profile, filed_on=date(2026, 11, 24))
    forms = forms_for_visit(result, case, profile, VisitInfo(1, date(2026, 11, 24), ""))
    idou = next(f for f in forms if f.name == "住民異動届")
    assert idou.field("nationality", "m1").value == "ベトナム"
    assert country_name("JP") == "日本" and country_name("ZZ") == "ZZ"


def test_a_notice_about_timing_is_not_printed_as_a_deadline(tmp_path, catalogue, profile):
    case = case_of(
        "death",
        "2026-11-20",
        [member("m1", subject=True, birth_date="1948-02-01"), spouse()],
        answers={"estate_certificates": "yes"},
    )
    result = plan(case, catalogue, profile, filed_on=date(2026, 11, 24))
    copy = next(p for p in result.procedures if p.id.startswith("koseki"))
    assert copy.deadline is None and copy.deadline_notice.startswith("死亡の記載が戸籍に")
    slip = build_slip(
        result, case, profile, reception_number=3, issued_on=date(2026, 11, 24), payments=()
    )
    text = re.sub(r"\s+", "", pdf_text(render_slip(slip, tmp_path / "slip.pdf")))
    assert "期限：死亡の記載" not in text
    assert "期限：定めはありません" in text
    assert "ご案内：死亡の記載が戸籍に反映されるまで数日から2週間ほどかかります" in text
