"""The individual number through a whole 転入 with Pilot: asked once per person, checked at
its field, masked in the preview, never in a draft, sealed in the vault, masked in the kept
PDF, in full only on the printed paper, and never on the slip, in the log or in a file."""

from __future__ import annotations

import json
import logging
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from pdfcheck import pdf_text
from sqlalchemy import inspect, text
from test_resume import park
from test_visit_flow import TODAY, go_to_forms, paste, shown, wait_for
from textual.widgets import DataTable, Input

import workflows.printing
from db.engine import make_engine
from db.vault import read_key, read_numbers
from screens.app import CounterApp
from screens.done import DoneScreen
from screens.forms_check import FormsScreen
from screens.logs import _logger
from screens.plan import PlanScreen
from screens.resume import ResumeScreen

HEAD = "123456789018"
TYPED_FORMS = (HEAD, "１２３４５６７８９０１８", "1234-5678-9018", "１２３４　５６７８　９０１８")


def flat(value: str) -> str:
    return "".join(value.split())


def leaks(value: str) -> list[str]:
    """The ways the head's number could appear in ``value``."""
    return [form for form in TYPED_FORMS if form in value or flat(form) in flat(value)]


def database_text(url: str) -> str:
    engine = make_engine(url)
    with engine.connect() as connection:
        found = "\n".join(
            repr(tuple(row))
            for table in inspect(engine).get_table_names()
            for row in connection.execute(text(f'SELECT * FROM "{table}"'))
        )
    engine.dispose()
    return found


def log_file() -> Path:
    """counter.log: opened once per process, in the data directory of the first use."""
    handler = next(h for h in _logger().handlers if isinstance(h, logging.FileHandler))
    return Path(handler.baseFilename)


def printed_text(printer: Path, wanted: str, folder: Path, seconds: float = 15) -> str:
    """The text of the job the file printer holds, once it is the one with ``wanted``."""
    deadline = time.monotonic() + seconds
    found = ""
    while time.monotonic() < deadline:
        copy = folder / "printed.pdf"
        copy.write_bytes(printer.read_bytes())
        try:
            found = pdf_text(copy)
        except Exception:  # cupsd is still writing the file
            found = ""
        if wanted in found:
            return found
        time.sleep(0.1)
    return found


def number_field(screen: FormsScreen) -> tuple[int, Input]:
    index = [item.key for item in screen.inputs].index("mynumber#H900001-1")
    return index, screen.query_one(f"#typed-{index}", Input)


