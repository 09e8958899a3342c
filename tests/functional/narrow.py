"""What an 80-column screen must never do to a table: push a column out of view, or cut
a cell without a sign. Used by the snapshot test on every screen and by the narrow-screen
tests."""

from __future__ import annotations

from screens.widgets.fitted_table import Cell, FittedTable


def table_problems(screen) -> list[str]:
    """Each FittedTable of ``screen``: every column in view, and every cell shown whole,
    as one of its shorter wordings, or cut so that it ends in 「…」."""
    problems = []
    for table in screen.query(FittedTable):
        if not table.display or not table.region.width:
            continue
        if table.virtual_size.width > table.size.width:
            problems.append(f"#{table.id}: {table.virtual_size.width} > {table.size.width}")
        for index, key in enumerate(table.keys):
            shown = [str(cell) for cell in table.get_row_at(index)]
            for given, cell in zip(table._rows[key], shown, strict=True):
                wordings = given.wordings if isinstance(given, Cell) else (given,)
                whole = cell in wordings
                cut = cell.endswith("…") and any(w.startswith(cell[:-1]) for w in wordings)
                if not (whole or cut):
                    problems.append(f"#{table.id} {key}: 「{cell}」 of 「{wordings[0]}」")
    return problems
