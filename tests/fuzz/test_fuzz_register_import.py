"""`counter import residents` given bad files, as staff run it: a real process on a real
SQLite file. Every bad file is refused with Japanese problems and no traceback, and the
database keeps exactly what it held (every table compared row by row)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ADMIN_PASSWORD, add_staff
from test_fuzz_register_csv import VALID

from db.engine import make_engine
from db.migrate import upgrade

CHANGED = VALID.replace("鳥取県米子市加茂町二丁目1番地", "鳥取県米子市加茂町三丁目2番地")
LAST_ROW = VALID.splitlines(keepends=True)[-1]
HOSTILE_FILES = {
    # every household would be updated, but the last row is wrong: nothing may be written
    "one_bad_row_after_updates": (CHANGED + LAST_ROW.replace("male", "x")).encode(),
    "nul_in_a_name": CHANGED.replace("米子　太郎", "米子\x00太郎").encode(),  # PostgreSQL refuses
    "shift_jis": CHANGED.encode("cp932"),
    "open_quote_in_the_last_row": (CHANGED + 'H9,H9-1,head,"米子\r\n').encode(),
    "cut_inside_a_character": CHANGED.encode()[:-30] + "太".encode()[:2],
    "cell_over_the_csv_limit": CHANGED.replace("米子　太郎", "米" * 200_000).encode(),
    "bytes_not_utf8": b"\xff\xfe\x00\x00" + bytes(range(256)),
    "empty": b"",
}


def run(url: str, path: Path) -> subprocess.CompletedProcess[str]:
    """The import as the administrator kanri runs it (the password on stdin)."""
    return subprocess.run(
        [
            sys.executable, "-m", "counter.cli", "--database-url", url,
            "import", "residents", path, "--as", "kanri",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        input=f"{ADMIN_PASSWORD}\n",
        env=os.environ | {"COUNTER_PASSWORD_STDIN": "1"},
    )  # fmt: skip


def table_dump(database: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    with sqlite3.connect(database) as connection:
        names = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            name: sorted(connection.execute(f'SELECT * FROM "{name}"'), key=repr) for name in names
        }


@pytest.fixture(scope="module")
def register(tmp_path_factory) -> tuple[str, Path]:
    """A SQLite file with the staff accounts and the valid register, imported by the
    command itself."""
    folder = tmp_path_factory.mktemp("register")
    database = folder / "counter.sqlite3"
    url = f"sqlite:///{database}"
    engine = make_engine(url)
    upgrade(engine)
    add_staff(engine)
    engine.dispose()
    first = folder / "register.csv"
    first.write_text(VALID, encoding="utf-8")
    result = run(url, first)
    assert result.returncode == 0, result.stderr
    return url, database


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_a_bad_register_file_changes_nothing(register, tmp_path, name):
    url, database = register
    before = table_dump(database)
    path = tmp_path / f"{name}.csv"
    path.write_bytes(HOSTILE_FILES[name])
    result = run(url, path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.rstrip().endswith("何も登録していません")
    assert result.stdout == ""
    assert table_dump(database) == before


def test_the_same_changes_in_a_good_file_are_written(register, tmp_path):
    """The comparison above can fail: the changed file on its own does change the tables."""
    url, database = register
    before = table_dump(database)
    path = tmp_path / "changed.csv"
    path.write_text(CHANGED, encoding="utf-8")
    result = run(url, path)
    assert result.returncode == 0, result.stderr
    assert table_dump(database) != before
