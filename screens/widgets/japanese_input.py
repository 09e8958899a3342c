"""An Input that keeps the IME's full-width space (U+3000).

Textual's Input only inserts characters for which ``str.isprintable()`` is true, and
U+3000 is not, so ``山田　太郎`` would become ``山田太郎``. Names must be kept exactly.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

IDEOGRAPHIC_SPACE = "\u3000"


class JapaneseInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        if event.character == IDEOGRAPHIC_SPACE:
            event.stop()
            event.prevent_default()
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(IDEOGRAPHIC_SPACE)
            else:
                self.replace(IDEOGRAPHIC_SPACE, *selection)
            return
        await super()._on_key(event)
