"""Printing through a real CUPS scheduler whose printer is a file (tests/cupsserver.py)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from cupsserver import QUEUE, wait_for_bytes
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from forms.fonts import slip_fonts
from forms.printing import PrintResult, print_pdf, printer_queue


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
