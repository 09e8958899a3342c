"""FORMS-B's forms against their 様式: every field the 様式 has, printed with a value, in
the 様式's order, read back from the real PDF (the order in drawing order with PDFium, each
value on the page with pdftotext); the 児童手当 claim that names the older sibling in
college, the 続柄 to the 請求者 rather than to the head, the 擬制世帯主 and the 介護 区分."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from conftest import case_of, member, spouse
from pdfcheck import pdf_text

from counter.mynumber import check_digit, mask
from counter.rules import plan
from forms.form_pdf import render_form
from forms.prefill import (
    BLANK,
    RESIDENT,
    FilledForm,
    VisitInfo,
    form_texts,
    forms_for_visit,
    staff_inputs,
)
from forms.registry import FormDefinition, definition_for

VISIT = VisitInfo(reception_number=31, office_date=date(2026, 11, 20), staff_name="窓口　一郎")
PREVIOUS = {"postal_code": "6800011", "text": "鳥取県鳥取市東町一丁目220番地"}
TYPED_BY_FORMAT = {"phone": "0859-22-1111", "number": "4521"}


def number(seed: int) -> str:
    """A valid individual number (its check digit right), distinct per seed."""
    first = f"{seed:011d}"
    return first + str(check_digit(first))


# Where each value comes from, printed before it (〔住民記録〕…): not part of the value.
ORIGIN_TAGS = re.compile(
    "|".join(re.escape(f"〔{t}〕") for t in form_texts()["origin_tags"].values())
)


def flat(text: str) -> str:
    return ORIGIN_TAGS.sub("", re.sub(r"\s+", "", text))


def pdftotext(path: Path) -> str:
    """The text as poppler reads it in drawing order (a value wrapped in its cell whole)."""
    result = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


@dataclass
class Visit:
    event: str
    day: str
    members: list[dict]
    answers: dict[str, str] = field(default_factory=dict)
    previous_address: dict | None = None

    def forms(self, catalogue, profile, typed=None, numbers=None) -> list[FilledForm]:
        extra = {"previous_address": self.previous_address} if self.previous_address else {}
        case = case_of(self.event, self.day, self.members, answers=self.answers, **extra)
        result = plan(case, catalogue, profile, filed_on=VISIT.office_date)
        return forms_for_visit(result, case, profile, VISIT, typed, numbers=numbers)


def filled(visit: Visit, name: str, catalogue, profile) -> FilledForm:
    """Form ``name`` of the visit with every value staff could type typed, distinct ones."""
    first = {f.name: f for f in visit.forms(catalogue, profile)}
    assert name in first, (name, sorted(first))
    inputs = staff_inputs(list(first.values()))
    typed = {
        i.key: TYPED_BY_FORMAT.get(i.format or "", f"入力{n:02d}")
        for n, i in enumerate(inputs)
        if not i.mynumber
    }
    numbers = {i.key: number(n + 1) for n, i in enumerate(inputs) if i.mynumber}
    return {f.name: f for f in visit.forms(catalogue, profile, typed, numbers)}[name]


def check_printed_in_order(form: FilledForm, definition: FormDefinition, tmp_path: Path) -> str:
    """Every field the 様式 has carries a value; its label and value are printed, in the
    order of the 様式's own fields."""
    assert definition.yoshiki is not None
    blanks = [f.key for f in form.fields if f.status == BLANK]
    assert blanks == [], f"{form.name}: 値のない欄 {blanks}"
    path = render_form(form, tmp_path / "form.pdf")
    # In drawing order, cell after cell (pdftotext splits a label wrapped on two lines
    # around the value beside it, so it serves only to see every value on the page).
    text = flat(pdf_text(path))
    page = flat(pdftotext(path))
    position = 0
    for entry in definition.yoshiki.fields:
        for key in entry.fields:
            printed = [f for f in form.fields if f.key == key]
            if not printed:  # a field of another event (the visit shows one event)
                continue
            shown = printed[0]
            at = text.find(flat(shown.label), position)
            assert at >= 0, f"{form.name}: 「{shown.label}」が{entry.label}の位置にありません"
            value = form_texts()["resident_mark"] if shown.status == RESIDENT else shown.value
            after = text.find(flat(value), at + len(flat(shown.label)))
            assert after >= 0, f"{form.name}: 「{shown.label}」の値「{value}」がありません"
            assert flat(value) in page, f"{form.name}: pdftotext に「{value}」がありません"
            position = at + len(flat(shown.label))
    return text


