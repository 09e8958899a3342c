"""A visit's payment codes as stored and printed: one per revenue item, on both backends."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from conftest import case_of, member, spouse
from pdfcheck import decoded_qr_codes
from sqlmodel import Session, select

from counter.billing import DEMO_KEY, bills_for_plan
from counter.rules import plan
from counter.slip import build_slip
from db.models import PaymentCodeRow, VisitRow
from db.visits import PaymentKeyMissing, load_visit_for_slip, record_visit
from forms.slip_pdf import render_slip

ANSWERS = {"dog": "yes", "residence_certificate": "yes"}


def abroad(catalogue, profile):
    members = [member("m1", subject=True), spouse(subject=True)]
    case = case_of("move_in_from_abroad", "2026-11-20", members, answers=ANSWERS)
    return case, plan(case, catalogue, profile, filed_on=date(2026, 11, 24))


def test_each_revenue_item_is_stored_and_printed_as_its_own_code(
    engine, catalogue, profile, tmp_path
):
    case, result = abroad(catalogue, profile)
    visit = record_visit(engine, case, result, profile, device_id="t1")
    assert [(c.item, c.fields.amount) for c in visit.payments] == [
        ("certificates", 300),
        ("dog", 3000),
    ]
    with Session(engine) as session:
        rows = session.exec(select(PaymentCodeRow).where(PaymentCodeRow.visit_id == visit.id))
        stored = {row.revenue_item: row for row in rows}
    assert set(stored) == {"certificates", "dog"}
    for code in visit.payments:
        row = stored[code.item]
        assert (row.amount, row.payload, row.status) == (code.fields.amount, code.payload, "issued")
        assert (row.due_date, row.payable_until) == (
            code.fields.due_date,
            code.fields.payable_until,
        )
        assert row.demo and row.collector == "99999" and row.category == "999"
    # Read back in the order issued, and printed: one QR per code, both decode.
    loaded = load_visit_for_slip(engine, visit.id)
    assert loaded.payments == visit.payments
    slip = build_slip(
        loaded.plan, loaded.case, profile, reception_number=visit.reception_number,
        issued_on=visit.office_date, payments=loaded.payments,
    )  # fmt: skip
    assert [p.label for p in slip.payments] == ["戸籍・住民票などの証明手数料", "犬の登録手数料"]
    path = render_slip(slip, tmp_path / "slip.pdf")
    assert sorted(decoded_qr_codes(path)) == sorted(c.payload for c in visit.payments)


def test_a_real_profile_issues_no_code_without_the_citys_key(engine, catalogue, profile):
    revenue = {k: replace(item, category="101") for k, item in profile.revenue.items()}
    real = replace(profile, payment_demo=False, revenue=revenue)
    case, result = abroad(catalogue, real)
    with pytest.raises(PaymentKeyMissing, match="鍵"):
        record_visit(engine, case, result, real, device_id="t1")
    with Session(engine) as session:
        assert session.exec(select(VisitRow)).all() == []
        assert session.exec(select(PaymentCodeRow)).all() == []
    key = b"kept-outside-the-database"
    visit = record_visit(engine, case, result, real, device_id="t1", payment_key=key)
    assert [(c.fields.collector, c.fields.category) for c in visit.payments] == [
        ("31202", "101"),
        ("31202", "101"),
    ]
    for code, bill in zip(visit.payments, bills_for_plan(result, real), strict=True):
        number = code.fields.payment_number
        assert bill.issue(number, key) == code
        assert bill.issue(number, DEMO_KEY).fields.confirmation_number != (
            code.fields.confirmation_number
        )
