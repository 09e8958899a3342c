"""Handing an outreach day back: the bundle written on the laptop's encrypted file and
taken in at the office (SQLite and PostgreSQL), through the real workflows."""

from __future__ import annotations

import base64
import json
import os
from datetime import date
from pathlib import Path

import pytest
from conftest import add_staff
from outreach_day import (
    MUNICIPALITY,
    check_out,
    move_in_visit,
    open_laptop,
    route_household,
)
from sqlalchemy import func, inspect, text
from sqlmodel import Session, select

from counter.outreach_bundle import CUT_SHORT, NOT_A_BUNDLE, TAMPERED, BundleRefused
from db import audit
from db.engine import make_engine
from db.models import (
    AuditLogRow,
    HouseholdRow,
    IssuedFormRow,
    OutreachCheckoutRow,
    OutreachConflictRow,
    PaymentCodeRow,
    ResidentRow,
    VisitProcedureRow,
    VisitRow,
)
from db.register import save_households
from db.sequences import allocate
from db.vault import KEY_FILE_ENV, read_key, read_numbers
from forms.prefill import mynumber_key
from workflows.outreach_conflicts import open_conflicts, settle
from workflows.outreach_export import ExportRefused, export_bundle
from workflows.outreach_import import import_bundle

ROUTE = [
    route_household("H1", "6830823", "鳥取県米子市加茂町二丁目1番地", "加茂"),
    route_household("H2", "6830801", "鳥取県米子市新開一丁目2番地", "新開"),
]
RECEPTION = f"reception:{MUNICIPALITY}:{date.today().isoformat()}"


@pytest.fixture
def office(database_url):
    engine = make_engine(database_url)
    save_households(engine, ROUTE, municipality=MUNICIPALITY)
    admin, clerk = add_staff(engine)
    yield engine, admin, clerk
    engine.dispose()


@pytest.fixture
def sqlite_office(tmp_path, new_sqlite):
    engine = make_engine(new_sqlite(tmp_path / "office.sqlite3"))
    save_households(engine, ROUTE, municipality=MUNICIPALITY)
    admin, clerk = add_staff(engine)
    yield engine, admin, clerk
    engine.dispose()


def day_on_the_road(office, tmp_path: Path, households=("H1", "H2"), papers=False, **blocks):
    """Check out, store a visit per household on the laptop (``papers``: confirmed with
    its slip and forms); the laptop engine."""
    engine, admin, clerk = office
    check_out(engine, tmp_path / "car.db", admin, **blocks)
    laptop = open_laptop(tmp_path / "car.db")
    for household_id in households:
        move_in_visit(laptop, household_id, tmp_path / "slips" if papers else None)
    audit.record(laptop, action="view", staff_id=clerk.id, terminal="car-1", detail="世帯の閲覧")
    return laptop


def export(laptop, tmp_path: Path, name: str = "day.bundle") -> bytes:
    export_bundle(laptop, tmp_path / name, staff_id=_staff_id(laptop), terminal="car-1")
    return (tmp_path / name).read_bytes()


def _staff_id(laptop) -> str:
    with Session(laptop) as session:
        return session.exec(text("SELECT id FROM staff WHERE login = 'tanaka'")).one()[0]


def rows(engine, model) -> list:
    with Session(engine) as session:
        return list(session.exec(select(model)).all())


def snapshot(engine) -> dict[str, int]:
    """How many rows every table holds, and the office's counters: what a refused
    import must leave exactly as it was."""
    counts = {}
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            if table.startswith(("resident_fts", "household_fts", "alembic")):
                continue
            counts[table] = connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()
        for name, value in connection.execute(text("SELECT name, value FROM number_sequence")):
            counts[name] = value
    return counts


