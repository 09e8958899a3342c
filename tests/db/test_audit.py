"""The audit log on both backends: chained appends, tampering straight in the database
(as someone with DBA rights who drops the triggers first), many terminals at once, and
the JSON lines export for the SOC."""

from __future__ import annotations

import io
import itertools
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

import db.audit
from counter.audit_chain import GENESIS_HASH, AuditEntry, chain_hash, keyed_mark
from db.audit import append, export_jsonl, record, verify
from db.audit_head import head_path, read_heads, record_head
from db.audit_key import KEY_FILE_ENV as AUDIT_KEY_ENV
from db.audit_key import AuditKeyError, audit_key, audit_key_path
from db.engine import make_engine
from db.keyfiles import create_key_file
from db.models import AuditLogRow
from db.sequences import allocate

NUMBER = "123456789018"  # a valid individual number (check digit 8), fictional


def drop_triggers(engine) -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log"))
        else:
            connection.execute(text("DROP TRIGGER IF EXISTS audit_log_no_update"))
            connection.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))


def tamper(engine, statement: str) -> None:
    drop_triggers(engine)
    with engine.begin() as connection:
        connection.execute(text(statement))


def five_rows(engine) -> None:
    record(engine, action="login", staff_id="s1", terminal="t1")
    record(engine, action="search", staff_id="s1", terminal="t1", detail="ヨナゴ 1990-04-01")
    record(engine, action="view", staff_id="s1", terminal="t1", resident_id="H900001-1")
    record(engine, action="print", staff_id="s1", terminal="t1", visit_id="v1", detail="案内票")
    record(engine, action="logout", staff_id="s1", terminal="t1")


def rows(engine) -> list[AuditLogRow]:
    with Session(engine) as session:
        return list(session.exec(select(AuditLogRow).order_by(AuditLogRow.id)))


def test_appended_rows_chain_and_verify(engine):
    assert verify(engine).ok and verify(engine).rows == 0
    five_rows(engine)
    stored = rows(engine)
    assert [row.id for row in stored] == [1, 2, 3, 4, 5]
    assert stored[0].previous_hash == "0" * 64
    assert all(b.previous_hash == a.row_hash for a, b in itertools.pairwise(stored))
    assert [row.action for row in stored] == ["login", "search", "view", "print", "logout"]
    assert stored[2].resident_id == "H900001-1" and stored[3].visit_id == "v1"
    check = verify(engine)
    assert (check.ok, check.rows, check.broken_id) == (True, 5, None)


def test_append_joins_the_callers_transaction(engine):
    with Session(engine) as session:
        append(session, action="edit", staff_id="s1", terminal="t1", detail="変更A")
        append(session, action="edit", staff_id="s1", terminal="t1", detail="変更B")
        session.rollback()
    assert rows(engine) == []
    with Session(engine) as session:
        append(session, action="edit", staff_id="s1", terminal="t1", detail="変更A")
        append(session, action="edit", staff_id="s1", terminal="t1", detail="変更B")
        session.commit()
    assert [row.detail for row in rows(engine)] == ["変更A", "変更B"]
    assert verify(engine).ok


def test_an_unknown_action_is_refused_and_nothing_is_written(engine):
    with pytest.raises(ValueError, match="reading"):
        record(engine, action="reading", staff_id="s1", terminal="t1")
    assert rows(engine) == []


def test_an_individual_number_in_detail_is_stored_redacted(engine):
    record(engine, action="search", staff_id="s1", terminal="t1", detail=f"番号 {NUMBER}")
    record(
        engine, action="edit", staff_id="s1", terminal="t1", detail="１２３４－５６７８－９０１８"
    )
    stored = [row.detail for row in rows(engine)]
    assert stored == ["番号 ［個人番号］", "［個人番号］"]
    assert verify(engine).ok  # the hash covers what is stored


