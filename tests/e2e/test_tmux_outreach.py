"""An outreach day with the real program in a real terminal: `counter --outreach FILE`
asks the passphrase, staff sign in from the file's accounts, a 住民票 is issued with its
payment code from the reserved block, and the day goes back to the office through
`counter outreach export` and `import`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ADMIN_PASSWORD, CLERK_PASSWORD, add_staff, pilot_household
from outreach_day import PASSPHRASE, check_out
from pdfcheck import plain_pdfs
from sqlmodel import Session, select
from tmuxterm import Terminal

from db import audit
from db.engine import make_engine
from db.models import PaymentCodeRow, VisitRow
from db.register import save_households


@pytest.fixture
def office(tmp_path: Path, new_sqlite) -> str:
    url = new_sqlite(tmp_path / "office.sqlite3")
    engine = make_engine(url)
    save_households(engine, [pilot_household()], municipality="312029")
    admin, _ = add_staff(engine)
    check_out(engine, tmp_path / "car.db", admin, reception=20, payment=30)
    engine.dispose()
    return url


def counter(*args: str, stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "counter.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COUNTER_PASSWORD_STDIN": "1"},
    )


def test_a_certificate_on_the_road_comes_back_to_the_office(office, tmp_path):
    car = tmp_path / "car.db"
    data = tmp_path / "data"
    command = (sys.executable, "-m", "counter.cli", "--outreach", str(car))
    terminal = Terminal(tmp_path, {"COUNTER_DATA_DIR": str(data)}, size=(80, 24), command=command)
    try:
        terminal.wait_for("出張用ファイルの合言葉", seconds=60)
        terminal.type(PASSPHRASE)
        terminal.keys("Enter")
        terminal.wait_for("ログイン名", seconds=60)
        assert PASSPHRASE not in terminal.screen()
        terminal.type("tanaka")
        terminal.keys("Enter")
        terminal.type(CLERK_PASSWORD)
        terminal.keys("Enter")
        shown = terminal.wait_for("入力すると候補が出ます")  # the search screen, its field
        assert "出張（オフライン）" in shown and "持ち帰り待ち 0件" in shown
        terminal.type("よなご")
        terminal.wait_for("米子　太郎")
        terminal.keys("F6")
        terminal.wait_for("手数料の合計 300円")  # the request decided: F10 now confirms it
        terminal.keys("F10")
        done = terminal.wait_for("を保存しました")
        assert "受付番号 1 を保存しました" in done and "持ち帰り待ち 1件" in done
        assert "0000 0000 0000 0000 0001" in done  # the first payment number of the block
        terminal.keys("C-q")
    finally:
        terminal.close()
    assert not (data / "counter.sqlite3").exists()  # the office's default never opened
    assert plain_pdfs(tmp_path) == []  # the slip was kept inside the encrypted file only

    bundle = tmp_path / "car.bundle"
    exported = counter("outreach", "export", str(car), "--out", str(bundle), "--as", "tanaka",
                       stdin=f"{PASSPHRASE}\n{CLERK_PASSWORD}\n")  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    taken = counter("--database-url", office, "outreach", "import", str(bundle),
                    "--as", "kanri", stdin=f"{ADMIN_PASSWORD}\n")  # fmt: skip
    assert taken.returncode == 0, taken.stderr
    assert "未使用の受付番号 2〜20を戻しました" in taken.stdout
    assert "未使用の納付番号 2〜30を戻しました" in taken.stdout
    engine = make_engine(office)
    with Session(engine) as session:
        (visit,) = session.exec(select(VisitRow)).all()
        (code,) = session.exec(select(PaymentCodeRow)).all()
    assert visit.event == "certificate" and visit.household_id == "H900001"
    assert (code.visit_id, code.amount, int(code.payment_number)) == (visit.id, 300, 1)
    assert audit.verify(engine).ok
    engine.dispose()
