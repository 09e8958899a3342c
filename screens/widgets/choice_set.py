"""A RadioSet whose keyboard highlight starts on the chosen option.

The stock RadioSet highlights the first button on mount even when another one is
pressed (わからない is our default answer), so staff would see two marks and Enter would
pick the wrong one.
"""

from __future__ import annotations

from textual.widgets import RadioSet


class ChoiceSet(RadioSet):
    def on_mount(self) -> None:
        # RadioSet's own mount handler runs after ours; correct the highlight after it.
        self.call_after_refresh(self._highlight_pressed)

    def _highlight_pressed(self) -> None:
        if self.pressed_index >= 0:
            self._selected = self.pressed_index
