"""The hash chain of the audit log, without SQL, so every rule of it is unit-testable.

Each row's hash covers the previous row's hash and a canonical serialisation of the row, so
an edited, deleted, inserted or reordered row breaks the chain at that row. The chain has
no secret key: it proves the log was not changed *by someone who did not also recompute
every later hash*; the JSON lines the city's SOC keeps are what anchors it from outside.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS_HASH = "0" * 64
ACTIONS = {
    "search": "検索",
    "view": "閲覧",
    "print": "印刷",
    "export": "出力",
    "edit": "変更",
    "login": "ログイン",
    "logout": "ログアウト",
    "failed_login": "ログイン失敗",
    "lock": "画面ロック",
    "unlock": "ロック解除",
    "purge": "削除",
    "import": "取り込み",
}


@dataclass(frozen=True)
class AuditEntry:
    """The fields of one audit row that its hash covers."""

    id: int
    at: datetime | None  # None: what is stored there is no time (a tampered row)
    staff_id: str | None
    terminal: str
    action: str
    resident_id: str | None
    visit_id: str | None
    detail: str


@dataclass(frozen=True)
class StoredEntry:
    """An audit row as read back: its fields and the two hashes stored with it."""

    entry: AuditEntry
    previous_hash: str
    row_hash: str
    row_mark: str | None = None  # HMAC under the audit key; None on rows made before it


@dataclass(frozen=True)
class Head:
    """The chain's last row as written outside the database at a sign-out or once a day."""

    id: int
    mark: str
    at: str  # when it was written, as read (和暦)


@dataclass(frozen=True)
class AuditCheck:
    """The outcome of walking the chain: how many rows, and the first broken one."""

    rows: int
    broken_id: int | None = None
    reason: str = ""
    unkeyed: int = 0  # rows from before the audit key, at the start of the chain

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def utc_iso(at: datetime | None) -> str:
    """One spelling of an instant, whatever the database gave back."""
    if at is None or at.utcoffset() is None:
        raise ValueError("audit times must carry a time zone")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(entry: AuditEntry) -> str:
    """The exact text hashed for a row: a compact JSON array in a fixed field order."""
    fields = [
        entry.id,
        utc_iso(entry.at),
        entry.staff_id,
        entry.terminal,
        entry.action,
        entry.resident_id,
        entry.visit_id,
        entry.detail,
    ]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def chain_hash(previous_hash: str, entry: AuditEntry) -> str:
    """SHA-256 (hex) of the previous row's hash followed by this row's canonical text."""
    return hashlib.sha256((previous_hash + canonical(entry)).encode("utf-8")).hexdigest()


def keyed_mark(key: bytes, text: str) -> str:
    """HMAC-SHA-256 of ``text`` under the audit key: a row's mark (of its chain hash), which
    only whoever holds the key can make, so a chain rebuilt without it is told apart; and
    the mark the log keeps of a login name that is no account (db.staff)."""
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def check_chain(
    rows: Iterable[StoredEntry],
    anchor: tuple[int, str] | None = None,
    *,
    key: bytes | None = None,
    heads: Sequence[Head] = (),
) -> AuditCheck:
    """Walk rows in id order; the first row whose id, link, hash or mark is wrong, and why.

    Ids are given out one after another from 1, so a missing id is a deleted row; a wrong
    link is a row deleted, inserted or moved before this one; a wrong hash is an edit.
    With ``key``, each row's mark must be the key's: a chain recomputed without the key
    (or checked with another key) fails at its first row. Rows from before the key only
    at the start. The chain alone cannot see its last rows deleted: ``heads`` (written
    outside the database) and ``anchor`` (id and hash of the last line of an export the SOC
    holds) must still be there, unchanged."""
    walk = _Walk(key, {head.id: head for head in heads})
    for row in rows:
        problem = walk.step(row, anchor)
        if problem:
            return AuditCheck(walk.count, row.entry.id, problem, walk.unkeyed)
    for head in sorted(heads, key=lambda h: h.id):
        if head.id >= walk.expected_id:
            return AuditCheck(walk.count, head.id, (
                f"{head.at}に記録した最後の行 ID {head.id} がありません"
                "（最後の行から削除されています）"), walk.unkeyed)  # fmt: skip
    if anchor is not None and anchor[0] >= walk.expected_id:
        reason = f"出力済みの ID {anchor[0]} の行がありません（最後の行から削除されています）"
        return AuditCheck(walk.count, anchor[0], reason, walk.unkeyed)
    return AuditCheck(walk.count, unkeyed=walk.unkeyed)


