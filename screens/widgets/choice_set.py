"""Choices drawn with marks every terminal agrees on, chosen with the arrow keys the way
they are drawn.

Textual's RadioButton draws ▐●▌ on every button and tells the chosen one only by colour;
● and ▌ are East-Asian ambiguous width, so on a terminal set to wide they push the label
aside and every choice looks selected. ChoiceButton draws ASCII ``( )`` / ``(*)`` instead,
so the choice shows without colour too (high-contrast theme, monochrome laptop screens).

Textual's RadioSet walks its buttons as one line (↓ from 出生 to 転入 although 死亡 is
drawn below 出生) and only moves a highlight, which Space or Enter must then choose: a
new user pressed ↓↓↓↓ to reach 死亡 and answered questions that stayed わからない.
ChoiceSet follows what is drawn: ←→ choose the neighbour in the row, ↑↓ the one above or
below in the grid (a set drawn as one row, or an edge of the grid, hands ↑↓ on to the
previous or next field), Enter goes on to the next field, Space chooses the highlighted
button. The layout (one row, one column, a grid of N) is read from the set's own styles.
A set may start with nothing chosen (a 続柄 staff must decide): an arrow then moves from
the highlighted button, and Enter takes the highlighted one.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import RadioButton, RadioSet

CHOSEN, NOT_CHOSEN = "(*)", "( )"


class ChoiceButton(RadioButton):
    DEFAULT_CSS = """
    ChoiceButton > .toggle--button {
        background: transparent;
        color: $text-muted;
    }
    ChoiceButton.-on > .toggle--button {
        background: transparent;
        color: $text-success;
        text-style: bold;
    }
    """

    @property
    def _button(self) -> Content:
        # Textual's hook for the button part; the label and its width follow from it.
        mark = CHOSEN if self.value else NOT_CHOSEN
        return Content.styled(mark, self.get_visual_style("toggle--button"))


class ChoiceSet(RadioSet):
    BINDINGS = [
        Binding("left", "step(0, -1)", show=False),
        Binding("right", "step(0, 1)", show=False),
        Binding("up", "step(-1, 0)", show=False),
        Binding("down", "step(1, 0)", show=False),
        Binding("enter", "accept", show=False),
        Binding("space", "toggle_button", show=False),
    ]

    def on_mount(self) -> None:
        # RadioSet's own mount handler runs after ours; correct the highlight after it.
        self.call_after_refresh(self._highlight_pressed)

    def _highlight_pressed(self) -> None:
        if self.pressed_index >= 0:
            self._selected = self.pressed_index

    @property
    def columns(self) -> int:
        """Buttons per drawn row."""
        layout = self.styles.layout.name if self.styles.layout else "vertical"
        if layout == "horizontal":
            return len(self._nodes)
        if layout == "grid":
            return max(self.styles.grid_size_columns, 1)
        return 1

    def action_step(self, rows: int, columns: int) -> None:
        buttons = self._nodes
        if not buttons:
            return
        chosen = self.pressed_index
        current = chosen if chosen >= 0 else (self._selected or 0)
        width = self.columns
        row, column = divmod(current, width)
        row, column = row + rows, column + columns
        target = row * width + column
        if 0 <= column < width and row >= 0 and target < len(buttons):
            self._choose(target)
        elif chosen < 0:  # nothing chosen yet, and nowhere to go: the highlighted one
            self._choose(current)
        elif rows:  # past the top or bottom edge: on to the previous or next field
            self.screen.focus_previous() if rows < 0 else self.screen.focus_next()

    def action_accept(self) -> None:
        """Enter: the highlighted button when nothing is chosen yet, then the next field."""
        if self.pressed_index < 0 and self._nodes:
            self._choose(self._selected or 0)
        self.screen.focus_next()

    def _choose(self, index: int) -> None:
        button = self._nodes[index]
        assert isinstance(button, RadioButton)
        self._selected = index
        if not button.value:
            button.value = True
