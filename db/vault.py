"""The individual number, kept encrypted and only because a form of the visit requires it.

Each number is sealed with AES-256-GCM (``cryptography``): a random 96-bit nonce per row,
and the visit and the member as associated data, so a row copied to another visit or
person no longer opens. The column holds base64 of nonce + ciphertext + tag.

The key never touches the database. ``COUNTER_MYNUMBER_KEY_FILE`` names a file holding 32
random bytes written as 44 characters of base64 (make one with
``openssl rand -base64 32 > mynumber.key; chmod 600 mynumber.key``). A demo profile without
that variable uses ``mynumber.key`` in the data directory, created on first use with mode
0600; a real profile without it stores no number at all.
"""

from __future__ import annotations

import base64
import binascii
import os
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from counter.mynumber import is_valid
from db.keyfiles import create_key_file, load_key_file
from db.models import MyNumberVaultRow
from db.paths import data_dir

KEY_FILE_ENV = "COUNTER_MYNUMBER_KEY_FILE"
DEMO_KEY_FILE = "mynumber.key"
NONCE_BYTES = 12


class MyNumberKeyError(RuntimeError):
    """No usable key, so no number is stored; the message tells staff why, in Japanese."""


class MyNumberUnreadable(ValueError):
    """A stored number does not open with this key for this visit and member."""


def read_key(*, demo: bool) -> bytes:
    """The 32-byte key: from ``COUNTER_MYNUMBER_KEY_FILE``, else (demo only) the data
    directory's key file, created now if missing."""
    named = os.environ.get(KEY_FILE_ENV, "").strip()
    if named:
        return _load(Path(named))
    if not demo:
        raise MyNumberKeyError(
            f"個人番号を保存する鍵がありません（{KEY_FILE_ENV} で鍵ファイルを指定してください）。"
            "空欄にすると届出書は「窓口で記入」になります"
        )
    path = data_dir() / DEMO_KEY_FILE
    if not path.exists():
        _create(path)
    return _load(path)


def _create(path: Path) -> None:
    create_key_file(path, MyNumberKeyError, "個人番号の鍵")


def _load(path: Path) -> bytes:
    return load_key_file(path, MyNumberKeyError, KEY_FILE_ENV)


def _associated(visit_id: str, member_id: str) -> bytes:
    return f"{visit_id}\n{member_id}".encode()


def seal(key: bytes, number: str, *, visit_id: str, member_id: str) -> str:
    """The stored text of one number: base64 of nonce + ciphertext + tag."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, number.encode(), _associated(visit_id, member_id))
    return base64.b64encode(nonce + sealed).decode("ascii")


def unseal(key: bytes, stored: str, *, visit_id: str, member_id: str) -> str:
    try:
        raw = base64.b64decode(stored, validate=True)
        plain = AESGCM(key).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], _associated(visit_id, member_id)
        )
    except (binascii.Error, InvalidTag, ValueError):
        raise MyNumberUnreadable(
            "保存した個人番号を復号できません（鍵が違うか、記録が書き換えられています）"
        ) from None
    return plain.decode("ascii")


def store_numbers(engine: Engine, key: bytes, visit_id: str, numbers: Mapping[str, str]) -> int:
    """Keep the visit's numbers (by member id, 12 checked digits) in one transaction;
    returns how many. A number that fails its check digit is refused before any write."""
    for number in numbers.values():
        if not is_valid(number):
            raise ValueError("個人番号の検査数字が合いません（保存していません）")
    now = datetime.now(UTC)
    with Session(engine) as session:
        for member_id, number in numbers.items():
            session.add(
                MyNumberVaultRow(
                    id=str(uuid.uuid4()),
                    visit_id=visit_id,
                    member_id=member_id,
                    ciphertext=seal(key, number, visit_id=visit_id, member_id=member_id),
                    created_at=now,
                )
            )
        session.commit()
    return len(numbers)


def read_numbers(engine: Engine, key: bytes, visit_id: str) -> dict[str, str]:
    """The visit's numbers by member id, opened with ``key``."""
    with Session(engine) as session:
        rows = session.exec(
            select(MyNumberVaultRow.member_id, MyNumberVaultRow.ciphertext).where(
                MyNumberVaultRow.visit_id == visit_id
            )
        ).all()
    return {
        member_id: unseal(key, stored, visit_id=visit_id, member_id=member_id)
        for member_id, stored in rows
    }