def family_moving_in() -> list[dict]:
    """Parents, a student of 19, a child of 12 and one of 2, moving in together."""
    return [
        member("f", birth_date="1978-05-01", subject=True),
        spouse(birth_date="1980-01-01", subject=True),
        member("a", name="米子　一郎", kana="ヨナゴ　イチロウ", birth_date="2007-06-01",
               relation="child", subject=True),
        member("b", name="米子　二郎", kana="ヨナゴ　ジロウ", birth_date="2014-06-01",
               relation="child", subject=True),
        member("c", name="米子　結", kana="ヨナゴ　ユイ", birth_date="2024-06-01",
               relation="child", sex="female", subject=True),
    ]  # fmt: skip


CHILD_ALLOWANCE_MOVE_IN = Visit(
    "move_in",
    "2026-11-16",
    family_moving_in(),
    answers={"older_sibling_support": "yes"},
    previous_address=PREVIOUS,
)

ELDERLY = [
    member("h", name="米子　源蔵", kana="ヨナゴ　ゲンゾウ", birth_date="1948-03-03",
           subject=True, care_certified=True),
    spouse(name="米子　梅", kana="ヨナゴ　ウメ", birth_date="1955-07-07", subject=True),
]  # fmt: skip
# The spouse leaves her employer's insurance; the head keeps his: 擬制世帯主.
LEAVES_EMPLOYER = [
    member("h", health_insurance="employee"),
    spouse(health_insurance="employee", subject=True),
]

OWNED = (
    "児童手当 認定請求書", "児童手当 額改定請求書", "児童手当 受給事由消滅届",
    "国民健康保険 資格取得届", "国民健康保険 資格喪失届", "介護保険 資格取得・異動・喪失届",
    "後期高齢者医療 資格関係届", "国民年金 資格取得・種別変更届", "子ども医療費 受給資格申請書",
    "ひとり親家庭医療費 受給資格申請書", "児童扶養手当 認定請求書", "教育・保育給付認定申請書",
    "出産育児一時金 支給申請書", "葬祭費支給申請書",
)  # fmt: skip


@pytest.mark.parametrize("name", OWNED)
def test_the_yoshiki_covers_every_field_in_the_forms_order(name):
    """≥ 95 % of the 様式's fields carried; every field of ours is some 様式 field (or says
    why it is printed all the same); walking the 様式, our fields never go backwards."""
    definition = definition_for(name, VISIT.office_date)
    yoshiki = definition.yoshiki
    assert yoshiki is not None and yoshiki.source
    carried = [entry for entry in yoshiki.fields if entry.fields]
    assert len(carried) / len(yoshiki.fields) >= 0.95
    keys = [key for entry in carried for key in entry.fields]
    assert {f.key for f in definition.fields if not f.extra} == set(keys)
    rows = {s.key for s in definition.sections if s.per_member}
    for per_member in (True, False):
        order = [f.key for f in definition.fields if (f.section in rows) is per_member]
        walked = [order.index(k) for k in keys if k in order]
        assert walked == sorted(walked), (name, per_member)
    sections = [s.key for s in definition.sections]
    placed = [sections.index(f.section) for f in definition.fields]
    assert placed == sorted(placed), "fields are listed in the order their sections print"


def third_birth() -> list[dict]:
    """A recipient father, the mother, a student of 19, a child of 10 and a newborn."""
    return [
        member("f", birth_date="1975-05-01", child_allowance_recipient=True),
        spouse(birth_date="1978-01-01"),
        member("a", name="米子　一郎", kana="ヨナゴ　イチロウ", birth_date="2007-06-01",
               relation="child"),
        member("b", name="米子　二郎", kana="ヨナゴ　ジロウ", birth_date="2016-06-01",
               relation="child"),
        member("c", name="米子　結", kana="ヨナゴ　ユイ", birth_date="2026-11-18",
               relation="child", sex="female", health_insurance="none", subject=True),
    ]  # fmt: skip


