"""What a hostile run found (issue 22), each done again the way it was found: real
`counter` processes on a real SQLite file (and the PostgreSQL server where the finding
was about it), a real second connection holding the lock, a real FIFO, /dev/zero.

Every test failed on the code before the fix; the closing note says how.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from conftest import run_counter
from sqlmodel import Session, select

from counter.household import Address, Household, Member
from counter.register_csv import format_register_csv
from db.engine import make_engine
from db.models import AuditLogRow, HouseholdRow, PaymentCodeRow, ResidentRow

REAL = Household(
    household_id="H000001",
    address=Address("6830823", "鳥取県米子市加茂町二丁目1番地"),
    members=(
        Member("H000001-1", "本物　太郎", "ホンモノ　タロウ", date(1970, 1, 1), "male", "head"),
    ),
)


def imported(url: str, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(format_register_csv([REAL]), encoding="utf-8")
    result = run_counter(url, "import", "residents", str(path), login="kanri")
    assert result.returncode == 0, result.stderr


def rows(url: str, model) -> list:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return list(session.exec(select(model)).all())
    finally:
        engine.dispose()


def one_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


# --- 1. demo data and real residents ----------------------------------------------------


def test_demo_data_never_overwrites_a_real_register(sqlite_url, tmp_path):
    """Found: `demo-data --households 3` replaced 本物　太郎 (H000001), unsigned, unaudited."""
    imported(sqlite_url, tmp_path)
    result = run_counter(sqlite_url, "demo-data", "--households", "3", login="kanri")
    assert result.returncode == 2
    assert "実際の住民記録（1人）があります" in one_line(result)
    names = {(r.id, r.name, r.demo) for r in rows(sqlite_url, ResidentRow)}
    assert names == {("H000001-1", "本物　太郎", False)}


def test_demo_data_needs_an_administrator_and_is_marked_and_audited(sqlite_url):
    unsigned = subprocess.run(
        [sys.executable, "-m", "counter.cli", "--database-url", sqlite_url, "demo-data",
         "--households", "2"],
        input="", capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert unsigned.returncode != 0 and rows(sqlite_url, HouseholdRow) == []
    clerk = run_counter(sqlite_url, "demo-data", "--households", "2", login="tanaka")
    assert clerk.returncode == 1 and "管理者だけ" in one_line(clerk)
    done = run_counter(sqlite_url, "demo-data", "--households", "2", login="kanri")
    assert done.returncode == 0, done.stderr
    households = rows(sqlite_url, HouseholdRow)
    assert len(households) == 2
    assert all(h.demo and h.id.startswith("demo:") for h in households)
    assert all(r.demo for r in rows(sqlite_url, ResidentRow))
    details = [row.detail for row in rows(sqlite_url, AuditLogRow)]
    assert "見本の住民データの登録 2世帯" in details


def test_importing_the_real_register_removes_the_demo_households(sqlite_url, tmp_path):
    assert run_counter(sqlite_url, "demo-data", "--households", "5", login="kanri").returncode == 0
    path = tmp_path / "register.csv"
    path.write_text(format_register_csv([REAL]), encoding="utf-8")
    result = run_counter(sqlite_url, "import", "residents", str(path), login="kanri")
    assert result.returncode == 0, result.stderr
    assert "見本の住民データ（5世帯）を取り除きました" in result.stdout
    assert [(h.id, h.demo) for h in rows(sqlite_url, HouseholdRow)] == [("H000001", False)]


# --- 3. money changed with no sign-in ----------------------------------------------------

MAKE = ("payment", "make", "--amount", "350", "--category", "999", "--due", "R8.12.16")


def test_a_payment_code_needs_a_supervisor_and_is_audited(sqlite_url):
    """Found: `payment make` and `reconcile` changed the ledger with no sign-in."""
    clerk = run_counter(sqlite_url, *MAKE, login="tanaka")
    assert clerk.returncode == 1 and "監督者・管理者だけ" in one_line(clerk)
    assert rows(sqlite_url, PaymentCodeRow) == []
    done = run_counter(sqlite_url, *MAKE, login="kanri")
    assert done.returncode == 0, done.stderr
    (code,) = rows(sqlite_url, PaymentCodeRow)
    audit = [r for r in rows(sqlite_url, AuditLogRow) if r.detail.startswith("支払いコードの発行")]
    assert [r.detail for r in audit] == [f"支払いコードの発行 99999-{code.payment_number} 350円"]


def test_an_account_that_must_change_its_password_does_nothing_else(sqlite_url):
    from db.staff import list_staff, reset_password

    engine = make_engine(sqlite_url)
    admin = next(s for s in list_staff(engine) if s.login == "kanri")
    reset_password(engine, admin, "tanaka", "temporary-pass-1", terminal="t")
    engine.dispose()
    env = {"COUNTER_PASSWORD_STDIN": "1"}
    refused = subprocess.run(
        [sys.executable, "-m", "counter.cli", "--database-url", sqlite_url, "slip",
         "--date", "R8.12.5", "--reception", "1", "--out", "x.pdf", "--as", "tanaka"],
        input="temporary-pass-1\n", capture_output=True, text=True, timeout=60,
        env={**os.environ, **env},
    )  # fmt: skip
    assert refused.returncode in (1, 2)
    changed = subprocess.run(
        [sys.executable, "-m", "counter.cli", "--database-url", sqlite_url, "staff",
         "password", "--as", "tanaka"],
        input="temporary-pass-1\nmy-own-pass-2026\nmy-own-pass-2026\n",
        capture_output=True, text=True, timeout=60, env={**os.environ, **env},
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    engine = make_engine(sqlite_url)
    clerk = next(s for s in list_staff(engine) if s.login == "tanaka")
    engine.dispose()
    assert clerk.must_change_password is False


def test_a_clerk_who_must_change_the_password_is_refused_by_commands(sqlite_url):
    from db.staff import list_staff, reset_password

    engine = make_engine(sqlite_url)
    admin = next(s for s in list_staff(engine) if s.login == "kanri")
    reset_password(engine, admin, "kanri", "temporary-pass-1", terminal="t")  # self-reset
    engine.dispose()
    result = subprocess.run(
        [sys.executable, "-m", "counter.cli", "--database-url", sqlite_url, *MAKE,
         "--as", "kanri"],
        input="temporary-pass-1\n", capture_output=True, text=True, timeout=60,
        env={**os.environ, "COUNTER_PASSWORD_STDIN": "1"},
    )  # fmt: skip
    assert result.returncode == 1
    assert "パスワードの変更が必要です" in one_line(result)
    assert rows(sqlite_url, PaymentCodeRow) == []


# --- 5. a busy database --------------------------------------------------------------------


def test_a_busy_database_waits_says_so_then_gives_one_line(sqlite_url, tmp_path):
    """Found: 「database is locked」 as a 65-line traceback after 30 s while another process
    held a write. A second connection holds the write lock here for the whole command."""
    holder = sqlite3.connect(tmp_path / "counter.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE staff SET failed_attempts = failed_attempts")
    try:
        started = time.monotonic()
        result = run_counter(sqlite_url, *MAKE, login="kanri", env={"COUNTER_BUSY_SECONDS": "3"})
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr and len(lines) == 2, result.stderr
    assert lines[0].startswith("データベースが使用中のため待っています（最大3秒）")
    assert lines[1].startswith("エラー: データベースがほかの端末や処理で使用中のため、3秒待っても")
    assert waited < 30  # the bound, not SQLite's old 30 s
    assert rows(sqlite_url, PaymentCodeRow) == []


# --- 6. endless or huge input ----------------------------------------------------------------


@pytest.mark.parametrize("command", [("import", "residents"), ("payment", "reconcile")])
def test_a_fifo_or_a_device_is_refused_at_once(sqlite_url, tmp_path, command):
    """Found: on a FIFO both hung for ever; on /dev/zero they died of MemoryError."""
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        result = run_counter(sqlite_url, *command, str(path), login="kanri", timeout=20)
        assert result.returncode == 2
        assert "通常のファイルではありません" in one_line(result)


def test_a_file_over_the_limit_is_refused_before_it_is_read(sqlite_url, tmp_path):
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as file:  # sparse: 600 MB on paper, nothing on disk
        file.truncate(600 << 20)
    started = time.monotonic()
    result = run_counter(sqlite_url, "import", "residents", str(huge), login="kanri")
    assert result.returncode == 2 and "大きすぎます（512MBまで）" in one_line(result)
    assert time.monotonic() - started < 20


# --- 7. audit verify, and commands that only read ----------------------------------------


@pytest.mark.parametrize("column", ["at", "detail"])
def test_audit_verify_names_a_row_whose_time_or_text_is_garbage(sqlite_url, tmp_path, column):
    """Found: a tampered `at` or `detail` crashed verify (ValueError/TypeError)."""
    path = tmp_path / "counter.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER audit_log_no_update")
        value = "yesterday-ish" if column == "at" else b"\xff\xfe"
        db.execute(f"UPDATE audit_log SET {column} = ? WHERE id = 2", (value,))
    result = run_counter(sqlite_url, "audit", "verify")
    assert result.returncode == 1, result.stderr
    assert "ID 2 の行" in result.stderr and "Traceback" not in result.stderr
    export = run_counter(sqlite_url, "audit", "export", "--out", str(tmp_path / "a.jsonl"),
                         login="kanri")  # fmt: skip
    assert export.returncode == 1 and "ID 2 の行" in one_line(export)


@pytest.mark.parametrize(
    "command",
    [
        ("audit", "verify"),
        ("audit", "export", "--out", "{tmp}/a.jsonl"),
        ("slip", "--date", "R8.12.5", "--reception", "1", "--out", "{tmp}/s.pdf"),
        ("payment", "reconcile", "{tmp}/r.csv"),
        ("purge", "--dry-run"),
    ],
)
def test_a_command_that_only_reads_never_creates_a_database(tmp_path, command):
    """Found: verify on a mistyped path made an empty database and found no tampering."""
    (tmp_path / "r.csv").write_text(
        "payment_number,confirmation_number,amount,paid_on,channel\n1,123456,300,2026-12-01,bank\n",
        encoding="utf-8",
    )
    missing = tmp_path / "typo" / "counter.sqlite3"
    args = [part.format(tmp=tmp_path) for part in command]
    result = run_counter(f"sqlite:///{missing}", *args)
    assert result.returncode == 2
    assert f"データベースが見つかりません（{missing}）" in one_line(result)
    assert not missing.exists() and not missing.parent.exists()


# --- 8. an orphan payment number --------------------------------------------------------------


def test_a_qr_that_cannot_be_written_gives_its_number_back(sqlite_url, tmp_path):
    """Found: with an unwritable --qr the number was kept in the ledger and the command
    failed. A folder in the file's place makes the write fail after the number is taken."""
    blocked = tmp_path / "code.png"
    blocked.mkdir()
    failed = run_counter(sqlite_url, *MAKE, "--qr", str(blocked), login="kanri")
    assert failed.returncode == 2 and "コードは発行していません" in one_line(failed)
    assert rows(sqlite_url, PaymentCodeRow) == []
    good = run_counter(sqlite_url, *MAKE, "--qr", str(tmp_path / "ok.png"), "--json",
                       login="kanri")  # fmt: skip
    assert good.returncode == 0, good.stderr
    assert '"payment_number": "1"' in good.stdout  # the number was given back


