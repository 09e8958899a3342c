"""Leaving a visit's first screen for the search: staff say what becomes of its number.

A visit is numbered when its household is opened, so going back to the search must not
leave a number silently open. Staff choose: pick another household for the same resident
(the number stays), park the visit (F7 takes it up again), or cancel it (the number is
kept as cancelled, never given again). Esc stays on the visit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from screens.base import CounterModal
from screens.logs import log_failure

if TYPE_CHECKING:
    from screens.app import CounterApp

OTHER, PARK, CANCEL = "other", "park", "cancel"
CHOICES = (
    (OTHER, "1　別の世帯を選ぶ（受付番号はこのまま）"),
    (PARK, "2　保留にする（F7 で再開できます）"),
    (CANCEL, "3　この受付を取り消す（番号は使いません）"),
)


class LeaveVisitScreen(CounterModal[str | None]):
    HELP = "世帯の検索に戻る前に、この受付をどうするかを選びます。Esc で受付に戻ります。"
    BINDINGS = [
        Binding("escape", "stay", "受付に戻る", tooltip="選ばずに、届出の選択に戻ります"),
        Binding("1", f"choose('{OTHER}')", "別の世帯", show=False),
        Binding("2", f"choose('{PARK}')", "保留", show=False),
        Binding("3", f"choose('{CANCEL}')", "取消", show=False),
    ]
    DEFAULT_CLASSES = "dialog"
    DEFAULT_CSS = """
    LeaveVisitScreen OptionList {
        height: auto;
        margin: 1 0;
    }
    """

    def __init__(self, reception_number: int) -> None:
        super().__init__()
        self.reception_number = reception_number

    def compose(self) -> ComposeResult:
        with Vertical(id="leave-box", classes="dialog-box"):
            yield Static(f"受付番号 {self.reception_number} をどうしますか", classes="title")
            yield OptionList(*(Option(label, id=key) for key, label in CHOICES), id="leave")
            yield Static("数字キー、または上下キーと Enter で選びます。\nEsc で受付に戻ります。")
        yield Footer()

    @on(OptionList.OptionSelected, "#leave")
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def action_stay(self) -> None:
        self.dismiss(None)


def leave_visit(app: CounterApp, choice: str, draft: dict[str, Any]) -> None:
    """Carry out ``choice`` for the current visit; ``draft`` is what its screen holds."""
    current = app.visit.current
    if current is None:
        app.pop_screen()
        return
    number = current.reception_number
    if choice == PARK:
        app.park_visit(current.id, number, draft)  # returns to the search when parked
    elif choice == CANCEL:
        app.run_worker(lambda: _cancel(app, current.id, number), thread=True, exit_on_error=False)
    else:
        app.pop_screen()
        app.notify(f"受付番号 {number} のまま、世帯を選び直せます", title="受付中")


def _cancel(app: CounterApp, visit_id: str, number: int) -> None:
    from db.drafts import cancel_visit

    try:
        cancel_visit(app.engine, visit_id)
    except Exception as exc:  # one Japanese line for staff, the rest in the log
        log_failure("受付の取り消し", exc)
        app.call_from_thread(app.notify, "受付を取り消せませんでした", severity="error")
        return
    app.call_from_thread(_cancelled, app, number)


def _cancelled(app: CounterApp, number: int) -> None:
    app.flow.back_to_search(f"受付番号 {number} を取り消しました", title="取消")
