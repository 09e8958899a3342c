"""Japanese text on a fixed-width screen: widths, 「…」, and wrapping that never breaks a
name, a number or a date (counter.screentext), and the column widths of FittedTable."""

from __future__ import annotations

from counter.screentext import cells, fit, wrap
from screens.widgets.fitted_table import column_widths


def test_full_width_characters_take_two_cells():
    assert cells("米子　太郎") == 10 and cells("R8.12.4（金）") == 13 and cells("") == 0


def test_fit_cuts_with_an_ellipsis_only_when_it_must():
    assert fit("米子　太郎", 10) == "米子　太郎"
    assert fit("米子　太郎、米子　花子", 14) == "米子　太郎、…"
    assert cells(fit("米子　太郎、米子　花子", 14)) <= 14


def test_a_name_is_never_broken_and_keeps_its_honorific():
    text = "　　理由：山下　真理子さんが転入したため（転入した日の翌日から14日以内）"
    for width in range(20, 60):  # the name and さん (16 cells) fit a line after the indent
        lines = wrap(text, width, keep=["山下　真理子"])
        assert all(cells(line) <= width for line in lines), width
        assert any("山下　真理子さん" in line for line in lines), (width, lines)
        assert "".join(line.lstrip("　") for line in lines) == text.lstrip("　")


def test_numbers_dates_and_their_units_stay_together():
    for width in range(24, 50):  # the date (20 cells) fits a line after the indent
        lines = wrap("　　期限：令和8年12月4日（金）まで。14日以内、手数料1,200円", width)
        joined = "\n".join(lines)
        for piece in ("令和8年12月4日（金）", "14日以内", "1,200円"):
            assert piece in joined, (width, lines)


def test_a_line_never_starts_with_a_closing_mark():
    for width in range(8, 30):
        for line in wrap("あいうえおかきくけこ、さしすせそ。（たちつてと）なにぬねの", width):
            assert line[0] not in "、。）", (width, line)


def test_a_piece_too_long_for_any_line_breaks_at_a_space_or_a_slash():
    assert wrap("eL番号 99999 0000 0000 0000 0000 0001 019692 999", 36) == [
        "eL番号",
        "99999 0000 0000 0000 0000 0001",
        "019692 999",
    ]
    assert wrap("slips/20261124-0001-00000000-forms.pdf", 36) == [
        "slips/20261124-0001-00000000-",
        "forms.pdf",
    ]


def test_columns_fit_the_room_fixed_ones_whole():
    natural = [6, 12, 30, 40, 15, 6]
    flexible = [False, True, True, True, False, False]
    least = [6, 6, 10, 16, 15, 6]
    widths = column_widths(natural, flexible, least, 67)
    assert sum(widths) == 67
    assert widths[0] == 6 and widths[4] == 15 and widths[5] == 6
    assert widths[1] == 12 and widths[2] == 12 and widths[3] == 16  # evenly, least kept
    weighted = column_widths(natural, flexible, least, 67, [1, 1, 1, 2, 1, 1])
    assert sum(weighted) == 67 and weighted[3] > weighted[2]
    assert column_widths(natural, flexible, least, 200) == natural
