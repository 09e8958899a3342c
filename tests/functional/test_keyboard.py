"""Keyboard first, in Japanese: F1 help per screen, the Ctrl+P palette without English,
the high-contrast theme, and no East-Asian ambiguous-width character in what a screen
draws at 80×24.

Ambiguous width: each widget on the screen is rendered on its own (Widget.render_lines,
what the compositor paints for it), so a character is blamed on the widget that drew it.
Exceptions, decided here: the border rows and columns Textual draws around a widget (tall,
solid, ... are made of box-drawing and block characters, all ambiguous; only the glyphs of
that border type are accepted there, never text), the scroll bars (drawn by Textual outside
the widgets), the QR's half block ▀ (screens/widgets/qr_view.py, ARCHITECTURE.md), and
the 「…」 that ends a table cell cut to fit the screen (screens/widgets/fitted_table.py):
the product asks for exactly that mark, and a terminal that draws it wide shifts only
the rest of that row by one cell.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date

from test_visit_flow import paste, wait_for
from textual._border import BORDER_CHARS
from textual.command import CommandInput, CommandList, CommandPalette
from textual.geometry import Region
from textual.widgets import DataTable, Input, RadioSet, SelectionList, Static
from textual.widgets._toast import Toast

from counter.screentext import ELLIPSIS
from screens.app import CounterApp
from screens.certificates import CertificateScreen
from screens.commands import PLACEHOLDER
from screens.done import DoneScreen
from screens.event import EventScreen
from screens.forms_check import FormsScreen
from screens.help import HelpScreen
from screens.leave_visit import LeaveVisitScreen
from screens.payment_qr import PaymentQrScreen
from screens.plan import PlanScreen
from screens.questions import QuestionsScreen
from screens.search import SearchScreen
from screens.theme import CONTRAST, STANDARD, THEME_ENV
from screens.widgets.check_list import CheckList
from screens.widgets.choice_set import ChoiceButton
from screens.widgets.fitted_table import FittedTable
from screens.widgets.qr_view import UPPER_HALF, QrView

TODAY = date(2026, 11, 24)
# Words staff may meet in Latin letters: key names as on the keycaps, and domain codes.
ALLOWED_LATIN = re.compile(r"(F\d{1,2}|Esc|Enter|Tab|Shift\+Tab|Ctrl\+[A-Z]|QR|eL)")


def shown(app, screen_type) -> bool:
    return isinstance(app.screen, screen_type) and bool(app.screen.query("Footer"))


async def search_screen(pilot) -> SearchScreen:
    await wait_for(pilot, lambda: shown(pilot.app, SearchScreen))
    screen = pilot.app.screen
    paste(screen.query_one("#query", Input), "よなご")
    table = screen.query_one("#results", DataTable)
    await wait_for(pilot, lambda: table.row_count == 2)
    await pilot.pause()  # the columns take their widths at the next refresh
    return screen


def help_rows(help_screen: HelpScreen) -> dict[str, str]:
    """Key → what it does (and its explanation), as the help shows them."""
    return {
        str(row.query_one(".help-key").render()): str(row.query_one(".help-description").render())
        for row in help_screen.query(".help-row")
    }


def help_shown(help_screen: HelpScreen) -> str:
    return "\n".join(str(static.render()) for static in help_screen.query(Static))


def english_words(text: str) -> set[str]:
    """Latin-letter words a staff member would have to read, minus the allowed ones."""
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9+]*", re.sub(r"\^[a-z]", "", text)))
    return {word for word in words if not ALLOWED_LATIN.fullmatch(word)}


# ---- F1 help --------------------------------------------------------------------------


async def test_f1_shows_the_search_screens_help_with_its_keys_in_japanese(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        search = await search_screen(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = help_shown(app.screen)
        assert SearchScreen.HELP in text
        rows = help_rows(app.screen)
        assert rows["F2"].startswith("検索欄") and rows["F1"].startswith("ヘルプ")
        # the binding's tooltip explains it
        assert rows["F5"] == "受付\n選んだ世帯の受付を始めます"
        assert rows["Ctrl+Q"].startswith("終了") and rows["Ctrl+P"].startswith("コマンド")
        assert rows["Tab"].startswith("次の項目")  # the common keys, in Japanese
        assert "端末の文字の大きさ" in text  # what "large text" can and cannot mean
        assert english_words(text) == set()
        # Esc closes it and the search is as it was.
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is search)
        assert search.query_one("#query", Input).value == "よなご"
        # F1 again opens it, F1 inside it closes it.
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("f1")
        await wait_for(pilot, lambda: app.screen is search)


async def test_help_follows_the_screen_it_was_opened_on(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_screen(pilot)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: shown(app, EventScreen))
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = help_shown(app.screen)
        assert EventScreen.HELP in text
        rows = help_rows(app.screen)
        assert rows["F5"] == "次へ\n質問に進みます"
        assert rows["Esc"].startswith("戻る")
        assert (
            "選んだ世帯の受付を始めます" not in text
        )  # the search screen's key is not listed here


# ---- Ctrl+P palette -------------------------------------------------------------------


def palette_prompts(app) -> list[str]:
    """The palette's lines as drawn (title and help of each command, or the no-match line)."""
    commands = app.screen.query_one(CommandList)
    lines = ["".join(s.text for s in commands.render_line(y)) for y in range(commands.size.height)]
    return [line.strip() for line in lines if line.strip()]


