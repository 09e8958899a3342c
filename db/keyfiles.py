"""Secret keys kept in files outside the database (the individual-number key, the audit
key): 32 random bytes written as 44 characters of base64, readable by their owner only.
Make one with ``openssl rand -base64 32 > NAME.key; chmod 600 NAME.key``."""

from __future__ import annotations

import base64
import binascii
import os
import uuid
from pathlib import Path

KEY_BYTES = 32


def create_key_file(path: Path, error: type[Exception], what: str) -> None:
    """Write a new key file readable by its owner only; a file another terminal created
    meanwhile is kept (link refuses to replace it, so nobody reads a half-written key).
    ``error`` is raised, naming ``what`` key, when the file cannot be written."""
    draft = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(base64.b64encode(os.urandom(KEY_BYTES)) + b"\n")
        os.link(draft, path)
    except FileExistsError:
        pass
    except OSError:
        raise error(f"{what}ファイルを作れません（{path}）") from None
    finally:
        draft.unlink(missing_ok=True)


def load_key_file(path: Path, error: type[Exception], variable: str) -> bytes:
    """The key in ``path``; ``error`` naming ``variable`` when it is unreadable or no key."""
    try:
        text = path.read_bytes().strip()
    except OSError:
        raise error(f"{variable}: 鍵ファイルを読めません（{path}）") from None
    try:
        key = base64.b64decode(text, validate=True)
    except binascii.Error:
        key = b""
    if len(key) != KEY_BYTES:
        raise error(
            f"{variable}: 鍵ファイルの形式が違います"
            f"（{KEY_BYTES}バイトの乱数を base64 で44文字にしたものです：{path}）"
        )
    return key