LATE_ELDERLY = [
    member("h", name="米子　源蔵", kana="ヨナゴ　ゲンゾウ", birth_date="1945-03-03",
           health_insurance="late_elderly", subject=True),
    spouse(name="米子　梅", kana="ヨナゴ　ウメ", birth_date="1948-07-07",
           health_insurance="late_elderly", subject=True),
]  # fmt: skip
RECIPIENT_FAMILY = [
    member("f", child_allowance_recipient=True, subject=True),
    spouse(subject=True),
    member("b", name="米子　蓮", kana="ヨナゴ　レン", birth_date="2016-09-01", relation="child",
           subject=True),
]  # fmt: skip
DIVORCE = [
    member("f", subject=True),
    spouse(relation="spouse", subject=True),
    member("b", name="米子　蓮", kana="ヨナゴ　レン", birth_date="2016-09-01", relation="child"),
]
BIRTH = [
    member("f"),
    spouse(),
    member("b", name="米子　陽翔", kana="ヨナゴ　ハルト", birth_date="2026-11-18",
           relation="child", health_insurance="none", subject=True),
]  # fmt: skip
DEATH = [
    member("h", birth_date="1960-01-01", subject=True),
    spouse(birth_date="1962-02-02"),
]
PRESCHOOL = [
    member("f", subject=True),
    spouse(subject=True),
    member("c", name="米子　結", kana="ヨナゴ　ユイ", birth_date="2023-06-01", relation="child",
           sex="female", subject=True),
]  # fmt: skip

# Per form: visits that, together, give every field of the form a value.
VISITS: dict[str, list[Visit]] = {
    "児童手当 額改定請求書": [
        Visit("birth", "2026-11-18", third_birth(), answers={"older_sibling_support": "yes"})
    ],
    "児童手当 受給事由消滅届": [Visit("move_out", "2026-11-25", RECIPIENT_FAMILY)],
    "国民健康保険 資格喪失届": [
        Visit("move_out", "2026-11-25", family_moving_in()),
        Visit("employee_insurance_gain", "2026-11-16", [member("h", subject=True), spouse()]),
    ],
    "後期高齢者医療 資格関係届": [
        Visit("move_in", "2026-11-16", LATE_ELDERLY, previous_address=PREVIOUS),
        Visit("move_out", "2026-11-25", LATE_ELDERLY),
    ],
    "国民年金 資格取得・種別変更届": [
        Visit("employee_insurance_loss", "2026-11-16", [member("h", subject=True)])
    ],
    "子ども医療費 受給資格申請書": [Visit("birth", "2026-11-18", BIRTH)],
    "ひとり親家庭医療費 受給資格申請書": [Visit("divorce", "2026-11-16", DIVORCE)],
    "児童扶養手当 認定請求書": [Visit("divorce", "2026-11-16", DIVORCE)],
    "教育・保育給付認定申請書": [
        Visit("move_in", "2026-11-16", PRESCHOOL, answers={"nursery": "yes"})
    ],
    "出産育児一時金 支給申請書": [
        Visit("birth", "2026-11-18", BIRTH, answers={"childbirth_cost_below_grant": "yes"})
    ],
    "葬祭費支給申請書": [Visit("death", "2026-11-16", DEATH, answers={"funeral_held": "yes"})],
    "児童手当 認定請求書": [CHILD_ALLOWANCE_MOVE_IN],
    "国民健康保険 資格取得届": [
        Visit("move_in", "2026-11-16", family_moving_in(), previous_address=PREVIOUS),
        Visit("employee_insurance_loss", "2026-11-16", LEAVES_EMPLOYER),
    ],
    "介護保険 資格取得・異動・喪失届": [
        Visit("move_in", "2026-11-16", ELDERLY, previous_address=PREVIOUS),
        Visit("move_out", "2026-11-25", ELDERLY),
    ],
}


@pytest.mark.parametrize("name", sorted(VISITS))
def test_every_field_of_the_yoshiki_is_printed_with_its_value_in_order(
    name, catalogue, profile, tmp_path
):
    definition = definition_for(name, VISIT.office_date)
    seen: set[str] = set()
    for number_, visit in enumerate(VISITS[name]):
        form = filled(visit, name, catalogue, profile)
        check_printed_in_order(form, definition, tmp_path / str(number_))
        seen |= {f.key for f in form.fields}
    assert seen == {f.key for f in definition.fields}