async def open_palette(pilot) -> list[str]:
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: CommandPalette.is_open(app))
    await wait_for(pilot, lambda: app.screen.query_one(CommandList).option_count >= 3)
    return palette_prompts(app)


async def run_command(pilot, title: str) -> None:
    """Ctrl+P, the command's title typed, Enter once it is the first offered."""
    app = pilot.app
    await open_palette(pilot)
    await pilot.press(*title)
    await wait_for(pilot, lambda: palette_prompts(app)[:1] == [title])
    await pilot.press("enter")


async def test_the_palette_and_its_footer_key_speak_japanese_only(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        search = await search_screen(pilot)

        def footer_keys() -> list[str]:
            return [str(key.render()) for key in search.query("FooterKey")]

        await wait_for(pilot, lambda: any("^p" in text for text in footer_keys()))
        palette_key = next(text for text in footer_keys() if "^p" in text)
        assert "コマンド" in palette_key and "palette" not in palette_key
        assert any(text.split()[:2] == ["F5", "受付"] for text in footer_keys())
        assert english_words(" ".join(footer_keys())) == set(), footer_keys()

        prompts = await open_palette(pilot)
        placeholder = app.screen.query_one(CommandInput).placeholder
        assert placeholder == PLACEHOLDER
        assert english_words(placeholder) == set()
        joined = "\n".join(prompts)
        assert "コントラスト強調の表示（太字・黒地に白と黄色）" in joined
        assert "大きな文字" not in joined  # a terminal's font cannot grow: never promised
        assert "ヘルプ" in joined and "終了" in joined
        assert english_words(joined) == set(), joined
        # A search that finds nothing says so in Japanese.
        await pilot.press(*"zzz")
        await wait_for(pilot, lambda: "見つかりません" in "".join(palette_prompts(app)))
        assert english_words("".join(palette_prompts(app))) == set()
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is search)


async def test_help_from_the_palette_opens_the_current_screens_help(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_screen(pilot)
        await run_command(pilot, "ヘルプ")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert SearchScreen.HELP in help_shown(app.screen)


# ---- theme ----------------------------------------------------------------------------


async def test_the_palette_switches_to_the_contrast_theme_and_back(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        search = await search_screen(pilot)
        title, hint = search.query_one(".title"), search.query_one("#status")
        standard_padding = title.styles.padding
        assert app.theme == STANDARD and not hint.rich_style.bold
        prompts = await open_palette(pilot)
        assert prompts[0].startswith("コントラスト強調の表示")  # highlighted first
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.theme == CONTRAST)
        await wait_for(pilot, lambda: app.screen is search)
        await pilot.pause()
        assert app.has_class(f"-theme-{CONTRAST}")
        assert str(search.styles.background.hex).upper() == "#000000"
        assert title.styles.padding.left > standard_padding.left  # more room around text
        assert hint.rich_style.bold  # every text bold, hints included
        prompts = await open_palette(pilot)
        assert prompts[0].startswith("コントラスト強調をやめる")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.theme == STANDARD)


