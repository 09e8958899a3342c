"""Reading a file someone names: only a regular file, never more than a stated size.

A named pipe makes a plain ``read()`` wait for ever and ``/dev/zero`` never ends (found in
a hostile run: `counter import residents` hung on a FIFO and died of MemoryError on
/dev/zero). Here the file is opened without blocking, must be a regular file, and is read
in pieces up to its limit; past the limit it is refused, not truncated.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


class InputFileError(ValueError):
    """Why the file cannot be read (a Japanese sentence without the file's name)."""


def describe_limit(limit: int) -> str:
    """``limit`` in the unit staff read (KB, MB, GB)."""
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if limit >= size:
            return f"{limit / size:g}{unit}"
    return f"{limit}バイト"


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading when it is a regular file (opened without blocking,
    so a named pipe is refused rather than waited on); InputFileError otherwise."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise InputFileError("ファイルが見つかりません") from None
    except IsADirectoryError:
        raise InputFileError("フォルダです。ファイルを指定してください") from None
    except OSError:
        raise InputFileError("開けません（権限を確認してください）") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        if stat.S_ISDIR(mode):
            raise InputFileError("フォルダです。ファイルを指定してください")
        raise InputFileError("通常のファイルではありません（名前付きパイプや装置は読めません）")
    return os.fdopen(descriptor, "rb")


def read_input(path: Path, *, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them."""
    with open_regular(path) as file:
        if os.fstat(file.fileno()).st_size > limit:
            raise InputFileError(f"大きすぎます（{describe_limit(limit)}まで）")
        pieces, size = [], 0
        while piece := file.read(CHUNK):
            size += len(piece)
            if size > limit:
                raise InputFileError(f"大きすぎます（{describe_limit(limit)}まで）")
            pieces.append(piece)
    return b"".join(pieces)
