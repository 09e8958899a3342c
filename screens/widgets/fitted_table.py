"""A DataTable whose columns always fit the screen: every column a step needs stays in
view at 80 columns, and text that must be shortened ends in 「…」.

Textual's DataTable sizes each column to its widest cell and lets the table scroll
sideways, so at 80×24 the last columns (a deadline, a fee) fell off the screen and a
long cell was cut with no sign. Here each column is either *fixed* (dates, deadlines,
amounts, counts: never cut, always as wide as its widest cell) or *flexible* (names,
procedures, addresses: they share what is left, in proportion to what they hold, and are
cut with 「…」 only when they must). The rows are kept as given and fitted again whenever
the table's width changes. A cell may offer shorter wordings (``Cell``), tried before
cutting: 「米子　太郎、米子　花子、米子　蓮」 becomes 「米子　太郎ほか2人」.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from textual.events import Resize
from textual.widgets import DataTable

from counter.screentext import cells, fit

PADDING = 1  # DataTable's cell padding, on each side of every column


@dataclass(frozen=True)
class Column:
    label: str
    key: str
    flexible: bool = False  # may be cut with 「…」 when the screen is narrow
    least: int = 6  # a flexible column is never narrower than this
    weight: float = 1.0  # a flexible column's share of the room, against the others


@dataclass(frozen=True)
class Cell:
    """A cell's wordings, longest first: the first that fits is shown."""

    wordings: tuple[str, ...]

    def fitted(self, width: int) -> str:
        return next((w for w in self.wordings if cells(w) <= width), None) or fit(
            self.wordings[-1], width
        )


CellValue = str | Cell


def _text(value: CellValue) -> str:
    return value.wordings[0] if isinstance(value, Cell) else value


def column_widths(natural: Sequence[int], flexible: Sequence[bool], least: Sequence[int],
                  room: int, weight: Sequence[float] | None = None) -> list[int]:  # fmt: skip
    """Each column's width in cells: as wide as its content when everything fits; else the
    fixed columns keep theirs and the flexible ones share the rest by weight: each gets
    ``weight × L`` (never more than it holds, never less than its ``least``), with L as
    large as the room allows, and any cells left over go to those still cut."""
    if sum(natural) <= room:
        return list(natural)
    weight = weight or [1.0] * len(natural)
    flex = [i for i, f in enumerate(flexible) if f]
    space = room - sum(n for n, f in zip(natural, flexible, strict=True) if not f)

    def at(level: float) -> dict[int, int]:
        return {i: min(natural[i], max(least[i], int(weight[i] * level))) for i in flex}

    low, high = 0.0, float(max(natural) + 1)
    for _ in range(40):  # the largest level that fits, to well under a cell
        middle = (low + high) / 2
        low, high = (middle, high) if sum(at(middle).values()) <= space else (low, middle)
    shares = at(low)
    spare = space - sum(shares.values())
    for i in sorted(flex, key=lambda i: (natural[i] - shares[i]) * weight[i], reverse=True):
        more = max(0, min(spare, natural[i] - shares[i]))
        shares[i] += more
        spare -= more
    return [shares.get(i, n) for i, n in enumerate(natural)]


class FittedTable(DataTable):
    def __init__(self, *columns: Column, **kwargs) -> None:
        super().__init__(**kwargs)
        self.spec = columns
        self._rows: dict[str, list[CellValue]] = {}
        self._widths: list[int] = []

    def on_mount(self) -> None:
        self._refit(force=True)

    def on_resize(self, event: Resize) -> None:
        self._refit()

    def set_rows(self, rows: Iterable[tuple[Sequence[CellValue], str]]) -> None:
        """Replace every row: (cells, key) pairs, in order. The cursor stays on its row
        number when it can."""
        new = {key: list(values) for values, key in rows}
        if new != self._rows or not self._widths:
            self._rows = new
            self._refit(force=True)

    def set_row(self, key: str, values: Sequence[CellValue]) -> None:
        """Change one row (or add it at the end)."""
        self._rows[key] = list(values)
        self._refit(force=True)

    @property
    def keys(self) -> list[str]:
        """The rows' keys, in order."""
        return list(self._rows)

    def full_row(self, key: str) -> list[str]:
        """The row as given, before any shortening."""
        return [_text(value) for value in self._rows[key]]

    def _room(self) -> int:
        width = self.size.width or self.app.size.width
        scrollbar = self.styles.scrollbar_size_vertical if self._rows else 0
        return width - scrollbar - 2 * PADDING * len(self.spec)

    def _refit(self, *, force: bool = False) -> None:
        natural = [
            max([cells(c.label), *(cells(_text(row[i])) for row in self._rows.values())])
            for i, c in enumerate(self.spec)
        ]
        widths = column_widths(
            natural,
            [c.flexible for c in self.spec],
            [min(c.least, natural[i]) for i, c in enumerate(self.spec)],
            self._room(),
            [c.weight for c in self.spec],
        )
        if widths == self._widths and not force:
            return
        self._widths = widths
        row = self.cursor_row
        self.clear(columns=True)
        for column, width in zip(self.spec, widths, strict=True):
            self.add_column(fit(column.label, width), key=column.key, width=width)
        for key, values in self._rows.items():
            shown = [
                value.fitted(width) if isinstance(value, Cell) else fit(value, width)
                for value, width in zip(values, widths, strict=True)
            ]
            self.add_row(*shown, key=key)
        if self._rows:
            self.move_cursor(row=min(row, len(self._rows) - 1))
