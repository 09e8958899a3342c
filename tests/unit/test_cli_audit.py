"""`counter audit verify | export` as an administrator runs them: real processes on a real
SQLite file, tampered with straight in the database."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import ADMIN_PASSWORD, add_staff
from killer import counter
from sqlalchemy import text

import db.audit
from counter.cli import main
from db.audit import record
from db.engine import make_engine

DEVICE = "窓口3番"


@pytest.fixture
def url(tmp_path: Path, monkeypatch, new_sqlite) -> str:
    """A migrated SQLite file with kanri and tanaka (created 令和8年3月31日) and four
    audit rows: two on 令和8年4月1日, two the next day."""
    url = new_sqlite(tmp_path / "counter.sqlite3")
    engine = make_engine(url)
    monkeypatch.setattr(db.audit, "_now", lambda: datetime(2026, 3, 31, 9, tzinfo=UTC))
    add_staff(engine, terminal="t0")
    moments = iter(
        datetime(2026, 4, day, hour, tzinfo=UTC) for day, hour in ((1, 1), (1, 2), (2, 1), (2, 2))
    )
    monkeypatch.setattr(db.audit, "_now", lambda: next(moments))
    record(engine, action="login", staff_id="s1", terminal="t1")
    record(engine, action="search", staff_id="s1", terminal="t1", detail="ヨナゴ タロウ")
    record(engine, action="view", staff_id="s1", terminal="t1", resident_id="H900001-1")
    record(engine, action="logout", staff_id="s1", terminal="t1")
    engine.dispose()
    return url


def run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The command as a real process; an export signs in as kanri (password on stdin)."""
    signing_in = args[0] == "export"
    return subprocess.run(
        [
            sys.executable, "-m", "counter.cli", "--database-url", url, "audit", *args,
            *(("--as", "kanri") if signing_in else ()),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        input=f"{ADMIN_PASSWORD}\n" if signing_in else None,
        env=os.environ | {"COUNTER_DEVICE_ID": DEVICE, "COUNTER_PASSWORD_STDIN": "1"},
    )  # fmt: skip


def row_id(url: str, action: str, detail: str = "") -> int:
    """The id of the first row of ``action`` (and ``detail``): ids follow the staff rows."""
    return next(r.id for r in audit_rows(url) if r.action == action and detail in r.detail)


def tamper(url: str, *statements: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER audit_log_no_update"))
        connection.execute(text("DROP TRIGGER audit_log_no_delete"))
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


def audit_rows(url: str) -> list:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM audit_log ORDER BY id")).all()
    engine.dispose()
    return rows


def test_verify_passes_then_names_the_edited_row(url):
    result = run(url, "verify")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "監査ログ 6件、改ざんは見つかりませんでした"  # 2 + 4

    search = row_id(url, "search")
    tamper(url, f"UPDATE audit_log SET detail = 'ヨナゴ' WHERE id = {search}")
    result = run(url, "verify")
    assert result.returncode == 1
    assert f"ID {search}" in result.stderr and "書き換え" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_verify_names_the_row_after_a_deleted_one(url):
    search = row_id(url, "search")
    tamper(url, f"DELETE FROM audit_log WHERE id = {search}")
    result = run(url, "verify")
    assert result.returncode == 1
    assert f"ID {search + 1}" in result.stderr and f"ID {search}" in result.stderr


def test_export_writes_json_lines_and_records_itself(url, tmp_path):
    out = tmp_path / "audit.jsonl"
    result = run(url, "export", "--out", str(out), "--since", "R8.4.1", "--until", "R8.4.2")
    assert result.returncode == 0, result.stderr
    assert "4件" in result.stdout
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["action_label"] for line in lines] == ["ログイン", "検索", "閲覧", "ログアウト"]
    assert lines[1]["detail"] == "ヨナゴ タロウ"
    assert "ヨナゴ" in out.read_text(encoding="utf-8")  # not \\u-escaped
    rows = audit_rows(url)
    [exported] = [row for row in rows if row.action == "export"]
    kanri = next(row.staff_id for row in rows if row.action == "login" and row.terminal == DEVICE)
    assert exported.staff_id == kanri is not None  # who exported, signed in with a password
    assert exported.terminal == DEVICE and "4件" in exported.detail
    assert [row.action for row in rows[-3:]] == ["login", "export", "logout"]
    verified = run(url, "verify").stdout.strip()
    assert verified.startswith(
        f"監査ログ {len(rows)}件、改ざんは見つかりませんでした（最後の行の記録"
    )
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


def test_export_filters_by_wareki_and_seireki_dates(url, tmp_path):
    out = tmp_path / "day.jsonl"
    result = run(url, "export", "--out", str(out), "--since", "R8.4.2", "--until", "2026-04-02")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    first = row_id(url, "view")
    assert [line["id"] for line in lines] == [first, first + 1]


def test_a_cut_tail_is_caught_by_the_head_kept_outside_and_by_the_last_export(url, tmp_path):
    out = tmp_path / "audit.jsonl"
    assert run(url, "export", "--out", str(out), "--until", "R8.4.1").returncode == 0
    # The export ends with the search; the attacker removes everything from it on.
    search = row_id(url, "search")
    tamper(url, f"DELETE FROM audit_log WHERE id >= {search}")
    caught = run(url, "verify")  # the export's sign-in and sign-out wrote heads outside
    assert caught.returncode == 1
    named = re.search(r"に記録した最後の行 ID (\d+) がありません（最後の行から削除されています）",
                      caught.stderr)  # fmt: skip
    assert named and int(named.group(1)) >= search, caught.stderr
    none = tmp_path / "no-heads.jsonl"
    none.write_text("", encoding="utf-8")
    # without the heads, the chain alone cannot see a cut tail; the last export can
    assert run(url, "verify", "--head", str(none)).returncode == 0
    result = run(url, "verify", "--head", str(none), "--last-export", str(out))
    assert result.returncode == 1
    assert f"ID {search}" in result.stderr and "削除" in result.stderr


@pytest.mark.parametrize(
    "args,message",
    [
        (["export", "--out", "."], "--out"),
        (["export", "--out", "missing/audit.jsonl"], "--out"),
        (["export", "--out", "a.jsonl", "--since", "R8.13.1"], "--since"),
        (["export", "--out", "a.jsonl", "--since", "R8.4.2", "--until", "R8.4.1"], "--since"),
        (["verify", "--last-export", "missing.jsonl"], "--last-export"),
        (["verify", "--head", "missing.jsonl"], "--head: ファイルが見つかりません"),
        (["verify", "--head", "."], "--head: 通常のファイルではありません"),
    ],
)
def test_bad_input_is_one_japanese_line_and_nothing_written(
    url, tmp_path, monkeypatch, capsys, args, message
):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(["--database-url", url, "audit", *args])
    assert stop.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("エラー: ") and message in error and error.count("\n") == 1
    assert not (tmp_path / "a.jsonl").exists()
    assert len(audit_rows(url)) == 6  # two accounts made and the four: nothing added


def test_a_file_that_is_not_an_export_is_refused(url, tmp_path):
    other = tmp_path / "other.jsonl"
    other.write_text('{"hello": 1}\n', encoding="utf-8")
    result = run(url, "verify", "--last-export", str(other))
    assert result.returncode == 2 and "other.jsonl" in result.stderr


def test_killed_between_recording_an_export_and_moving_it_in_place(url, tmp_path):
    """The export is recorded, then kill -9 before the file is moved in place: no file
    under its name, a whole one hidden beside it, the chain intact; the next run works."""
    out = tmp_path / "audit.jsonl"
    killed = counter("--database-url", url, "audit", "export", "--out", str(out), "--as",
                     "kanri", stdin=f"{ADMIN_PASSWORD}\n",
                     kill=("db.audit", "record", 0, "after"))  # fmt: skip
    assert killed.returncode == -9 and not out.exists()
    assert [row.action for row in audit_rows(url)][-2:] == ["login", "export"]
    assert run(url, "verify").returncode == 0
    again = run(url, "export", "--out", str(out))
    assert again.returncode == 0 and out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
