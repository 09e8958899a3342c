"""A whole counter visit driven through the real app with Pilot: search → event → questions
→ plan → confirm; the visit is stored and the slip PDF exists with its QR."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

from pdfcheck import decoded_qr_codes, pdf_text
from sqlmodel import Session, select
from textual import events
from textual.widgets import DataTable, Input, RadioSet, SelectionList

from counter.payment import parse_elqr
from db.engine import make_engine
from db.models import AuditLogRow, IssuedFormRow, PaymentCodeRow, VisitProcedureRow, VisitRow
from db.visits import issued_forms
from forms.slip_preview import TICK
from screens.app import CounterApp
from screens.done import DoneScreen
from screens.event import EventScreen
from screens.forms_check import FormsScreen
from screens.login import FIRST_ADMINISTRATOR, LoginScreen
from screens.payment_qr import PaymentQrScreen
from screens.plan import PlanScreen
from screens.questions import QuestionsScreen
from screens.search import SearchScreen
from screens.settings import Settings
from workflows.printing import LARGE

TODAY = date(2026, 11, 24)


async def wait_for(pilot, condition, tries: int = 500) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    shown = [str(w.render()) for w in pilot.app.screen.query("Static")]
    raise AssertionError(f"画面が期待した状態になりませんでした: {shown}")


def shown(app, screen_type) -> bool:
    """The screen is on top and composed (its header title exists)."""
    return isinstance(app.screen, screen_type) and bool(app.screen.query("#header-title"))


async def open_household(pilot, query: str, rows: int, *keys: str) -> EventScreen:
    """Search from the search screen and open the household with ``keys``."""
    app = pilot.app
    await wait_for(pilot, lambda: shown(app, SearchScreen))
    paste(app.screen.query_one("#query", Input), query)
    table = app.screen.query_one("#results", DataTable)
    await wait_for(pilot, lambda: table.row_count == rows)
    await pilot.press(*keys)
    await wait_for(pilot, lambda: shown(app, EventScreen))
    screen = app.screen
    await wait_for(pilot, lambda: screen.household is not None)
    return screen


async def choose_move_in(pilot, screen: EventScreen) -> None:
    screen.query_one("#event", RadioSet).focus()
    await pilot.pause()
    await pilot.press("right", "enter")


async def enter_date_and_go_on(pilot, screen: EventScreen, text: str) -> None:
    date_input = screen.query_one("#event-date", Input)
    date_input.value = ""
    paste(date_input, text)
    await pilot.pause()
    await pilot.press("f5")


def paste(widget, text: str) -> None:
    """Type as an IME commits text: Pilot.press loses U+3000, a paste event keeps it."""
    widget.focus()
    widget.post_message(events.Paste(text))


async def test_birth_visit_end_to_end(settings: Settings, tmp_path: Path, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        # half-width kana finds ヨナゴ
        screen = await open_household(pilot, "ﾖﾅｺﾞ", 2, "down", "enter")
        assert screen.query_one("#event", RadioSet).pressed_index == 0  # 出生
        date_input = screen.query_one("#event-date", Input)
        date_input.value = ""
        paste(date_input, "Ｒ８．１１．２０")  # full-width 和暦 from the IME
        # The household's surname and its kana are filled in; the given name follows.
        assert screen.query_one("#child-name", Input).value == "米子\u3000"
        assert screen.query_one("#child-kana", Input).value == "ヨナゴ\u3000"
        paste(screen.query_one("#child-name", Input), "陽翔")
        paste(screen.query_one("#child-kana", Input), "はると")
        await pilot.pause()
        await pilot.press("f5")

        await wait_for(pilot, lambda: shown(app, QuestionsScreen))
        questions = app.screen
        assert "birth_acceptance_certificate" in questions.question_ids
        certificate = questions.query_one("#q-birth_acceptance_certificate", RadioSet)
        certificate.focus()
        await pilot.pause()
        await pilot.press("left", "left")  # わからない → いいえ → はい, chosen as it moves
        assert certificate.pressed_index == 0
        await pilot.press("f5")

        await wait_for(pilot, lambda: shown(app, PlanScreen))
        plan = app.screen.plan
        ids = {p.id for p in plan.procedures}
        assert {
            "birth_registration",
            "nhi_join_birth",
            "child_allowance_claim_birth",
            "birth_acceptance_certificate",
        } <= ids
        assert plan.total_fee == 350
        assert app.screen.query_one("#procedures", DataTable).row_count == len(plan.procedures)
        await pilot.press("f5")

        # The forms: the phone is asked once and typed in full width from the IME.
        await wait_for(pilot, lambda: shown(app, FormsScreen))
        forms_screen = app.screen
        keys = [item.key for item in forms_screen.inputs]
        assert len(keys) == len(set(keys)) and "contact_phone" in keys
        phone_forms = next(i for i in forms_screen.inputs if i.key == "contact_phone").forms
        assert len(phone_forms) >= 3
        phone = forms_screen.query_one(f"#typed-{keys.index('contact_phone')}", Input)
        paste(phone, "０８５９ー２３ー５１１１")
        preview = forms_screen.query_one("#form-preview")
        await wait_for(pilot, lambda: "0859-23-5111" in str(preview.render()))
        # Both parents at home: the counter names the 児童手当 請求者 (typed with an ASCII
        # space), the register gives her フリガナ and 生年月日, and their inputs go away.
        mother = next(m for m in forms_screen.cases[0].household.members if m.sex == "female")
        claimant = keys.index("child_allowance_claimant")
        follows = [keys.index(k) for k in ("child_allowance_claimant_kana",
                                           "child_allowance_claimant_birth_date")]  # fmt: skip
        assert all(forms_screen.query_one(f"#staff-input-{i}").display for i in follows)
        paste(forms_screen.query_one(f"#typed-{claimant}", Input), mother.name.replace("　", " "))
        await wait_for(pilot, lambda: mother.kana in str(preview.render()))
        assert not any(forms_screen.query_one(f"#staff-input-{i}").display for i in follows)
        hidden = {k for n, k in enumerate(keys)
                  if not forms_screen.query_one(f"#staff-input-{n}").display}  # fmt: skip
        # her number and her husband's are now their own inputs, asked once each
        assert {"mynumber#claimant", "mynumber#spouse"} <= hidden
        assert f"mynumber#{mother.id}" in set(keys) - hidden
        hint = str(forms_screen.query_one("#inputs-hint").render())
        assert f"窓口で記入する項目 {len(keys) - len(hidden)}件" in hint
        assert forms_screen.query_one(f"#staff-input-{claimant}").display
        await pilot.press("f10")

        await wait_for(pilot, lambda: shown(app, DoneScreen))
        confirmed = app.screen.confirmed
        assert confirmed.visit.reception_number == 1
        # The slip as it prints, on screen: every procedure, in visiting order.
        slip_text = str(app.screen.query_one("#slip-preview").render())
        assert "受付番号 1" in slip_text and "【見本】" in slip_text
        names = [line.name for section in confirmed.slip.sections for line in section.lines]
        assert sorted(names) == sorted(p.name for p in plan.procedures)
        positions = [slip_text.index(f"{TICK}{name}") for name in names]
        assert positions == sorted(positions)
        status = app.screen.query_one("#print-status")
        await wait_for(pilot, lambda: "プリンターが設定されていません" in str(status.render()))
        # F8: the payment QR large on screen, for the resident's phone; Esc comes back.
        done = app.screen
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, PaymentQrScreen))
        assert app.screen.payload == confirmed.visit.payments[0].payload
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is done)

    slip = confirmed.slip_path
    assert slip.is_file() and slip.parent == settings.slip_dir
    text = pdf_text(slip)
    assert "出生届" in text and "令和8年12月3日（木）" in text
    codes = decoded_qr_codes(slip)
    assert codes == [code.payload for code in confirmed.visit.payments]
    assert parse_elqr(codes[0]).amount == 350

    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        visit = session.exec(select(VisitRow)).one()
        assert visit.event == "birth"
        assert visit.household_id == "H900001"
        assert visit.slip_path == str(slip)
        stored_case = json.loads(visit.case_json)
        newborn = [m for m in stored_case["members"] if m["subject"]]
        assert newborn[0]["name"] == "米子　陽翔"  # U+3000 kept
        assert newborn[0]["kana"] == "ヨナゴ　ハルト"
        assert stored_case["event_date"] == "2026-11-20"
        stored_ids = set(session.exec(select(VisitProcedureRow.procedure_id)).all())
        assert stored_ids == ids
        payment = session.exec(select(PaymentCodeRow)).one()
        assert payment.amount == 350 and payment.demo and payment.payload == codes[0]
        assert payment.revenue_item == "certificates"

    # The pre-filled forms of the visit: one file, stored per form with its counts.
    forms_path = confirmed.forms_path
    assert forms_path is not None and forms_path.is_file()
    forms_text = pdf_text(forms_path)
    assert "出生届" in forms_text and "ヨナゴ" in forms_text
    issued = {form.name: form for form in issued_forms(engine, confirmed.visit.id)}
    assert "出生届" in issued
    assert all(form.file_path == str(forms_path) for form in issued.values())
    assert issued["出生届"].prefilled_fields > 0
    # The phone typed once is on every form that asks for it, and counted as typed there.
    assert flat(forms_text).count("0859-23-5111") == len(phone_forms)
    for name in phone_forms:
        assert issued[name].typed_fields == 1, name
    assert sum(form.typed_fields for form in issued.values()) == len(phone_forms)


def flat(text: str) -> str:
    return "".join(text.split())


async def go_to_forms(pilot, query: str, rows: int, *keys: str) -> FormsScreen:
    """A 転入 of the whole household, default answers, up to the forms screen."""
    app = pilot.app
    screen = await open_household(pilot, query, rows, *keys)
    await choose_move_in(pilot, screen)
    await pilot.press("f5")
    await wait_for(pilot, lambda: shown(app, QuestionsScreen))
    await pilot.press("f5")
    await wait_for(pilot, lambda: shown(app, PlanScreen))
    await pilot.press("f5")
    await wait_for(pilot, lambda: shown(app, FormsScreen))
    return app.screen


async def test_a_bad_phone_number_is_shown_at_its_field_and_nothing_is_stored(
    settings: Settings, clerk
):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await go_to_forms(pilot, "よなご", 2, "down", "enter")
        index = [item.key for item in screen.inputs].index("contact_phone")
        phone = screen.query_one(f"#typed-{index}", Input)
        paste(phone, "０８５９－２３")
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause(0.3)
        assert isinstance(app.screen, FormsScreen)
        error = str(screen.query_one(f"#typed-error-{index}").render())
        assert "電話番号" in error and "Traceback" not in error
        assert app.focused is phone
        # Esc to the plan and back: what was typed is still there.
        await pilot.press("escape")
        await wait_for(pilot, lambda: shown(app, PlanScreen))
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, FormsScreen))
        again = app.screen.query_one(f"#typed-{index}", Input)
        assert again.value == "０８５９－２３"
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        (visit,) = session.exec(select(VisitRow)).all()  # numbered, not confirmed
    assert visit.status == "open" and visit.reception_number == 1
    assert json.loads(visit.draft_json)["step"] == "forms"  # the draft of the last step
    assert not settings.slip_dir.exists() or not any(settings.slip_dir.iterdir())


async def test_a_confirmed_visit_prints_the_slip_and_the_forms_with_their_job_ids(
    settings: Settings, printer: Path, clerk
):
    from cupsserver import QUEUE, wait_for_content

    app = CounterApp(replace(settings, printer=QUEUE), today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await go_to_forms(pilot, "よなご", 2, "down", "enter")
        await pilot.press("f10")
        await wait_for(pilot, lambda: shown(app, DoneScreen))
        done = app.screen
        await wait_for(pilot, lambda: len(done.print_results) == 2)
        results = dict(done.print_results)
        status = str(done.query_one("#print-status").render())
        for label in ("案内票", "届出書"):
            assert results[label].printed, results[label].message
            assert f"{label}: 印刷しました（ジョブ {results[label].job_id}）" in status
        # The file printer holds the last job: the forms, byte for byte, after the slip.
        slip, forms = done.confirmed.slip_path, done.confirmed.forms_path
        assert wait_for_content(printer, forms.read_bytes()) == forms.read_bytes()
        # F6 prints the slip again, as a new job.
        await pilot.press("f6")
        await wait_for(pilot, lambda: len(done.print_results) == 1)
        again = dict(done.print_results)["案内票"]
        assert again.printed and again.job_id != results["案内票"].job_id
        assert wait_for_content(printer, slip.read_bytes()) == slip.read_bytes()
    # every print is in the audit log, by the signed-in clerk, for this visit
    with Session(make_engine(settings.database_url)) as session:
        prints = session.exec(select(AuditLogRow).where(AuditLogRow.action == "print")).all()
    assert [row.detail.split()[0] for row in prints] == [
        "案内票の印刷",
        "届出書の印刷",
        "案内票の印刷",
    ]
    assert {(row.staff_id, row.visit_id) for row in prints} == {(clerk.id, done.confirmed.visit.id)}


async def test_f9_prints_the_large_print_slip(settings: Settings, printer: Path, clerk):
    """The large-print variant is one key away: F9 makes it (14 pt at least) and prints it."""
    from cupsserver import QUEUE, wait_for_content
    from pdfcheck import font_sizes

    app = CounterApp(replace(settings, printer=QUEUE), today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to_forms(pilot, "よなご", 2, "down", "enter")
        await pilot.press("f10")
        await wait_for(pilot, lambda: shown(app, DoneScreen))
        done = app.screen
        await wait_for(pilot, lambda: len(done.print_results) == 2)
        await pilot.press("f9")
        await wait_for(pilot, lambda: [label for label, _ in done.print_results] == [LARGE])
        result = done.print_results[0][1]
        assert result.printed, result.message
        footer = done.query_one("Footer")
        assert "F9" in str([key.render() for key in footer.query("FooterKey")])
    large = done.confirmed.slip_path.with_name(f"{done.confirmed.slip_path.stem}-large.pdf")
    assert large.is_file() and min(font_sizes(large)) >= 14
    assert wait_for_content(printer, large.read_bytes()) == large.read_bytes()


async def test_move_in_visit_for_part_of_a_household(settings: Settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_household(pilot, "米子　花子", 1, "enter", "enter")
        await choose_move_in(pilot, screen)
        movers = screen.query_one("#movers", SelectionList)
        await wait_for(pilot, lambda: movers.display)
        movers.focus()
        await pilot.pause()
        await pilot.press("space")  # untick the head, first in the list
        assert movers.selected == ["H900001-2"]
        await enter_date_and_go_on(pilot, screen, "令和8年11月16日")
        await wait_for(pilot, lambda: shown(app, QuestionsScreen))
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, PlanScreen))
        result = {p.id: p for p in app.screen.plan.procedures}
        assert result["move_in_notification"].members == ("H900001-2",)
        assert result["move_in_notification"].deadline == date(2026, 11, 30)
        assert "mynumber_card_continuation" not in result  # only the head has a card
        assert result["seal_registration"].status == "check"


async def test_bad_date_is_shown_at_the_field_and_nothing_moves_on(settings: Settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_household(pilot, "よなご", 2, "down", "enter")
        date_input = screen.query_one("#event-date", Input)
        date_input.value = "令和8年2月30日"
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, EventScreen)
        error = str(screen.query_one("#error").render())
        assert "出来事の日" in error and "存在しない" in error
        assert app.focused is date_input
        date_input.value = "令和8年11月25日"  # a birth after the filing day
        await pilot.press("f5")
        await pilot.pause()
        error = str(screen.query_one("#error").render())
        assert "出生の日が届出の日より後です" in error and app.focused is date_input
        choices = screen.query_one("#event", RadioSet)
        choices.focus()
        await pilot.press("right", "enter")  # 転入, of everyone in the household
        await wait_for(pilot, lambda: screen.query_one("#movers").display)
        date_input.value = "平成2年3月31日"  # the day before 太郎 was born
        await pilot.press("f5")
        await pilot.pause()
        error = str(screen.query_one("#error").render())
        assert "転入の日が米子　太郎さんの生年月日（平成2年4月1日（日））より前です" in error
        assert isinstance(app.screen, EventScreen) and app.focused is date_input


async def test_first_start_seeds_the_demo_register_once(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    settings = Settings(database_url=url, slip_dir=tmp_path / "slips", device_id="pilot-test")
    app = CounterApp(settings, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        # nothing of a resident before a sign-in: the first administrator is created first
        await wait_for(pilot, lambda: shown(app, LoginScreen))
        await wait_for(pilot, lambda: app.database_ready)
        await wait_for(pilot, lambda: app.screen.mode == FIRST_ADMINISTRATOR)
        from db.register import count_households, search_residents

        assert count_households(app.engine) == 200
        assert search_residents(app.engine, "ア")  # kana search answers on the demo data
        await pilot.pause(0.2)  # let the header's first title callback run before closing
    again = CounterApp(settings, today=TODAY)
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: shown(again, LoginScreen) and again.database_ready)
        assert count_households(again.engine) == 200
        await pilot.pause(0.2)


async def test_a_database_that_cannot_open_gets_one_japanese_line(tmp_path: Path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings = Settings(
        database_url=f"sqlite:///{blocker}/counter.sqlite3",
        slip_dir=tmp_path / "slips",
        device_id="pilot-test",
    )
    app = CounterApp(settings, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        startup = app.query_one("#startup")
        await wait_for(pilot, lambda: "開けませんでした" in str(startup.render()))
        shown = str(startup.render())
        assert "Traceback" not in shown and "Error" not in shown
        assert "Ctrl+Q" in shown


async def test_next_visit_starts_from_an_empty_search(settings: Settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await go_to_forms(pilot, "よなご", 2, "down", "enter")
        search = app.screen_stack[1]
        table = search.query_one("#results", DataTable)
        await pilot.press("f10")
        await wait_for(pilot, lambda: shown(app, DoneScreen))
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.screen is search)
        await wait_for(pilot, lambda: table.row_count == 0)
        assert search.query_one("#query", Input).value == ""
        assert app.focused is search.query_one("#query", Input)


async def test_death_visit_plans_the_survivors_procedures(settings: Settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_household(pilot, "よなご", 2, "down", "enter")
        screen.query_one("#event", RadioSet).focus()
        await pilot.pause()
        await pilot.press("down")  # 死亡 is drawn under 出生
        assert screen.event == "death"
        subjects = screen.query_one("#movers", SelectionList)
        await wait_for(pilot, lambda: subjects.display and subjects.option_count == 2)
        assert subjects.selected == []  # nobody is preselected for a death
        await pilot.press("f5")
        assert "亡くなった方を選んでください" in str(screen.query_one("#error").render())
        assert app.focused is subjects
        await pilot.press("space")  # the head, first in the list
        assert subjects.selected == ["H900001-1"]
        await enter_date_and_go_on(pilot, screen, "令和8年11月20日")
        await wait_for(pilot, lambda: shown(app, QuestionsScreen))
        assert "funeral_held" in app.screen.question_ids
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, PlanScreen))
        result = {p.id: p for p in app.screen.plan.procedures}
        assert result["death_registration"].members == ("H900001-1",)
        assert result["death_registration"].deadline == date(2026, 11, 26)
        assert result["nhi_loss_death"].members == ("H900001-1",)
        assert result["funeral_grant_nhi"].status == "check"
        assert "head_change" not in result  # only one member aged 15+ remains
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, FormsScreen))
        assert "死亡届" in [form.name for form in app.screen.forms]
        await pilot.press("f10")
        await wait_for(pilot, lambda: shown(app, DoneScreen))
        confirmed = app.screen.confirmed
    assert "死亡届" in pdf_text(confirmed.forms_path)
    with Session(make_engine(settings.database_url)) as session:
        visit = session.exec(select(VisitRow)).one()
        assert (visit.event, visit.event_date) == ("death", date(2026, 11, 20))
        assert json.loads(visit.case_json)["members"][0]["subject"] is True


async def test_the_fonts_are_loaded_at_start_so_the_first_slip_does_not_wait(
    settings: Settings, clerk
):
    from forms import fonts

    for cached in (
        fonts.installed_fonts,
        fonts.slip_fonts,
        fonts._characters,
        fonts._fallback_font,
    ):
        cached.cache_clear()
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: shown(app, SearchScreen))
        await wait_for(pilot, lambda: fonts._fallback_font.cache_info().currsize == 1)
        assert fonts.slip_fonts.cache_info().currsize == 1


async def test_without_a_japanese_font_the_counter_is_told_and_the_visit_is_kept(
    settings: Settings, clerk, tmp_path: Path, monkeypatch
):
    """fontconfig (of this test only) knows no font: the app says so once at start with
    the package to install; a visit is still confirmed and its forms' figures stored, but
    no PDF is written that would print as boxes."""
    from forms import fonts

    config = tmp_path / "fonts.conf"
    config.write_text(
        f"<?xml version='1.0'?><fontconfig><dir>{tmp_path / 'no-fonts'}</dir>"
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    caches = (fonts.installed_fonts, fonts.slip_fonts, fonts._characters, fonts._fallback_font)
    for cached in caches:
        cached.cache_clear()
    try:
        app = CounterApp(settings, today=TODAY, staff=clerk)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: shown(app, SearchScreen))
            await wait_for(pilot, lambda: any("フォント" in n.message for n in app._notifications))
            notices = [n.message for n in app._notifications if "フォント" in n.message]
            forms_screen = await go_to_forms(pilot, "よなご", 2, "down", "enter")
            assert isinstance(forms_screen, FormsScreen)
            await pilot.press("f10")
            await wait_for(pilot, lambda: shown(app, DoneScreen))
            done = app.screen
            shown_text = str(done.query_one("#done").render())
    finally:
        for cached in caches:
            cached.cache_clear()
    assert notices == [
        "案内票と届出書に使う日本語フォントがこの端末にありません。"
        "管理者に「sudo apt-get install fonts-morisawa-bizud-gothic」を実行してもらってください"
    ]
    assert "受付番号 1 を保存しました" in shown_text
    assert "PDFは作れませんでした" in shown_text and "fonts-morisawa-bizud-gothic" in shown_text
    assert not (tmp_path / "slips").exists() or not any((tmp_path / "slips").iterdir())
    with Session(make_engine(settings.database_url)) as session:
        visit = session.exec(select(VisitRow)).one()
        forms = session.exec(select(IssuedFormRow)).all()
    assert visit.slip_path is None
    assert forms and all(f.file_path is None for f in forms)
    assert sum(f.prefilled_fields for f in forms) > 0


async def test_a_passed_deadline_is_marked_on_the_plan(settings: Settings, clerk):
    """A 出生 of 11/20 brought to the counter on 12/5: the 出生届 was due on 12/3."""
    from screens.widgets.fitted_table import FittedTable

    app = CounterApp(settings, today=date(2026, 12, 5), staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_household(pilot, "よなご", 2, "down", "enter")
        # F5 with only the surname filled in: the child's given name is asked for.
        await enter_date_and_go_on(pilot, screen, "R8.11.20")
        assert "生まれた子の氏名: 名を入力してください" in str(screen.query_one("#error").render())
        paste(screen.query_one("#child-name", Input), "陽翔")
        paste(screen.query_one("#child-kana", Input), "はると")
        await pilot.pause()
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, QuestionsScreen))
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, PlanScreen))
        plan = app.screen
        late = [p for p in plan.plan.procedures if p.overdue]
        assert "birth_registration" in {p.id for p in late}
        table = plan.query_one("#procedures", FittedTable)
        row = [str(c) for c in table.get_row_at(plan.plan.procedures.index(late[0]))]
        assert "！R8.12.3(木)" in row
        summary = str(plan.query_one("#summary").render())
        assert f"期限を過ぎています（{len(late)}件）" in summary
        registration = next(p for p in late if p.id == "birth_registration")
        table.move_cursor(row=plan.plan.procedures.index(registration))
        await pilot.pause()
        detail = str(plan.query_one("#detail").render())
        assert "令和8年12月3日（木）まで（期限を過ぎています）" in detail
        # the 出生届 is a 届出 with a legal period: what that means, with its statute
        assert "届出期間経過：届出の期間を過ぎていますが" in detail and "戸籍法第137条" in detail
