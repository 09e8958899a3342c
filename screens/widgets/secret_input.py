"""A password input drawn with ASCII asterisks.

Textual's ``Input(password=True)`` draws each character as 「•」 (U+2022), an East-Asian
ambiguous-width character that Japanese terminals draw two cells wide, which breaks the
cursor. ``_value`` is what Input renders (checked on Textual 8.2); only the mask differs.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input


class SecretInput(Input):
    def __init__(self, **kwargs) -> None:
        super().__init__(password=True, **kwargs)

    @property
    def _value(self) -> Text:
        return Text("*" * len(self.value), no_wrap=True, overflow="ignore", end="")
