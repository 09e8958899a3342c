"""出張の確認待ち: what an outreach hand-back could not settle alone, settled by a supervisor.

An import never writes over the office's register: a newcomer who may be someone the
office registered meanwhile, and a household the office changed since checkout, wait
here (workflows.outreach_conflicts). Each is settled only in the ways its kind allows,
after a confirmation, recorded in the audit log as the signed-in supervisor. The app
opens this screen for supervisors and administrators only (screens.app).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

from db.staff import japan_time
from screens.base import CounterModal, CounterScreen
from screens.logs import log_failure
from screens.widgets.fitted_table import Column, FittedTable
from screens.widgets.header import CounterHeader
from screens.widgets.wrapped_text import WrappedText
from workflows.outreach_conflicts import Conflict, SettleRefused, open_conflicts, settle

EMPTY = "確認待ちはありません"
FAILED = "処理できませんでした（詳細は記録ファイルにあります）"
UNREADABLE = "確認待ちを読み込めませんでした（詳細は記録ファイルにあります）"


@dataclass(frozen=True)
class Settling:
    """One way to settle a conflict: its key, its word in the footer, and what it does
    (``{household}`` the laptop's household, ``{office}`` the office's)."""

    key: str
    label: str
    tooltip: str
    does: str


SETTLING = {
    "register": Settling(
        "f5",
        "別の人として登録",
        "出張で受け付けた転入者を、窓口で登録された人とは別の人として登録します",
        "出張で受け付けた世帯 {household} とその住民を、窓口で登録された人とは別の人として"
        "登録します。窓口の記録は変えません。",
    ),
    "use_office": Settling(
        "f6",
        "窓口の人とする",
        "出張の受付を、窓口で登録された同じ人の世帯のものにします",
        "出張の受付を窓口の世帯 {office} のものにします。出張で受け付けた世帯 {household} は"
        "登録しません。",
    ),
    "reviewed": Settling(
        "f7",
        "確認済みにする",
        "窓口での変更を確かめたことを記録します（出張の受付はそのまま）",
        "窓口での世帯 {household} の変更を確かめたことを記録します。出張の受付はそのままです。",
    ),
}


def conflict_detail(conflict: Conflict) -> list[str]:
    """What a supervisor reads before choosing: the kind, where and when, what was found,
    and the households concerned."""
    households = f"世帯 {conflict.household_id}"
    if conflict.office_household_id:
        households = (
            f"出張の世帯 {conflict.household_id}　窓口の世帯 {conflict.office_household_id}"
        )
    return [
        f"{conflict.kind_label}（出張の地域 {conflict.area}、"
        f"{japan_time(conflict.imported_at)} 取り込み）",
        conflict.detail,
        households,
    ]


class OutreachConflictsScreen(CounterScreen):
    HELP = (
        "出張の持ち帰りを取り込んだときに、自動では決められなかったもの（転入者が既に"
        "登録されている可能性、出張中に窓口で変わった世帯）の一覧です。選んで、下のキーで"
        "処理します。処理の前に確認があり、処理は監査ログに記録されます。"
    )
    BINDINGS = [
        Binding("escape", "app.pop_screen", "戻る", tooltip="前の画面に戻ります"),
        *(
            Binding(settling.key, f"settle('{name}')", settling.label, tooltip=settling.tooltip)
            for name, settling in SETTLING.items()
        ),
    ]
    DEFAULT_CSS = """
    OutreachConflictsScreen #conflicts {
        height: 1fr;
    }
    OutreachConflictsScreen #conflict-detail {
        height: auto;
        max-height: 9;
        padding: 0 1;
        border-top: solid $primary;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.conflicts: list[Conflict] = []

    def compose(self) -> ComposeResult:
        yield CounterHeader()
        yield Static("出張の確認待ち", classes="title")
        yield Static("読み込んでいます", classes="hint", id="conflicts-status")
        yield Static("", id="conflicts-message")
        yield FittedTable(
            Column("種類", "kind", flexible=True, least=10),
            Column("出張の地域", "area", flexible=True),
            Column("取り込み日時", "imported"),
            Column("世帯", "household"),
            id="conflicts",
            cursor_type="row",
            zebra_stripes=True,
        )
        yield WrappedText(id="conflict-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#conflicts", DataTable).focus()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="conflicts")
    def load(self) -> None:
        self._list_open()

    @work(thread=True, exclusive=True, exit_on_error=False, group="conflicts")
    def settle_one(self, conflict_id: str, resolution: str) -> None:
        """Settle one conflict as the signed-in staff member, then list again (another
        supervisor may have settled it first: that refusal is one line)."""
        app = self.app
        try:
            said = settle(
                app.engine,
                conflict_id,
                resolution,
                staff_id=app.signed_in_staff.id,
                terminal=app.settings.device_id,
            )
        except SettleRefused as exc:
            self._list_open(str(exc), error=True)
        except Exception as exc:  # one Japanese line for staff, the rest in the log
            log_failure("出張の確認待ちの処理", exc)
            self._list_open(FAILED, error=True)
        else:
            self._list_open(f"処理しました: {said}")

    def _list_open(self, message: str = "", *, error: bool = False) -> None:
        """In a worker: the open conflicts, handed to the screen with ``message``."""
        try:
            conflicts = open_conflicts(self.app.engine)
        except Exception as exc:
            log_failure("出張の確認待ちの読み込み", exc)
            self.app.call_from_thread(self._show, None, message or UNREADABLE, error=True)
            return
        self.app.call_from_thread(self._show, conflicts, message, error=error)

    def _show(self, conflicts: list[Conflict] | None, message: str, *, error: bool) -> None:
        if not self.is_attached:  # staff left the screen while the worker ran
            return
        said = self.query_one("#conflicts-message", Static)
        said.update(message)
        said.set_class(error, "error")
        said.set_class(not error, "hint")
        if conflicts is None:
            return
        self.conflicts = conflicts
        self.query_one("#conflicts", FittedTable).set_rows(
            (
                (
                    conflict.kind_label,
                    conflict.area,
                    japan_time(conflict.imported_at, short=True),
                    conflict.household_id,
                ),
                conflict.id,
            )
            for conflict in conflicts
        )
        self.query_one("#conflicts-status", Static).update(
            f"確認待ち {len(conflicts)}件。上下キーで選び、下のキーで処理します。"
            if conflicts
            else EMPTY
        )
        self._show_detail()

    @on(DataTable.RowHighlighted, "#conflicts")
    def _show_detail(self) -> None:
        chosen = self._chosen()
        self.query_one("#conflict-detail", WrappedText).show(
            conflict_detail(chosen) if chosen else []
        )
        self.refresh_bindings()  # the footer offers only what this conflict allows

    def _chosen(self) -> Conflict | None:
        row = self.query_one("#conflicts", DataTable).cursor_row
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each way of settling only for a conflict whose kind allows it."""
        if action != "settle":
            return True
        chosen = self._chosen()
        return chosen is not None and parameters[0] in chosen.choices

    def action_settle(self, resolution: str) -> None:
        chosen = self._chosen()
        if chosen is None or resolution not in chosen.choices:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.settle_one(chosen.id, resolution)

        self.app.push_screen(SettleDialog(chosen, resolution), confirmed)


class SettleDialog(CounterModal[bool]):
    """Settling is not undone from the screen: what it will do, said before it is done."""

    BINDINGS = [
        Binding("enter", "settle", "処理する", tooltip="この内容で処理します"),
        Binding("escape", "dismiss(False)", "やめる", tooltip="処理しないで一覧に戻ります"),
    ]
    DEFAULT_CLASSES = "dialog"
    DEFAULT_CSS = """
    SettleDialog WrappedText {
        margin: 1 0;
    }
    """

    def __init__(self, conflict: Conflict, resolution: str) -> None:
        super().__init__()
        self.conflict = conflict
        self.settling = SETTLING[resolution]

    def compose(self) -> ComposeResult:
        does = self.settling.does.format(
            household=self.conflict.household_id, office=self.conflict.office_household_id
        )
        with Vertical(id="settle-box", classes="dialog-box"):
            yield Static(f"「{self.settling.label}」で処理しますか", classes="title")
            yield WrappedText([does, "処理は監査ログに記録されます。"])
            yield Static("Enter で処理します。Esc でやめます。", classes="hint")
        yield Footer()

    def action_settle(self) -> None:
        self.dismiss(True)