class _Walk:
    """Where check_chain has got to: the next id, the last hash, keyed rows seen."""

    def __init__(self, key: bytes | None, heads: dict[int, Head]) -> None:
        self.key, self.heads = key, heads
        self.expected_id, self.previous_hash, self.count, self.unkeyed = 1, GENESIS_HASH, 0, 0
        self.keyed = False

    def step(self, row: StoredEntry, anchor: tuple[int, str] | None) -> str | None:
        self.count += 1
        problem = _row_problem(row, self.expected_id, self.previous_hash, anchor)
        problem = problem or self._mark_problem(row)
        self.expected_id, self.previous_hash = row.entry.id + 1, row.row_hash
        return problem

    def _mark_problem(self, row: StoredEntry) -> str | None:
        row_id, head = row.entry.id, self.heads.get(row.entry.id)
        if head is not None and row.row_mark != head.mark:
            return (
                f"ID {row_id} の行が{head.at}に記録した最後の行と一致しません（作り直されています）"
            )
        if self.key is None:
            return None
        if row.row_mark is None:
            if self.keyed:
                return f"ID {row_id} の行に鍵付きの印がありません（消されています）"
            self.unkeyed += 1
            return None
        if not hmac.compare_digest(keyed_mark(self.key, row.row_hash), row.row_mark):
            if not self.keyed:
                return (f"ID {row_id} の行から鍵付きの印が合いません"
                        "（鍵ファイルが違うか、鍵なしで作り直されています）")  # fmt: skip
            return f"ID {row_id} の行の鍵付きの印が合いません（鍵なしで作り直されています）"
        self.keyed = True
        return None


def _row_problem(
    row: StoredEntry, expected_id: int, previous_hash: str, anchor: tuple[int, str] | None
) -> str | None:
    row_id = row.entry.id
    if row_id > expected_id:
        missing = f"ID {expected_id}" + (f"〜{row_id - 1}" if row_id - 1 > expected_id else "")
        return f"ID {row_id} の行の前にあるはずの {missing} の行がありません（削除されています）"
    if row_id < expected_id:
        return f"ID {row_id} の行は順番が正しくありません（ID {expected_id} のはずです）"
    if row.previous_hash != previous_hash:
        return (
            f"ID {row_id} の行の「前の行のハッシュ」が前の行と一致しません"
            "（行の削除・挿入・並べ替えがあります）"
        )
    try:
        rehashed = chain_hash(previous_hash, row.entry)
    except (ValueError, TypeError, AttributeError):  # a time that is none, bytes for text
        return f"ID {row_id} の行の日時か内容が読めない値です（書き換えられています）"
    if rehashed != row.row_hash:
        return f"ID {row_id} の行の内容がハッシュと一致しません（書き換えられています）"
    if anchor is not None and row_id == anchor[0] and row.row_hash != anchor[1]:
        return f"ID {row_id} の行が出力済みの写しと一致しません（ハッシュが作り直されています）"
    return None


def json_line(row: StoredEntry) -> str:
    """One row for the SOC: every column plus the action's Japanese label, UTF-8 as is."""
    entry = row.entry
    record = {
        "id": entry.id,
        "at": utc_iso(entry.at),
        "staff_id": entry.staff_id,
        "terminal": entry.terminal,
        "action": entry.action,
        "action_label": ACTIONS.get(entry.action, entry.action),
        "resident_id": entry.resident_id,
        "visit_id": entry.visit_id,
        "detail": entry.detail,
        "previous_hash": row.previous_hash,
        "row_hash": row.row_hash,
    }
    return json.dumps(record, ensure_ascii=False)
