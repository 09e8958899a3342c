"""Demo visits stored (`counter demo-data --visits`): confirmed visits of the demo
households, numbered from the day's counters, counted by the figures without a cell
suppressed, audited, and never beside real residents; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, col, select

from counter.demo import as_demo, generate_households
from counter.demo_visits import DEVICE
from counter.stats import SUPPRESSED, as_json
from db.checklist import department_queue
from db.drafts import start_visit
from db.models import AuditLogRow, PaymentCodeRow, VisitProcedureRow, VisitRow
from db.register import DemoRefused, save_households
from db.stats import figures
from db.visits import load_visit_for_slip
from workflows.demo_visits import make_demo_visits

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
YESTERDAY = date(2026, 11, 19)  # the last open day before TODAY


def demo_visits(engine, count: int) -> int:
    return make_demo_visits(engine, count, municipality="312029", seed=0, today=TODAY, now=NOW,
                            audit_as=(None, "t1"))  # fmt: skip


def rows(engine, model, *where) -> list:
    with Session(engine) as session:
        return list(session.exec(select(model).where(*where)).all())


@pytest.fixture
def demo_register(engine):
    households = as_demo(generate_households(20, seed=3, on=TODAY))
    save_households(engine, households, municipality="312029", demo=True)
    return {h.household_id for h in households}


def test_demo_visits_are_confirmed_visits_of_the_demo_households(engine, demo_register):
    assert demo_visits(engine, 3000) == 3000
    visits = rows(engine, VisitRow)
    assert len(visits) == 3000 and {v.status for v in visits} == {"confirmed"}
    assert {v.device_id for v in visits} == {DEVICE}
    assert {v.household_id for v in visits} <= demo_register
    assert all(v.confirmed_at > v.created_at for v in visits)
    assert all(v.case_json == "{}" and v.plan_json == "{}" for v in visits)  # nobody's data
    per_day = Counter(v.office_date for v in visits)
    numbers = {(v.office_date, v.reception_number) for v in visits}
    assert numbers == {(day, n) for day, count in per_day.items() for n in range(1, count + 1)}
    (audited,) = [r.detail for r in rows(engine, AuditLogRow) if "見本の受付" in r.detail]
    assert audited == "見本の受付の登録 3000件"
    codes = rows(engine, PaymentCodeRow)
    assert codes and all(c.demo and c.collector == "99999" for c in codes)
    assert len({c.payment_number for c in codes}) == len(codes)


def test_the_figures_of_demo_visits_show_every_main_cell(engine, demo_register):
    demo_visits(engine, 3000)
    days = sorted({v.office_date for v in rows(engine, VisitRow)})
    shown = as_json(figures(engine, "312029", days[0], days[-1]))
    assert shown["visits"] == 3000
    assert SUPPRESSED not in [row["visits"] for row in shown["visits_by_day"]]
    assert shown["visits_by_event"][0]["visits"] != SUPPRESSED
    assert max(shown["visits_by_event"], key=lambda r: r["visits"] if r["visits"] != SUPPRESSED
               else 0)["event"] == "証明書の請求"  # fmt: skip
    assert isinstance(shown["minutes_per_visit"]["all"]["median"], float)
    assert isinstance(shown["fields"]["no_writing_rate_percent"], float)
    assert (
        shown["certificates"][0]
        == {
            "certificate": "住民票の写し 1通",
            "requests": shown["certificates"][0]["requests"],
        }
        and shown["certificates"][0]["requests"] > 500
    )
    kokuho = next(h for h in shown["handoffs"] if h["department"] == "保険年金課")
    assert kokuho["handed"] > kokuho["done"] > 100 and kokuho["waiting"] > 0
    assert isinstance(kokuho["hours_to_done"]["median"], float)
    fees = next(r for r in shown["payment_codes"] if r["revenue_item"] == "certificates")
    assert fees["issued"] > fees["paid"] > 1000
    assert {r["channel"] for r in shown["visits_by_channel"]} == {"窓口", "出張"}


def test_demo_visits_take_their_numbers_after_those_given_already(engine, demo_register):
    real = start_visit(engine, municipality="312029", device_id="t1", office_date=YESTERDAY)
    assert real.reception_number == 1
    demo_visits(engine, 300)
    numbers = [v.reception_number for v in rows(engine, VisitRow, VisitRow.device_id == DEVICE,
                                                 VisitRow.office_date == YESTERDAY)]  # fmt: skip
    assert sorted(numbers) == list(range(2, len(numbers) + 2))


def test_no_demo_visit_beside_real_residents(engine):
    households = generate_households(1, seed=3, on=TODAY)  # a register id: a real resident
    save_households(engine, households, municipality="312029")
    with pytest.raises(
        DemoRefused, match=r"実際の住民記録（.*人）があります。見本の受付は作れません"
    ):
        demo_visits(engine, 300)
    assert rows(engine, VisitRow) == []
    assert not [r for r in rows(engine, AuditLogRow) if "見本の受付" in r.detail]


def test_importing_the_real_register_removes_the_demo_visits(engine, demo_register):
    from db.importer import import_households
    from db.models import IssuedFormRow

    kept = start_visit(engine, municipality="312029", device_id="t1", office_date=YESTERDAY)
    demo_visits(engine, 300)
    real = generate_households(2, seed=3, on=TODAY)
    result = import_households(engine, real, municipality="312029")
    assert (result.demo_visits_removed, result.demo_households_removed) == (300, 20)
    assert [v.id for v in rows(engine, VisitRow)] == [kept.id]  # a visit of the counter stays
    for model in (VisitProcedureRow, IssuedFormRow, PaymentCodeRow):
        assert rows(engine, model) == []


def test_without_demo_households_the_visits_are_of_nobody(engine):
    demo_visits(engine, 300)
    assert {v.household_id for v in rows(engine, VisitRow)} == {None}


def test_a_department_sees_a_waiting_demo_line_without_names_and_no_slip_is_made(
    engine, demo_register
):
    demo_visits(engine, 300)
    waiting = rows(engine, VisitProcedureRow,
                   col(VisitProcedureRow.checklist_status) == "handed_to_department")  # fmt: skip
    assert waiting
    queue = department_queue(engine, waiting[0].department)
    assert queue and {(line.head_name, line.address) for line in queue} == {("", "")}
    with pytest.raises(LookupError, match="見本の受付（demo-data）で案内票はありません"):
        load_visit_for_slip(engine, waiting[0].visit_id)


# --- the command -------------------------------------------------------------------------


def test_the_command_prints_one_line_and_audits_who_made_them(sqlite_url):
    from conftest import run_counter

    from db.engine import make_engine

    both = run_counter(sqlite_url, "demo-data", "--households", "20", "--visits", "500",
                       login="kanri")  # fmt: skip
    assert both.returncode == 0, both.stderr
    assert both.stdout == f"20世帯と見本の受付 500件を登録しました（{sqlite_url}）\n"
    alone = run_counter(sqlite_url, "demo-data", "--visits", "300", login="kanri")
    assert alone.stdout == f"見本の受付 300件を登録しました（{sqlite_url}）\n"
    engine = make_engine(sqlite_url)
    try:
        assert len(rows(engine, VisitRow)) == 800
        audited = [(r.detail, r.staff_id) for r in rows(engine, AuditLogRow)
                   if r.detail.startswith("見本の")]  # fmt: skip
        kanri = audited[0][1]
        assert kanri and audited == [
            ("見本の住民データの登録 20世帯", kanri),
            ("見本の受付の登録 500件", kanri),
            ("見本の受付の登録 300件", kanri),  # no household made again: --visits alone
        ]
    finally:
        engine.dispose()


def test_the_command_refuses_beside_a_real_register(sqlite_url):
    from conftest import run_counter

    from db.engine import make_engine

    engine = make_engine(sqlite_url)
    real = generate_households(1, seed=3, on=TODAY)
    save_households(engine, real, municipality="312029")
    result = run_counter(sqlite_url, "demo-data", "--visits", "100", login="kanri")
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line == (
        f"エラー: このデータベースには実際の住民記録（{len(real[0].members)}人）があります。"
        "見本の受付は作れません（何も登録していません）"
    )
    try:
        assert rows(engine, VisitRow) == []
    finally:
        engine.dispose()


def test_killed_while_storing_demo_visits_none_is_kept_and_the_next_run_stores_them(
    sqlite_url,
):
    """`demo-data --households 20 --visits 200`: the households are stored and audited in
    their own transaction; kill -9 once the visits are in theirs, before it commits."""
    from conftest import ADMIN_PASSWORD, run_counter
    from killer import counter

    from db.audit import verify
    from db.engine import make_engine
    from db.models import HouseholdRow

    # the calls to audit.append: the sign-in, the households, then the visits
    killed = counter("--database-url", sqlite_url, "demo-data", "--households", "20",
                     "--visits", "200", "--as", "kanri", stdin=f"{ADMIN_PASSWORD}\n",
                     kill=("db.audit", "append", 2, "after"))  # fmt: skip
    assert killed.returncode == -9
    engine = make_engine(sqlite_url)
    try:
        assert len(rows(engine, HouseholdRow)) == 20 and rows(engine, VisitRow) == []
        assert verify(engine).ok
        again = run_counter(sqlite_url, "demo-data", "--visits", "200", login="kanri")
        assert again.returncode == 0, again.stderr
        assert len(rows(engine, VisitRow)) == 200
    finally:
        engine.dispose()