def test_the_claim_names_the_student_as_older_sibling_and_the_youngest_is_third(
    catalogue, profile, tmp_path
):
    """19 in college, 12 and 2: the two younger are claimed, 一郎 is in the 兄姉等 rows,
    and the plan says 30,000円 for 結 as the 第3子."""
    visit = CHILD_ALLOWANCE_MOVE_IN
    case = case_of(visit.event, visit.day, visit.members, answers=visit.answers)
    result = plan(case, catalogue, profile, filed_on=VISIT.office_date)
    claim = next(p for p in result.procedures if p.id == "child_allowance_claim_move_in")
    assert "米子　結さん 30,000円（第3子）" in claim.reason
    form = filled(visit, "児童手当 認定請求書", catalogue, profile)
    assert [r.member_id for s in form.sections for r in s.rows] == ["b", "c"]
    assert form.field("older_names").value == "米子　一郎"
    assert form.field("older_birth_dates").value == "平成19年6月1日（金）"
    assert form.field("older_relations").value == "子"
    assert form.field("older_support").value == "はい"
    text = flat(pdftotext(render_form(form, tmp_path / "claim.pdf")))
    assert flat("兄姉等の氏名米子　一郎") in text
    assert text.count(flat("米子　一郎")) == 1  # a 兄姉等, never a row of those claimed
    assert form.field("relation", "c").value == "子"
    spouse_number = form.field("spouse_mynumber")
    assert spouse_number.number_key == "mynumber#spouse"  # both parents: the counter asks
    assert spouse_number.value == mask(spouse_number.value) and not re.search(r"\d{12}", text)


def test_a_third_child_born_to_a_family_with_a_student_is_30000_on_the_revision(
    catalogue, profile, tmp_path
):
    """The birth of 結 (a recipient at home, 二郎 10, 一郎 19 in college): the 額改定請求書
    lists 一郎 in the 兄姉等 rows, and the plan says 30,000円 (第3子)."""
    visit = VISITS["児童手当 額改定請求書"][0]
    case = case_of(visit.event, visit.day, visit.members, answers=visit.answers)
    result = plan(case, catalogue, profile, filed_on=VISIT.office_date)
    revision = next(p for p in result.procedures if p.id == "child_allowance_revision_birth")
    assert revision.benefit == 30000 and "米子　結さん 30,000円（第3子）" in revision.reason
    form = filled(visit, "児童手当 額改定請求書", catalogue, profile)
    assert [r.member_id for s in form.sections for r in s.rows] == ["c"]
    assert form.field("recipient").value == "米子　太郎"  # the recipient, from the register
    assert form.field("relation", "c").value == "子"
    text = flat(pdf_text(render_form(form, tmp_path / "revision.pdf")))  # label, then value
    assert flat("兄姉等の氏名 米子　一郎") in text
    assert flat("生年月日 平成19年6月1日（金）") in text


def test_a_claim_by_a_mother_who_is_not_the_head_gives_each_childs_relation_to_her(
    catalogue, profile, tmp_path
):
    """Grandparents head the household; their daughter claims for her baby: the register
    says 孫 (to the head), the 認定請求書 says 子 (to the 請求者), with her own facts."""
    members = [
        member("g", name="米子　源蔵", kana="ヨナゴ　ゲンゾウ", birth_date="1958-01-01"),
        spouse(name="米子　梅", kana="ヨナゴ　ウメ", birth_date="1960-01-01"),
        member("m", name="米子　花子", kana="ヨナゴ　ハナコ", birth_date="1996-03-03",
               sex="female", relation="child"),
        member("k", name="米子　空", kana="ヨナゴ　ソラ", birth_date="2026-11-18",
               relation="grandchild", health_insurance="none", subject=True),
    ]  # fmt: skip
    forms = {f.name: f for f in Visit("birth", "2026-11-18", members).forms(catalogue, profile)}
    claim = forms["児童手当 認定請求書"]
    assert claim.field("claimant").value == "米子　花子"
    assert claim.field("claimant_birth_date").value == "平成8年3月3日（日）"
    assert claim.field("relation", "k").value == "子"
    assert claim.field("together", "k").value == "同居"
    assert claim.field("livelihood", "k").value == "同一"
    assert claim.field("claimant_mynumber").number_key == "mynumber#m"  # her own number
    head_form = forms["国民健康保険 資格取得届"]
    assert head_form.field("relation", "k").value != "子"  # to the head: not her child
    inputs = {i.key: i.label for i in staff_inputs(list(forms.values()))}
    assert inputs["mynumber#m"] == "個人番号（米子　花子）"
    assert "child_allowance_claimant" not in inputs  # known from the register: not asked
    text = flat(pdf_text(render_form(claim, tmp_path / "claim.pdf")))  # label, then value
    assert flat("請求者氏名 米子　花子") in text and flat("請求者との続柄 子") in text


