"""A certificate request stored as a visit, on both backends: its lines and fees, a line
that cannot be issued kept with no fee and nothing to do, the visit read back for a
reprint, and a department that sees a certificate line handed to it."""

from __future__ import annotations

import json
from datetime import date

from conftest import pilot_household
from sqlmodel import Session, select

from db.checklist import department_queue, set_counter_status, visit_progress
from db.drafts import start_visit
from db.models import PaymentCodeRow, VisitProcedureRow, VisitRow
from db.visits import load_visit_for_slip, record_visit
from workflows.certificates import CertificateChoices, certificate_visit

ON = date(2026, 11, 24)


def stored(engine, profile, catalogue):
    """A 住民票 (issued), a 印鑑登録証明書 (no seal registered: refused) and a 課税証明書
    (要確認: when she came to live here is not known), stored under one number."""
    household = pilot_household()
    choices = CertificateChoices.start(household, "H900001-1")
    choices.copies.update({"seal_certificate": 1, "tax_income_certificate": 1})
    visit = certificate_visit(choices.decision(ON, profile), household, profile, catalogue, on=ON)
    started = start_visit(engine, municipality="312029", device_id="t1", office_date=ON)
    (case,) = visit.cases
    record = record_visit(engine, case, visit.plan, profile, device_id="t1", visit_id=started.id)
    return visit, record


def test_a_request_is_stored_with_its_lines_and_only_what_is_issued_billed(
    engine, profile, catalogue
):
    visit, record = stored(engine, profile, catalogue)
    with Session(engine) as session:
        row = session.get(VisitRow, record.id)
        assert (row.event, row.status, row.total_fee) == ("certificate", "confirmed", 300)
        lines = {
            r.procedure_id: (r.plan_status, r.fee, r.checklist_status)
            for r in session.exec(select(VisitProcedureRow)).all()
        }
        payments = [p.amount for p in session.exec(select(PaymentCodeRow)).all()]
    assert lines == {
        "certificate.residence_certificate.0": ("required", 300, "todo"),
        "certificate.seal_certificate.1": ("refused", 0, "not_needed"),
        "certificate.tax_income_certificate.2": ("check", 300, "todo"),
    }
    assert payments == [300]
    # Nothing is left to do for the refused line: two lines keep the visit open.
    progress = visit_progress(engine, record.id)
    assert (progress.total, progress.settled) == (3, 1)

    again = load_visit_for_slip(engine, record.id)
    assert again.case.event == "certificate" and again.case == visit.cases[0]
    assert again.plan == visit.plan


def test_a_department_sees_a_certificate_line_handed_to_it(engine, profile, catalogue):
    _, record = stored(engine, profile, catalogue)
    set_counter_status(
        engine,
        record.id,
        "certificate.tax_income_certificate.2",
        "handed_to_department",
        staff_id=None,
        note="1月1日の住所を確認",
    )
    (line,) = department_queue(engine, "市民税課")
    assert line.events == ("certificate",) and line.head_name == "米子　太郎"
    assert line.procedure_name == "課税（所得）証明書（令和8年度） 1通"
    with Session(engine) as session:
        stored_case = json.loads(session.get(VisitRow, record.id).case_json)
    assert stored_case["event"] == "certificate"