def test_a_day_comes_back_whole_and_a_second_import_adds_nothing(office, tmp_path):
    engine, admin, _ = office
    laptop = day_on_the_road(office, tmp_path, papers=True, reception=10, payment=10)
    laptop_visits = {v.id: v for v in rows(laptop, VisitRow)}
    laptop_codes = {c.payment_number for c in rows(laptop, PaymentCodeRow)}
    laptop_lines = len(rows(laptop, VisitProcedureRow))
    laptop_forms = len(rows(laptop, IssuedFormRow))
    data = export(laptop, tmp_path)
    laptop_chain = rows(laptop, AuditLogRow)
    laptop.dispose()
    assert {v.reception_number for v in laptop_visits.values()} == {1, 2}
    assert len(laptop_codes) == 2 and laptop_lines > 0 and laptop_forms > 0

    summary = import_bundle(engine, data, staff_id=admin.id, terminal="office-1")
    assert (summary.visits, summary.newcomers, summary.conflicts) == (2, 0, 0)
    assert summary.audit_rows == len(laptop_chain)
    office_visits = {v.id: v for v in rows(engine, VisitRow)}
    assert set(office_visits) == set(laptop_visits)
    for visit_id, visit in office_visits.items():
        assert visit.office_date == date.today() and visit.device_id == "car-1"
        assert visit.reception_number == laptop_visits[visit_id].reception_number
        assert visit.plan_json == laptop_visits[visit_id].plan_json
        assert visit.slip_path is None  # the PDFs stayed in the laptop's file
        assert visit.channel == "outreach" and visit.confirmed_at is not None
    assert {c.payment_number for c in rows(engine, PaymentCodeRow)} == laptop_codes
    assert len(rows(engine, VisitProcedureRow)) == laptop_lines
    assert len(rows(engine, IssuedFormRow)) == laptop_forms

    # The laptop's rows are in the office's chain, marked with the laptop, in their order.
    checkout = rows(engine, OutreachCheckoutRow)[0]
    chain = rows(engine, AuditLogRow)
    copied = [r for r in chain if r.terminal.startswith(f"出張{checkout.id[:8]}:")]
    assert [(r.action, r.at) for r in copied] == [(r.action, r.at) for r in laptop_chain]
    assert all(r.terminal == f"出張{checkout.id[:8]}:car-1" for r in copied if r.action == "view")
    assert copied[0].detail.endswith("〔出張の記録 ID 1〕")
    assert chain[-1].action == "import" and "受付2件" in chain[-1].detail
    assert audit.verify(engine).ok

    # Unused numbers given back: the office goes on right after the laptop's last.
    assert checkout.returned_at is not None
    assert "未使用の受付番号 3〜10を戻しました" in summary.released
    with Session(engine) as session:
        assert allocate(session, RECEPTION) == 3
        session.rollback()

    before = snapshot(engine)
    again = import_bundle(engine, data, staff_id=admin.id, terminal="office-1")
    assert again.already and again.visits == 2
    assert snapshot(engine) == before


def test_numbers_the_office_used_after_the_checkout_stay_a_gap(sqlite_office, tmp_path):
    engine, admin, _ = sqlite_office
    laptop = day_on_the_road(sqlite_office, tmp_path, households=("H1",), reception=5)
    with Session(engine) as session:
        assert allocate(session, RECEPTION) == 6  # the office's own visit, after the block
        session.commit()
    summary = import_bundle(engine, export(laptop, tmp_path), staff_id=admin.id, terminal="o")
    assert "未使用の受付番号 2〜5は欠番です" in summary.released
    with Session(engine) as session:
        assert allocate(session, RECEPTION) == 7
        session.rollback()


def test_tampered_cut_short_foreign_and_other_files_change_nothing(
    sqlite_office, tmp_path, new_sqlite
):
    engine, admin, _ = sqlite_office
    data = export(day_on_the_road(sqlite_office, tmp_path), tmp_path)
    middle = len(data) // 2
    flipped = data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]
    other_office = make_engine(new_sqlite(tmp_path / "other.sqlite3"))
    save_households(other_office, ROUTE, municipality=MUNICIPALITY)
    (tmp_path / "other").mkdir()
    foreign = export(day_on_the_road((other_office, *add_staff(other_office)), tmp_path / "other"),
                     tmp_path / "other")  # fmt: skip
    before = snapshot(engine)
    for bad, said in [
        (flipped, TAMPERED),
        (data[:-100], CUT_SHORT),
        (data[:40], CUT_SHORT),
        (data + b"\0", TAMPERED),
        (b"name,kana\n", NOT_A_BUNDLE),
        (foreign, "この事務所で作った出張用ファイルの持ち帰りではありません"),
    ]:
        with pytest.raises(BundleRefused) as refused:
            import_bundle(engine, bad, staff_id=admin.id, terminal="o")
        assert said in str(refused.value) and "\n" not in str(refused.value)
        assert snapshot(engine) == before
    other_office.dispose()