def test_the_database_refuses_update_and_delete(engine):
    five_rows(engine)
    for statement in ("UPDATE audit_log SET detail = 'x' WHERE id = 2", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    assert len(rows(engine)) == 5 and verify(engine).ok


def test_an_edited_detail_is_caught_naming_the_row(engine):
    five_rows(engine)
    tamper(engine, "UPDATE audit_log SET detail = '案内票（再）' WHERE id = 4")
    check = verify(engine)
    assert (check.ok, check.broken_id) == (False, 4)
    assert "ID 4" in check.reason and "書き換え" in check.reason


def test_an_edited_staff_id_is_caught(engine):
    five_rows(engine)
    tamper(engine, "UPDATE audit_log SET staff_id = 's2' WHERE id = 3")
    assert verify(engine).broken_id == 3


def test_a_deleted_middle_row_is_caught_at_the_next_row(engine):
    five_rows(engine)
    tamper(engine, "DELETE FROM audit_log WHERE id = 3")
    check = verify(engine)
    assert (check.ok, check.broken_id) == (False, 4)
    assert "ID 3" in check.reason and "削除" in check.reason


def test_a_deleted_middle_row_renumbered_is_caught_by_the_link(engine):
    five_rows(engine)
    tamper(engine, "DELETE FROM audit_log WHERE id = 3")
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET id = id - 1 WHERE id = 4"))
        connection.execute(text("UPDATE audit_log SET id = id - 1 WHERE id = 5"))
    check = verify(engine)
    assert (check.ok, check.broken_id) == (False, 3)
    assert "前の行のハッシュ" in check.reason


def test_a_deleted_first_row_is_caught(engine):
    five_rows(engine)
    tamper(engine, "DELETE FROM audit_log WHERE id = 1")
    assert verify(engine).broken_id == 2


def test_an_inserted_row_is_caught(engine):
    five_rows(engine)
    last = rows(engine)[-1]
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_log (id, at, staff_id, terminal, action, detail, "
                "previous_hash, row_hash) VALUES (6, :at, 's9', 't9', 'view', '', :prev, :hash)"
            ),
            {"at": datetime.now(UTC), "prev": last.row_hash, "hash": "f" * 64},
        )
    check = verify(engine)
    assert (check.ok, check.broken_id) == (False, 6)