# --- 12. one line, never a traceback --------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("mysql://user@host/db", "「mysql」のデータベースには対応していません"),
        ("garbage", "データベースの URL を読めません"),
        ("sqlite:///{tmp}", "データベースの場所がフォルダです"),
    ],
)
def test_a_bogus_database_url_is_one_line(tmp_path, url, words):
    result = run_counter(url.format(tmp=tmp_path), "db", "upgrade")
    assert result.returncode == 2 and words in one_line(result)


def test_the_same_register_imported_twice_at_once_is_imported_once(sqlite_url, tmp_path):
    """Found: two identical imports at once ended in an IntegrityError traceback."""
    path = tmp_path / "register.csv"
    path.write_text(format_register_csv([REAL]), encoding="utf-8")
    results: list[subprocess.CompletedProcess] = []

    def run() -> None:
        results.append(run_counter(sqlite_url, "import", "residents", str(path), login="kanri"))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    outcomes = sorted(r.stdout.split("（")[0] for r in results)
    assert outcomes == ["追加 0人・更新 0人・変更なし 1人", "追加 1人・更新 0人・変更なし 0人"]


def test_killed_while_importing_the_register_nothing_of_it_is_kept(sqlite_url, tmp_path):
    """kill -9 once the first chunk of residents is written, before the import commits:
    no household of the file, the audit chain intact; the next run imports them all."""
    from conftest import ADMIN_PASSWORD
    from killer import counter

    from counter.demo import generate_households
    from db.audit import verify

    people = generate_households(40, seed=23, on=date(2026, 11, 24))
    path = tmp_path / "register.csv"
    path.write_text(format_register_csv(people), encoding="utf-8")
    killed = counter("--database-url", sqlite_url, "import", "residents", str(path), "--as",
                     "kanri", stdin=f"{ADMIN_PASSWORD}\n",
                     kill=("db.importer", "_write", 0, "after"))  # fmt: skip
    assert killed.returncode == -9
    engine = make_engine(sqlite_url)
    try:
        assert rows(sqlite_url, HouseholdRow) == [] and rows(sqlite_url, ResidentRow) == []
        assert verify(engine).ok
    finally:
        engine.dispose()
    again = run_counter(sqlite_url, "import", "residents", str(path), login="kanri")
    assert again.returncode == 0, again.stderr
    assert len(rows(sqlite_url, HouseholdRow)) == 40