def test_an_older_or_another_export_of_a_returned_day_is_refused(sqlite_office, tmp_path):
    engine, admin, _ = sqlite_office
    laptop = day_on_the_road(sqlite_office, tmp_path)
    first = export(laptop, tmp_path, "first.bundle")
    second = export(laptop, tmp_path, "second.bundle")  # the same day again, sequence 2
    assert import_bundle(engine, second, staff_id=admin.id, terminal="o").sequence == 2
    before = snapshot(engine)
    with pytest.raises(BundleRefused, match="第2回の書き出しで取り込み済みです。これは第1回"):
        import_bundle(engine, first, staff_id=admin.id, terminal="o")
    assert snapshot(engine) == before


def test_an_export_never_writes_over_a_file_and_closes_the_day(sqlite_office, tmp_path):
    laptop = day_on_the_road(sqlite_office, tmp_path)
    (tmp_path / "day.bundle").write_text("keep me")
    with pytest.raises(ExportRefused, match="上書きはしません"):
        export_bundle(laptop, tmp_path / "day.bundle", staff_id=_staff_id(laptop), terminal="c")
    assert (tmp_path / "day.bundle").read_text() == "keep me"
    assert [p.name for p in tmp_path.glob(".*.part")] == []
    (laptop_row,) = laptop.connect().execute(text("SELECT exported_at FROM outreach_laptop"))
    assert laptop_row[0] is None  # refused before anything was recorded
    data = export(laptop, tmp_path, "ok.bundle")
    (laptop_row,) = laptop.connect().execute(text("SELECT exported_sequence FROM outreach_laptop"))
    assert laptop_row[0] == 1 and data.startswith(b"COUNTER-OUTREACH-BUNDLE 1\n")
    for name in ("加茂", "新開", "太郎", "tanaka"):
        assert name.encode() not in data  # encrypted: nothing of a resident readable


def test_a_newcomer_is_registered_unless_the_office_registered_the_same_person(
    sqlite_office, tmp_path
):
    engine, admin, _ = sqlite_office
    laptop = day_on_the_road(sqlite_office, tmp_path, households=())
    new = route_household("N1", "6830823", "鳥取県米子市加茂町二丁目5番地", "皆生")
    twin = route_household("N2", "6830823", "鳥取県米子市加茂町二丁目6番地", "境")
    save_households(laptop, [new, twin], municipality=MUNICIPALITY)
    newcomer = move_in_visit(laptop, "N1")
    twin_visit = move_in_visit(laptop, "N2")
    # Meanwhile the office registered 境　太郎 (same name and birth date) in its own household.
    office_twin = route_household("T9", "6830801", "鳥取県米子市新開九丁目9番地", "境")
    save_households(engine, [office_twin], municipality=MUNICIPALITY)

    summary = import_bundle(engine, export(laptop, tmp_path), staff_id=admin.id, terminal="o")
    assert (summary.newcomers, summary.conflicts) == (1, 1)
    assert {h.id for h in rows(engine, HouseholdRow)} == {"H1", "H2", "N1", "T9"}
    (conflict,) = open_conflicts(engine)
    assert conflict.kind == "newcomer_exists" and conflict.household_id == "N2"
    assert conflict.office_household_id == "T9" and conflict.visit_id == twin_visit.id
    assert "「境　太郎」" in conflict.detail and "平成2年4月1日生" in conflict.detail
    with Session(engine) as session:
        assert session.get(VisitRow, newcomer.id).household_id == "N1"

    said = settle(engine, conflict.id, "use_office", staff_id=admin.id, terminal="o")
    assert "窓口の記録の人とした" in said
    assert open_conflicts(engine) == []
    with Session(engine) as session:
        assert session.get(VisitRow, twin_visit.id).household_id == "T9"
        assert session.get(HouseholdRow, "N2") is None
        settled = session.get(OutreachConflictRow, conflict.id)
        assert settled.settled_by == admin.id and settled.resolution == "use_office"
    assert audit.verify(engine).ok