async def test_counter_theme_picks_the_look_and_a_bad_value_is_told_in_japanese(
    settings, monkeypatch, clerk
):
    monkeypatch.setenv(THEME_ENV, "contrast")
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: shown(app, SearchScreen))
        assert app.theme == CONTRAST
        await pilot.pause(0.2)  # let the header's first title callback run before closing

    monkeypatch.setenv(THEME_ENV, "purple")
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: shown(app, SearchScreen))
        assert app.theme == STANDARD

        def toasts() -> str:
            return "\n".join(str(toast.render()) for toast in app.screen.query(Toast))

        await wait_for(pilot, lambda: "「purple」" in toasts())
        assert "COUNTER_THEME" in toasts() and "標準の表示" in toasts()
        await pilot.pause(0.2)


# ---- marks ----------------------------------------------------------------------------


async def test_choices_and_ticks_show_their_state_by_mark_not_only_colour(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_screen(pilot)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: shown(app, EventScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.household is not None)
        buttons = list(screen.query_one("#event", RadioSet).query(ChoiceButton))
        assert str(buttons[0].render()).startswith("(*)")
        assert all(str(b.render()).startswith("( )") for b in buttons[1:])
        screen.query_one("#event", RadioSet).focus()
        await pilot.press("right", "enter")  # 転入: the movers list
        movers = screen.query_one("#movers", CheckList)
        await wait_for(pilot, lambda: movers.display and movers.option_count == 2)
        assert str(buttons[1].render()).startswith("(*)")
        assert str(buttons[0].render()).startswith("( )")
        movers.focus()
        await pilot.press("space")  # untick the head
        await pilot.pause()
        assert movers.selected == ["H900001-2"]
        rows = [line_text(movers, y) for y in range(2)]
        assert rows[0].startswith("[ ] 米子　太郎") and rows[1].startswith("[x] 米子　花子")


def line_text(widget: SelectionList, y: int) -> str:
    return "".join(segment.text for segment in widget.render_line(y))


# ---- ambiguous width ------------------------------------------------------------------


def is_ambiguous(char: str) -> bool:
    return unicodedata.east_asian_width(char) == "A"


def drawn_ambiguous(screen) -> dict[str, set[str]]:
    """Ambiguous characters each widget on ``screen`` draws, outside Textual's borders.

    The screen itself is skipped: it draws only its background, and a modal one blends in
    the screen below (checked on its own).
    """
    found: dict[str, set[str]] = {}
    for widget in screen.query("*"):
        region = widget.region
        if not widget.display or not region.area:
            continue
        strips = widget.render_lines(Region(0, 0, region.width, region.height))
        styles = widget.styles
        edges = (styles.border_top, styles.border_right, styles.border_bottom, styles.border_left)
        top, right, bottom, left = (int(kind not in ("", "none")) for kind, _ in edges)
        border_glyphs = {c for kind, _ in edges for row in BORDER_CHARS[kind] for c in row}
        bad: set[str] = set()
        for y, strip in enumerate(strips):
            for x, char in cells_of("".join(segment.text for segment in strip)):
                on_border = y < top or y >= len(strips) - bottom
                on_border = on_border or x < left or x >= region.width - right
                if not is_ambiguous(char) or (on_border and char in border_glyphs):
                    continue
                if isinstance(widget, QrView) and char == UPPER_HALF:
                    continue
                if isinstance(widget, FittedTable) and char == ELLIPSIS:
                    continue
                bad.add(char)
        if bad:
            found[f"{type(widget).__name__}#{widget.id}"] = bad
    return found


def cells_of(row: str) -> list[tuple[int, str]]:
    """(cell x, character): a wide character takes two cells."""
    result, x = [], 0
    for char in row:
        result.append((x, char))
        x += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return result


async def open_and_check(pilot, key: str, name: str, check) -> None:
    """A side screen opened with ``key``, checked once settled, closed with Esc."""
    app = pilot.app
    below = app.screen
    await pilot.press(key)
    await wait_for(pilot, lambda: app.screen is not below and bool(app.screen.query("Footer")))
    await pilot.pause(0.3)  # its worker fills it
    await check(name)
    await pilot.press("escape")


async def visit_screens(pilot, check) -> None:
    """``await check(name)`` on every screen of a 出生 visit (and the 転入 fields) at
    80×24, with help and the palette."""
    app = pilot.app
    search = await search_screen(pilot)
    await check("search")
    for key, name in (("f3", "newcomer"), ("f9", "department queue")):
        await open_and_check(pilot, key, name, check)
        await wait_for(pilot, lambda: app.screen is search)
    await pilot.press("f1")
    await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
    await check("help")
    await pilot.press("escape")
    await wait_for(pilot, lambda: app.screen is search)  # the palette opens over the search
    await open_palette(pilot)
    await check("palette")
    await pilot.press("escape")
    await pilot.press("down", "enter")
    await wait_for(pilot, lambda: shown(app, EventScreen))
    event = app.screen
    await wait_for(pilot, lambda: event.household is not None)
    await check("event: birth")
    await pilot.press("escape")  # Esc asks what becomes of the visit's number
    await wait_for(pilot, lambda: isinstance(app.screen, LeaveVisitScreen))
    await check("leave visit")
    await pilot.press("escape")  # and Esc again stays on the visit
    await wait_for(pilot, lambda: app.screen is event)
    choices = event.query_one("#event", RadioSet)
    choices.focus()
    await pilot.press("right", "enter")
    await wait_for(pilot, lambda: event.query_one("#movers").display)
    await check("event: move-in")
    choices.focus()
    await pilot.pause()
    await pilot.press("left")  # back to 出生, which has a fee and so a QR
    await wait_for(pilot, lambda: event.query_one("#birth-fields").display)
    paste(event.query_one("#child-name", Input), "陽翔")  # after the surname filled in
    paste(event.query_one("#child-kana", Input), "はると")
    await pilot.pause()
    await pilot.press("f5")
    await wait_for(pilot, lambda: shown(app, QuestionsScreen))
    await check("questions")
    app.screen.query_one("#q-birth_acceptance_certificate", RadioSet).focus()
    await pilot.press("left", "left")  # はい: the certificate costs a fee
    await pilot.press("f5")
    await wait_for(pilot, lambda: shown(app, PlanScreen))
    await check("plan")
    await pilot.press("f6")  # a certificate request in the same visit
    await wait_for(pilot, lambda: certificates_ready(app))
    await check("certificates: added")
    await pilot.press("escape")
    await wait_for(pilot, lambda: shown(app, PlanScreen))
    await pilot.press("f3")  # another event of the same visit
    await wait_for(pilot, lambda: shown(app, EventScreen) and app.screen.household is not None)
    await check("event: added")
    await pilot.press("escape")
    await wait_for(pilot, lambda: shown(app, PlanScreen))
    await pilot.press("f5")
    await wait_for(pilot, lambda: shown(app, FormsScreen))
    preview = app.screen.query_one("#form-preview")
    await wait_for(pilot, lambda: str(preview.render()))
    await check("forms")
    await pilot.press("f10")
    await wait_for(pilot, lambda: shown(app, DoneScreen))
    await check("done")
    done = app.screen
    await open_and_check(pilot, "f4", "checklist", check)
    await wait_for(pilot, lambda: app.screen is done)
    await pilot.press("f8")
    await wait_for(pilot, lambda: isinstance(app.screen, PaymentQrScreen))
    await check("payment QR")
    await pilot.press("escape")
    await wait_for(pilot, lambda: app.screen is done)
    await pilot.press("f2")  # the next resident asks for a certificate: F6 on the hit
    await search_screen(pilot)
    await pilot.press("f6")
    await wait_for(pilot, lambda: certificates_ready(app))
    await check("certificates")


def certificates_ready(app) -> bool:
    """The certificate screen is on top with its household and its first verdicts."""
    return (
        shown(app, CertificateScreen)
        and app.screen.decision is not None
        and bool(app.screen.query("#kinds"))
    )


async def test_the_sign_in_screens_draw_no_ambiguous_width_character(settings, clerk):
    """Login, first administrator, screen lock, password change, staff accounts and the
    reset dialog, with typed passwords shown as ASCII asterisks (not the bullet •)."""
    from screens.lock import LockScreen
    from screens.login import FIRST_ADMINISTRATOR, LoginScreen
    from screens.password import ChangePasswordScreen
    from screens.staff_admin import NewPasswordDialog, StaffScreen

    app = CounterApp(settings, today=TODAY, staff=replace(clerk, role="administrator"))
    seen: dict[str, dict[str, set[str]]] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.database_ready)
        login = LoginScreen()
        await app.push_screen(login)
        paste(login.query_one("#password", Input), "secret-word")
        await pilot.pause()
        assert "*" * 11 in str(login.query_one("#password").render_line(0).text)
        seen["login"] = drawn_ambiguous(login)
        login.mode = FIRST_ADMINISTRATOR
        login._show_mode()
        await pilot.pause()
        seen["first administrator"] = drawn_ambiguous(login)
        app.pop_screen()
        for name, screen in (
            ("lock", LockScreen()),
            ("password", ChangePasswordScreen(required=True)),
            ("staff", StaffScreen()),
            ("reset", NewPasswordDialog("田中　一郎")),
        ):
            await app.push_screen(screen)
            await pilot.pause(0.2)
            seen[name] = drawn_ambiguous(screen)
            app.pop_screen()
            await pilot.pause()
    assert {name: found for name, found in seen.items() if found} == {}