def test_swapped_rows_are_caught(engine):
    five_rows(engine)
    drop_triggers(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET id = 100 WHERE id = 2"))
        connection.execute(text("UPDATE audit_log SET id = 2 WHERE id = 3"))
        connection.execute(text("UPDATE audit_log SET id = 3 WHERE id = 100"))
    check = verify(engine)
    assert (check.ok, check.broken_id) == (False, 2)


def test_a_deleted_last_row_needs_an_anchor_kept_outside(engine):
    """The chain alone cannot see its tail cut off; the last line of an earlier export can."""
    five_rows(engine)
    anchor = (5, rows(engine)[-1].row_hash)
    assert verify(engine, anchor=anchor).ok
    tamper(engine, "DELETE FROM audit_log WHERE id = 5")
    assert verify(engine).ok  # the limit of a chain without an outside anchor
    check = verify(engine, anchor=anchor)
    assert (check.ok, check.broken_id) == (False, 5)
    assert "ID 5" in check.reason and "削除" in check.reason


def test_an_anchor_catches_a_chain_recomputed_after_a_change(engine, monkeypatch):
    five_rows(engine)
    anchor = (5, rows(engine)[-1].row_hash)
    drop_triggers(engine)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log"))
    monkeypatch.setattr(db.audit, "_now", lambda: datetime(2026, 12, 1, 0, 0, tzinfo=UTC))
    five_rows(engine)  # a forger rebuilding a valid chain from scratch
    assert verify(engine).ok
    check = verify(engine, anchor=anchor)
    assert (check.ok, check.broken_id) == (False, 5)


# --- the keyed chain (issue 23): an insider with database rights but not the key ---------


def forge(engine, statement: str) -> None:
    """``statement``, then every hash from the first row on recomputed as the program
    would, without the key: each mark is left as it was (or NULL where the row is new)."""
    tamper(engine, statement)
    with engine.begin() as connection:
        stored = connection.execute(text("SELECT * FROM audit_log ORDER BY id")).mappings().all()
        previous = GENESIS_HASH
        for row in stored:
            fields = ("staff_id", "terminal", "action", "resident_id", "visit_id", "detail")
            entry = AuditEntry(row["id"], _aware(row["at"]), *(row[f] for f in fields))
            row_hash = chain_hash(previous, entry)
            connection.execute(
                text("UPDATE audit_log SET previous_hash = :p, row_hash = :h WHERE id = :id"),
                {"p": previous, "h": row_hash, "id": row["id"]},
            )
            previous = row_hash


def _aware(at) -> datetime:
    at = datetime.fromisoformat(at) if isinstance(at, str) else at
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def test_every_row_carries_the_keys_mark(engine):
    five_rows(engine)
    key = audit_key()
    assert all(r.row_mark == keyed_mark(key, r.row_hash) for r in rows(engine))
    assert verify(engine).ok and verify(engine).unkeyed == 0


def test_a_chain_recomputed_without_the_key_is_named_at_the_first_changed_row(engine):
    five_rows(engine)
    forge(engine, "UPDATE audit_log SET detail = '書き換え' WHERE id = 3")
    check = verify(engine)
    assert (check.ok, check.broken_id) == (False, 3)
    assert check.reason == "ID 3 の行の鍵付きの印が合いません（鍵なしで作り直されています）"


def test_marks_removed_with_the_chain_recomputed_are_caught_by_the_head(engine):
    five_rows(engine)
    record_head(engine, "t1")
    forge(engine, "UPDATE audit_log SET row_mark = NULL, detail = '書き換え' WHERE id >= 2")
    check = verify(engine)  # no head: the rows look as old as the key
    assert check.ok is False and check.broken_id == 2  # row 1 keeps its mark
    check = verify(engine, heads=read_heads(head_path()))
    assert check.ok is False and "ID 2 の行に鍵付きの印がありません" in check.reason


def test_a_cut_tail_and_an_emptied_log_are_caught_by_the_head(engine):
    five_rows(engine)
    record_head(engine, "t1")  # a sign-out: id 5 and its mark, outside the database
    heads = read_heads(head_path())
    assert [(h.id, h.mark) for h in heads] == [(5, rows(engine)[-1].row_mark)]
    assert verify(engine, heads=heads).ok
    tamper(engine, "DELETE FROM audit_log WHERE id >= 4")
    check = verify(engine, heads=heads)
    assert (check.ok, check.broken_id) == (False, 5)
    assert check.reason.endswith(
        "に記録した最後の行 ID 5 がありません（最後の行から削除されています）"
    )
    tamper(engine, "DELETE FROM audit_log")
    check = verify(engine, heads=heads)
    assert (check.ok, check.rows, check.broken_id) == (False, 0, 5)


def test_another_key_file_is_named_at_the_first_row(engine, tmp_path, monkeypatch):
    five_rows(engine)
    other = tmp_path / "other.key"
    create_key_file(other, AuditKeyError, "監査ログの鍵")
    monkeypatch.setenv(AUDIT_KEY_ENV, str(other))
    check = verify(engine)
    assert (check.ok, check.broken_id) == (False, 1)
    assert check.reason == (
        "ID 1 の行から鍵付きの印が合いません（鍵ファイルが違うか、鍵なしで作り直されています）"
    )
    monkeypatch.setenv(AUDIT_KEY_ENV, str(tmp_path / "missing.key"))
    with pytest.raises(AuditKeyError, match="鍵ファイルを読めません"):
        verify(engine)


def test_a_missing_key_is_never_made_by_verify(engine):
    five_rows(engine)
    audit_key_path().unlink()
    with pytest.raises(AuditKeyError, match="監査ログの鍵がありません"):
        verify(engine)
    assert not audit_key_path().exists()


def test_rows_from_before_the_key_are_counted_and_covered_by_the_first_keyed_row(engine):
    five_rows(engine)
    forge(engine, "UPDATE audit_log SET row_mark = NULL WHERE id <= 2")  # as before 0016
    check = verify(engine)
    assert (check.ok, check.unkeyed) == (True, 2)
    forge(engine, "UPDATE audit_log SET detail = '書き換え' WHERE id = 1")
    check = verify(engine)  # row 3's mark covers its link to the rewritten rows
    assert (check.ok, check.broken_id) == (False, 3)


TERMINALS = 8
APPENDS_EACH = 50


def test_many_terminals_at_once_leave_one_chain(database_url):
    """Even terminals use ``record``; odd ones ``append`` inside a transaction that has
    already written elsewhere (a number allocated), as staff sign-in does."""

    def terminal(number: int) -> None:
        engine = make_engine(database_url)  # each terminal has its own connection pool
        fields = {"action": "view", "staff_id": f"s{number}", "terminal": f"t{number}"}
        try:
            for n in range(APPENDS_EACH):
                if number % 2 == 0:
                    record(engine, **fields, detail=str(n))
                    continue
                with Session(engine) as session:
                    allocate(session, "audit-test")
                    append(session, **fields, detail=str(n))
                    session.commit()
        finally:
            engine.dispose()

    with ThreadPoolExecutor(max_workers=TERMINALS) as pool:
        list(pool.map(terminal, range(TERMINALS)))

    engine = make_engine(database_url)
    try:
        check = verify(engine)
        stored = rows(engine)
    finally:
        engine.dispose()
    total = TERMINALS * APPENDS_EACH
    assert (check.ok, check.rows) == (True, total), check.reason
    assert [row.id for row in stored] == list(range(1, total + 1))
    assert sorted((row.terminal, int(row.detail)) for row in stored) == sorted(
        (f"t{t}", n) for t in range(TERMINALS) for n in range(APPENDS_EACH)
    )


def test_export_writes_json_lines_with_japanese_intact(engine):
    five_rows(engine)
    out = io.StringIO()
    assert export_jsonl(engine, out) == 5
    text_out = out.getvalue()
    assert "ヨナゴ" in text_out and "\\u" not in text_out
    lines = [json.loads(line) for line in text_out.splitlines()]
    stored = rows(engine)
    assert [line["id"] for line in lines] == [1, 2, 3, 4, 5]
    assert lines[1]["detail"] == "ヨナゴ 1990-04-01"
    assert [line["action_label"] for line in lines] == [
        "ログイン", "検索", "閲覧", "印刷", "ログアウト",
    ]  # fmt: skip
    assert lines[3]["row_hash"] == stored[3].row_hash
    assert lines[3]["previous_hash"] == stored[2].row_hash
    assert set(lines[0]) == {
        "id", "at", "staff_id", "terminal", "action", "action_label", "resident_id",
        "visit_id", "detail", "previous_hash", "row_hash",
    }  # fmt: skip


def test_export_filters_by_office_day_in_japan_time(engine, monkeypatch):
    moments = iter(
        [
            datetime(2026, 3, 31, 14, 59, tzinfo=UTC),  # 3月31日 23:59 JST
            datetime(2026, 3, 31, 15, 0, tzinfo=UTC),  # 4月1日 0:00 JST
            datetime(2026, 4, 1, 14, 59, 59, tzinfo=UTC),  # 4月1日 23:59:59 JST
            datetime(2026, 4, 1, 15, 0, tzinfo=UTC),  # 4月2日 0:00 JST
        ]
    )
    monkeypatch.setattr(db.audit, "_now", lambda: next(moments))
    for n in range(4):
        record(engine, action="view", staff_id="s1", terminal="t1", detail=str(n))

    def exported(**dates) -> list[str]:
        out = io.StringIO()
        count = export_jsonl(engine, out, **dates)
        details = [json.loads(line)["detail"] for line in out.getvalue().splitlines()]
        assert count == len(details)
        return details

    april_first = date(2026, 4, 1)
    assert exported(since=april_first, until=april_first) == ["1", "2"]
    assert exported(since=april_first) == ["1", "2", "3"]
    assert exported(until=april_first) == ["0", "1", "2"]
    assert exported(since=date(2026, 4, 3)) == []
    assert exported() == ["0", "1", "2", "3"]
