"""The retention purge on both backends: closed visits lose every trace of their household,
their files and vault rows; open work and recent visits stay; statistics stay the same."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import case_of, member
from sqlalchemy import inspect, text
from sqlmodel import Session, select

import db.audit
from counter.rules import plan_visit
from db.audit import verify
from db.checklist import set_counter_status
from db.drafts import PARKED, cancel_visit, save_draft, start_visit
from db.models import (
    AuditLogRow,
    IssuedFormRow,
    MyNumberVaultRow,
    PaymentCodeRow,
    VisitProcedureRow,
    VisitRow,
)
from db.retention import KEPT_HANDED, KEPT_UNSETTLED, purge, purge_plan
from db.visits import IssuedForm, checklist, record_issued_forms, record_visit, set_slip_path

TODAY = date(2026, 11, 24)
DAYS = 30
OLD = date(2026, 9, 1)  # before TODAY - DAYS
RECENT = TODAY - timedelta(days=5)
HOUSEHOLD = "RET-H0001"
PEOPLE = {
    "RET-M1": ("保存　一郎", "ホゾン　イチロウ"),
    "RET-M2": ("保存　花子", "ホゾン　ハナコ"),
    "RET-M3": ("保存　陽翔", "ホゾン　ハルト"),
    "RET-M4": ("保存　太一", "ホゾン　タイチ"),  # the head's parent, moving in
}
PERSONAL = [HOUSEHOLD, *PEOPLE, *(text for pair in PEOPLE.values() for text in pair)]
PERSONAL += ["ホゾン", "一郎", "花子", "陽翔", "太一"]


def person(member_id: str, **fields) -> dict:
    name, kana = PEOPLE[member_id]
    return member(member_id, name=name, kana=kana, **fields)


def family(child_born: date) -> list[dict]:
    return [
        person("RET-M1"),
        person("RET-M2", birth_date="1992-06-15", sex="female", relation="spouse"),
        person(
            "RET-M3",
            birth_date=child_born.isoformat(),
            relation="child",
            health_insurance="none",
            subject=True,
        ),
    ]


def draft() -> dict:
    """What the screens save while a visit is open: the household as entered so far."""
    return {
        "step": "plan",
        "household_id": HOUSEHOLD,
        "head_name": PEOPLE["RET-M1"][0],
        "members": [{"id": i, "name": n, "kana": k} for i, (n, k) in PEOPLE.items()],
    }


@dataclass
class Scene:
    settled: str  # old, two events, every line settled, slip + forms + vault: goes
    handed: str  # old, one line handed to a department: kept back
    unsettled: str  # old, lines still 未処理: kept back
    cancelled: str  # old, cancelled with a draft: goes
    parked: str  # old, parked and forgotten: goes
    recent: str  # inside the period: untouched
    files: dict[str, Path]

    @property
    def going(self) -> list[str]:
        return [self.settled, self.cancelled, self.parked]

    @property
    def staying(self) -> list[str]:
        return [self.handed, self.unsettled, self.recent]


def confirmed(engine, catalogue, profile, office_date: date, *, two_events: bool = False) -> str:
    born = office_date - timedelta(days=3)
    birth = case_of("birth", born.isoformat(), family(born), household_id=HOUSEHOLD)
    cases = [birth]
    if two_events:
        parent = {"relation": "parent", "health_insurance": "late_elderly", "subject": True}
        mover = person("RET-M4", birth_date="1940-01-01", **parent)
        moved = (office_date - timedelta(days=5)).isoformat()
        cases.append(
            case_of(
                "move_in",
                moved,
                [*family(born)[:2], mover],
                household_id=HOUSEHOLD,
                previous_address={
                    "postal_code": "6800011",
                    "text": "鳥取県鳥取市東町一丁目220番地",
                },
            )
        )
    visit_plan = plan_visit(cases, catalogue, profile, filed_on=office_date)
    stored = record_visit(
        engine, cases[0], visit_plan, profile, device_id="t1", more_cases=cases[1:]
    )
    return stored.id


def settle(engine, visit_id: str, *, keep: tuple[str, ...] = (), hand: str | None = None) -> None:
    for i, line in enumerate(checklist(engine, visit_id)):
        if line.procedure_id == hand:
            status = "handed_to_department"
        elif line.procedure_id in keep:
            continue
        else:
            status = "later" if i % 3 == 2 else "done_here"
        note = f"{PEOPLE['RET-M1'][0]}さんへ郵送（RET-M1）"
        set_counter_status(engine, visit_id, line.procedure_id, status, staff_id=None, note=note)


def add_files(engine, visit_id: str, folder: Path) -> tuple[Path, Path]:
    slip, forms = folder / f"{visit_id}.pdf", folder / f"{visit_id}-forms.pdf"
    for path in (slip, forms):
        path.write_bytes(b"%PDF-1.4 test\n")
    set_slip_path(engine, visit_id, str(slip))
    record_issued_forms(
        engine,
        visit_id,
        [IssuedForm("出生届", 10, 2, str(forms)), IssuedForm("国保", 5, 0, str(forms))],
    )
    return slip, forms


def add_vault_row(engine, visit_id: str) -> None:
    with Session(engine) as session:
        session.add(
            MyNumberVaultRow(
                id=str(uuid.uuid4()),
                visit_id=visit_id,
                member_id="RET-M1",
                ciphertext="gAAAAB-test-ciphertext",
                created_at=datetime.now(UTC),
            )
        )
        session.commit()


@pytest.fixture
def scene(engine, catalogue, profile, tmp_path) -> Scene:
    settled = confirmed(engine, catalogue, profile, OLD, two_events=True)
    settle(engine, settled)
    handed = confirmed(engine, catalogue, profile, OLD + timedelta(days=1))
    first_line = checklist(engine, handed)[0].procedure_id
    settle(engine, handed, hand=first_line)
    unsettled = confirmed(engine, catalogue, profile, OLD + timedelta(days=1))
    settle(engine, unsettled, keep=(checklist(engine, unsettled)[-1].procedure_id,))
    recent = confirmed(engine, catalogue, profile, RECENT)
    settle(engine, recent)
    abandoned = []
    for _ in range(2):
        visit = start_visit(engine, municipality="312029", device_id="t2", office_date=OLD)
        save_draft(engine, visit.id, draft(), status=PARKED)
        abandoned.append(visit.id)
    cancel_visit(engine, abandoned[0])
    files = {}
    for name, visit_id in (("settled", settled), ("handed", handed), ("recent", recent)):
        files[name], files[f"{name}-forms"] = add_files(engine, visit_id, tmp_path)
        add_vault_row(engine, visit_id)
    return Scene(settled, handed, unsettled, abandoned[0], abandoned[1], recent, files)


def dump(engine, table: str | None = None, where: str = "") -> dict[str, list[str]]:
    """Every row of every table (or of one), as text, in a stable order."""
    tables = [table] if table else inspect(engine).get_table_names()
    with engine.connect() as connection:
        return {
            name: sorted(map(repr, connection.execute(text(f'SELECT * FROM "{name}" {where}'))))
            for name in tables
        }


def personal_data(engine, visit_ids: list[str]) -> list[tuple[str, str, str]]:
    """(table, column, value) of each text in these visits' rows naming a person."""
    found = []
    with engine.connect() as connection:
        for model, key in (
            (VisitRow, "id"),
            (VisitProcedureRow, "visit_id"),
            (IssuedFormRow, "visit_id"),
        ):
            table = model.__table__
            rows = connection.execute(select(table).where(table.c[key].in_(visit_ids)))
            for row in rows.mappings():
                found += [
                    (table.name, column, value)
                    for column, value in row.items()
                    if isinstance(value, str) and any(p in value for p in PERSONAL)
                ]
    return found


