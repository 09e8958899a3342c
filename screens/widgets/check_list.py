"""A SelectionList whose ticks are ASCII ``[x]`` / ``[ ]``.

Textual's SelectionList draws ▐X▌ on every row and tells the ticked ones only by colour;
▌ is East-Asian ambiguous width (wide on some terminals, shifting every name), and a
colour-only tick disappears in the high-contrast theme. The brackets keep the gutter
width Textual computes (three cells and a space).
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets.option_list import OptionDoesNotExist

TICKED, NOT_TICKED = "[x]", "[ ]"
BUTTON_SEGMENTS = 3  # Textual's left side, inner mark and right side


class CheckList(SelectionList[str]):
    DEFAULT_CSS = """
    CheckList > .selection-list--button,
    CheckList > .selection-list--button-highlighted {
        color: $text-muted;
    }
    CheckList > .selection-list--button-selected,
    CheckList > .selection-list--button-selected-highlighted {
        color: $text-success;
        text-style: bold;
    }
    """

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return line
        segments = list(line)
        mark = self.mark(selection.value)
        # The inner segment carries the button style and the option index for the mouse.
        button = Segment(mark, segments[1].style)
        return Strip([button, *segments[BUTTON_SEGMENTS:]])

    def mark(self, value: str) -> str:
        """What the gutter shows for ``value`` (ASCII: never an ambiguous-width cell)."""
        return TICKED if value in self.selected else NOT_TICKED
