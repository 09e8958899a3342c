"""The header every screen shows: a mark, the title with the city (or the 受付番号 of the
visit in progress), on an outreach laptop the visits waiting to be handed back (the title
is then 「出張（オフライン）」), and the clock.

Our own widget rather than Textual's Header, for two reasons:
- Header retitles itself by querying its title child whenever the app's title changes;
  a screen pushed and popped in the same moment (the idle lock arriving as staff sign
  out, say) leaves a header with no children yet, and that query crashed the app
  (NoMatches). This one keeps its title widget by reference and updates it only while
  mounted.
- Header's default icon (U+2B58) is East-Asian ambiguous width and shifts the layout on
  terminals that draw such characters wide, and its tooltip is English.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

MARK = "〇"


class CounterHeader(Widget):
    DEFAULT_CSS = """
    CounterHeader {
        dock: top;
        width: 100%;
        height: 1;
        layout: horizontal;
        background: $panel;
        color: $foreground;
    }
    CounterHeader > #header-mark {
        width: 8;
        padding: 0 1;
    }
    CounterHeader > #header-title {
        width: 1fr;
        content-align: center middle;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    CounterHeader > #header-outreach {
        width: auto;
        padding: 0 1;
        display: none;
        text-style: bold;
    }
    CounterHeader > #header-clock {
        width: 10;
        padding: 0 1;
        background: $foreground-darken-1 5%;
        text-opacity: 85%;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._title = Static("", id="header-title")
        self._outreach = Static("", id="header-outreach")
        self._clock = Static("", id="header-clock")

    def compose(self) -> ComposeResult:
        yield Static(MARK, id="header-mark")
        yield self._title
        yield self._outreach
        yield self._clock

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._retitle, init=False)
        self.watch(self.app, "sub_title", self._retitle, init=False)
        if hasattr(self.app, "outreach_line"):  # the counter app on an outreach laptop
            self.watch(self.app, "outreach_line", self._show_outreach)
        self._retitle()
        self._tick()
        self.set_interval(1, self._tick)

    def _retitle(self, _value: object = None) -> None:
        if self._title.is_mounted:
            app = self.app
            self._title.update(app.format_title(app.title, app.sub_title))

    def _show_outreach(self, line: str) -> None:
        if self._outreach.is_mounted:
            self._outreach.update(line)
            self._outreach.display = bool(line)

    def _tick(self) -> None:
        if self._clock.is_mounted:
            self._clock.update(datetime.now().strftime("%H:%M:%S"))