def statistics(engine) -> dict:
    """Visits per event, procedures per department and status, fees: what supervisors see."""
    with Session(engine) as session:
        visits = session.exec(select(VisitRow)).all()
        lines = session.exec(select(VisitProcedureRow)).all()
        codes = session.exec(select(PaymentCodeRow.amount, PaymentCodeRow.payment_number)).all()
    events, planned = Counter(), Counter()
    for visit in visits:
        stored = json.loads(visit.plan_json)
        events[(visit.event, visit.event_date)] += 1
        events.update(
            (e["event"], date.fromisoformat(e["event_date"])) for e in stored.get("more_events", [])
        )
        planned.update(
            (p["id"], p["department"], p["status"], p["deadline"], p["fee"])
            for p in stored.get("procedures", [])
        )
    return {
        "events": events,
        "visits": Counter((v.office_date, v.status, v.total_fee) for v in visits),
        "planned": planned,
        "lines": Counter((x.department, x.checklist_status, x.fee, x.deadline) for x in lines),
        "codes": sorted(codes),
    }


def run(engine):
    return purge(engine, today=TODAY, days=DAYS, terminal="test-terminal", staff_id=None)


def test_the_dry_run_lists_what_would_go_and_what_stays_and_changes_nothing(engine, scene):
    before = dump(engine)
    plan = purge_plan(engine, today=TODAY, days=DAYS)
    assert dump(engine) == before
    assert sorted(v.id for v in plan.visits) == sorted(scene.going)
    assert plan.visits_by_day() == {OLD: 3}
    assert plan.cutoff == date(2026, 10, 25)
    assert set(plan.files) == {str(scene.files["settled"]), str(scene.files["settled-forms"])}
    assert plan.vault_rows == 1
    kept = {k.id: k for k in plan.kept}
    assert set(kept) == {scene.handed, scene.unsettled}
    handed = checklist(engine, scene.handed)[0]
    assert (kept[scene.handed].reason, kept[scene.handed].departments) == (
        KEPT_HANDED,
        (handed.department,),
    )
    assert kept[scene.unsettled].reason == KEPT_UNSETTLED
    assert plan.kept_by_reason() == {KEPT_HANDED: 1, KEPT_UNSETTLED: 1}
    assert all(path.exists() for path in scene.files.values())


