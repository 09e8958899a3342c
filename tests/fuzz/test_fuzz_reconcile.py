"""`counter payment reconcile` given bad result files: a real process on a real SQLite
ledger. Every bad file is refused with its problems in Japanese and no traceback, and
the ledger keeps exactly what it held (every table compared row by row)."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import add_staff, run_counter
from test_fuzz_register_import import table_dump

from counter.billing import DEMO_KEY, manual_bill
from counter.profile import load_profile
from db.engine import make_engine
from db.migrate import upgrade
from db.payments import issue_code

HEADER = "payment_number,confirmation_number,amount,paid_on,channel\n"


def run(url: str, path: Path) -> subprocess.CompletedProcess[str]:
    return run_counter(url, "payment", "reconcile", str(path), login="kanri")


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> tuple[str, Path, str]:
    """A SQLite ledger with two demo codes (350 and 1,200 yen); and the good line paying
    the first."""
    database = tmp_path_factory.mktemp("ledger") / "ledger.sqlite3"
    url = f"sqlite:///{database}"
    engine = make_engine(url)
    upgrade(engine)
    add_staff(engine)
    profile = load_profile("312029")
    codes = [
        issue_code(
            engine,
            manual_bill(profile, amount=amount, category="999", due_date=date(2026, 12, 16)),
            key=DEMO_KEY,
            demo=True,
        )
        for amount in (350, 1200)
    ]
    engine.dispose()
    first = codes[0].fields
    good = f"{first.payment_number},{first.confirmation_number},350,2026-12-01,bank\n"
    return url, database, good


def hostile_files(good: str) -> dict[str, bytes]:
    return {
        "bad_amount_after_a_good_line": (HEADER + good + "2,000000,abc,2026-12-01,bank\n").encode(),
        "amount_of_5000_digits": (
            HEADER + good + f"2,000000,{'9' * 5000},2026-12-01,bank\n"
        ).encode(),  # was ValueError and a traceback
        "open_quote": (HEADER + good + '2,000000,"1200,2026-12-01,bank\n').encode(),
        "shift_jis": (HEADER + good.replace("bank", "コンビニエンスストア")).encode("cp932"),
        "wrong_header": ("納付番号,確認番号,金額,納付日,経路\n" + good).encode(),
        "surrogate_escaped_byte": (HEADER + good).encode() + b"2,\x80,1200,2026-12-01,bank\n",
        "cell_over_the_csv_limit": (HEADER + good + "2," + "0" * 200_000 + "\n").encode(),
        "nul_in_a_cell": (HEADER + good + "2,00000\x00,1200,2026-12-01,bank\n").encode(),
        "paid_in_the_future": (HEADER + good.replace("2026-12-01", "2999-01-01")).encode(),
        "empty": b"",
    }


@pytest.mark.parametrize("name", list(hostile_files("")))
def test_a_bad_result_file_changes_nothing(ledger, tmp_path, name):
    url, database, good = ledger
    before = table_dump(database)
    path = tmp_path / f"{name}.csv"
    path.write_bytes(hostile_files(good)[name])
    result = run(url, path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"エラー: {name}.csv: ")
    assert result.stdout == ""
    assert table_dump(database) == before


def test_the_good_line_on_its_own_marks_the_code_paid(ledger, tmp_path):
    """The comparison above can fail: the good line alone does change the ledger."""
    url, database, good = ledger
    before = table_dump(database)
    path = tmp_path / "good.csv"
    path.write_text(HEADER + good, encoding="utf-8")
    result = run(url, path)
    assert result.returncode == 0, result.stderr
    assert table_dump(database) != before
