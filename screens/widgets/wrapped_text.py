"""Lines of Japanese text wrapped at the widget's width without breaking a name, a number
or a date in two (``counter.screentext.wrap``), re-wrapped whenever the width changes.

Used where staff read what will be printed (the slip preview, the form preview): a line
broken as 「理由：山下」 / 「真理子さん…」 reads as two different people.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.events import Resize
from textual.widgets import Static

from counter.screentext import wrap


class WrappedText(Static):
    DEFAULT_CSS = """
    WrappedText {
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    def __init__(self, lines: Sequence[str] = (), keep: Sequence[str] = (), **kwargs) -> None:
        super().__init__("\n".join(lines), markup=False, **kwargs)
        self.lines = list(lines)
        self.keep = list(keep)

    def show(self, lines: Sequence[str], keep: Sequence[str] = ()) -> None:
        """Show new ``lines``, keeping each of ``keep`` (names) whole."""
        self.lines, self.keep = list(lines), list(keep)
        self._rewrap()

    def on_resize(self, event: Resize) -> None:
        self._rewrap()

    def _rewrap(self) -> None:
        width = self.content_region.width or self.size.width
        if width <= 0:
            self.update("\n".join(self.lines))
            return
        self.update("\n".join(w for line in self.lines for w in wrap(line, width, self.keep)))
