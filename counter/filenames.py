"""File names made from data (a visit id, a reception number, a job name).

Such a value comes from the database or a file someone else wrote, so it may hold ``/``,
``\\``, ``..``, NUL or thousands of characters. ``safe_file_name`` turns it into one plain
name that stays inside the folder it is joined to. Paths an administrator gives on the
command line (``--out``) are theirs and are not passed through here.
"""

from __future__ import annotations

import re

MAX_NAME_LENGTH = 100
"""Characters kept; every file system allows 255 bytes, and a name this long is unreadable."""

_UNSAFE = re.compile(r"[^0-9A-Za-z._-]+")


def safe_file_name(text: str, *, limit: int = MAX_NAME_LENGTH) -> str:
    """``text`` as a single file name: runs of anything but ASCII letters, digits, ``.``,
    ``_`` and ``-`` become one ``_`` (separators, NUL, spaces and Japanese too: cupsd of
    Debian 12 fails on such job names), leading dots are dropped (no ``..``, no hidden
    file), and the result is cut to ``limit`` characters, keeping the end (the suffix).
    Never empty: nothing usable gives ``_``.
    """
    name = _UNSAFE.sub("_", text).lstrip(".")
    if len(name) > limit:
        name = name[-limit:].lstrip(".")
    return name or "_"