def test_a_purge_leaves_no_trace_of_the_household_in_closed_visits(engine, scene):
    assert personal_data(engine, scene.going)  # the check would see them
    result = run(engine)

    assert sorted(v.id for v in result.plan.visits) == sorted(scene.going)
    assert personal_data(engine, scene.going) == []
    with Session(engine) as session:
        for visit_id in scene.going:
            row = session.get(VisitRow, visit_id)
            assert (row.case_json, row.more_cases_json, row.draft_json) == ("{}", None, None)
            assert (row.household_id, row.slip_path) == (None, None)
            assert row.purged_at is not None
        lines = session.exec(
            select(VisitProcedureRow).where(VisitProcedureRow.visit_id == scene.settled)
        ).all()
        assert lines and {(x.members, x.note) for x in lines} == {("[]", "")}
        forms = session.exec(
            select(IssuedFormRow.file_path).where(IssuedFormRow.visit_id == scene.settled)
        ).all()
        assert forms == [None, None]
        vault = session.exec(select(MyNumberVaultRow.visit_id)).all()
        assert sorted(vault) == sorted([scene.handed, scene.recent])
    assert not scene.files["settled"].exists() and not scene.files["settled-forms"].exists()
    assert (result.files_deleted, result.files_missing, result.file_problems) == (2, 0, ())


def test_recent_and_unfinished_visits_are_untouched(engine, scene):
    ids = ", ".join(f"'{i}'" for i in scene.staying)
    tables = {
        "visit": f"WHERE id IN ({ids})",
        "visit_procedure": f"WHERE visit_id IN ({ids})",
        "issued_form": f"WHERE visit_id IN ({ids})",
        "mynumber_vault": f"WHERE visit_id IN ({ids})",
    }
    before = {table: dump(engine, table, where) for table, where in tables.items()}
    run(engine)
    assert {table: dump(engine, table, where) for table, where in tables.items()} == before
    assert personal_data(engine, [scene.handed, scene.recent])
    for name in ("handed", "handed-forms", "recent", "recent-forms"):
        assert scene.files[name].exists()


def test_statistics_are_the_same_after_the_purge(engine, scene):
    before = statistics(engine)
    assert before["events"][("move_in", OLD - timedelta(days=5))] == 1  # a further event
    run(engine)
    assert statistics(engine) == before


def test_one_audit_row_with_counts_only_and_the_chain_still_verifies(engine, scene):
    with Session(engine) as session:  # the scene's own rows: visits stored, lines marked
        earlier = len(session.exec(select(AuditLogRow)).all())
    db.audit.record(engine, action="view", staff_id=None, terminal="t1", visit_id=scene.settled)
    run(engine)
    with Session(engine) as session:
        rows = session.exec(select(AuditLogRow).order_by(AuditLogRow.id)).all()
    assert [r.action for r in rows[earlier:]] == ["view", "purge"]
    purged = rows[-1]
    assert (purged.terminal, purged.visit_id, purged.resident_id) == ("test-terminal", None, None)
    assert "受付 3件" in purged.detail and "個人番号 1件" in purged.detail
    assert not any(visit_id in purged.detail for visit_id in scene.going)
    assert rows[earlier].visit_id == scene.settled  # the audit log is never purged
    assert sum(row.visit_id in scene.going for row in rows) > 0  # nor its rows of them
    check = verify(engine)
    assert check.ok and check.rows == earlier + 2


def test_a_second_run_changes_nothing(engine, scene):
    run(engine)
    before = dump(engine)
    again = run(engine)
    assert again.plan.visits == () and again.files_deleted == 0
    assert {k.id for k in again.plan.kept} == {scene.handed, scene.unsettled}
    assert dump(engine) == before


def test_a_file_that_cannot_be_deleted_is_reported_by_path(engine, scene, tmp_path):
    folder = tmp_path / "kept.pdf"
    folder.mkdir()
    not_pdf = tmp_path / "notes.txt"
    not_pdf.write_text("x")
    set_slip_path(engine, scene.parked, str(folder))
    record_issued_forms(engine, scene.cancelled, [IssuedForm("様式", 1, 0, str(not_pdf))])
    scene.files["settled"].unlink()  # already gone: not a problem

    result = run(engine)

    assert {(p.path, p.reason) for p in result.file_problems} == {
        (str(folder), "フォルダのため削除しません"),
        (str(not_pdf), "PDF ではないため削除しません"),
    }
    assert (result.files_deleted, result.files_missing) == (1, 1)
    assert folder.is_dir() and not_pdf.exists()
    assert personal_data(engine, scene.going) == []  # the database part was done


def test_a_failure_inside_the_transaction_changes_nothing(engine, scene, monkeypatch):
    def refuse(session, **fields):
        raise RuntimeError("audit log unavailable")

    before = dump(engine)
    monkeypatch.setattr(db.audit, "append", refuse)
    with pytest.raises(RuntimeError):
        run(engine)
    assert dump(engine) == before
    assert all(path.exists() for path in scene.files.values())
