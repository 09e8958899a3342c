"""The command palette (Ctrl+P) in Japanese: its placeholder and its "no matches" line.

Textual's palette says "Search for commands…" and "No matches found"; staff must never
meet an English word, so the App opens this palette instead (and yields only Japanese
system commands, see CounterApp.get_system_commands).
"""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

PLACEHOLDER = "コマンドを入力して探します（Esc で閉じます）"
NO_MATCHES = "見つかりません。別の言葉で探してください"


class JapaneseCommandPalette(CommandPalette):
    DEFAULT_CSS = """
    /* The busy dots are ● (ambiguous width); our commands answer at once anyway. */
    JapaneseCommandPalette LoadingIndicator.--visible {
        visibility: hidden;
    }
    """

    def __init__(self) -> None:
        super().__init__(placeholder=PLACEHOLDER, id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own version, with the line in Japanese (it has no setting for it).
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                line = Option(
                    Align.center(Text(NO_MATCHES, style="not bold")),
                    disabled=True,
                    id=self._NO_MATCHES,
                )
                self.query_one(CommandList).add_option(line)
            self._list_visible = bool(search_value)

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
