"""Text on a fixed-width screen: how wide Japanese text is, how to cut it with 「…」, and
how to wrap it without breaking a name, a number or a date in two.

A terminal gives a full-width character two cells. Textual wraps CJK text at whatever
character reaches the edge, so a preview could show 「理由：山下」 on one line and
「真理子さん…」 on the next, or 「1」 / 「4日以内」. ``wrap`` breaks only where a reader
would: never inside a name it is told to keep, a run of digits with its unit (1,200円,
14日以内), a 和暦 date with its weekday or a Latin word; never before 、。）」 and never
after （「 (禁則). Continuation lines keep the line's own indent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

ELLIPSIS = "…"
INDENT = " \u3000"  # the spaces a wrapped line keeps at its start
# A date with era and weekday, a number with its unit, a Latin word: one piece each.
UNBREAKABLE = re.compile(
    r"(?:令和|平成|昭和|大正|明治)?(?:元|[0-9０-９]+)年[0-9０-９]+月[0-9０-９]+日(?:（[月火水木金土日]）)?"
    r"|[RHST][0-9]+\.[0-9]+\.[0-9]+(?:[（(][月火水木金土日][）)])?"
    r"|[0-9]+(?: [0-9]+)+"  # a grouped number: 0000 0000 0000 0000 7000
    r"|[0-9０-９][0-9０-９,，.．:：]*(?:か月|カ月|円|件|人|日|歳|年|月|時|分|枚|項目|以内|以上)*"
    r"|[A-Za-z/~.][A-Za-z0-9_@./~\-]*"  # a Latin word, an e-mail address, a file path
)
HONORIFICS = ("さん", "様")
SOFT_BREAKS = " /-_"  # where a piece too long for any line (a path, an eL番号) may break
NO_LINE_START = set("、。，．）」』】〕〉》・ー〜：！？!?,.)]}…")
NO_LINE_END = set("（「『【〔〈《([{")


def cells(text: str) -> int:
    """Terminal cells ``text`` takes (wide and full-width characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, width: int) -> str:
    """``text`` within ``width`` cells: whole, or cut so that it ends in 「…」."""
    if cells(text) <= width:
        return text
    kept, used = [], cells(ELLIPSIS)
    for char in text:
        used += cells(char)
        if used > width:
            break
        kept.append(char)
    return "".join(kept) + ELLIPSIS


def _pieces(text: str, keep: Iterable[str]) -> list[str]:
    """``text`` cut into the smallest pieces a line may break between."""
    protected = sorted((k for k in keep if k), key=len, reverse=True)
    pieces: list[str] = []
    position = 0
    while position < len(text):
        name = next((k for k in protected if text.startswith(k, position)), None)
        if name:  # the honorific stays with the name
            after = position + len(name)
            name += next((h for h in HONORIFICS if text.startswith(h, after)), "")
        match = None if name else UNBREAKABLE.match(text, position)
        piece = name or (match.group(0) if match and match.group(0) else text[position])
        pieces.append(piece)
        position += len(piece)
    # 禁則: a closing mark stays with what it closes, an opening one with what it opens.
    joined: list[str] = []
    for piece in pieces:
        if joined and (piece[0] in NO_LINE_START or joined[-1][-1] in NO_LINE_END):
            joined[-1] += piece
        else:
            joined.append(piece)
    return joined


def wrap(text: str, width: int, keep: Iterable[str] = ()) -> list[str]:
    """``text`` as lines of at most ``width`` cells, broken only between pieces (see the
    module docstring); a piece wider than a whole line is cut like any text."""
    indent = text[: len(text) - len(text.lstrip(INDENT))]
    body = text[len(indent) :]
    room = max(width - cells(indent), 4)
    lines: list[str] = []
    line, used = "", 0
    for piece in _pieces(body, keep):
        size = cells(piece)
        if used + size > room and line:
            lines.append(line.rstrip(" "))
            line, used = "", 0
        while size > room:  # a piece longer than a line: at a space, / or -, else anywhere
            head = fit(piece, room + 1)[:-1] or piece[0]
            soft = max(head.rfind(c) for c in SOFT_BREAKS)
            head = head[: soft + 1] if soft > 0 else head
            lines.append(head.rstrip(" "))
            piece = piece[len(head) :]
            size = cells(piece)
        line += piece
        used += size
    lines.append(line)
    return [indent + lines[0], *(indent + line for line in lines[1:])]
