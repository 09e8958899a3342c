"""A list of things to ask for, each ticked with how many copies: 「[2] 住民票の写し」.

A CheckList whose tick is the count itself (ASCII, ``[ ]`` when none), so a long name
keeps its room at 80 columns. Space ticks one copy or unticks, a digit sets the copies
of the highlighted line (0 unticks), and + / - add or take one. Whatever changes, the
list posts ``SelectionList.SelectedChanged``, so a screen listens to one message;
``copies`` holds the count of every line (0 for the unticked ones).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import events

from screens.widgets.check_list import NOT_TICKED, CheckList

MAX_COPIES = 20


class CopiesList(CheckList):
    def __init__(
        self,
        choices: Sequence[tuple[str, str]],
        copies: Mapping[str, int],
        *,
        id: str | None = None,
    ) -> None:
        """``choices`` are (value, label) pairs in order; ``copies`` the counts so far."""
        self.copies = {value: max(0, min(copies.get(value, 0), MAX_COPIES)) for value, _ in choices}
        super().__init__(
            *((label, value, self.copies[value] > 0) for value, label in choices), id=id
        )

    def mark(self, value: str) -> str:
        """The tick is the count of copies: 「[2]」, or 「[ ]」 when none."""
        count = self.copies.get(str(value), 0)
        return f"[{count}]" if count else NOT_TICKED

    @property
    def highlighted_value(self) -> str | None:
        if self.highlighted is None:
            return None
        return str(self.get_option_at_index(self.highlighted).value)

    def set_copies(self, value: str, count: int) -> None:
        """Set a line's copies (0 unticks it) and tell the screen."""
        count = max(0, min(count, MAX_COPIES))
        self.copies[value] = count
        ticked = value in self.selected
        if count and not ticked:
            self.select(value)
        elif not count and ticked:
            self.deselect(value)
        else:
            self.post_message(self.SelectedChanged(self))
        self.refresh()

    def on_selection_list_selected_changed(self, event: CheckList.SelectedChanged) -> None:
        """Space ticked or unticked a line: one copy, or none (the message goes on)."""
        for value, count in list(self.copies.items()):
            ticked = value in self.selected
            if ticked != (count > 0):
                self.copies[value] = 1 if ticked else 0
        self.refresh()

    def on_key(self, event: events.Key) -> None:
        value = self.highlighted_value
        if value is None:
            return
        if event.character and event.character.isdigit() and event.character.isascii():
            self.set_copies(value, int(event.character))
        elif event.character in ("+", "-"):
            self.set_copies(value, self.copies[value] + (1 if event.character == "+" else -1))
        else:
            return
        event.stop()
        event.prevent_default()