async def test_the_number_is_asked_once_sealed_and_in_full_only_on_the_printed_paper(
    settings, printer, clerk, monkeypatch, tmp_path
):
    from cupsserver import QUEUE

    temporary = tmp_path / "temporary"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    log = log_file()
    logged_before = log.read_text(encoding="utf-8")
    app = CounterApp(replace(settings, printer=QUEUE), today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await go_to_forms(pilot, "よなご", 2, "down", "enter")
        asked = [(item.key, item.label) for item in screen.inputs if item.mynumber]
        assert asked == [
            ("mynumber#H900001-1", "個人番号（米子　太郎）"),
            ("mynumber#H900001-2", "個人番号（米子　花子）"),
        ]
        head = next(item for item in screen.inputs if item.key == "mynumber#H900001-1")
        assert {"住民異動届", "国民健康保険 資格取得届"} <= set(head.forms)  # one input, many forms
        index, field = number_field(screen)
        assert type(field) is Input and not field.password

        # A wrong check digit: its reason at its field, the visit not confirmed.
        paste(field, "123456789019")
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause(0.3)
        assert isinstance(app.screen, FormsScreen) and app.focused is field
        assert "検査数字が合いません" in str(screen.query_one(f"#typed-error-{index}").render())

        # Full width and grouped, as the IME gives it: shown in full where typed, masked
        # in the preview.
        field.value = ""
        paste(field, "１２３４　５６７８　９０１８")
        preview = screen.query_one("#form-preview")
        await wait_for(pilot, lambda: "********9018" in str(preview.render()))
        assert field.value == "１２３４　５６７８　９０１８"
        assert leaks(str(preview.render())) == []

        # Parked: the draft says a number was typed, never which.
        await park(pilot)
        draft = json.loads(_visit_row(settings)["draft_json"])
        assert draft["mynumbers_typed"] == 1
        assert leaks(json.dumps(draft, ensure_ascii=False)) == [] and "9018" not in str(draft)

        # Resumed: staff are told to type it again.
        await pilot.press("f7")
        await wait_for(pilot, lambda: shown(app, ResumeScreen))
        table = app.screen.query_one("#open-visits", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown(app, PlanScreen))
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, FormsScreen))
        screen = app.screen
        note = str(screen.query_one("#mynumber-resumed").render())
        assert "個人番号（1件）は保存していません" in note and "もう一度入力" in note
        index, field = number_field(screen)
        assert field.value == ""
        paste(field, "1234-5678-9018")
        await pilot.pause()
        await pilot.press("f10")

        await wait_for(pilot, lambda: shown(app, DoneScreen))
        done = app.screen
        await wait_for(pilot, lambda: len(done.print_results) == 2)
        results = dict(done.print_results)
        assert results["届出書"].printed and results["案内票"].printed
        assert results["届出書"].path == done.confirmed.forms_path  # the kept file, named
        shown_text = str(done.query_one("#done").render())
        assert "個人番号 1件を暗号化して保存しました" in shown_text
        assert "全桁はプリンターで印刷した届出書にだけ出ます" in shown_text
        assert leaks(shown_text) == []

        # The printer got the forms with the number in full; no copy stays on disk.
        printed = printed_text(printer, "住民異動届", tmp_path)
        assert HEAD in flat(printed) and "********" not in printed
        assert list(temporary.iterdir()) == []

        # F7 with a printer that fails, its error carrying the number: logged redacted.
        def failing(path, queue, **_):
            raise RuntimeError(f"lp failed for {path.name}: {' / '.join(TYPED_FORMS)}")

        monkeypatch.setattr(workflows.printing, "print_pdf", failing)
        await pilot.press("f7")
        status = done.query_one("#print-status")
        await wait_for(pilot, lambda: "印刷できませんでした" in str(status.render()))
        assert list(temporary.iterdir()) == []

    confirmed = done.confirmed
    visit_id = confirmed.visit.id
    engine = make_engine(settings.database_url)
    assert read_numbers(engine, read_key(demo=True), visit_id) == {"H900001-1": HEAD}
    engine.dispose()
    assert leaks(database_text(settings.database_url)) == []  # drafts, audit, everything

    kept = flat(pdf_text(confirmed.forms_path))
    assert "********9018" in kept and leaks(kept) == []
    slip = flat(pdf_text(confirmed.slip_path))
    assert leaks(slip) == [] and "********" not in slip and "9018" not in slip
    kept_files = {confirmed.slip_path.name, confirmed.forms_path.name}
    assert {p.name for p in settings.slip_dir.iterdir()} == kept_files

    logged = log.read_text(encoding="utf-8")[len(logged_before) :]
    assert "印刷 に失敗しました" in logged and "RuntimeError" in logged
    assert logged.count("［個人番号］") >= len(TYPED_FORMS) and leaks(logged) == []


def _visit_row(settings) -> dict:
    engine = make_engine(settings.database_url)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT * FROM visit")).one()
    engine.dispose()
    return dict(row._mapping)


async def test_a_real_profile_without_a_key_refuses_the_number_at_its_field(
    settings, clerk, monkeypatch
):
    import screens.app
    from counter.profile import load_profile
    from db.vault import KEY_FILE_ENV

    monkeypatch.delenv(KEY_FILE_ENV, raising=False)
    real = replace(load_profile(settings.municipality), payment_demo=False)
    monkeypatch.setattr(screens.app, "load_profile", lambda code: real)
    logged_before = log_file().read_text(encoding="utf-8")
    app = CounterApp(replace(settings, payment_key=b"k" * 32), today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await go_to_forms(pilot, "よなご", 2, "down", "enter")
        index, field = number_field(screen)
        paste(field, HEAD)
        await pilot.pause()
        await pilot.press("f10")
        error = screen.query_one(f"#typed-error-{index}")
        await wait_for(pilot, lambda: "個人番号を保存する鍵がありません" in str(error.render()))
        assert KEY_FILE_ENV in str(error.render())
        assert "確定していません" in str(screen.query_one("#summary").render())
        assert isinstance(app.screen, FormsScreen)
        assert _visit_row(settings)["status"] == "open"
        # Left blank, the visit confirms and the form says 「窓口で記入」 as before.
        field.value = ""
        await pilot.pause()
        await pilot.press("f10")
        await wait_for(pilot, lambda: shown(app, DoneScreen))
        assert app.screen.confirmed.numbers_stored == 0
    assert leaks(database_text(settings.database_url)) == []
    assert log_file().read_text(encoding="utf-8") == logged_before  # a refusal, not a failure