def test_a_held_newcomer_registered_as_another_person(sqlite_office, tmp_path):
    engine, admin, _ = sqlite_office
    laptop = day_on_the_road(sqlite_office, tmp_path, households=())
    save_households(
        laptop,
        [route_household("N2", "6830823", "鳥取県米子市加茂町二丁目6番地", "境")],
        municipality=MUNICIPALITY,
    )
    move_in_visit(laptop, "N2")
    save_households(
        engine,
        [route_household("T9", "6830801", "鳥取県米子市新開九丁目9番地", "境")],
        municipality=MUNICIPALITY,
    )
    import_bundle(engine, export(laptop, tmp_path), staff_id=admin.id, terminal="o")
    (conflict,) = open_conflicts(engine)
    settle(engine, conflict.id, "register", staff_id=admin.id, terminal="o")
    with Session(engine) as session:
        assert session.get(HouseholdRow, "N2").address == "鳥取県米子市加茂町二丁目6番地"
        names = session.exec(select(ResidentRow.name).where(ResidentRow.household_id == "N2")).all()
        assert sorted(names) == ["境　太郎", "境　花子"]
        assert session.get(ResidentRow, "T9-1").household_id == "T9"  # the office's untouched


def test_a_household_changed_at_the_office_is_listed_not_overwritten(sqlite_office, tmp_path):
    engine, admin, _ = sqlite_office
    laptop = day_on_the_road(sqlite_office, tmp_path, households=("H1", "H2"))
    with Session(engine) as session:  # the office moved 加茂 to a new address meanwhile
        session.get(HouseholdRow, "H1").address = "鳥取県米子市加茂町三丁目3番地"
        session.commit()
    summary = import_bundle(engine, export(laptop, tmp_path), staff_id=admin.id, terminal="o")
    assert summary.conflicts == 1
    (conflict,) = open_conflicts(engine)
    assert (conflict.kind, conflict.household_id) == ("household_changed", "H1")
    assert conflict.choices == ("reviewed",)
    with Session(engine) as session:
        assert session.get(HouseholdRow, "H1").address == "鳥取県米子市加茂町三丁目3番地"
    settle(engine, conflict.id, "reviewed", staff_id=admin.id, terminal="o")
    assert open_conflicts(engine) == []


def test_individual_numbers_come_back_sealed_with_the_offices_key(
    sqlite_office, tmp_path, monkeypatch
):
    engine, admin, _ = sqlite_office
    keys = {}
    for side in ("laptop", "office"):
        keys[side] = tmp_path / f"{side}.key"
        keys[side].write_text(base64.b64encode(os.urandom(32)).decode())
    monkeypatch.setenv(KEY_FILE_ENV, str(keys["laptop"]))
    laptop = day_on_the_road(sqlite_office, tmp_path, households=())
    head = "123456789018"
    visit = move_in_visit(laptop, "H1", tmp_path / "slips", numbers={mynumber_key("m1"): head})
    data = export(laptop, tmp_path)
    assert head.encode() not in data
    monkeypatch.setenv(KEY_FILE_ENV, str(keys["office"]))
    import_bundle(engine, data, staff_id=admin.id, terminal="o")
    assert read_numbers(engine, read_key(demo=False), visit.id) == {"m1": head}
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT ciphertext FROM mynumber_vault")).scalar()
    assert head not in stored and head not in json.dumps(snapshot(engine))


def test_a_laptop_chain_edited_behind_the_triggers_is_refused(sqlite_office, tmp_path):
    engine, admin, _ = sqlite_office
    laptop = day_on_the_road(sqlite_office, tmp_path)
    with laptop.begin() as connection:
        connection.execute(text("DROP TRIGGER audit_log_no_update"))
        connection.execute(text("UPDATE audit_log SET detail = '書き換え' WHERE id = 1"))
    data = export(laptop, tmp_path)
    before = snapshot(engine)
    with pytest.raises(BundleRefused, match="監査ログの鎖が切れています（ID 1 の行の内容"):
        import_bundle(engine, data, staff_id=admin.id, terminal="o")
    assert snapshot(engine) == before
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(VisitRow)).one() == 0