# --- 14. files other accounts could read --------------------------------------------------


def test_files_written_to_paths_staff_name_are_private(sqlite_url, tmp_path, catalogue, profile):
    """umask 022, as on a desktop: the export, the QR image and a reprinted slip are 0600."""

    def run(*args: str, login: str | None = None) -> None:
        command = [sys.executable, "-m", "counter.cli", "--database-url", sqlite_url, *args]
        if login:
            command += ["--as", login]
        result = subprocess.run(
            ["sh", "-c", 'umask 022; exec "$@"', "sh", *command],
            input="kanri-no-pass-2026\n", capture_output=True, text=True, timeout=60,
            env={**os.environ, "COUNTER_PASSWORD_STDIN": "1"},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr

    from conftest import birth_family, case_of

    from counter.rules import plan
    from db.visits import record_visit

    case = case_of("birth", "2026-11-20", birth_family())
    engine = make_engine(sqlite_url)
    visit = record_visit(
        engine, case, plan(case, catalogue, profile, filed_on=date(2026, 11, 24)), profile,
        device_id="t",
    )  # fmt: skip
    engine.dispose()
    out = tmp_path / "out"
    out.mkdir()
    run("audit", "export", "--out", str(out / "audit.jsonl"), login="kanri")
    run(*MAKE, "--qr", str(out / "code.png"), login="kanri")
    run("slip", visit.id, "--out", str(out / "slip.pdf"), login="kanri")
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in out.iterdir()} == {
        "audit.jsonl": "0o600",
        "code.png": "0o600",
        "slip.pdf": "0o600",
    }
