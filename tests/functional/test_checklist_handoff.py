"""The checklist and the department hand-off through the real app with Pilot: the counter
marks a confirmed visit's lines, a second app on the same database (another terminal)
finds the handed line in its department's queue and finishes it, and the counter's
checklist then shows the visit settled."""

from __future__ import annotations

from sqlmodel import Session, select
from test_visit_flow import (
    TODAY,
    go_to_forms,
    paste,
    shown,
    wait_for,
)
from textual.widgets import DataTable, Input, Static

from db.engine import make_engine
from db.models import AuditLogRow
from db.visits import checklist
from screens.app import CounterApp
from screens.checklist import ChecklistScreen
from screens.department import DepartmentQueueScreen
from screens.done import DoneScreen
from screens.search import SearchScreen

NOTE = "保険証は郵送を希望　窓口で待機中"


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def open_checklist(pilot) -> ChecklistScreen:
    app = pilot.app
    await go_to_forms(pilot, "よなご", 2, "down", "enter")
    await pilot.press("f10")
    await wait_for(pilot, lambda: shown(app, DoneScreen))
    await pilot.press("f4")
    await wait_for(pilot, lambda: shown(app, ChecklistScreen))
    screen = app.screen
    await wait_for(pilot, lambda: bool(screen.lines))
    return screen


async def open_department_queue(pilot) -> DepartmentQueueScreen:
    """Another terminal: F9 from the search screen opens the departments' queue."""
    app = pilot.app
    await wait_for(pilot, lambda: shown(app, SearchScreen))
    await pilot.press("f9")
    await wait_for(pilot, lambda: shown(app, DepartmentQueueScreen))
    return app.screen


async def test_a_line_handed_at_the_counter_is_finished_by_its_department(settings, clerk):
    counter = CounterApp(settings, today=TODAY, staff=clerk)
    async with counter.run_test(size=(120, 40)) as pilot:
        checklist_screen = await open_checklist(pilot)
        visit_id = checklist_screen.visit_id
        lines = list(checklist_screen.lines.values())
        target = next(line for line in lines if line.department != lines[0].department)
        # every line done here, except the target: a note (N), then handed (2)
        for line in lines:
            if line is target:
                await pilot.press("n")
                note = checklist_screen.query_one("#note", Input)
                assert counter.focused is note
                paste(note, NOTE)
                await pilot.press("enter")
                await wait_for(pilot, lambda: checklist_screen.lines[target.procedure_id].note)
                await pilot.press("2")
            else:
                await pilot.press("1")
        total = len(lines)
        await wait_for(
            pilot,
            lambda: (
                text_of(checklist_screen, "#progress") == f"完了 {total - 1}／{total}、引き継ぎ中 1"
            ),
        )
        engine = make_engine(settings.database_url)
        stored = {line.procedure_id: line for line in checklist(engine, visit_id)}
        engine.dispose()
        assert stored[target.procedure_id].status == "handed_to_department"
        assert stored[target.procedure_id].note == NOTE
        assert {stored[line.procedure_id].status for line in lines if line is not target} == {
            "done_here"
        }

        # another terminal: F9 from the search screen, the department, F10
        department_app = CounterApp(settings, today=TODAY, staff=clerk)
        async with department_app.run_test(size=(80, 24)) as other:
            queue_screen = await open_department_queue(other)
            departments = queue_screen.query_one("#departments", DataTable)
            await wait_for(other, lambda: queue_screen.department is not None)
            departments.focus()
            departments.move_cursor(row=departments.get_row_index(target.department))
            await other.press("enter")
            queue = queue_screen.query_one("#queue", DataTable)
            await wait_for(other, lambda: queue.row_count == 1)
            assert queue_screen.department == target.department
            detail = text_of(queue_screen, "#queue-detail")
            assert target.name in detail and NOTE in detail and "米子　太郎様" in detail
            assert "-forms.pdf" in detail
            await other.press("f10")
            await wait_for(other, lambda: queue.row_count == 0)
            assert "完了にしました" in text_of(queue_screen, "#queue-message")

        # back at the counter: F5 reads the department's work, the visit is settled
        await pilot.press("f5")
        await wait_for(
            pilot,
            lambda: (
                text_of(checklist_screen, "#progress")
                == f"完了 {total}／{total}、引き継ぎ中 0　すべての手続きが済みました"
            ),
        )
        table = checklist_screen.query_one("#checklist", DataTable)
        assert table.get_cell(target.procedure_id, "status") == "担当課で完了"

    # the audit log: the department saw the visit, and both marks are changes by the clerk
    with Session(make_engine(settings.database_url)) as session:
        rows = session.exec(select(AuditLogRow).where(AuditLogRow.visit_id == visit_id)).all()
    assert any(r.action == "view" and "担当課の一覧" in r.detail for r in rows)
    marks = [r.detail for r in rows if r.action == "edit" and target.procedure_id in r.detail]
    assert marks[-2:] == [
        f"手続き {target.procedure_id}: 担当課へ引き継ぎ",
        f"手続き {target.procedure_id}: 担当課で完了",
    ]
    assert {r.staff_id for r in rows if r.action == "edit"} == {clerk.id}


async def test_a_department_cannot_finish_a_line_the_counter_took_back(settings, clerk):
    counter = CounterApp(settings, today=TODAY, staff=clerk)
    async with counter.run_test(size=(120, 40)) as pilot:
        checklist_screen = await open_checklist(pilot)
        first = next(iter(checklist_screen.lines.values()))
        await pilot.press("2")
        await wait_for(pilot, lambda: "引き継ぎ中 1" in text_of(checklist_screen, "#progress"))

        department_app = CounterApp(settings, today=TODAY, staff=clerk)
        async with department_app.run_test(size=(120, 40)) as other:
            queue_screen = await open_department_queue(other)
            queue = queue_screen.query_one("#queue", DataTable)
            await wait_for(other, lambda: queue.row_count == 1)
            assert queue_screen.department == first.department  # the only one waiting

            # meanwhile the counter takes it back: 後日
            await pilot.press("up", "3")
            await wait_for(pilot, lambda: "引き継ぎ中 0" in text_of(checklist_screen, "#progress"))

            queue.focus()
            await other.press("f10")
            message = lambda: text_of(queue_screen, "#queue-message")  # noqa: E731
            await wait_for(other, lambda: "引き継がれていません" in message())
            assert "現在は後日" in message() and "Traceback" not in message()
            await wait_for(other, lambda: queue.row_count == 0)
