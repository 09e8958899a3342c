"""The embedded SQLite database refuses places and states where it could be corrupted."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db.engine import DatabaseRefused, filesystem_type, make_engine

MOUNTS = """\
/dev/vda / ext4 rw,relatime 0 0
fileserver:/export/home /home/shared nfs4 rw,relatime 0 0
//city/share /mnt/city cifs rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


def test_filesystem_type_picks_the_longest_mount_point(tmp_path: Path):
    assert filesystem_type(Path("/home/shared/counter"), MOUNTS) == "nfs4"
    assert filesystem_type(Path("/mnt/city/x/y"), MOUNTS) == "cifs"
    assert filesystem_type(Path("/home/sharedness"), MOUNTS) == "ext4"
    assert filesystem_type(Path("/var/lib"), MOUNTS) == "ext4"


def test_a_unc_path_is_refused():
    with pytest.raises(DatabaseRefused, match="ネットワーク"):
        make_engine("sqlite:////" + "/server/share/counter.sqlite3")


def test_a_file_locked_exclusively_by_another_process_is_refused(tmp_path: Path):
    database = tmp_path / "counter.sqlite3"
    sqlite3.connect(database).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(database)!r}, isolation_level=None)\n"
            "c.execute('PRAGMA locking_mode=EXCLUSIVE'); c.execute('BEGIN EXCLUSIVE')\n"
            "c.execute('CREATE TABLE t(x)'); print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseRefused, match="別のプログラムが使用中"):
            make_engine(f"sqlite:///{database}")
    finally:
        holder.kill()
        holder.wait()
    make_engine(f"sqlite:///{database}").dispose()  # free again: opens normally


def test_cli_reports_a_refused_database_in_one_line(tmp_path: Path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "counter.cli",
            "--database-url",
            "sqlite:////" + "/server/share/counter.sqlite3",
            "db",
            "upgrade",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("エラー: データベースをネットワーク上の場所")
    assert "Traceback" not in result.stderr