def test_a_head_who_stays_out_of_nhi_is_named_as_nominal_head_with_his_number(
    catalogue, profile, tmp_path
):
    """擬制世帯主: the wife leaves her employer's insurance, her husband keeps his; the
    届書 names him, asks his number once (the same input as anywhere else) and says so."""
    insurer_left = Visit("employee_insurance_loss", "2026-11-16", LEAVES_EMPLOYER)
    form = filled(insurer_left, "国民健康保険 資格取得届", catalogue, profile)
    assert [r.member_id for s in form.sections for r in s.rows] == ["m2"]
    assert form.field("head").value == "米子　太郎"
    assert "擬制世帯主" in form.field("nominal_head").value
    assert form.field("head_mynumber").number_key == "mynumber#h"
    inputs = staff_inputs(insurer_left.forms(catalogue, profile))
    assert [i.label for i in inputs if i.key == "mynumber#h"] == ["個人番号（米子　太郎）"]
    assert {"previous_insurer", "previous_insured_number", "previous_insurance_lost_on"} <= {
        i.key for i in inputs
    }
    moving = filled(VISITS["国民健康保険 資格取得届"][0], "国民健康保険 資格取得届",
                    catalogue, profile)  # fmt: skip
    assert moving.field("nominal_head").value == "該当しない"
    assert moving.field("previous_address").value == PREVIOUS["text"]
    text = flat(pdf_text(render_form(form, tmp_path / "nhi.pdf")))  # label, then value
    # label, the box the resident checks, then the value
    assert re.search(r"擬制世帯主（世帯主が国保に加入しない）(ご確認ください)?該当", text), text


def test_the_care_insurance_form_says_its_kind_and_the_heads_sex_and_birth_date(catalogue, profile):
    moving_in, moving_out = VISITS["介護保険 資格取得・異動・喪失届"]
    joined = filled(moving_in, "介護保険 資格取得・異動・喪失届", catalogue, profile)
    assert joined.field("category").value == "取得"
    assert joined.field("head_sex").value == "男"
    assert joined.field("head_birth_date").value == "昭和23年3月3日（水）"
    assert joined.field("relation", "h").value == "世帯主"
    assert joined.field("relation", "m2").value == "妻"
    left = filled(moving_out, "介護保険 資格取得・異動・喪失届", catalogue, profile)
    assert left.field("category").value == "喪失" and left.field("kind").value == "転出"


def test_when_the_recipient_dies_the_surviving_parent_claims_with_no_spouse_named(
    catalogue, profile
):
    """The 認定請求書 of the new recipient names the mother from the register, and never
    the father who died as her 配偶者."""
    members = [
        member("f", birth_date="1975-05-01", child_allowance_recipient=True, subject=True),
        spouse(birth_date="1978-01-01"),
        member("b", name="米子　蓮", kana="ヨナゴ　レン", birth_date="2016-09-01",
               relation="child"),
    ]  # fmt: skip
    forms = {f.name: f for f in Visit("death", "2026-11-10", members).forms(catalogue, profile)}
    claim = forms["児童手当 認定請求書"]
    assert claim.field("claimant").value == "米子　花子"
    assert claim.field("spouse_name").value == ""  # for the counter: なし or a new spouse
    assert claim.field("spouse_mynumber").number_key == "mynumber#spouse"
    assert claim.field("relation", "b").value == "子"


def test_with_both_parents_the_claimant_named_by_the_counter_is_filled_from_the_register(
    catalogue, profile
):
    """Which parent claims (the higher income) only the resident can say: the counter types
    that parent's name, and the register fills the rest. Nothing it holds is typed twice."""
    birth = Visit("birth", "2026-11-18", BIRTH)
    name = "児童手当 認定請求書"
    before = {f.name: f for f in birth.forms(catalogue, profile)}[name]
    assert before.field("claimant_kana").status == BLANK  # two parents: not known yet
    typed = {"child_allowance_claimant": "米子 花子"}  # an ASCII space, as staff may type
    claim = {f.name: f for f in birth.forms(catalogue, profile, typed)}[name]
    assert claim.field("claimant").value == "米子　花子"  # as registered, U+3000 kept
    assert claim.field("claimant").status == "prefilled"
    assert claim.field("claimant_kana").value == "ヨナゴ　ハナコ"
    assert claim.field("claimant_birth_date").value == "平成4年6月15日（月）"
    assert claim.field("spouse_name").value == "米子　太郎"
    assert claim.field("claimant_mynumber").number_key == "mynumber#m2"
    assert claim.field("spouse_mynumber").number_key == "mynumber#f"
    # A name that is neither parent's chooses nobody: the boxes stay the counter's.
    other = {"child_allowance_claimant": "米子　一郎"}
    stranger = {f.name: f for f in birth.forms(catalogue, profile, other)}[name]
    assert stranger.field("claimant_kana").status == BLANK
    assert stranger.field("spouse_mynumber").number_key == "mynumber#spouse"
