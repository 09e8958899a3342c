"""The header every screen shows: title, city and clock, with a wide-width icon.

Textual's default icon (U+2B58) is East-Asian ambiguous width and shifts the layout on
terminals that draw ambiguous characters wide.
"""

from __future__ import annotations

from textual.widgets import Header


class CounterHeader(Header):
    def __init__(self) -> None:
        super().__init__(show_clock=True, icon="〇")
