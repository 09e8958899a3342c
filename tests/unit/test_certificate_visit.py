"""A certificate request as a visit, without a screen: the screen's choices and their
defaults, the plan the decision becomes (alone or after a life event), what the request
writes on its forms, and a line that cannot be issued on the plan, the slip and its
preview (never billed, and saying where to ask)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from conftest import case_of, member, pilot_household, spouse
from pdfcheck import pdf_text

from counter.certificates.plan import certificate_case, certificate_plan, mark_subjects
from counter.interchange import event_case_to_dict, parse_event_case
from counter.plan import REFUSED, STATUS_LABELS
from counter.slip import build_slip
from forms.certificate_forms import certificate_form_values
from forms.prefill import (
    BLANK,
    PREFILLED,
    RESIDENT,
    VisitInfo,
    form_given,
    forms_for_visit,
    staff_inputs,
)
from forms.registry import FORMS_DIR, FormDefinitionError, load_definition
from forms.slip_pdf import render_slip
from forms.slip_preview import slip_lines
from workflows.certificates import (
    CertificateChoices,
    certificate_visit,
    kinds_in_order,
)

ON = date(2026, 11, 24)
HEAD, SPOUSE = "H900001-1", "H900001-2"


def household(**head):
    found = pilot_household()
    first = replace(found.members[0], **head)
    return replace(found, members=(first, *found.members[1:]))


def test_the_choices_start_on_one_residence_certificate_of_the_whole_household(profile):
    choices = CertificateChoices.start(pilot_household(), SPOUSE)
    assert choices.copies == {"residence_certificate": 1} and choices.visitor == SPOUSE
    (request,) = choices.requests(ON, profile)
    assert (request.kind, request.members, request.copies) == (
        "residence_certificate",
        (HEAD, SPOUSE),
        1,
    )
    requester = choices.requester()
    assert (requester.kind, requester.member) == ("self", SPOUSE)
    (line,) = choices.decision(ON, profile).lines
    assert line.issuable == "yes" and line.fee == 300
    # Someone unknown to the household falls back on the first member.
    assert CertificateChoices.start(pilot_household(), "nobody").person == HEAD


def test_a_certificate_for_one_person_is_for_the_person_by_default(profile):
    choices = CertificateChoices.start(pilot_household(), SPOUSE)
    choices.copies["tax_income_certificate"] = 2
    tax = next(r for r in choices.requests(ON, profile) if r.kind.startswith("tax"))
    assert tax.members == (SPOUSE,) and tax.copies == 2 and tax.year == 2026
    choices.years["tax_income_certificate"] = 2024
    choices.members["tax_income_certificate"] = ()  # nobody ticked: no request
    assert [r.kind for r in choices.requests(ON, profile)] == ["residence_certificate"]


def test_the_kinds_come_commonest_first():
    ids = [kind.id for kind in kinds_in_order(ON)]
    assert ids[:4] == [
        "residence_certificate",
        "seal_certificate",
        "tax_income_certificate",
        "koseki_full",
    ]
    assert len(ids) == 10


def test_the_former_surname_is_offered_only_for_someone_who_has_one():
    from counter.certificates import load_certificate_rules

    rules = load_certificate_rules()
    kind = rules.kinds["residence_certificate"]
    choices = CertificateChoices.start(pilot_household(), HEAD)
    assert "former_surname" not in choices.options_offered(kind, rules)
    choices = CertificateChoices.start(household(former_surname="鳥取"), HEAD)
    assert "former_surname" in choices.options_offered(kind, rules)
    choices.members["residence_certificate"] = (SPOUSE,)  # she has none
    assert "former_surname" not in choices.options_offered(kind, rules)


def test_an_outside_visitor_asks_with_a_name_and_papers(profile):
    choices = CertificateChoices.start(pilot_household(), HEAD)
    choices.visitor, choices.name = "agent", "鳥取　次郎 "
    requester = choices.requester()
    assert (requester.kind, requester.member, requester.name) == ("agent", None, "鳥取　次郎")
    assert choices.decision(ON, profile).lines[0].issuable == "no"
    choices.flags = {"proxy_letter"}
    assert choices.decision(ON, profile).lines[0].issuable == "yes"


def test_the_choices_survive_a_draft(profile):
    choices = CertificateChoices.start(pilot_household(), SPOUSE)
    choices.copies.update({"seal_certificate": 2})
    choices.members["residence_certificate"] = (SPOUSE,)
    choices.options["residence_certificate"] = ("head_relation",)
    choices.visitor, choices.flags, choices.purpose = "third_party", {"photo_id"}, "相続"
    again = CertificateChoices.from_draft(pilot_household(), choices.to_draft())
    assert again == choices
    # A member gone from the household meanwhile is dropped, not kept as an id.
    smaller = replace(pilot_household(), members=pilot_household().members[:1])
    kept = CertificateChoices.from_draft(smaller, {**choices.to_draft(), "visitor": SPOUSE})
    assert kept.members["residence_certificate"] == () and kept.visitor == HEAD


def test_a_request_is_a_plan_whose_refused_lines_cost_nothing(profile, catalogue):
    choices = CertificateChoices.start(pilot_household(), HEAD)
    choices.copies.update({"seal_certificate": 1})  # no seal registered: refused
    decision = choices.decision(ON, profile)
    visit = certificate_visit(decision, pilot_household(), profile, catalogue, on=ON)
    (case,) = visit.cases
    assert case.event == "certificate"
    assert [m.id for m in case.subjects] == [HEAD, SPOUSE]
    residence, seal = visit.plan.procedures
    assert (residence.status, residence.fee) == ("required", 300)
    assert (seal.status, seal.fee, seal.forms) == (REFUSED, 0, ())
    assert visit.plan.total_fee == 300 and visit.plan.elqr_totals() == {"certificates": 300}
    assert STATUS_LABELS[seal.status] == "交付できません" and seal.deadline_short == "－"
    text = visit.plan.to_text()
    assert "［交付できません］" in text and "請求先:" in text
    assert set(visit.given) == {0}


def test_nothing_asked_is_no_visit(profile, catalogue):
    choices = CertificateChoices.start(pilot_household(), HEAD)
    choices.copies.clear()
    decision = choices.decision(ON, profile)
    with pytest.raises(ValueError, match="請求する証明書がありません"):
        certificate_visit(decision, pilot_household(), profile, catalogue, on=ON)


def test_a_request_after_a_move_in_is_planned_with_it(profile, catalogue):
    move = case_of("move_in", "2026-11-20", [member("m1", subject=True), spouse(subject=True)])
    choices = CertificateChoices.start(move.household, "m1")
    visit = certificate_visit(
        choices.decision(ON, profile), move.household, profile, catalogue, on=ON, earlier=[move]
    )
    assert [c.event for c in visit.cases] == ["move_in", "certificate"]
    assert [event for event, _ in visit.plan.events] == ["move_in", "certificate"]
    certificate = next(p for p in visit.plan.procedures if p.id.startswith("certificate."))
    assert certificate.case == 1 and set(visit.given) == {1}
    forms = forms_for_visit(
        visit.plan,
        visit.cases[0],
        profile,
        VisitInfo(1, ON, ""),
        more_cases=visit.cases[1:],
        given=visit.given,
    )
    juminhyo = [f for f in forms if f.name == "住民票の写し等交付申請書"]
    # The 転入's own 住民票 line (if any) is typed by staff; the request's is filled.
    assert any(f.field("copies").status == PREFILLED for f in juminhyo)


def test_a_stored_certificate_case_reads_back():
    decision_case = replace(
        certificate_case(pilot_household(), _profile(), ON),
        household=replace(
            pilot_household(),
            members=tuple(replace(m, subject=True) for m in pilot_household().members),
        ),
    )
    again = parse_event_case(event_case_to_dict(decision_case))
    assert again == decision_case
    birth = case_of("move_in", "2026-11-20", [member("m1", subject=True)])
    assert parse_event_case(event_case_to_dict(birth)) == birth


def _profile():
    from counter.profile import load_profile

    return load_profile("312029")


def test_the_request_fills_its_forms_and_staff_type_none_of_it(profile):
    head = household(seal_registered=True)
    choices = CertificateChoices.start(head, HEAD)
    choices.copies.update({"seal_certificate": 2, "tax_income_certificate": 1})
    choices.options["residence_certificate"] = ("head_relation", "honseki")
    choices.flags = {"seal_card", "photo_id"}
    choices.purpose = "勤務先への提出"
    decision = choices.decision(ON, profile)
    values = certificate_form_values(decision, head)
    assert values["certificate_kind"] == "住民票の写し"
    assert values["certificate_items"] == "世帯主・続柄、本籍・筆頭者"
    assert values["seal_certificate_copies"] == "2通"
    assert values["seal_certificate_fee"] == "600円"
    assert values["seal_card_presented"] == "提示あり"
    assert values["tax_year"] == "令和8年度" and values["tax_purpose"] == "勤務先への提出"
    assert values["identity_document"] == "顔写真付きの本人確認書類"
    assert values["applicant_name"] == "米子　太郎"
    # The 住民票 is for both, the others for him alone: his standing differs by form.
    assert form_given(values, "住民票の写し等交付申請書")["applicant_type"] == "本人・同一世帯の方"
    assert form_given(values, "印鑑登録証明書交付申請書")["applicant_type"] == "本人"
    assert values["applicant_type"] == "本人"

    case = mark_subjects(certificate_case(head, profile, ON), decision)
    plan = certificate_plan(decision, profile)
    forms = forms_for_visit(plan, case, profile, VisitInfo(4, ON, ""), given={0: values})
    names = [form.name for form in forms]
    assert names == ["住民票の写し等交付申請書", "印鑑登録証明書交付申請書", "税務証明交付申請書"]
    seal = forms[1]
    # The registrant's address and birth date are the applicant's own hand: never data,
    # never a counter input, not counted as left blank for the counter.
    assert seal.field("address", HEAD).status == RESIDENT
    assert seal.field("address", HEAD).shown == "ご本人が記入"
    assert seal.field("copies").value == "2通" and seal.field("copies").status == PREFILLED
    assert seal.blank_count == sum(1 for f in seal.fields if f.status == BLANK)
    assert all(item.key != "address" for item in staff_inputs(forms))
    assert {item.key for item in staff_inputs(forms)} >= {"contact_phone", "seal_number#" + HEAD}
    tax = forms[2]
    assert tax.field("year").value == "令和8年度" and tax.typed_count == 0


def test_a_resident_box_takes_no_datum(tmp_path):
    text = (FORMS_DIR / "inkan_shomei.toml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text(
        text.replace('"staff", resident = true', '"member.name", resident = true', 1),
        encoding="utf-8",
    )
    with pytest.raises(FormDefinitionError, match="ご本人が記入する欄"):
        load_definition(broken)


def test_a_refused_line_on_the_slip_says_where_to_ask_and_costs_nothing(
    tmp_path, profile, catalogue
):
    choices = CertificateChoices.start(pilot_household(), HEAD)
    choices.copies.update({"seal_certificate": 1})
    decision = choices.decision(ON, profile)
    visit = certificate_visit(decision, pilot_household(), profile, catalogue, on=ON)
    slip = build_slip(
        visit.plan, visit.cases[0], profile, reception_number=7, issued_on=ON, payments=()
    )
    refused = [line for line in slip.lines if line.status == REFUSED]
    assert len(refused) == 1 and slip.refused == 1
    assert refused[0].fee == 0 and refused[0].where.startswith("市民課")
    assert slip.total_fee == 300
    preview = "\n".join(slip_lines(slip))
    assert "印鑑登録証明書 1通　交付できません" in preview
    assert "請求先：市民課" in preview
    text = re.sub(r"\s+", "", pdf_text(render_slip(slip, tmp_path / "slip.pdf")))
    assert "交付できません" in text and "請求先：市民課" in text
    assert "印鑑登録がないため交付できません" in text
    # The roll prints it too.
    roll = re.sub(r"\s+", "", pdf_text(render_slip(slip, tmp_path / "r.pdf", layout="receipt")))
    assert "交付できません" in roll and "請求先" in roll
    easy = "\n".join(slip_lines(slip, "easy"))
    assert "ここでは だせません" in easy and "しょうめいしょを もらう" in easy
