"""A date typed in 西暦 or 和暦, echoed under the field in 和暦 with its weekday.

Staff type whatever the paper in front of them shows (``2026-11-20``, ``R8.11.20``,
``令和８年１１月２０日``); the line under the field says how the program reads it
(「令和8年11月20日（金）」), or what is wrong, while it is typed, so a date is never
confirmed as something else than what staff meant.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from counter.wareki import DateFormatError, format_wareki, parse_date
from screens.widgets.japanese_input import JapaneseInput


class DateField(Vertical):
    DEFAULT_CSS = """
    DateField {
        height: auto;
    }
    DateField > .date-echo {
        color: $text-muted;
        padding: 0 1;
    }
    """

    def __init__(self, *, input_id: str, placeholder: str, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.input = JapaneseInput(placeholder=placeholder, id=input_id)
        self.echo = Static("", classes="date-echo")

    def compose(self) -> ComposeResult:
        yield self.input
        yield self.echo

    def show(self, day: date) -> None:
        """Put ``day`` in the field, written in 和暦."""
        self.input.value = format_wareki(day, weekday=False)

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        if not event.value.strip():
            self.echo.update("")
            return
        try:
            self.echo.update(f"＝ {format_wareki(parse_date(event.value))}")
        except DateFormatError as exc:
            self.echo.update(str(exc))
