"""Bars for one column of a table, drawn beside it row for row (窓口の実績).

Our own rather than a plotting library's: plotext (textual-plotext) counts characters,
not terminal cells, so a Japanese label pushes its row out of line, and its frames, ticks
and block markers are East-Asian ambiguous-width characters (─│┤█), which no screen of
the counter draws. Here a bar is spaces on the bar colour ($primary: yellow in the
high-contrast look), its label and number are the table's row beside it, and only a
number is drawn: a 「5件未満」 cell has no bar, so no length can tell its count.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from counter.stats import Cell


def bar_lengths(values: Sequence[Cell], width: int) -> list[int]:
    """Each value's bar in cells, the largest number filling ``width``; a number above
    zero gets at least one cell, anything that is not a number none."""
    numbers = [v if isinstance(v, int | float) and not isinstance(v, bool) else 0 for v in values]
    largest = max(numbers, default=0)
    if largest <= 0 or width <= 0:
        return [0] * len(numbers)
    return [max(1, round(n * width / largest)) if n > 0 else 0 for n in numbers]


class BarChart(Widget):
    DEFAULT_CSS = """
    BarChart {
        height: auto;
        width: 1fr;
        padding: 0 1;
    }
    BarChart > .bar-chart--bar {
        background: $primary;
    }
    """
    COMPONENT_CLASSES = {"bar-chart--bar"}

    def __init__(self, caption: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.caption = caption
        self.values: list[Cell] = []

    def show(self, values: Sequence[Cell]) -> None:
        """Bars for ``values``, one line each under the caption (beside the table's header)."""
        self.values = list(values)
        self.refresh(layout=True)

    def render(self) -> Text:
        """Drawn anew at each size and in each look (the bar colour is the theme's)."""
        style = self.get_component_rich_style("bar-chart--bar")
        text = Text(self.caption, no_wrap=True, overflow="crop")
        for length in bar_lengths(self.values, self.content_region.width):
            text.append("\n")
            text.append(" " * length, style=style)
        return text
