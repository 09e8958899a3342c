"""Choices drawn with marks every terminal agrees on, highlighted where the answer is.

Textual's RadioButton draws ▐●▌ on every button and tells the chosen one only by colour;
● and ▌ are East-Asian ambiguous width, so on a terminal set to wide they push the label
aside and every choice looks selected. ChoiceButton draws ASCII ``( )`` / ``(*)`` instead,
so the choice shows without colour too (high-contrast theme, monochrome laptop screens).

The stock RadioSet also highlights the first button on mount even when another one is
pressed (わからない is our default answer), so staff would see two marks and Enter would
pick the wrong one; ChoiceSet moves the highlight to the pressed button.
"""

from __future__ import annotations

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
    def on_mount(self) -> None:
        # RadioSet's own mount handler runs after ours; correct the highlight after it.
        self.call_after_refresh(self._highlight_pressed)

    def _highlight_pressed(self) -> None:
        if self.pressed_index >= 0:
            self._selected = self.pressed_index
