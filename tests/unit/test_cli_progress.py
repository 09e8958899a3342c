"""Progress of the slow commands (issue 7) as staff run them: real processes on a real
SQLite file. COUNTER_PROGRESS_AFTER=0 makes a test-sized file show every step; stderr
carries the progress, stdout keeps exactly the result lines other tools parse."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

from conftest import ADMIN_PASSWORD, add_staff
from sqlalchemy import text
from sqlmodel import Session

from counter.billing import confirmation_key, manual_bill
from counter.cli.signin import PASSWORD_STDIN_ENV
from counter.demo import generate_households
from counter.profile import load_profile
from counter.progress import AFTER_ENV
from counter.register_csv import format_register_csv
from db.engine import make_engine
from db.migrate import upgrade
from db.payments import add_code, payment_ledger
from db.staff import has_staff

HOUSEHOLDS = 2_000


def command(url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "counter.cli", "--database-url", url, *args]


def counter(url: str, *args: str, after: str | None = "0") -> subprocess.CompletedProcess[str]:
    """The command as a real process; an import or a reconciliation signs in as kanri
    (password on stdin), after the file has been read and found good."""
    env = {key: value for key, value in os.environ.items() if key != AFTER_ENV}
    if after is not None:
        env[AFTER_ENV] = after
    importing = args[:2] in (("import", "residents"), ("payment", "reconcile"))
    if importing:
        administrator_in(url)
        args = (*args, "--as", "kanri")
        env[PASSWORD_STDIN_ENV] = "1"
    return subprocess.run(
        command(url, *args),
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        input=f"{ADMIN_PASSWORD}\n" if importing else None,
    )


def administrator_in(url: str) -> None:
    """A migrated database with the staff accounts, as a real install has them."""
    engine = make_engine(url)
    upgrade(engine)
    if not has_staff(engine):
        add_staff(engine, terminal="t0")
    engine.dispose()


def finished_steps(stderr: str) -> list[str]:
    """The final line of each step, without how long it took."""
    return [re.sub("（[^（]*）$", "", line) for line in stderr.splitlines() if "　完了（" in line]


def has_latin(text: str) -> bool:
    return re.search("[A-Za-z]", text) is not None


def register_csv(tmp_path: Path) -> tuple[Path, int]:
    households = generate_households(HOUSEHOLDS, seed=3, on=date(2026, 11, 1))
    path = tmp_path / "register.csv"
    path.write_text(format_register_csv(households), encoding="utf-8")
    return path, sum(len(h.members) for h in households)


def stored(url: str) -> tuple[int, int]:
    with make_engine(url).connect() as connection:
        return (
            connection.execute(text("SELECT count(*) FROM household")).scalar_one(),
            connection.execute(text("SELECT count(*) FROM resident")).scalar_one(),
        )


def test_import_reports_each_step_on_stderr_and_keeps_its_result_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'counter.sqlite3'}"
    path, residents = register_csv(tmp_path)
    result = counter(url, "import", "residents", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"追加 {residents:,}人・更新 0人・変更なし 0人（世帯 2,000）\n"
    rows = HOUSEHOLDS + residents
    assert finished_steps(result.stderr) == [
        f"住民データの読み込み　{residents + 1:,}／{residents + 1:,}行（100%）　完了",
        f"世帯ごとの確認　{HOUSEHOLDS:,}／{HOUSEHOLDS:,}世帯（100%）　完了",
        f"取り込む世帯の準備　{HOUSEHOLDS:,}／{HOUSEHOLDS:,}世帯（100%）　完了",
        f"登録済みの世帯・住民との照合　{rows:,}／{rows:,}件（100%）　完了",
        f"データベースへの書き込み　{rows:,}／{rows:,}件（100%）　完了",
    ]
    assert not has_latin(result.stderr)
    assert stored(url) == (HOUSEHOLDS, residents)

    # a step quicker than the threshold shows nothing (30 s here rather than the default
    # second: on a loaded machine a step of this import can take one)
    again = counter(url, "import", "residents", str(path), after="30")
    assert again.returncode == 0, again.stderr
    assert again.stdout == f"追加 0人・更新 0人・変更なし {residents:,}人（世帯 2,000）\n"
    assert again.stderr == ""  # no step took 30 s; a script's password has no prompt


def test_a_file_with_problems_ends_the_progress_line_before_the_problems(tmp_path):
    url = f"sqlite:///{tmp_path / 'counter.sqlite3'}"
    path, _ = register_csv(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",male,", ",男,").replace(",female,", ",女,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = counter(url, "import", "residents", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    errors = result.stderr.splitlines()
    stopped = errors.index(f"世帯ごとの確認　{HOUSEHOLDS:,}／{HOUSEHOLDS:,}世帯（100%）　中断")
    assert errors[stopped + 1].startswith("6行目: sex: 「")
    assert errors[-1] == "エラー: register.csv: 問題が 1 件あります。何も登録していません"
    assert "データベースへの書き込み" not in result.stderr
    assert "パスワード" not in result.stderr  # a bad file never gets as far as the sign-in
    assert stored(url) == (0, 0)


def test_on_a_terminal_each_line_is_redrawn_in_place(tmp_path):
    url = f"sqlite:///{tmp_path / 'counter.sqlite3'}"
    path, residents = register_csv(tmp_path)
    terminal, stderr = pty.openpty()
    env = os.environ | {AFTER_ENV: "0", PASSWORD_STDIN_ENV: "1"}
    administrator_in(url)
    process = subprocess.Popen(
        command(url, "import", "residents", str(path), "--as", "kanri"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=stderr,
        env=env,
    )
    os.close(stderr)
    process.stdin.write(f"{ADMIN_PASSWORD}\n".encode())
    process.stdin.close()
    shown = b""
    while True:
        try:
            chunk = os.read(terminal, 65536)
        except OSError:  # the program has ended: the terminal is closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(terminal)
    stdout = process.stdout.read().decode() if process.stdout else ""
    assert process.wait(timeout=120) == 0
    assert stdout == f"追加 {residents:,}人・更新 0人・変更なし 0人（世帯 2,000）\n"
    drawn = shown.decode()
    assert "パスワード" not in drawn  # a script's password (stdin) is read without a prompt
    pieces = drawn.split("\r\x1b[K")  # to the line's start, cleared
    assert pieces[0] == ""
    assert all("\n" not in piece.removesuffix("\r\n") for piece in pieces[1:])
    kept = [piece for piece in pieces[1:] if piece.endswith("\r\n")]
    assert kept == [piece for piece in pieces[1:] if "　完了（" in piece]  # only final lines stay
    assert len(kept) == 5 and len(pieces) > 6  # and the others were drawn over


def test_reconcile_reports_each_step_on_stderr_and_keeps_the_report(tmp_path, new_sqlite):
    url = new_sqlite(tmp_path / "ledger.sqlite3")
    engine = make_engine(url)
    profile = load_profile("312029")
    key = confirmation_key(profile, None)
    bill = manual_bill(profile, amount=300, category="999", due_date=date(2026, 12, 16))
    with Session(engine) as session:
        codes = [add_code(session, bill, key=key, demo=True, visit_id=None) for _ in range(1_000)]
        session.commit()
    paid_on = date.today().isoformat()
    rows = [
        f"{c.fields.payment_number},{c.fields.confirmation_number},300,{paid_on},bank"
        for c in codes
    ]
    path = tmp_path / "results.csv"
    header = "payment_number,confirmation_number,amount,paid_on,channel\n"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")

    result = counter(url, "payment", "reconcile", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "results.csv: 1000行、消込 1000件\n"
    assert finished_steps(result.stderr) == [
        "発行した納付コードの読み出し　1,000／1,000件（100%）　完了",
        "納付結果の照合　1,000／1,000行（100%）　完了",
        "納付済みの記録　1,000／1,000件（100%）　完了",
    ]
    assert not has_latin(result.stderr)
    assert {entry.status for entry in payment_ledger(engine)} == {"paid"}


def test_demo_data_reports_each_step_on_stderr_and_keeps_its_result_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    result = counter(url, "demo-data", "--households", "300")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"300世帯を登録しました（{url}）\n"
    assert finished_steps(result.stderr) == [
        "見本の住民データの作成　300／300世帯（100%）　完了",
        "住民データの登録　300／300世帯（100%）　完了",
    ]
    assert not has_latin(result.stderr)

    quiet = counter(url, "demo-data", "--households", "30", after="30")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""  # no step is as slow as the threshold
