"""Sending a PDF to a CUPS queue with `lp`; the kept PDF is always the fallback.

A counter must never lose a slip because a printer is off, missing or slow: every failure
becomes a Japanese message that says the PDF was kept and where (its file, or on an
outreach laptop the encrypted file), and nothing is raised.
Call it from a thread worker; `lp` may wait up to ``timeout`` seconds.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

PRINTER_ENV = "COUNTER_PRINTER"
LP_TIMEOUT = 30.0
REQUEST_ID = re.compile(r"request id is (\S+)")
# What `lp` says (in the C locale) → the reason staff read; anything else is summarised.
LP_ERRORS = (
    ("does not exist", "プリンター「{queue}」が見つかりません"),
    ("not accepting jobs", "プリンター「{queue}」が受け付けを止めています"),
    ("scheduler is not running", "印刷サービス（CUPS）が動いていません"),
    ("unable to connect", "印刷サービス（CUPS）に接続できません"),
    ("forbidden", "このプリンターを使う権限がありません"),
)


@dataclass(frozen=True)
class PrintResult:
    """What happened to one print request; ``job_id`` is None when nothing was printed."""

    job_id: str | None
    queue: str | None
    path: Path  # the kept PDF (or the copy an outreach laptop wrote out, gone by now)
    message: str

    @property
    def printed(self) -> bool:
        return self.job_id is not None


def printer_queue(option: str | None = None) -> str | None:
    """The CUPS queue to use: the command-line option, else ``COUNTER_PRINTER``, else none."""
    queue = option if option is not None else os.environ.get(PRINTER_ENV)
    return (queue.strip() or None) if queue else None


def print_pdf(
    path: Path,
    queue: str | None,
    *,
    timeout: float = LP_TIMEOUT,
    kept: Path | None = None,
    note: str | None = None,
) -> PrintResult:
    """Send ``path`` to ``queue`` with `lp`; on any failure keep the PDF and say so.

    ``kept`` is the file the messages name when ``path`` is a temporary copy made only for
    the printer (the forms with the individual number in full); ``note`` says where the
    PDF is kept when that is no file (an outreach laptop's encrypted file)."""
    queue = queue.strip() if queue else None
    kept = kept or path
    saved = note or f"PDFを保存しました：{kept}"
    if not queue:
        return PrintResult(None, None, kept, f"プリンターが設定されていません。{saved}")
    if not path.is_file():
        message = f"印刷できませんでした（PDFファイルが見つかりません：{path}）"
        return PrintResult(None, queue, path, message)
    lp = shutil.which("lp")
    if lp is None:
        return _failed(queue, kept, "lp コマンドがありません", saved)
    # The C locale keeps lp's answer parseable ("request id is ...") on a Japanese desktop.
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    # The PDF goes in on stdin with the file name as the job title: cupsd 2.4.2 (Debian 12)
    # crashes on a job whose document name has a space or Japanese (「案内票 17.pdf」).
    try:
        with path.open("rb") as document:
            done = subprocess.run(
                [lp, "-d", queue, "-t", path.name],
                stdin=document,
                capture_output=True,
                env=env,
                timeout=timeout,
                check=False,
            )
    except subprocess.TimeoutExpired:
        reason = f"プリンター「{queue}」が{timeout:g}秒以内に応答しません"
        return _failed(queue, kept, reason, saved)
    except OSError:
        return _failed(queue, kept, "lp コマンドを実行できないか、PDFを読めません", saved)
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace")
        return _failed(queue, kept, _reason(stderr, queue, done.returncode), saved)
    found = REQUEST_ID.search(done.stdout.decode("utf-8", "replace"))
    if found is None:
        message = f"印刷を依頼しましたが、ジョブ番号を読み取れませんでした。{saved}"
        return PrintResult(None, queue, kept, message)
    job_id = found.group(1)
    return PrintResult(job_id, queue, kept, f"印刷しました（ジョブ {job_id}）")


def _reason(stderr: str, queue: str, returncode: int) -> str:
    lowered = stderr.lower()
    for needle, reason in LP_ERRORS:
        if needle in lowered:
            return reason.format(queue=queue)
    return f"lp が終了コード {returncode} で止まりました"


def _failed(queue: str, path: Path, reason: str, saved: str) -> PrintResult:
    return PrintResult(None, queue, path, f"印刷できませんでした（{reason}）。{saved}")
