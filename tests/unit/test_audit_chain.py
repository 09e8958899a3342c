"""The audit chain's pure rules: the text hashed, the hash, and each kind of break."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from counter.audit_chain import (
    ACTIONS,
    GENESIS_HASH,
    AuditEntry,
    StoredEntry,
    canonical,
    chain_hash,
    check_chain,
    json_line,
    utc_iso,
)

JST = timezone(timedelta(hours=9))
AT = datetime(2026, 4, 1, 9, 30, 15, 123456, tzinfo=JST)


def entry(row_id: int, **changes) -> AuditEntry:
    fields = dict(
        id=row_id,
        at=AT + timedelta(minutes=row_id),
        staff_id="s1",
        terminal="窓口1",
        action="view",
        resident_id=f"H9-{row_id}",
        visit_id=None,
        detail=f"閲覧 {row_id}",
    )
    return AuditEntry(**(fields | changes))


def chain(count: int) -> list[StoredEntry]:
    rows, previous = [], GENESIS_HASH
    for row_id in range(1, count + 1):
        current = entry(row_id)
        row_hash = chain_hash(previous, current)
        rows.append(StoredEntry(current, previous, row_hash))
        previous = row_hash
    return rows


def test_the_hashed_text_is_fixed_field_order_compact_json_in_utc():
    assert canonical(entry(7)) == (
        '[7,"2026-04-01T00:37:15.123456+00:00","s1","窓口1","view","H9-7",null,"閲覧 7"]'
    )


def test_the_hash_is_sha256_of_previous_hash_and_text():
    expected = hashlib.sha256((GENESIS_HASH + canonical(entry(1))).encode()).hexdigest()
    assert chain_hash(GENESIS_HASH, entry(1)) == expected
    # Pinned (computed with `printf … | sha256sum`): stored hashes must keep verifying.
    assert expected == "7dff5590c1783c2a1354c57bbdbacb32f13205788d174ff212b766a4e00f20ef"


def test_every_field_and_the_previous_hash_change_the_hash():
    base = chain_hash(GENESIS_HASH, entry(1))
    assert chain_hash("1" * 64, entry(1)) != base
    for field, value in [
        ("id", 2),
        ("at", AT + timedelta(microseconds=1)),
        ("staff_id", None),
        ("terminal", "窓口2"),
        ("action", "print"),
        ("resident_id", None),
        ("visit_id", "v1"),
        ("detail", "閲覧 1 "),
    ]:
        assert chain_hash(GENESIS_HASH, dataclasses.replace(entry(1), **{field: value})) != base


def test_one_instant_in_any_zone_is_one_text():
    assert utc_iso(AT) == utc_iso(AT.astimezone(UTC)) == "2026-04-01T00:30:15.123456+00:00"
    with pytest.raises(ValueError):
        utc_iso(AT.replace(tzinfo=None))


def test_an_intact_chain_passes_and_counts_rows():
    check = check_chain(chain(5))
    assert (check.ok, check.rows, check.broken_id, check.reason) == (True, 5, None, "")
    assert check_chain([]).ok


def test_an_edited_row_is_named():
    rows = chain(5)
    rows[2] = dataclasses.replace(rows[2], entry=entry(3, detail="閲覧 X"))
    check = check_chain(rows)
    assert (check.ok, check.broken_id) == (False, 3)
    assert "ID 3" in check.reason and "書き換え" in check.reason


def test_a_deleted_row_is_named_at_the_gap():
    rows = chain(5)
    del rows[1:3]
    check = check_chain(rows)
    assert check.broken_id == 4 and "ID 2〜3" in check.reason and "削除" in check.reason
    check = check_chain(chain(5)[1:])
    assert check.broken_id == 2 and "ID 1 の行" in check.reason


def test_a_deleted_row_with_the_rest_renumbered_breaks_the_link():
    rows = chain(5)
    renumbered = [rows[0]] + [
        dataclasses.replace(row, entry=dataclasses.replace(row.entry, id=row.entry.id - 1))
        for row in rows[2:]
    ]
    check = check_chain(renumbered)
    assert check.broken_id == 2 and "前の行のハッシュ" in check.reason


def test_an_inserted_and_a_reordered_row_are_named():
    rows = chain(3)
    forged = entry(4, detail="偽")
    check = check_chain([*rows, StoredEntry(forged, rows[-1].row_hash, "f" * 64)])
    assert check.broken_id == 4
    swapped = [rows[0], rows[2], rows[1]]
    assert check_chain(swapped).broken_id == 3
    assert "順番" in check_chain([rows[0], rows[0]]).reason


def test_an_anchor_catches_a_cut_tail_and_a_rebuilt_chain():
    rows = chain(5)
    anchor = (5, rows[-1].row_hash)
    assert check_chain(rows, anchor).ok
    assert check_chain(rows[:3]).ok  # the chain alone cannot see it
    cut = check_chain(rows[:3], anchor)
    assert (cut.broken_id, cut.rows) == (5, 3) and "削除" in cut.reason
    rebuilt = check_chain([*rows[:4], StoredEntry(entry(5, detail="別"), rows[3].row_hash, "")])
    assert rebuilt.broken_id == 5
    forged, previous = [], GENESIS_HASH
    for row in rows:
        changed = dataclasses.replace(row.entry, staff_id="s9")
        forged.append(StoredEntry(changed, previous, chain_hash(previous, changed)))
        previous = forged[-1].row_hash
    assert check_chain(forged).ok  # recomputed by someone who knows the algorithm
    assert check_chain(forged, anchor).broken_id == 5


def test_a_json_line_has_every_column_the_label_and_plain_japanese():
    row = chain(1)[0]
    line = json_line(row)
    assert "\\u" not in line and "窓口1" in line
    assert json.loads(line) == {
        "id": 1,
        "at": "2026-04-01T00:31:15.123456+00:00",
        "staff_id": "s1",
        "terminal": "窓口1",
        "action": "view",
        "action_label": "閲覧",
        "resident_id": "H9-1",
        "visit_id": None,
        "detail": "閲覧 1",
        "previous_hash": GENESIS_HASH,
        "row_hash": row.row_hash,
    }


def test_every_action_has_a_japanese_label():
    assert set(ACTIONS) >= {"search", "view", "print", "export", "edit", "login", "logout"}
    assert ACTIONS["failed_login"] == "ログイン失敗"