async def test_the_arrow_keys_choose_as_the_choices_are_drawn(settings, clerk):
    """The events are drawn four to a row: ↓ from 出生 is 死亡, the one drawn under it, and
    an arrow chooses (no Space needed); past the last row the next field takes over. The
    answers are drawn in one row: ←→ choose, ↓ goes on to the next question."""
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_screen(pilot)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: shown(app, EventScreen))
        event = app.screen
        await wait_for(pilot, lambda: event.household is not None)
        assert app.focused is event.query_one("#event")
        assert "矢印キー" in screen_statics(event)
        # The day of the event, not of the filing, read back in 和暦 with its weekday.
        assert "届出日ではありません" in screen_statics(event)
        assert event.query_one("#event-date", Input).value == "令和8年11月24日"
        assert "＝ 令和8年11月24日（火）" in screen_statics(event)
        await pilot.press("down")
        assert event.event == "death"
        await pilot.press("right", "up")
        assert event.event == "move_in"  # 婚姻 is drawn under 転入
        await pilot.press("down", "down")
        assert event.event == "move_in_from_abroad"
        await pilot.press("down")  # below the grid: the date
        assert app.focused is event.query_one("#event-date")
        event.query_one("#event").focus()
        await pilot.press("left", "up", "up", "enter")  # 出生, then Enter: the date
        assert event.event == "birth" and app.focused is event.query_one("#event-date")
        paste(event.query_one("#child-name", Input), "陽翔")  # after the surname filled in
        paste(event.query_one("#child-kana", Input), "はると")
        await pilot.pause()
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, QuestionsScreen))
        questions = app.screen
        assert "左右キーで回答を選び" in screen_statics(questions)
        first, second = (
            questions.query_one(f"#q-{q}", RadioSet) for q in questions.question_ids[:2]
        )
        assert app.focused is first and first.pressed_index == 2  # わからない
        await pilot.press("left")
        assert first.pressed_index == 1  # いいえ, chosen as the arrow moves
        await pilot.press("down", "left", "left")
        assert app.focused is second and second.pressed_index == 0  # はい
        await pilot.press("up")
        assert app.focused is first and first.pressed_index == 1


def screen_statics(screen) -> str:
    return "\n".join(str(w.render()) for w in screen.query(Static))
