"""The real program in a real terminal: a 転入 typed in Japanese, end to end.

`counter` runs in tmux (120×40) on a fresh data directory (so it also seeds the demo
register); keys go in with `tmux send-keys` as an IME commits them: U+3000 in names,
full-width digits in dates and postal codes. It starts as a new install does, with
the first administrator typed in. The test then finds the slip PDF, the stored visit and
household, the administrator's Argon2 hash and the audit trail in the SQLite file.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
from pdfcheck import pdf_text
from tmuxterm import Terminal

NAME = "山田　太郎"
PASSWORD = "kanri-no-pass-2026"


@pytest.fixture
def terminal(tmp_path: Path):
    term = Terminal(tmp_path, {"COUNTER_DATA_DIR": str(tmp_path / "data")})
    yield term
    term.close()


def test_a_move_in_typed_in_japanese_is_stored_and_its_slip_written(terminal, tmp_path):
    # A new install: no account and no default password, so the administrator is made first.
    terminal.wait_for("最初の管理者の登録", seconds=60)
    terminal.type("kanri")
    terminal.keys("Enter")
    terminal.type("管理　花子")
    terminal.keys("Enter")
    terminal.type(PASSWORD)
    terminal.keys("Enter")
    terminal.type(PASSWORD)
    shown = terminal.screen()
    assert PASSWORD not in shown and "*" * len(PASSWORD) in shown  # masked in ASCII
    terminal.keys("Enter")
    terminal.wait_for("世帯をさがす")
    terminal.wait_for("候補が出ます")  # the demo register is ready
    terminal.keys("F3")
    terminal.wait_for("新しい世帯の登録")
    terminal.type(NAME)
    terminal.keys("Tab")
    terminal.type("やまだ　たろう")
    terminal.keys("Tab")
    terminal.type("Ｓ５０．１．１")
    terminal.keys("Tab", "Enter", "Tab", "Tab", "Tab")  # 男 (Enter goes on); card, 国籍, 〒
    terminal.type("６８３－０８２３")
    # The looked-up town inside the field (the next field's example also names 加茂町).
    terminal.wait_for("▊  鳥取県米子市加茂町")
    terminal.type("二丁目３番４号")
    terminal.keys("Tab")
    terminal.type("１００－０００１")
    terminal.wait_for("▊  東京都千代田区千代田")
    terminal.type("１番１号")
    terminal.keys("Tab", "End", "C-u")
    terminal.type("令和８年１１月１６日")
    terminal.keys("F5")
    terminal.wait_for("届出を選ぶ")
    # The household is read in a worker: F5 means nothing until its members are listed.
    terminal.wait_for("[x] 山田　太郎")
    terminal.keys("F5")
    terminal.wait_for("確認すること")
    terminal.keys("F5")
    terminal.wait_for("必要な手続き")
    terminal.keys("F5")
    terminal.wait_for("届出書の確認")
    terminal.keys("F10")
    done = terminal.wait_for("を保存しました")
    assert "受付番号 1 を保存しました" in done and "Traceback" not in done

    data = tmp_path / "data"
    # Started with umask 022, the program still keeps the register to its own account.
    written = [data, data / "slips", *data.rglob("*")]
    assert {p.name for p in written} >= {"counter.sqlite3", "counter.sqlite3-wal", "slips"}
    wrong = {
        str(p.relative_to(tmp_path)): oct(p.stat().st_mode & 0o777)
        for p in written
        if p.stat().st_mode & 0o777 != (0o700 if p.is_dir() else 0o600)
    }
    assert not wrong, wrong
    slips = sorted((data / "slips").glob("*.pdf"))
    assert [p.name.endswith("-forms.pdf") for p in slips] == [True, False]
    slip_text = pdf_text(slips[1])
    assert f"{NAME}様の世帯" in slip_text and "令和8年11月16日（月）" in slip_text
    with sqlite3.connect(data / "counter.sqlite3") as db:
        event, case_json = db.execute("SELECT event, case_json FROM visit").fetchone()
        names = [row[0] for row in db.execute("SELECT name FROM resident WHERE name LIKE '山田%'")]
        login, role, password_hash = db.execute(
            "SELECT login, role, password_hash FROM staff"
        ).fetchone()
        actions = [row[0] for row in db.execute("SELECT action FROM audit_log ORDER BY id")]
        staff_of_visit = db.execute("SELECT staff_id FROM visit").fetchone()[0]
    assert (login, role) == ("kanri", "administrator")
    assert password_hash.startswith("$argon2id$") and PASSWORD not in password_hash
    assert {"login", "edit"} <= set(actions)  # signed in; the newcomer and the visit stored
    assert staff_of_visit is not None
    case = json.loads(case_json)
    assert event == "move_in" and case["event_date"] == "2026-11-16"
    assert names == [NAME]  # exactly as typed, U+3000 kept
    head = case["members"][0]
    assert (head["name"], head["kana"], head["birth_date"]) == (
        NAME,
        "ヤマダ　タロウ",
        "1975-01-01",
    )
    assert case["previous_address"]["postal_code"] == "1000001"
    assert case["address"]["text"].startswith("鳥取県米子市加茂町二丁目")


def test_a_tmux_server_already_running_is_never_used(tmp_path, monkeypatch):
    """A developer's tmux server (here a decoy on the default socket of TMUX_TMPDIR, whose
    environment has no COUNTER_DATA_DIR) is not where the program runs: it starts in the
    test's own server and writes only into the test's data directory."""
    import subprocess

    user_data = tmp_path / "user-data"  # stands for ~/.local/share
    monkeypatch.setenv("TMUX_TMPDIR", str(tmp_path / "decoy"))
    monkeypatch.setenv("XDG_DATA_HOME", str(user_data))
    (tmp_path / "decoy").mkdir()
    decoy_env = {"PATH": "/usr/bin:/bin", "TMUX_TMPDIR": str(tmp_path / "decoy")}
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", "decoy", "sleep 600"], env=decoy_env, check=True
    )
    try:
        term = Terminal(tmp_path, {"COUNTER_DATA_DIR": str(tmp_path / "data")})
        try:
            term.wait_for("最初の管理者の登録", seconds=60)
            term.wait_for("入力はできます", seconds=60)  # the database is being made
            deadline = time.monotonic() + 60
            while not (tmp_path / "data" / "counter.sqlite3").is_file():
                assert time.monotonic() < deadline, "no database in the test's data directory"
                time.sleep(0.1)
        finally:
            term.close()
        sessions = subprocess.run(
            ["tmux", "list-sessions", "-F", "#{session_name}"],
            env=decoy_env,
            capture_output=True,
            text=True,
        ).stdout.split()
    finally:
        subprocess.run(["tmux", "kill-server"], env=decoy_env, check=False)
    assert sessions == ["decoy"]
    assert (tmp_path / "data" / "counter.sqlite3").is_file()
    assert not user_data.exists() or not any(user_data.rglob("*"))
