"""Printing through a real CUPS scheduler whose printer is a file.

A throwaway `cupsd` runs in a temporary directory on its own Unix socket (no port, no
system queues touched); its queue `counter-test` hands each job unchanged to a file, so
the file is what the printer would have received. Only the printer itself is stood in
for: `lp`, the scheduler and the spooling are the real ones. Needs Debian's
`cups-daemon` and `cups-client` (`.ci/run` installs them when missing).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from forms.fonts import slip_fonts
from forms.printing import PrintResult, print_pdf, printer_queue

QUEUE = "counter-test"

CUPSD_CONF = """\
Listen {root}/cups.sock
LogLevel warn
WebInterface No
Browsing No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
"""
CUPS_FILES_CONF = """\
FileDevice Yes
ServerRoot {root}
RequestRoot {root}/spool
CacheDir {root}/cache
StateDir {root}/state
TempDir {root}/tmp
AccessLog {root}/log/access_log
ErrorLog {root}/log/error_log
PageLog {root}/log/page_log
ServerBin /usr/lib/cups
DataDir /usr/share/cups
"""
# A queue without a filter prints nothing; this one passes the document through as-is.
PASS_THROUGH_FILTER = '#!/bin/sh\nexec cat "${6:--}"\n'
PASS_THROUGH_PPD = """\
*PPD-Adobe: "4.3"
*FormatVersion: "4.3"
*FileVersion: "1.0"
*LanguageVersion: English
*LanguageEncoding: ISOLatin1
*PCFileName: "PASSTHRU.PPD"
*Manufacturer: "Test"
*Product: "(Passthrough)"
*ModelName: "Passthrough"
*ShortNickName: "Passthrough"
*NickName: "Passthrough"
*PSVersion: "(3010.000) 0"
*LanguageLevel: "3"
*ColorDevice: False
*DefaultColorSpace: Gray
*FileSystem: False
*Throughput: "1"
*cupsFilter2: "application/pdf application/vnd.cups-raw 0 {filter}"
*OpenUI *PageSize: PickOne
*DefaultPageSize: A4
*PageSize A4/A4: "<</PageSize[595 842]>>setpagedevice"
*CloseUI: *PageSize
*DefaultImageableArea: A4
*ImageableArea A4/A4: "0 0 595 842"
*DefaultPaperDimension: A4
*PaperDimension A4/A4: "595 842"
"""


def _sbin(name: str) -> str | None:
    """Find an administration program even when /usr/sbin is not on PATH."""
    found = shutil.which(name) or f"/usr/sbin/{name}"
    return found if os.access(found, os.X_OK) else None


class ThrowawayCups:
    def __init__(self) -> None:
        cupsd, self.lpadmin = (_sbin(name) for name in ("cupsd", "lpadmin"))
        if cupsd is None or self.lpadmin is None:
            pytest.fail(
                "cupsd か lpadmin がありません。"
                "`apt-get install cups-daemon cups-client` で入れてください"
            )
        # Filters run as the `lp` user: the directory must be readable by it.
        self.root = Path(tempfile.mkdtemp(prefix="counter-cups-"))
        self.root.chmod(0o755)
        for name in ("spool", "cache", "state", "log", "tmp", "printed"):
            (self.root / name).mkdir()
        (self.root / "tmp").chmod(0o1777)
        (self.root / "cupsd.conf").write_text(CUPSD_CONF.format(root=self.root))
        (self.root / "cups-files.conf").write_text(CUPS_FILES_CONF.format(root=self.root))
        filter_path = self.root / "pass-through"
        filter_path.write_text(PASS_THROUGH_FILTER)
        filter_path.chmod(0o755)
        self.ppd = self.root / "pass-through.ppd"
        self.ppd.write_text(PASS_THROUGH_PPD.format(filter=filter_path))
        self.socket = self.root / "cups.sock"
        self.process = subprocess.Popen(
            [
                cupsd,
                "-f",
                "-c",
                str(self.root / "cupsd.conf"),
                "-s",
                str(self.root / "cups-files.conf"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.socket.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"cupsd が起動しませんでした（{self.root}/log/error_log）")
            time.sleep(0.05)

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": str(self.socket)}

    def add_queue(self, name: str) -> Path:
        """A queue printing to a file; cupsd only writes to a file that already exists."""
        out = self.root / "printed" / f"{name}.pdf"
        out.write_bytes(b"")
        subprocess.run(
            [self.lpadmin, "-p", name, "-E", "-v", f"file:{out}", "-P", str(self.ppd)],
            env=self.env,
            check=True,
            capture_output=True,
        )
        return out

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def cups():
    server = ThrowawayCups()
    yield server
    server.stop()


@pytest.fixture
def printer(cups, monkeypatch) -> Path:
    """The file the `counter-test` queue prints to, empty; lp talks to the throwaway cupsd."""
    monkeypatch.setenv("CUPS_SERVER", str(cups.socket))
    return cups.add_queue(QUEUE)


@pytest.fixture(scope="module")
def slip_pdf(tmp_path_factory) -> Path:
    """A real two-page PDF with Japanese text (U+3000 included) and a space in its name."""
    path = tmp_path_factory.mktemp("slip") / "案内票 17.pdf"
    pdf = Canvas(str(path), pagesize=A4)
    for page in (1, 2):
        pdf.setFont(slip_fonts().regular, 14)
        pdf.drawString(72, 760, f"手続きのご案内　米子　太郎様の世帯　受付番号 17　{page}ページ")
        pdf.showPage()
    pdf.save()
    return path


def wait_for_bytes(path: Path, size: int, seconds: float = 15) -> bytes:
    deadline = time.monotonic() + seconds
    while path.stat().st_size < size and time.monotonic() < deadline:
        time.sleep(0.05)
    return path.read_bytes()


def assert_kept(result: PrintResult, pdf: Path, original: bytes) -> None:
    assert result.job_id is None and not result.printed
    assert result.message.endswith(f"PDFを保存しました：{pdf}")
    assert pdf.read_bytes() == original


def test_printed_job_reaches_the_printer_byte_for_byte(printer, slip_pdf):
    original = slip_pdf.read_bytes()
    result = print_pdf(slip_pdf, QUEUE)
    assert result.printed
    assert result.job_id is not None and result.job_id.startswith(f"{QUEUE}-")
    assert result.job_id.removeprefix(f"{QUEUE}-").isdigit()
    assert result.queue == QUEUE and result.path == slip_pdf
    assert result.message == f"印刷しました（ジョブ {result.job_id}）"
    assert wait_for_bytes(printer, len(original)) == original
    assert slip_pdf.read_bytes() == original


def test_each_print_is_a_new_job(printer, slip_pdf):
    first = print_pdf(slip_pdf, QUEUE)
    second = print_pdf(slip_pdf, QUEUE)
    assert first.printed and second.printed
    assert first.job_id != second.job_id


def test_no_printer_configured_keeps_the_pdf(slip_pdf, monkeypatch):
    monkeypatch.delenv("COUNTER_PRINTER", raising=False)
    original = slip_pdf.read_bytes()
    for queue in (None, "", "  ", printer_queue()):
        result = print_pdf(slip_pdf, queue)
        assert result.message == f"プリンターが設定されていません。PDFを保存しました：{slip_pdf}"
        assert_kept(result, slip_pdf, original)


def test_queue_comes_from_the_option_else_the_environment(monkeypatch):
    monkeypatch.delenv("COUNTER_PRINTER", raising=False)
    assert printer_queue() is None
    assert printer_queue("madoguchi-1") == "madoguchi-1"
    monkeypatch.setenv("COUNTER_PRINTER", "madoguchi-2")
    assert printer_queue() == "madoguchi-2"
    assert printer_queue("madoguchi-1") == "madoguchi-1"
    monkeypatch.setenv("COUNTER_PRINTER", " ")
    assert printer_queue() is None


def test_unknown_queue_is_reported_in_japanese(printer, slip_pdf):
    original = slip_pdf.read_bytes()
    result = print_pdf(slip_pdf, "no-such-queue")
    assert result.message == (
        "印刷できませんでした（プリンター「no-such-queue」が見つかりません）。"
        f"PDFを保存しました：{slip_pdf}"
    )
    assert result.queue == "no-such-queue"
    assert_kept(result, slip_pdf, original)


def test_queue_that_rejects_jobs(cups, printer, slip_pdf):
    original = slip_pdf.read_bytes()
    subprocess.run(["cupsreject", QUEUE], env=cups.env, check=True)
    try:
        result = print_pdf(slip_pdf, QUEUE)
    finally:
        subprocess.run(["cupsaccept", QUEUE], env=cups.env, check=True)
    assert "プリンター「counter-test」が受け付けを止めています" in result.message
    assert_kept(result, slip_pdf, original)
    assert printer.read_bytes() == b""


def test_lp_missing(slip_pdf, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    original = slip_pdf.read_bytes()
    result = print_pdf(slip_pdf, QUEUE)
    assert result.message == (
        f"印刷できませんでした（lp コマンドがありません）。PDFを保存しました：{slip_pdf}"
    )
    assert_kept(result, slip_pdf, original)


def test_scheduler_that_never_answers_times_out(slip_pdf, monkeypatch):
    """A socket that accepts and never replies: lp waits, print_pdf gives up in time."""
    directory = Path(tempfile.mkdtemp(prefix="counter-mute-"))
    silent = socket.socket(socket.AF_UNIX)
    silent.bind(str(directory / "cups.sock"))
    silent.listen(8)
    monkeypatch.setenv("CUPS_SERVER", str(directory / "cups.sock"))
    original = slip_pdf.read_bytes()
    started = time.monotonic()
    try:
        result = print_pdf(slip_pdf, QUEUE, timeout=1.5)
    finally:
        silent.close()
        shutil.rmtree(directory)
    assert time.monotonic() - started < 10
    assert "プリンター「counter-test」が1.5秒以内に応答しません" in result.message
    assert_kept(result, slip_pdf, original)


def test_missing_pdf_is_reported_not_raised(tmp_path):
    gone = tmp_path / "消えた.pdf"
    result = print_pdf(gone, QUEUE)
    assert result.message == f"印刷できませんでした（PDFファイルが見つかりません：{gone}）"
    assert result.job_id is None
